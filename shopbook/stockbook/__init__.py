"""The stock ledger (`shopbook stock`): job.py pure, lists.py the sheets, run.py files, xlsx.py the workbook."""
