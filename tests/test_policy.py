"""The Policy sheet: a credit manager edits rows, the engines get one consistent policy."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from pydantic import ValidationError

from credit_register.core.issues import Issue
from credit_register.core.register import Table
from credit_register.core.schema import POLICY, Language
from credit_register.policy import DEFAULT_POLICY, Policy, default_policy_rows, policy_from_table
from credit_register.policy.model import BandedFactor
from credit_register.policy.rows import policy_rows

FILE = "credit_register.xlsm"


def sheet(rows: list[tuple[str, object, str, str]], lang: Language = "zh") -> Table:
    """A Policy sheet as the reader hands it over: header in row 1, data from row 2."""
    frame = pd.DataFrame(
        {
            "parameter": [r[0] for r in rows],
            "value": pd.Series([r[1] for r in rows], dtype=object),
            "unit": [r[2] for r in rows],
            "note": [r[3] for r in rows],
            "_row": list(range(2, len(rows) + 2)),
            "_error": [False] * len(rows),
        }
    )
    positions = {"parameter": 0, "value": 1, "unit": 2, "note": 3}
    return Table(POLICY, POLICY.name(lang), frame, positions)


def edited(changes: dict[str, object], lang: Language = "zh") -> tuple[Table, dict[str, int]]:
    """The default sheet with some values changed; also each parameter's Excel row."""
    rows = [(k, changes.get(k, v), u, n) for k, v, u, n in default_policy_rows(lang)]
    return sheet(rows, lang), {r[0]: i for i, r in enumerate(rows, start=2)}


def read(table: Table | None) -> tuple[Policy, list[Issue]]:
    return policy_from_table(table, FILE)


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shipped_sheet_reads_back_as_the_default_policy(lang: Language) -> None:
    policy, issues = read(sheet(default_policy_rows(lang), lang))
    assert issues == []
    assert policy == DEFAULT_POLICY


def test_the_shipped_sheet_holds_the_policy_figures_a_credit_manager_expects() -> None:
    rows = {k: (v, u) for k, v, u, _ in default_policy_rows("zh")}
    assert rows["weight.financial"] == (40, "%")
    assert rows["grade.min.AAA"] == (90, "分")
    assert rows["limit.pct_tnw.AA"] == (15, "%")
    assert rows["limit.step"] == (10_000, "元")
    assert rows["terms.days.A"] == (45, "天")
    assert rows["terms.prepayment.B"] == (30, "%")
    assert rows["review.months.BBB"] == (6, "月")
    assert rows["ladder.step.0.days"] == (-7, "天")
    assert rows["interest.sme_daily"] == (0.05, "%")
    assert rows["knockout.overdue_days"] == (180, "天")
    assert rows["zscore.grey_from"] == (1.1, "倍")
    assert rows["fin.debt_ratio.direction"] == ("越低越好", "")
    assert rows["review.distribution"] == ("无", "")  # never blank: the value column is required
    # every band edge is its own row
    assert [k for k in rows if k.startswith("fin.current_ratio.edge.")] == [
        f"fin.current_ratio.edge.{n}" for n in range(1, 5)
    ]
    en = {k: (v, u) for k, v, u, _ in default_policy_rows("en")}
    assert en["limit.step"] == (10_000, "CNY")
    assert en["terms.security.C"] == ("cash in advance or letter of credit", "")
    notes = {k: n for k, _, _, n in default_policy_rows("en")}
    assert re.search(r"> [\d.]+%, ≤ [\d.]+%$", notes["fin.debt_ratio.points.2"])


def test_parameters_are_unique_and_notes_are_written_in_the_workbook_language() -> None:
    zh, en = default_policy_rows("zh"), default_policy_rows("en")
    assert len({r[0] for r in zh}) == len(zh)
    assert [r[0] for r in zh] == [r[0] for r in en]
    assert all(r[3] for r in zh) and all(r[3] for r in en)
    assert "权重" in dict((r[0], r[3]) for r in zh)["weight.payment"]


