"""One credit-hold decision per customer: may this customer be shipped on credit? (policy §4)

The order check, the Alerts, the Ratings row, the Dashboard and the collection letters must never
contradict each other: if one of them says deliveries are suspended, an order is held. So the
decision is taken once, here, for every customer at once, and each of them reads it:
``order_check`` adds the order's amount to the two limit tests, the Alerts get one 信用冻结 row
per held customer (the only alert that recommends stopping shipments), the Ratings row shows
``credit_hold`` and ``hold_reasons``, the Dashboard counts the held customers, and a letter says
deliveries are suspended only for a held customer.

A customer is held, with every reason listed, when (§4):

- its exposure is above its approved limit, or no limit has been approved (or it is 0);
- its group's exposure is above the group limit (``groups``);
- its status is 冻结 hold, 诉讼 litigation or 关闭 closed;
- it is grade C, or a knock-out applies;
- its proposed limit is 0 (unless that is only the grade C or knock-out rule again);
- an alert of severity 禁止 stands open (one the manager closed, and that has not worsened since,
  no longer holds; an alert covered by a reason of its own is not listed twice);
- an undisputed invoice has reached collections step 2 (the demand letter: credit hold, §5);
- a broken promise to pay has not been made good (``behaviour.promise_outcomes``);
- an insurer notification deadline has passed (cover may be lost, §7);
- the limit has expired, or the review date has passed.

Decisions: the checks run at the as-of date of the results they are given (the order check
computes them at today's date); figures are in the base currency; the reasons are in the
workbook's language (Chinese with an English gloss, or English).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.port import CellValue
from credit_register.core.register import Register
from credit_register.core.schema import CUSTOMER_STATUS, Code, Language
from credit_register.core.text import glossed, pick
from credit_register.engines import alerts as early_warning
from credit_register.engines.alert_rules import amount_text, date_text
from credit_register.engines.behaviour import promises_still_broken
from credit_register.engines.groups import group_exposure
from credit_register.engines.limits import binding_head, binding_head_in_english
from credit_register.engines.receivables import customer_limits
from credit_register.engines.scorecard import knock_out_in_english
from credit_register.policy.model import Policy

#: every reason a customer can be held for, in the order a reader meets them
REASONS: dict[str, Code] = {
    c.key: c
    for c in (
        Code("no_limit", "未核定额度", "no approved limit"),
        Code("over_limit", "超过核定额度", "over the approved limit"),
        Code("group_over", "超过集团额度", "over the group limit"),
        Code("status", "客户状态", "customer status"),
        Code("grade_c", "C级", "grade C"),
        Code("knock_out", "否决项", "knock-out"),
        Code("proposed_zero", "建议额度为0", "proposed limit 0"),
        Code("block_alert", "禁止级预警", "block alert"),
        Code("collections", "催收第2级及以上", "collections step 2 or above"),
        Code("broken_promise", "付款承诺未兑现", "broken promise to pay"),
        Code("insurance_missed", "保险通知逾期", "insurer notification missed"),
        Code("limit_expired", "额度过期", "limit expired"),
        Code("review_passed", "评审逾期", "review date passed"),
    )
}
#: each reason's place in a list of reasons (the order of ``REASONS``)
REASON_ORDER = {k: n for n, k in enumerate(REASONS)}
#: a 禁止 alert whose finding is a reason of its own is not listed again
_COVERED_BY: dict[str, tuple[str, ...]] = {
    "utilization": ("over_limit", "no_limit"),
    "no_limit": ("no_limit",),
    "group_limit": ("group_over",),
    "enforcement": ("knock_out",),
    "max_days_overdue": ("collections",),
}
#: the figures beside the decision (amounts in base currency)
FIGURES = (
    "name",
    "currency",
    "exposure",
    "approved_limit",
    "proposed_limit",
    "group",
    "group_exposure",
    "group_limit",
)


@dataclass(frozen=True)
class CreditHold:
    """The decision for every customer of a run."""

    #: indexed by customer id: ``credit_hold`` (bool), ``hold_reasons`` (one text) and ``FIGURES``
    customers: pd.DataFrame
    #: one row per reason: ``customer_id``, ``reason`` (a key of ``REASONS``), ``text``
    reasons: pd.DataFrame
    lang: Language

    @cached_property
    def _by_customer(self) -> dict[str, list[tuple[str, str]]]:
        """Each held customer's (reason, text) pairs: built once, for the order checks."""
        found: dict[str, list[tuple[str, str]]] = {}
        for cid, key, text in zip(
            self.reasons["customer_id"], self.reasons["reason"], self.reasons["text"], strict=True
        ):
            found.setdefault(str(cid), []).append((str(key), str(text)))
        return found

    def reasons_with_keys(self, customer_id: str) -> list[tuple[str, str]]:
        """The customer's (reason key, text) pairs in the policy's order."""
        return list(self._by_customer.get(customer_id, []))

    def reasons_of(self, customer_id: str) -> list[str]:
        return [text for _, text in self.reasons_with_keys(customer_id)]

    def keys_of(self, customer_id: str) -> list[str]:
        return [key for key, _ in self.reasons_with_keys(customer_id)]


