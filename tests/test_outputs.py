"""A user's notes on an output sheet survive the next run, matched by the sheet's key."""

from __future__ import annotations

import pandas as pd

from credit_register.app.outputs import output_frame
from credit_register.core.register import Table
from credit_register.core.schema import ALERTS, RATINGS


def _previous(sheet: object, frame: pd.DataFrame, extra: pd.DataFrame) -> Table:
    return Table(sheet=sheet, name="x", frame=frame, extra=extra)  # type: ignore[arg-type]


def test_a_users_own_column_follows_its_customer_not_its_row() -> None:
    previous = _previous(
        RATINGS,
        pd.DataFrame({"customer_id": ["C1", "C2"], "grade": ["A", "B"], "_row": [2, 3]}),
        pd.DataFrame({"跟进人": ["王芳", "李雷"]}),
    )
    # this run lists C2 first, C1 second, and a new customer C3
    new = pd.DataFrame({"customer_id": ["C2", "C1", "C3"], "grade": ["BB", "AA", "C"]})
    out = output_frame(RATINGS, new, "zh", previous)
    assert list(out["客户编号"]) == ["C2", "C1", "C3"]
    assert list(out["信用等级"]) == ["BB", "AA", "C"]
    assert list(out["跟进人"].fillna("")) == ["李雷", "王芳", ""]
    assert list(out.columns[: len(RATINGS.columns)]) == RATINGS.headers("zh")


def test_alert_status_kept_by_alert_id_and_shown_in_the_workbook_language() -> None:
    previous = _previous(
        ALERTS,
        pd.DataFrame(
            {"alert_id": ["C1-overdue"], "status": ["closed"], "owner": ["张伟"], "_row": [2]}
        ),
        pd.DataFrame(),
    )
    new = pd.DataFrame({"alert_id": ["C1-overdue", "C2-overdue"], "severity": ["block", "info"]})
    out = output_frame(ALERTS, new, "zh", previous)
    assert list(out["处理状态"].fillna("")) == ["已关闭", ""]
    assert list(out["负责人"].fillna("")) == ["张伟", ""]
    assert list(out["级别"]) == ["禁止", "提示"]
    english = output_frame(ALERTS, new, "en", previous)
    assert list(english["Status"].fillna("")) == ["closed", ""]


def test_the_engine_decides_a_user_column_it_computes() -> None:
    previous = _previous(
        ALERTS,
        pd.DataFrame({"alert_id": ["C1-overdue"], "status": ["closed"], "_row": [2]}),
        pd.DataFrame(),
    )
    reopened = pd.DataFrame({"alert_id": ["C1-overdue"], "status": ["open"]})
    assert list(output_frame(ALERTS, reopened, "zh", previous)["处理状态"]) == ["待处理"]