def test_default_policy_figures_in_the_model_are_fractions() -> None:
    p = DEFAULT_POLICY
    assert p.pillars["financial"].weight == pytest.approx(0.40)
    assert sum(pillar.weight for pillar in p.pillars.values()) == pytest.approx(1)
    for pillar in p.pillars.values():
        assert sum(f.weight for f in pillar.factors.values()) == pytest.approx(1)
    assert p.limits.pct_tnw["AAA"] == pytest.approx(0.20)
    assert p.limits.own_appetite["AAA"] == 500_000
    assert p.interest.lpr_annual_rate == pytest.approx(0.045)  # 3.0 % + 50 %
    assert p.interest.sme_daily == pytest.approx(0.0005)
    assert p.ageing.edges == (30, 60, 90, 180, 365)
    assert p.ladder_days == (-7, 7, 30, 60, 90, 120)
    assert p.terms["C"].prepayment == 1 and p.terms["C"].security == "cash_in_advance"
    assert p.interest.lpr_as_of == dt.date(2025, 5, 20)


def test_policy_is_frozen() -> None:
    with pytest.raises(ValidationError):
        DEFAULT_POLICY.base_currency = "USD"  # type: ignore[misc]


# --------------------------------------------------------------------------- engines' helpers


def test_grades_follow_the_minimum_scores() -> None:
    scores = pd.Series([100, 90, 89.99, 60, 40, 39.99, None])
    assert DEFAULT_POLICY.grades_for(scores).tolist()[:6] == ["AAA", "AAA", "AA", "BBB", "B", "C"]
    assert pd.isna(DEFAULT_POLICY.grades_for(scores).iloc[6])
    assert DEFAULT_POLICY.grade_for(50) == "BB"


def test_a_value_on_a_band_edge_earns_the_better_band() -> None:
    # the default edges are calibrated (see README), so the test reads them rather than repeat them
    debt_ratio = DEFAULT_POLICY.pillars["financial"].factors["debt_ratio"]
    assert isinstance(debt_ratio, BandedFactor) and debt_ratio.direction == "lower"
    e = debt_ratio.edges
    values = pd.Series([e[0] - 0.01, e[0], e[0] + 0.0001, e[1], e[-1] + 0.01, None])
    p = debt_ratio.points
    assert debt_ratio.score(values).tolist()[:5] == [p[0], p[0], p[1], p[1], p[-1]]
    current_ratio = DEFAULT_POLICY.pillars["financial"].factors["current_ratio"]
    assert isinstance(current_ratio, BandedFactor) and current_ratio.direction == "higher"
    e, p = current_ratio.edges, current_ratio.points
    values = pd.Series([e[0] - 0.01, e[0], e[1] - 0.0001, e[-1]])
    assert current_ratio.score(values).tolist() == [p[0], p[1], p[1], p[-1]]


def test_warning_severity_dunning_step_and_zscore_zone() -> None:
    utilization = DEFAULT_POLICY.indicators["utilization"]
    found = utilization.severity(pd.Series([0.89, 0.90, 1.00, 1.01]))
    assert found.fillna("-").tolist() == ["-", "warning", "warning", "block"]
    levels = DEFAULT_POLICY.dunning_level(pd.Series([-8, -7, 29, 30, 365]))
    assert levels.fillna(-1).tolist() == [-1, 0, 1, 2, 5]
    zones = DEFAULT_POLICY.zscore.zone(pd.Series([1.09, 1.10, 2.60, 2.61]))
    assert zones.tolist() == ["distress", "grey", "grey", "safe"]


# --------------------------------------------------------------------------- reading edits


def test_no_policy_sheet_means_the_default_policy_and_a_warning() -> None:
    policy, issues = read(None)
    assert policy == DEFAULT_POLICY
    assert [(i.severity, i.place) for i in issues] == [("warning", FILE)]
    assert "信用政策" in issues[0].zh


def test_missing_rows_take_the_default_silently() -> None:
    policy, issues = read(
        sheet([("grade.min.AAA", 92, "分", ""), ("limit.step", "50,000", "元", "")])
    )
    assert issues == []
    assert policy.grade_for(91) == "AA"
    assert policy.limits.step == 50_000
    assert policy.limits.grace_days == 15