def _reason(
    lang: Language, key: str, ids: pd.Series | pd.Index, zh: pd.Series | str, en: pd.Series | str
) -> pd.DataFrame:
    ids = pd.Index(ids)
    text = glossed(lang, zh, en)
    return pd.DataFrame(
        {
            "customer_id": ids.astype("str"),
            "reason": key,
            "text": text.to_numpy() if isinstance(text, pd.Series) else text,
        }
    )


def decide(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    items: pd.DataFrame,
    exposure: pd.DataFrame,
    ratings: pd.DataFrame,
    standing: pd.DataFrame,
) -> CreditHold:
    """The credit hold of every customer at ``as_of``.

    ``items``, ``exposure``: this run's receivables frames; ``ratings``: this run's Ratings rows;
    ``standing``: this run's alert findings that stand open (``alerts.standing``)."""
    lang = register.lang
    base = policy.base_currency
    day = pd.Timestamp(as_of)
    ids = exposure.index
    customers = (
        register.frame("customers").drop_duplicates("customer_id").set_index("customer_id")
    ).reindex(ids)
    limits = customer_limits(register).reindex(ids)
    rated = (
        ratings.drop_duplicates("customer_id").set_index("customer_id").reindex(ids)
        if not ratings.empty
        else pd.DataFrame(index=ids, columns=["grade", "knock_out", "proposed_limit"])
    )
    used = exposure["exposure_base"].astype("float64").fillna(0.0)
    limit = limits["approved_limit_base"].astype("float64")
    groups = group_exposure(register, policy, used)
    found: list[pd.DataFrame] = []

    none = limit.isna() | (limit <= 0)
    zero = limit.notna() & (limit <= 0)
    found.append(
        _reason(
            lang,
            "no_limit",
            ids[none],
            pd.Series("未核定额度（未授信）", index=ids[none]).mask(
                zero[none], "核定额度为0（不授信）"
            ),
            pd.Series("no approved limit (no credit granted)", index=ids[none]).mask(
                zero[none], "the approved limit is 0 (no credit)"
            ),
        )
    )
    # the texts of the few customers over a limit, one by one
    over = ~none & (used > limit + CENT)
    pairs = zip(used[over], limit[over], strict=True)
    texts = [limit_text(lang, base, u, 0.0, m) for u, m in pairs]
    found.append(_limit_reasons("over_limit", ids[over], texts))
    in_group = groups.loc[
        groups["group_limit"].notna() & (groups["group_exposure"] > groups["group_limit"] + CENT)
    ]
    groups_over = zip(
        in_group["group_exposure"], in_group["group_limit"], in_group["group"], strict=True
    )
    texts = [limit_text(lang, base, u, 0.0, m, g) for u, m, g in groups_over]
    found.append(_limit_reasons("group_over", in_group.index, texts))

    status = customers["status"]
    stopped = status.notna() & (status != "active")
    shown = {c.key: c.zh for c in CUSTOMER_STATUS}
    found.append(
        _reason(
            lang,
            "status",
            ids[stopped],
            "客户状态为“" + status[stopped].map(shown).fillna(status[stopped]) + "”",
            "the customer's status is '" + status[stopped].astype("str") + "'",
        )
    )

    grade = rated["grade"]
    is_c = (grade == "C").fillna(False).astype(bool)
    found.append(
        _reason(
            lang,
            "grade_c",
            ids[is_c],
            "信用等级C（仅款到发货或信用证）",
            "grade C (cash in advance or letter of credit only)",
        )
    )
    knock = rated["knock_out"].fillna("").astype("str").str.strip()
    knocked = knock != ""
    found.append(
        _reason(
            lang,
            "knock_out",
            ids[knocked],
            "否决项：" + knock[knocked],
            "knock-out: "
            + (knock if lang == "en" else knock_out_in_english(knock, policy))[knocked],
        )
    )
    proposed = pd.to_numeric(rated["proposed_limit"], errors="coerce")
    # the binding term and its figure; the Ratings row lists every other term
    rule = binding_head(rated.get("binding_rule", pd.Series(None, index=ids)), lang)
    # a zero limit bound by grade C or a knock-out is that reason again, already given above
    nil = (proposed.abs() < CENT) & ~is_c & ~knocked
    found.append(
        _reason(
            lang,
            "proposed_zero",
            ids[nil],
            "建议额度为0（" + rule[nil] + "）",
            "the proposed limit is 0 ("
            + (rule if lang == "en" else binding_head_in_english(rule))[nil]
            + ")",
        )
    )

    found.append(_collections(lang, items, ids))
    found.append(_broken_promises(register, items, lang, as_of))
    found.extend(_from_alerts(lang, standing, found))

    expiry = pd.to_datetime(limits["limit_valid_until"])
    expired = (expiry < day).fillna(False).astype(bool)
    found.append(
        _reason(
            lang,
            "limit_expired",
            ids[expired],
            "额度已于 " + date_text(expiry[expired]) + " 过期",
            "the limit expired on " + date_text(expiry[expired]),
        )
    )
    review = pd.to_datetime(rated.get("next_review", pd.Series(pd.NaT, index=ids)))
    passed = (review < day).fillna(False).astype(bool)
    found.append(
        _reason(
            lang,
            "review_passed",
            ids[passed],
            "评审日 " + date_text(review[passed]) + " 已过，需重新评审",
            "the review date " + date_text(review[passed]) + " has passed",
        )
    )

    empty = pd.DataFrame(columns=["customer_id", "reason", "text"], dtype="str")
    reasons = pd.concat([empty, *(f for f in found if len(f))], ignore_index=True)
    order = np.lexsort(
        (reasons["reason"].map(REASON_ORDER).to_numpy(), reasons["customer_id"].to_numpy())
    )
    reasons = reasons.iloc[order].reset_index(drop=True)
    joined = _joined(reasons, pick(lang, "；", "; "))
    summary = pd.DataFrame(
        {
            "credit_hold": ids.isin(joined.index),
            "hold_reasons": joined.reindex(ids),
            "name": customers["name"],
            "currency": customers["currency"],
            "exposure": used.round(2),
            "approved_limit": limit,
            "proposed_limit": proposed,
            "group": groups["group"],
            "group_exposure": groups["group_exposure"],
            "group_limit": groups["group_limit"],
        },
        index=ids,
    )
    return CreditHold(summary, reasons, lang)


