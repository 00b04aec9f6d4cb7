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
from credit_register.core.schema import Language
from credit_register.documents.amounts import chinese_upper, format_amount
from credit_register.documents.context import Context
from credit_register.documents.contract import contract_context
from credit_register.documents.contract_note import contract_note_context
from credit_register.documents.handover import Enclosure, index_context, memo_context
from credit_register.documents.letters import letters_due
from credit_register.documents.rendering import render, template_path, undeclared_variables
from credit_register.documents.report import report_context
from credit_register.documents.review import grades_last_month, migration_matrix, review_context
from credit_register.engines.results import Results
from support.demo_run import demo_results
from support.docx_text import table_rows, text_of
from support.frames import one_row


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return demo_results(tmp_path_factory)


def _contexts(results: Results) -> dict[tuple[str, str], Context]:
    """One context per template, keyed by (kind, language of the template)."""
    lang = results.register.lang
    letters = letters_due(results, results.as_of)
    demand = next(x for x in letters if x.step == 2)
    enclosures = [Enclosure("00_index.docx", "目录", "index")]
    contract = contract_context(results, "C00004", amount=1_004_000.50, penalty_daily=0.0005)
    return {
        ("contract", lang): contract,
        ("contract", "bilingual"): contract_context(results, "C00028", amount=50_000),
        ("contract_note", lang): contract_note_context(results, "C00004", penalty_daily=0.0005),
        ("credit_report", lang): report_context(results, "C00004"),
        ("letter", lang): demand.context,
        ("review_pack", lang): review_context(results, "2026-10"),
        ("handover_memo", lang): memo_context(results, "C00007", enclosures),
        ("handover_index", lang): index_context(results, "C00007", enclosures),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_template_renders_with_no_undeclared_variable(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, lang: Language
) -> None:
    results = demo_results(tmp_path_factory, lang)
    for (kind, template_lang), context in _contexts(results).items():
        template = template_path(kind, template_lang)
        assert undeclared_variables(template, context) == set(), kind
        out = render(template, context, tmp_path / f"{kind}_{template_lang}.docx")
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