@pytest.mark.parametrize("typed", [45, 45.0, "45", "45%", " 45 % ", "４５％"])
def test_a_percent_row_reads_percent_points_however_typed(typed: object) -> None:
    table, _ = edited({"limit.pct_tnw.AAA": typed})
    policy, issues = read(table)
    assert issues == []
    assert policy.limits.pct_tnw["AAA"] == pytest.approx(0.45)


def test_a_small_number_in_a_percent_row_is_not_taken_for_a_fraction() -> None:
    policy, _ = read(sheet([("interest.sme_daily", 0.04, "%", "")]))
    assert policy.interest.sme_daily == pytest.approx(0.0004)


def test_units_amounts_booleans_codes_and_dates_as_users_type_them() -> None:
    policy, issues = read(
        sheet(
            [
                ("limit.grace_days", "20天", "", ""),
                ("limit.own_appetite.AA", "¥1,200,000", "", ""),
                ("knockout.overdue", "否", "", ""),
                ("limit.bureau_cap", False, "", ""),
                ("warn.lawsuit.severity", "block", "", ""),
                ("terms.security.BBB", "guarantee and retention of title", "", ""),
                ("rating.thin_file_max_grade", "bb", "", ""),
                ("fin.gross_margin.direction", "lower is better", "", ""),
                ("interest.lpr.2026-06-22", "2.9%", "", ""),
                ("interest.default_basis", "中小企业日利率", "", ""),
                ("review.distribution", "cfo@acme.cn； credit@acme.cn", "", ""),
                ("base_currency", "usd", "", ""),
            ]
        )
    )
    assert issues == []
    assert policy.limits.grace_days == 20
    assert policy.limits.own_appetite["AA"] == 1_200_000
    assert policy.knockouts.overdue is False and policy.limits.bureau_cap is False
    assert policy.event_severity["lawsuit"] == "block"
    assert policy.terms["BBB"].security == "guarantee_and_title"
    assert policy.thin_file_max_grade == "BB"
    gross_margin = policy.pillars["financial"].factors["gross_margin"]
    assert isinstance(gross_margin, BandedFactor) and gross_margin.direction == "lower"
    # a new LPR is one more row of the table: the latest is quoted, the older ones kept
    assert policy.interest.lpr_as_of == dt.date(2026, 6, 22)
    assert policy.interest.lpr_1y == pytest.approx(0.029)
    assert policy.interest.lpr["2019-08-20"] == pytest.approx(0.0425)
    assert policy.interest.default_basis == "sme_daily"
    assert policy.reviews.distribution == ("cfo@acme.cn", "credit@acme.cn")
    assert policy.base_currency == "USD"


def test_unknown_and_repeated_parameters_are_warnings_at_the_parameter_cell() -> None:
    policy, issues = read(
        sheet(
            [
                ("limit.stepp", 5000, "", ""),
                ("limit.step", 20_000, "", ""),
                ("limit.step", 30_000, "", ""),
            ]
        )
    )
    assert [(i.severity, i.place) for i in issues] == [
        ("warning", f"{FILE}:信用政策!A2"),
        ("warning", f"{FILE}:信用政策!A4"),
    ]
    assert "limit.stepp" in issues[0].en
    assert policy.limits.step == 20_000


@pytest.mark.parametrize(
    ("parameter", "typed", "why"),
    [
        ("limit.step", "ten thousand", "a number is needed"),
        ("limit.step", -5, "cannot be below"),
        ("terms.days.A", 45.5, "whole number"),
        ("limit.pct_rev.A", "6天", "a number is needed"),
        ("knockout.enforcement", "maybe", "yes or no"),
        ("warn.enforcement.severity", "urgent", "one of"),
        ("review.distribution", "cfo at acme", "invalid address"),
        ("fin.roa.points.3", 120, "cannot be above 100"),
        ("interest.lpr.2025-05-20", "#N/A", "a number is needed"),
    ],
)
def test_a_bad_value_is_an_error_at_its_value_cell_and_the_default_is_used(
    parameter: str, typed: object, why: str
) -> None:
    table, row = edited({parameter: typed})
    policy, issues = read(table)
    assert [(i.severity, i.place) for i in issues] == [
        ("error", f"{FILE}:信用政策!B{row[parameter]}")
    ]
    assert why in issues[0].en
    assert policy == DEFAULT_POLICY