def _joined(reasons: pd.DataFrame, joiner: str) -> pd.Series:
    """Each customer's reasons in one text, in order (``reasons`` sorted by customer): the n-th
    reasons of all customers are appended together, a handful of vectorised steps rather than
    one join per customer."""
    if reasons.empty:
        return pd.Series(dtype="str")
    customer = reasons["customer_id"].to_numpy(dtype=object)
    text = reasons["text"].to_numpy(dtype=object)
    first = np.r_[True, customer[1:] != customer[:-1]]
    starts = np.flatnonzero(first)
    place = np.arange(len(text)) - np.repeat(starts, np.diff(np.r_[starts, len(text)]))
    joined = pd.Series(text[starts], index=customer[starts], dtype="str")
    for n in range(1, int(place.max()) + 1):  # the most reasons one customer has
        nth = place == n
        more = pd.Series(text[nth], index=customer[nth], dtype="str")
        at = joined.index.isin(more.index)
        joined[at] = joined[at] + joiner + more.reindex(joined.index[at]).to_numpy()
    return joined


def limit_text(
    lang: Language,
    base: str,
    used: float,
    order: float,
    limit: float,
    group: str | None = None,
) -> str:
    """Why exposure (+ an order; 0 for none) is over the approved limit — or, with ``group``,
    the group's exposure over the group limit — and by how much (base currency)."""
    excess = used + order - limit
    plus_zh = f" + 订单 {order:,.2f}" if order > 0 else ""
    plus_en = f" + order {order:,.2f}" if order > 0 else ""
    if group is None:
        return glossed(
            lang,
            f"敞口 {used:,.2f}{plus_zh} 超过核定额度 {limit:,.2f}（超出 {excess:,.2f} {base}）",
            f"exposure {used:,.2f}{plus_en} is above the approved limit {limit:,.2f} "
            f"(by {excess:,.2f} {base})",
        )
    return glossed(
        lang,
        f"集团“{group}”敞口 {used:,.2f}{plus_zh} 超过集团额度 {limit:,.2f}"
        f"（超出 {excess:,.2f} {base}）",
        f"group '{group}' exposure {used:,.2f}{plus_en} is above the group limit {limit:,.2f} "
        f"(by {excess:,.2f} {base})",
    )


