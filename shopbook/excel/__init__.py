"""The Excel adapter: the same jobs as the CLI, run from buttons inside the workbook (xlwings).

- book.py     xlwings sheets -> the reading layer's `Workbook`/`Sheet`, so `read_table` and
              every check run unchanged;
- results.py  writing results back: fills and notes on bad cells, the 问题 sheet,
              generated sheets replaced (never appended twice), IDs as text;
- engine.py   every xlwings call an engine may lack (freeze panes, notes, print setup …): skipped
              and named once in the message, never fatal;
- lists.py    a job's generated sheets (its lists.py frames and column kinds) written into the book;
- buttons.py  one small function per button: read the book, the job's run inputs, compute, write
              the job's lists back;
- entry.py    the RunPython entry points (`xw.Book.caller()`), one per button;
- udfs.py     worksheet functions a clerk can type (=SB_FREIGHT, =SB_PHONE …).

No business logic lives here: every rule is in the job modules the CLI uses too.
"""