def test_pillar_weights_not_summing_to_100_are_one_error_on_the_weight_cells() -> None:
    table, row = edited({"weight.financial": 50})
    policy, issues = read(table)
    weight_rows = [row[f"weight.{p}"] for p in ("financial", "payment", "bureau", "qualitative")]
    assert [i.place for i in issues] == [f"{FILE}:信用政策!B{weight_rows[0]}:B{weight_rows[-1]}"]
    assert all(i.severity == "error" and "110 %" in i.en and "110%" in i.zh for i in issues)
    assert policy.pillars["financial"].weight == pytest.approx(0.40)


def test_factor_weights_within_a_pillar_must_sum_to_100() -> None:
    table, row = edited({"bureau.score.weight": 50, "weight.bureau": 25, "weight.qualitative": 5})
    policy, issues = read(table)
    places = {i.place for i in issues}
    assert places == {
        f"{FILE}:信用政策!B{row['bureau.score.weight']}:B{row['bureau.lawsuits.weight']}"
    }
    assert all("90 %" in i.en for i in issues)
    assert policy.pillars["bureau"].factors["score"].weight == pytest.approx(0.60)
    # the pillar weights were fine (40 + 30 + 25 + 5) and are kept
    assert policy.pillars["bureau"].weight == pytest.approx(0.25)


def test_band_edges_must_increase() -> None:
    table, row = edited({"fin.current_ratio.edge.3": 0.9})  # 0.8, 1.0, 0.9, 2.0
    policy, issues = read(table)
    assert [(i.severity, i.place) for i in issues] == [
        ("error", f"{FILE}:信用政策!B{row['fin.current_ratio.edge.3']}")
    ]
    assert policy == DEFAULT_POLICY


def test_grade_minimums_must_fall_from_aaa_to_b() -> None:
    table, row = edited({"grade.min.A": 85})
    policy, issues = read(table)
    [place] = [i.place for i in issues]
    first, last = row["grade.min.AAA"], row["grade.min.B"]
    assert place == f"{FILE}:信用政策!B{first}:B{last}"
    assert first <= row["grade.min.A"] <= last
    assert policy.grade_min == DEFAULT_POLICY.grade_min


def test_a_fitted_ladder_may_have_more_bands_and_writes_back_unchanged() -> None:
    rows = [r for r in default_policy_rows("zh") if not r[0].startswith("pay.trend.")]
    ladder = [("pay.trend.weight", 10, "%", ""), ("pay.trend.direction", "lower", "", "")]
    for n, (points, edge) in enumerate(
        zip((100, 90, 70, 50, 20), (-20, -10, 0, 10, 20), strict=True), start=1
    ):
        ladder += [
            (f"pay.trend.points.{n}", points, "分", ""),
            (f"pay.trend.edge.{n}", edge, "天", ""),
        ]
    ladder.append(("pay.trend.points.6", 0, "分", ""))
    policy, issues = read(sheet(rows + ladder))
    assert issues == []
    trend = policy.pillars["payment"].factors["trend"]
    assert isinstance(trend, BandedFactor)
    assert trend.edges == (-20, -10, 0, 10, 20)
    assert trend.score(pd.Series([-30, -10, 5, 25])).tolist() == [100, 90, 50, 0]
    again, issues = read(sheet(policy_rows(policy, "en"), "en"))
    assert issues == [] and again == policy


def test_an_incomplete_ladder_is_an_error_and_the_default_bands_are_used() -> None:
    rows = [r for r in default_policy_rows("zh") if r[0] != "fin.roa.edge.4"]
    policy, issues = read(sheet(rows))
    assert [i.severity for i in issues] == ["error"]
    assert "incomplete bands" in issues[0].en
    assert policy == DEFAULT_POLICY


def test_group_limits_are_optional_rows_named_after_the_group() -> None:
    policy, issues = read(sheet([("group_limit.华东控股集团", "3,000,000元", "元", "")]))
    assert issues == []
    assert policy.group_limits == {"华东控股集团": 3_000_000}
    rows = policy_rows(policy, "zh")
    assert rows[-1][:3] == ("group_limit.华东控股集团", 3_000_000, "元")
    assert read(sheet(rows))[0] == policy
