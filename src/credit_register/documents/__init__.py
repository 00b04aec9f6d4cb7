"""The documents: contract drafts, credit reports, collection letters, the review pack.

A document must show the same figures as the sheets, so every context is built from one
``Results`` (the run the sheets were written from) and nothing is recomputed differently. One
module per document kind builds its context (``contract``, ``report``, ``letters``, ``review``)
from the shared readers and formatters of ``context``; ``charts`` draws the pictures and
``amounts`` formats figures; ``rendering`` alone touches files, filling the Word templates.

The document's language is the workbook's (``register.lang``); figures are base currency except
an invoice's own amounts in a letter, which are in the invoice's currency.
"""
