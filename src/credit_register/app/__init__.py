"""The use cases: read through the workbook port, run the engines, hand back one set of changes.

Never imports a concrete adapter: the doors hand in what the use cases need.
"""
