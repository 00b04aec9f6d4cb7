"""The credit policy: every weight, band, threshold, term and rate the engines use, in one place.

`spec/policy.md` is a *default* that a credit manager changes on the workbook's Policy sheet
(信用政策). The scorecard, the limit and terms engine, ageing, early warnings, collections, late
interest, insurance deadlines and the documents all read their figures from one ``Policy`` value,
so a threshold changed on the sheet changes every place that uses it, and nothing else in the
code spells a policy figure.

The sheet is a list of rows ``parameter | value | unit | note``. ``parameter`` is a stable dotted
English key (``weight.financial``, ``fin.debt_ratio.edge.2``, ``warn.max_days_overdue.block``...),
the same in a Chinese and an English workbook; ``note`` explains the row in the workbook's language.

Conventions (decided here, relied on by every engine):

* **Percent rows** (unit ``%``) show percent points on the sheet and hold *fractions* in the model:
  the sheet's ``40`` is ``0.40`` in ``Policy``; a band edge of a ratio shown in % (debt ratio
  55 %) is ``0.55``, so engines compare it with ratios computed as fractions. On the sheet a number
  in a % row always means percent points: ``40``, ``"40"`` and ``"40%"`` are all 40 %, and ``0.4``
  is 0.4 % (never guessed to be 40 %: 0.05 % a day is a real default). Excel hands a cell
  *formatted* as a percentage over as a fraction, so the Policy sheet's value column must not carry
  a % number format.
* **Number rows** accept ``1,000``, ``¥10,000``, ``15天``, ``15 days``, ``3.0%``: the row's own
  unit may be typed after the number; another unit is an error.
* **Band ladders**: a factor maps a value to points through edges ``edge.1 < edge.2 < ...`` and
  points ``points.1 ... points.n+1`` (``points.1`` below ``edge.1``, ``points.n+1`` beyond the last
  edge). A value exactly on an edge earns the *better* band: ``higher`` factors use ``[e1, e2)``,
  ``lower`` factors ``(e1, e2]``. Every edge and every points figure is its own row; a ladder is
  read as a whole: when any of its rows is on the sheet, the sheet's rows define it (so a fitted
  policy may have more or fewer bands), otherwise the default ladder is used.
* **Missing rows** take the default silently (an older workbook keeps working); **unknown rows**
  are a warning; **bad values** and broken structure (weights not summing to 100 %, edges not
  increasing, grade minimums out of order) are errors at the value cells and the default is used
  for that value or group, never a half-applied one.
* **Group limits** are optional rows ``group_limit.<group name>`` (amount in base currency), one
  per customer group (the Customers sheet's ``group`` column).
"""

from credit_register.policy.model import Policy
from credit_register.policy.rows import DEFAULT_POLICY, default_policy_rows
from credit_register.policy.sheet import policy_from_table

__all__ = ["DEFAULT_POLICY", "Policy", "default_policy_rows", "policy_from_table"]
