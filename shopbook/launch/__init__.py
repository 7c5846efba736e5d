"""The one-click launcher for clerks without macros (WPS, LibreOffice, Excel with macros
forbidden): drop or send a workbook to the shopbook shortcut and it runs the job the workbook
is for, writes the result beside it and opens it.

- place.py      which job a workbook is for, by what it holds (订单 → 校验, 快递账单 → 对账, …);
- run.py        run that job on the file, the result beside it (never over an input);
- system.py     open a file with the desktop's program, show a message box;
- shortcuts.py  the launcher files: a .bat and .lnk (发送到, desktop) on Windows, a .desktop
                file on Linux (`shopbook install-shortcuts`).
"""