def _limit_reasons(key: str, ids: pd.Index, texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ids.astype("str"), "reason": key, "text": texts})


def _from_alerts(
    lang: Language, standing: pd.DataFrame, found: list[pd.DataFrame]
) -> list[pd.DataFrame]:
    """The open 禁止 alerts, and among them the missed insurer notifications (a reason of their
    own); an alert already explained by another reason is not listed again."""
    block = standing.loc[standing["severity"] == "block"]
    if block.empty:
        return []
    indicator = block["indicator"].astype("str")
    subject = block["subject"].fillna("").astype("str")
    notify = (indicator == "insurance_deadline") & subject.str.endswith("-notify")
    missed = block.loc[notify]
    invoice = subject[notify].str.removesuffix("-notify")
    out = [
        _reason(
            lang,
            "insurance_missed",
            missed["customer_id"],
            "发票 "
            + invoice
            + " 的信用保险通知截止日已过（"
            + missed["threshold"].astype("str")
            + "）",
            # the threshold is written in the workbook's language: the English reads the date only
            "the insurer's notification deadline for invoice "
            + invoice
            + " has passed (notify by "
            + missed["threshold"].astype("str").str.extract(r"(\d{4}-\d{2}-\d{2})")[0].fillna("—")
            + ")",
        )
    ]
    others = block.loc[~notify & (indicator != "credit_hold")]
    if len(others):
        have = pd.concat(
            [f[["customer_id", "reason"]] for f in found if len(f)]
            or [pd.DataFrame(columns=["customer_id", "reason"])]
        )
        present = pd.Index(have["customer_id"].astype("str") + "|" + have["reason"].astype("str"))
        customer = others["customer_id"].astype("str") + "|"
        covered = np.zeros(len(others), dtype=bool)
        for ind, keys in _COVERED_BY.items():  # a handful of indicators
            mine = (others["indicator"] == ind).to_numpy()
            for key in keys:
                covered |= mine & (customer + key).isin(present).to_numpy()
        others = others.loc[~covered]
        labels = early_warning.INDICATORS
        zh_name = others["indicator"].map({k: c.zh for k, c in labels.items()})
        en_name = others["indicator"].map({k: c.en for k, c in labels.items()})
        threshold = others["threshold"].fillna("").astype("str")
        shown = (" (" + threshold + ")").where(threshold != "", "")
        out.append(
            _reason(
                lang,
                "block_alert",
                others["customer_id"],
                "禁止级预警未处理：" + zh_name + " " + others["value"].astype("str") + shown,
                "open block alert: " + en_name + " " + others["value"].astype("str") + shown,
            )
        )
    return out


