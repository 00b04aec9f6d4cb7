"""Group exposure: customers of one group share a group limit (policy §2, §4).

A group's members are the customers whose ``group`` cell names it; the group limit is a Policy
row ``group_limit.<group>`` in the base currency (a group is a credit decision taken once for
all its members, so it lives with the policy rather than on each member's row, where the copies
could disagree). The group's exposure is its members' exposures added up, reported beside each
member so that the alerts and the credit hold check a member's order against the whole group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.register import Register
from credit_register.policy.model import Policy


def group_exposure(register: Register, policy: Policy, exposure: pd.Series) -> pd.DataFrame:
    """Per customer (``exposure``'s index, base currency): its ``group`` (blank when none), the
    group's total exposure, the group's limit (NaN when none is set) and its use of that limit."""
    customers = register.frame("customers").drop_duplicates("customer_id")
    name = customers.set_index("customer_id")["group"].reindex(exposure.index)
    name = name.astype("string").str.strip()
    group = name.where(name.notna() & (name != "")).astype(object)
    total = exposure.astype("float64").fillna(0.0).groupby(group).transform("sum")
    limit = group.map(policy.group_limits).astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        used = np.where(limit > 0, total / limit, np.where(total > CENT, np.inf, 0.0))
    return pd.DataFrame(
        {
            "group": group,
            "group_exposure": total.where(group.notna()).round(2),
            "group_limit": limit,
            "group_utilization": pd.Series(used, index=exposure.index).where(limit.notna()),
        },
        index=exposure.index,
    )
