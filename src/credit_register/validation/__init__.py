"""The register's business rules: what a typed register must satisfy before the engines trust it.

The reader catches what cannot be *read* (a date that is not a date, a blank required cell, an
Excel ``#N/A``). This module catches what is read fine but cannot be *true*: an invoice due before
it was issued, a payment to an invoice nobody issued, a USCC whose check digit is wrong, a balance
sheet that does not balance, a 2062 typed for 2026. Each finding is a located ``Issue`` on one
cell, in the workbook's language with an English gloss, so the finance user can go straight to it.

Bad data is a value: ``validate`` never raises on user data. It returns the issues (sorted as the
user reads the workbook: sheet, row, column) and marks the rows with an *error* ``_error=True`` so
the engines leave them out; rows with a *warning* are still used.

Rules are small functions, one per family, listed in ``RULES``; each yields ``Finding``s computed
with whole-column pandas masks, so 500,000 invoices cost one pass per rule, not one per row. Only
the offending rows are turned into messages. When two rules hit the same cell, the user sees one
issue: the error before the warning, then the earlier rule in ``RULES``.

Hashing strings is the dearest step on a large register, so identifiers quoted across sheets
(customer IDs, invoice numbers) are numbered once per register (``Register.ids``, which the
engines reuse for their joins) and the duplicate, reference, matching and totalling rules work on
those integers; code-like columns (currency, country, USCC) are checked once per *distinct* value.
Measured on 500,000 invoices and 400,000 payments (pandas ``str`` text): about 0.55 s of CPU when
clean, 0.85 s with 10,000 issues.
"""

from credit_register.validation.rules import validate

__all__ = ["validate"]
