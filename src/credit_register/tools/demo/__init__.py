"""A realistic, reproducible demo register (and, scaled up, the benchmark register).

``credit-register init r.xlsm --demo`` fills a new workbook from :func:`demo_tables`; the repository
ships the built workbook and a test rebuilds it and compares contents, so every figure here comes
from a seeded ``numpy`` generator and dates are reckoned from the as-of date passed in, never from
today. Everything is vectorised over invoices and payments, so :meth:`DemoSize.large` (10,000
customers, 500,000 invoices) builds in seconds for benchmarks.

``cast`` (the named customers tests and docs use), ``size``, ``names`` and ``arrays`` (what the
generators draw from and with), one module per group of tables (``customers``, ``invoices``,
``financials``, ``activities``) and ``generation`` (:func:`demo_tables`).
"""

from credit_register.tools.demo.cast import DEMO_AS_OF
from credit_register.tools.demo.generation import demo_tables
from credit_register.tools.demo.size import DemoSize

__all__ = ["DEMO_AS_OF", "DemoSize", "demo_tables"]