def _collections(lang: Language, items: pd.DataFrame, ids: pd.Index) -> pd.DataFrame:
    """The customer's most overdue undisputed invoice at collections step 2 or above."""
    if items.empty:
        return pd.DataFrame()
    step = items["dunning_level"].to_numpy(dtype=float, na_value=-1.0)
    owed = (
        (items["outstanding"].to_numpy(dtype=float, na_value=0.0) > CENT)
        & ~items["disputed"].to_numpy(dtype=bool)
        & (step >= 2)
    )
    late = items.loc[owed, ["customer_id", "invoice_no", "days_overdue", "dunning_level"]]
    late = late.sort_values("days_overdue", ascending=False, kind="stable")
    worst = late.drop_duplicates("customer_id")
    worst = worst.loc[worst["customer_id"].isin(ids)]
    days = worst["days_overdue"].astype(int).astype("str")
    level = worst["dunning_level"].astype(int).astype("str")
    number = worst["invoice_no"].astype("str")
    return _reason(
        lang,
        "collections",
        worst["customer_id"],
        "发票 " + number + " 逾期 " + days + " 天，已到催收第" + level + "级（无争议）",
        "invoice "
        + number
        + " is "
        + days
        + " days overdue, at collections step "
        + level
        + " (undisputed)",
    )


def _broken_promises(
    register: Register, items: pd.DataFrame, lang: Language, as_of: dt.date
) -> pd.DataFrame:
    """Each broken promise to pay not made good since (one definition with the alerts)."""
    open_ = promises_still_broken(register, items, as_of)
    if open_.empty:
        return pd.DataFrame()
    promised = open_["promise_amount"].astype("float64")
    amount = amount_text(promised).where(promised.notna(), "—")
    date = date_text(open_["promise_date"])
    return _reason(
        lang,
        "broken_promise",
        open_["customer_id"],
        "承诺 " + date + " 前付款 " + amount + "，未兑现且尚未补足",
        "the promise to pay " + amount + " by " + date + " was broken and not made good",
    )


# --------------------------------------------------------------------------- what it feeds


def on_ratings(ratings: pd.DataFrame, hold: CreditHold) -> pd.DataFrame:
    """The Ratings rows with ``credit_hold`` and ``hold_reasons`` filled in."""
    ids = ratings["customer_id"]
    out = ratings.copy()
    out["credit_hold"] = ids.map(hold.customers["credit_hold"]).astype(object).to_numpy()
    out["hold_reasons"] = ids.map(hold.customers["hold_reasons"]).to_numpy()
    return out


def alert_findings(hold: CreditHold, policy: Policy) -> pd.DataFrame:
    """One 信用冻结 alert per held customer, the alert that says "stop shipments"
    (``alerts.FINDING_COLUMNS`` and ``alert_id``): its value names the kinds of reason (the
    Ratings row has each in full), its threshold counts them."""
    lang = hold.lang
    held = hold.customers.loc[hold.customers["credit_hold"]]
    ids = pd.Series(held.index.to_numpy(), index=held.index)
    kinds = hold.reasons[["customer_id", "reason"]].drop_duplicates()
    labels = {k: c.label(lang) for k, c in REASONS.items()}
    named = _joined(kinds.assign(text=kinds["reason"].map(labels)), pick(lang, "；", "; "))
    count = kinds.groupby("customer_id").size().reindex(held.index)
    threshold = count.astype(int).astype("str") + pick(lang, " 项原因", " reasons")
    # a hold is a block by definition: no Policy row can make it milder
    found = early_warning.event_findings(
        policy,
        "credit_hold",
        ids,
        named.reindex(held.index).astype("str"),
        threshold,
        lang,
        severity="block",
    )
    found["alert_id"] = found["customer_id"] + "-credit_hold"
    return found.reset_index(drop=True)


def run_alerts(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    items: pd.DataFrame,
    exposure: pd.DataFrame,
    ratings: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    aged: pd.DataFrame | None = None,
    when: dt.datetime | None = None,
) -> tuple[pd.DataFrame, list[list[CellValue]], CreditHold]:
    """The Alerts sheet, its History rows and the credit hold of one run: the findings, the hold
    decided on those left open, then the hold's own alerts among the others."""
    found = early_warning.findings(register, policy, as_of, items, exposure, ratings, aged)
    hold = decide(
        register,
        policy,
        as_of,
        items,
        exposure,
        ratings,
        early_warning.standing(found, previous),
    )
    everything = pd.concat([found, alert_findings(hold, policy)], ignore_index=True)
    alerts, history = early_warning.raise_alerts(
        register,
        policy,
        as_of,
        items,
        exposure,
        ratings,
        previous,
        aged=aged,
        when=when,
        found=everything,
    )
    return alerts, history, hold
