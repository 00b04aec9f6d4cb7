"""Financial statements and bureau reports: a balance sheet balances, current assets fit in
total assets, a customer's latest statement is recent, a bureau score fits its scale.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from credit_register.core import schema
from credit_register.core.cells import CENT
from credit_register.validation.context import Context, Finding, _en, _flag, _found, _zh

#: a bureau score without its scale is read on 0–100
SCORE_MAX_DEFAULT = 100.0
#: total assets may differ from liabilities + equity by this share (rounding in statements)
BALANCE_TOLERANCE = 0.01


def financial_statements(ctx: Context) -> Iterator[Finding]:
    """Balance sheets balance, current assets fit in total assets, the latest one is recent.

    Blank equity is derived as assets − liabilities, so it cannot disagree and is not checked.
    Staleness looks at each customer's latest statement dated up to today (a future date is
    already an error) and warns on that row's period end.
    """
    sheet = schema.FINANCIALS
    frame = ctx.frame(sheet, "total_assets")
    if frame is None:
        return
    assets = frame["total_assets"]
    if "total_liabilities" in frame and "equity" in frame:
        funded = frame["total_liabilities"] + frame["equity"]
        bad = frame.loc[_flag((assets - funded).abs() > BALANCE_TOLERANCE * assets.abs())]
        yield from _found(
            sheet,
            "equity",
            "warning",
            bad,
            [
                f"{_zh(sheet, 'total_assets')} ",
                bad["total_assets"],
                f" 与{_zh(sheet, 'total_liabilities')} ",
                bad["total_liabilities"],
                f" + {_zh(sheet, 'equity')} ",
                bad["equity"],
                " 相差超过 1%",
            ],
            [
                f"{_en(sheet, 'total_assets')} ",
                bad["total_assets"],
                f" differ from {_en(sheet, 'total_liabilities')} ",
                bad["total_liabilities"],
                f" + {_en(sheet, 'equity')} ",
                bad["equity"],
                " by more than 1%",
            ],
        )
    if "current_assets" in frame:
        bad = frame.loc[_flag(frame["current_assets"] > assets + CENT)]
        yield from _found(
            sheet,
            "current_assets",
            "error",
            bad,
            [
                f"{_zh(sheet, 'current_assets')} ",
                bad["current_assets"],
                f" 超过{_zh(sheet, 'total_assets')} ",
                bad["total_assets"],
            ],
            [
                f"{_en(sheet, 'current_assets')} ",
                bad["current_assets"],
                f" above {_en(sheet, 'total_assets')} ",
                bad["total_assets"],
            ],
        )
    if "customer_id" in frame and "period_end" in frame:
        dated = frame.loc[frame["customer_id"].notna() & _flag(frame["period_end"] <= ctx.today)]
        latest = dated.loc[dated.groupby("customer_id", sort=False)["period_end"].idxmax()]
        cutoff = ctx.today - pd.DateOffset(months=ctx.stale_months)
        bad = latest.loc[latest["period_end"] < cutoff]
        months = ctx.stale_months
        yield from _found(
            sheet,
            "period_end",
            "warning",
            bad,
            [
                "客户 ",
                bad["customer_id"],
                " 最新报表截止于 ",
                bad["period_end"],
                f"，已超过 {months} 个月",
            ],
            [
                "latest statement of customer ",
                bad["customer_id"],
                " ends ",
                bad["period_end"],
                f", more than {months} months ago",
            ],
        )


def bureau_scores(ctx: Context) -> Iterator[Finding]:
    """A bureau score fits its scale (``score_max``, 100 when blank)."""
    sheet = schema.BUREAU
    frame = ctx.frame(sheet, "score")
    if frame is None:
        return
    scale = pd.Series(SCORE_MAX_DEFAULT, index=frame.index)
    if "score_max" in frame:
        scale = frame["score_max"].fillna(SCORE_MAX_DEFAULT)
    bad = frame.loc[_flag(frame["score"] > scale)]
    yield from _found(
        sheet,
        "score",
        "error",
        bad,
        [
            f"{_zh(sheet, 'score')} ",
            bad["score"],
            f" 超过{_zh(sheet, 'score_max')} ",
            scale[bad.index],
        ],
        [
            f"{_en(sheet, 'score')} ",
            bad["score"],
            f" above {_en(sheet, 'score_max')} ",
            scale[bad.index],
        ],
    )
