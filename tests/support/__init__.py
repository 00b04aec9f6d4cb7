"""Builders and helpers the tests share (registers, workbooks, read-back helpers).

Test modules import from here, never from a sibling test module.
"""
