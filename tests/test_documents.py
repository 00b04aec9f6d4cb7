"""Documents: contract drafts, credit reports, collection letters and the review pack, rendered
from the demo register's run and read back with python-docx as a user would read them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from credit_register.app import document_actions as doc_usecases
from credit_register.core.register import Register
from credit_register.core.schema import ACTIVITIES, Language
from credit_register.documents.amounts import chinese_upper, format_amount
from credit_register.documents.context import Context
from credit_register.documents.contract import contract_context
from credit_register.documents.letters import letters_due
from credit_register.documents.rendering import render, template_path, undeclared_variables
from credit_register.documents.report import report_context
from credit_register.documents.review import grades_last_month, migration_matrix, review_context
from credit_register.engines.results import Results
from support.demo_run import demo_results
from support.frames import one_row

TEMPLATES = ("contract", "credit_report", "letter", "review_pack")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return demo_results(tmp_path_factory)


def text_of(path: Path) -> str:
    """Every paragraph and table cell of a .docx, as a reader sees it."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def table_rows(path: Path) -> list[list[str]]:
    doc = Document(str(path))
    return [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]


def _contexts(results: Results) -> dict[str, Context]:
    letters = letters_due(results, results.as_of)
    return {
        "contract": contract_context(results, "C00004", amount=1_004_000.50, penalty_daily=0.0005),
        "credit_report": report_context(results, "C00004"),
        "letter": next(x for x in letters if x.customer_id == "C00004").context,
        "review_pack": review_context(results, "2026-10"),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_template_renders_with_no_undeclared_variable(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, lang: Language
) -> None:
    results = demo_results(tmp_path_factory, lang)
    for kind, context in _contexts(results).items():
        template = template_path(kind, lang)
        assert undeclared_variables(template, context) == set(), kind
        out = render(template, context, tmp_path / f"{kind}.docx")
        text = text_of(out)
        assert "{{" not in text and "{%" not in text, kind


def _renamed(results: Results, customer_id: str, name: str) -> Results:
    table = results.register.tables["customers"]
    frame = table.frame.copy()
    frame.loc[frame["customer_id"] == customer_id, "name"] = name
    tables = {**results.register.tables, "customers": dataclasses.replace(table, frame=frame)}
    register: Register = dataclasses.replace(results.register, tables=tables)
    return dataclasses.replace(results, register=register)


def test_a_company_named_with_xml_characters_prints_as_typed(
    results: Results, tmp_path: Path
) -> None:
    renamed = _renamed(results, "C00004", "A&B <Trading>")
    paths = doc_usecases.contract_docs(renamed, ["C00004"], amount=1000.0, out_dir=tmp_path)
    reports = doc_usecases.report_docs(renamed, ["C00004"], out_dir=tmp_path)
    for path in (*paths, *reports):
        assert "A&B <Trading>" in text_of(path)
        assert "&amp;" not in text_of(path)


def test_contract_for_grade_b_asks_prepayment_guarantee_and_warns_of_high_penalty(
    results: Results, tmp_path: Path
) -> None:
    # C00004 is graded B: 30 % prepayment, balance in 15 days, guarantee and retention of title
    [path] = doc_usecases.contract_docs(
        results, ["C00004"], amount=1_004_000.50, out_dir=tmp_path, penalty_daily=0.0005
    )
    text = text_of(path)
    assert "1,004,000.50（大写：壹佰万肆仟元伍角）" in text
    assert "预付合同金额的30%，即CNY 301,200.15（大写：叁拾万壹仟贰佰元壹角伍分）" in text
    assert "余款（70%）应于货物交付之日起15日内付清" in text
    # the approved limit on the Customers sheet is quoted, with its upper case
    customers = results.register.frame("customers").set_index("customer_id")
    approved = customers.at["C00004", "approved_limit"]
    assert isinstance(approved, float)
    assert (
        f"信用额度为CNY {format_amount(approved, 'zh')}（大写：{chinese_upper(approved)}）" in text
    )
    assert "连带责任保证" in text and "所有权保留" in text and "第一百九十五条" in text
    # 0.05 % a day = 18.25 % a year, far above LPR 3 % × 1.5 = 4.5 % plus 30 % (5.85 %)
    assert "警告：约定违约金为每日0.050%（年化18.25%）" in text
    assert "合理上限为年化5.85%" in text


def test_contract_without_agreed_penalty_uses_the_loss_rate_and_does_not_warn(
    results: Results, tmp_path: Path
) -> None:
    [path] = doc_usecases.contract_docs(results, ["C00001"], amount=None, out_dir=tmp_path)
    text = text_of(path)
    assert "警告" not in text
    assert "90日内" in text  # AAA: 90 days' credit
    assert "年化4.50%" in text and "上浮50%" in text
    assert "预付" not in text


def test_contract_for_grade_c_offers_cash_in_advance_or_letter_of_credit(
    results: Results, tmp_path: Path
) -> None:
    [path] = doc_usecases.contract_docs(results, ["C00007"], amount=50_000, out_dir=tmp_path)
    text = text_of(path)
    assert "款到发货" in text and "不可撤销即期跟单信用证" in text
    assert "不给予买方赊销信用额度" in text


def test_credit_report_shows_the_registers_figures(results: Results, tmp_path: Path) -> None:
    [path] = doc_usecases.report_docs(results, ["C00004"], out_dir=tmp_path)
    rating_row = one_row(results.ratings.set_index("customer_id"), "C00004")
    text = text_of(path)
    rows = table_rows(path)
    assert "广州粤海建材有限公司" in text
    assert rating_row["grade"] == "B"
    assert ["信用等级", "B（上次 —）", "总分", f"{rating_row['total_score']:.1f}"] in rows
    assert ["建议额度", format_amount(rating_row["proposed_limit"], "zh")] in rows
    assert ["大写", chinese_upper(rating_row["proposed_limit"])] in rows
    assert ["额度约束", str(rating_row["binding_rule"])] in rows
    # latest revenue, as typed on the Financials sheet
    fin = results.register.frame("financials")
    latest = fin.loc[fin["customer_id"] == "C00004"].sort_values("period_end").iloc[-1]
    revenue_row = next(r for r in rows if r[0] == "营业收入")
    assert revenue_row[-1] == format_amount(latest["revenue"], "zh")
    assert revenue_row[0:1] == ["营业收入"] and len(revenue_row) == 4
    ageing = one_row(results.ageing.set_index("customer_id"), "C00004")
    assert ["逾期金额", format_amount(ageing["overdue"], "zh")] == next(
        r[2:4] for r in rows if len(r) == 4 and r[2] == "逾期金额"
    )
    doc = Document(str(path))
    assert len(doc.inline_shapes) == 2  # payment behaviour and ageing charts


def test_letters_due_list_invoices_and_log_one_activity_each(
    results: Results, tmp_path: Path
) -> None:
    when = dt.datetime(2026, 10, 31, 9, 0)
    paths, changes = doc_usecases.letters_due(results, out_dir=tmp_path, user="lina", when=when)
    activity_rows = changes.append["activities"]
    assert len(paths) == len(activity_rows) > 0
    by_customer = {row[1]: row for row in activity_rows}
    row = by_customer["C00004"]
    logged = dict(zip([c.key for c in ACTIVITIES.columns], row, strict=True))
    assert logged["date"] == dt.date(2026, 10, 31) and logged["type"] == "催收"
    assert logged["by"] == "lina" and logged["delivered_on"] is None  # not yet delivered
    assert str(row[3]).startswith("最后催告函 CS-C00004-20261031-3")
    path = next(p for p in paths if "C00004" in p.name)
    open_items = results.items.loc[
        (results.items["customer_id"] == "C00004")
        & (results.items["outstanding"] > 0.005)
        & results.items["dunning_level"].notna()
    ]
    text = text_of(path)
    for invoice in open_items["invoice_no"]:
        assert invoice in text and invoice in str(row[3])
    total = open_items["outstanding"].sum()  # C00004 is billed in CNY: the claim is in CNY
    assert f"未付金额合计（CNY）：{format_amount(total, 'zh')}" in text
    interest = open_items["late_interest"].sum()
    assert f"逾期利息合计：{format_amount(interest, 'zh')}" in text
    assert "诉讼时效自本函送达之日起中断" in text


def test_a_logged_letter_is_not_due_again(results: Results) -> None:
    letters = letters_due(results, results.as_of)
    c4 = next(x for x in letters if x.customer_id == "C00004")
    table = results.register.tables["activities"]
    logged = pd.DataFrame(
        {
            "date": [pd.Timestamp(results.as_of)],
            "customer_id": ["C00004"],
            "type": ["collection"],
            "summary": [c4.summary],
            "_row": [999],
            "_error": [False],
        }
    )
    frame = pd.concat([table.frame, logged], ignore_index=True)
    tables = {**results.register.tables, "activities": dataclasses.replace(table, frame=frame)}
    again = dataclasses.replace(
        results, register=dataclasses.replace(results.register, tables=tables)
    )
    customers = {x.customer_id for x in letters_due(again, results.as_of)}
    assert "C00004" not in customers
    assert len(customers) == len(letters) - 1


def test_migration_matrix_reads_last_month_from_history() -> None:
    history = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(["2026-08-31", "2026-09-30", "2026-09-30", "2026-10-15"]),
            "customer_id": ["A", "A", "B", "B"],
            "field": ["信用等级", "信用等级", "Grade", "信用等级"],
            "new": ["AA", "A", "BBB", "BB"],
        }
    )
    previous = grades_last_month(history, dt.date(2026, 10, 1))
    assert previous.to_dict() == {"A": "A", "B": "BBB"}
    current = pd.Series({"A": "A", "B": "BB", "C": "AAA"})
    matrix = migration_matrix(previous, current, "zh")
    rows = {r["grade"]: r for r in matrix["rows"]}
    assert rows["A"]["cells"][2] == 1  # A stayed A
    assert rows["BBB"]["cells"][4] == 1  # BBB → BB
    assert rows["新增"]["cells"][0] == 1 and rows["新增"]["total"] == 1
    assert matrix["moved"] == 1


