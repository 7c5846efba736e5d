"""Sheet kinds: the registers the shop keeps, one module each (columns with their Chinese
header aliases, plus the checks that need only that sheet)."""
