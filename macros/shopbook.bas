Attribute VB_Name = "shopbook"
' shopbook buttons: each sub runs one shopbook job on the workbook it sits in, through
' xlwings (RunPython). The Python side is shopbook.excel.entry; the jobs are the same
' as the "shopbook" terminal commands.
'
' Setup, once per PC (details in docs/excel.md):
'   1. Install Python 3.10+ and, in the shopbook folder, run:  pip install ".[excel]"
'   2. Run:  xlwings config create   (tells Excel which Python to use)
' The workbooks in workbooks/*.xlsm already hold this module, the xlwings VBA module
' and the buttons (on their first sheet), so nothing else is needed. To add the buttons to another
' workbook: import this file in the VBA editor (File > Import File), then either run
' "xlwings addin install" and tick "xlwings" under Tools > References, or also import
' xlwings.bas ("xlwings copy vba" writes it).
' Keep this file ASCII: the VBA project is stored in the Windows-1252 code page.
Option Explicit

' Validate button: checks the orders/shipping/returns/stock sheets, marks bad cells
' and lists every finding in the issues sheet.
Sub SbValidate()
    RunPython "import shopbook.excel.entry as e; e.validate()"
End Sub

' Pick list button: the next batch of paid orders into the pick list sheets, short
' orders into the shortage sheet (stock from this workbook, else stock/ledger beside it).
Sub SbPicklist()
    RunPython "import shopbook.excel.entry as e; e.picklist()"
End Sub

' Courier bill button: the bill sheets of this workbook against the shipping register
' kept beside it; summary, disputes and not-billed sheets.
Sub SbReconcile()
    RunPython "import shopbook.excel.entry as e; e.reconcile()"
End Sub

' Payroll button: pay sheet, pay slips and bank file sheets for the month after the
' one recorded in the year-to-date tax sheet.
Sub SbPayroll()
    RunPython "import shopbook.excel.entry as e; e.payroll()"
End Sub

' Handover button: the day's courier handover slips (one per courier) from the shipping
' register, checked against the handover record; shipped list and slips to archive.
Sub SbHandover()
    RunPython "import shopbook.excel.entry as e; e.handover()"
End Sub

' To-do button: the customer-service lists of the day (reviews to call, windows closing,
' handover, cut-off, refunds ...) from the registers and the ledger beside them.
Sub SbToday()
    RunPython "import shopbook.excel.entry as e; e.today()"
End Sub
