"""The Alerts sheet's statuses from run to run, and the History rows the engine writes for them.

The rules are ``engines.alerts``' (its docstring): the previous sheet is read back by key, in
either language (``previous_alerts``), the findings a manager closed stand down until their
severity rises (``standing``), and every status the engine set is one History row
(``status_history``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from credit_register.core.port import CellValue
from credit_register.core.schema import ALERT_STATUS, ALERTS, Language
from credit_register.core.text import pick as _text
from credit_register.engines.alert_rules import severity_rank

#: who the History rows name for changes the engine made itself
ENGINE_USER = "credit-register"


def _status_keys(values: pd.Series) -> pd.Series:
    """The status code keys of the sheet's status column (a label in either language, or a
    key); blank or unknown → ``open``."""
    return _code_keys(values, "status", "open")


def _code_keys(values: pd.Series, column_key: str, fallback: str) -> pd.Series:
    """A code column's keys, whether the sheet held keys or labels in either language; the few
    distinct values are looked up once each."""
    column = ALERTS.column(column_key)
    keys: dict[str, str] = {}
    for typed in values.dropna().astype("str").unique():
        code = column.code_for(typed)
        keys[typed] = code.key if code is not None else fallback
    mapped: pd.Series = values.map(keys).fillna(fallback).astype("str")
    return mapped


_CARRIED = (
    "raised_on",
    "customer_id",
    "name",
    "indicator",
    "value",
    "threshold",
    "severity",
    "recommended_action",
    "status",
    "owner",
    "comment",
)


def standing(found: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """The findings that stand open after this run (:func:`raise_alerts`' rules): all but those
    the manager closed whose severity has not risen since."""
    prev = previous_alerts(previous)[["alert_id", "status_prev", "severity_prev"]]
    merged = found[["alert_id", "severity"]].merge(prev, on="alert_id", how="left")
    closed = (merged["status_prev"] == "closed").to_numpy() & ~(
        severity_rank(merged["severity"]) > severity_rank(merged["severity_prev"])
    )
    return found.loc[~closed]


def previous_alerts(previous: pd.DataFrame | None) -> pd.DataFrame:
    renamed = {c: f"{c}_prev" for c in _CARRIED if c not in ("raised_on", "owner", "comment")}
    if previous is None or previous.empty or "alert_id" not in previous:
        columns = ["alert_id", *(renamed.get(c, c) for c in _CARRIED)]
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    prev = previous.dropna(subset=["alert_id"]).drop_duplicates("alert_id", keep="first").copy()
    for column in _CARRIED:
        if column not in prev:
            prev[column] = None
    prev["status"] = _status_keys(prev["status"])
    prev["severity"] = _code_keys(prev["severity"], "severity", "info")
    prev["alert_id"] = prev["alert_id"].astype("str")
    return prev[["alert_id", *_CARRIED]].rename(columns=renamed)


def status_history(
    out: pd.DataFrame,
    status_before: pd.Series,
    new: pd.Series,
    reopened: pd.Series,
    resolved: pd.Series,
    lang: Language,
    when: dt.datetime | None = None,
) -> list[list[CellValue]]:
    """One History row per status the engine set (alerts are few: a loop over them is fine)."""
    changed = new | reopened | resolved
    if not changed.any():
        return []
    label = {c.key: c.label(lang) for c in ALERT_STATUS}
    stamp = (when or dt.datetime.now()).replace(microsecond=0)
    action = _text(lang, "预警状态", "alert status")
    rows: list[list[CellValue]] = []
    columns = [
        out[c][changed].tolist()
        for c in ("alert_id", "customer_id", "indicator", "value", "threshold", "status")
    ]
    columns += [status_before[changed].tolist(), new[changed].tolist(), reopened[changed].tolist()]
    # the reasons' wording, chosen once: a first run raises thousands of alerts
    if lang == "zh":
        raised, worse, back, gone = (
            "新预警：{}",
            "情况恶化，重新打开：{}",
            "预警再次出现：{}",
            "预警条件已消除：{}",
        )
    else:
        raised, worse, back, gone = (
            "new alert: {}",
            "worse than when closed, reopened: {}",
            "alert is back: {}",
            "the condition has gone: {}",
        )
    for alert_id, customer, indicator, value, threshold, status, before, is_new, is_back in zip(
        *columns, strict=True
    ):
        if is_new or is_back:
            finding = f"{indicator} {value}" + (f" ({threshold})" if threshold else "")
            wording = raised if is_new else worse if before == "closed" else back
            reason = wording.format(finding)
        else:
            reason = gone.format(indicator)
        old = "" if is_new else label.get(str(before), str(before))
        rows.append(
            [stamp, ENGINE_USER, action, customer, alert_id, old, label.get(status, status), reason]
        )
    return rows
