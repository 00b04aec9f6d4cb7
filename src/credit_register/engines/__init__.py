"""The credit engines: pure functions from a typed register and the Policy to results (ratings,
limits, receivables, alerts, order checks). No I/O.
"""