def test_review_pack_ranks_exposures_and_lists_overdue(results: Results, tmp_path: Path) -> None:
    path = doc_usecases.review_pack(results, "2026-10", out_dir=tmp_path)
    rows = table_rows(path)
    exposure = results.exposure["exposure_base"].sort_values(ascending=False, kind="stable")
    top = [r for r in rows if len(r) == 7 and r[0].isdigit()]
    assert [r[1] for r in top] == list(exposure.index[:10])
    assert top[0][4] == format_amount(exposure.iloc[0], "zh")
    total = ["总敞口", format_amount(exposure.sum(), "zh")]
    assert any(r[2:4] == total or r[0:2] == total for r in rows)
    worst = results.ageing.sort_values("overdue", ascending=False).iloc[0]
    assert any(
        r[0] == worst["customer_id"] and r[2] == format_amount(worst["overdue"], "zh") for r in rows
    )
    assert len(Document(str(path)).inline_shapes) == 1  # the grade distribution chart


def test_many_reports_are_shared_over_processes_in_the_order_asked(
    results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doc_usecases, "POOL_THRESHOLD", 2)
    ids = ["C00007", "C00001", "C00004", "C00002", "C00003"]
    paths = doc_usecases.report_docs(results, ids, out_dir=tmp_path, workers=2)
    assert [p.name.split("_")[2] for p in paths] == ids
    names = results.register.frame("customers").set_index("customer_id")["name"]
    for cid, path in zip(ids, paths, strict=True):
        assert names[cid] in text_of(path)
