"""月报: the manager's monthly workbook."""
