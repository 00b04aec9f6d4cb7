"""The doors' concrete parts: the workbook file, xlwings, the add-in's JSON, mail and PDF."""
