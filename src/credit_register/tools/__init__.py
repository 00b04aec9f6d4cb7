"""Tools that make files: the workbook builder and the demo register."""
