"""今日待办: the 客服 day — review, complaint and handover registers with their deadlines, one to-do list."""
