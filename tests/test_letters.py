"""Collection letters a company can send (issue 13): each finding on the demo register, read back
from the generated .docx as the debtor reads it — the rate stated is the rate charged, only what
is overdue is claimed, every sentence rests on a fact of the register, and the letter names its
sender, its contract and where to pay."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from credit_register.app import document_actions as doc_usecases
from credit_register.core.port import CellValue
from credit_register.core.schema import ACTIVITIES
from credit_register.documents.amounts import format_amount
from credit_register.documents.letters import letters_due
from credit_register.engines.results import Results
from credit_register.policy import Policy
from support.demo_run import demo_results
from support.docx_text import footer_of, tables_of, text_of

AS_OF = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return demo_results(tmp_path_factory)


@pytest.fixture(scope="module")
def written(
    results: Results, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Path], list[list[CellValue]]]:
    """The letters due at the demo's as-of date, by customer, and their Activities rows."""
    folder = tmp_path_factory.mktemp("letters")
    paths, changes = doc_usecases.letters_due(results, out_dir=folder, user="lina", when=AS_OF)
    by_customer = {p.name.split("_")[2]: p for p in paths}
    return by_customer, changes.append["activities"]


def _falling_due_rows(path: Path) -> list[list[str]]:
    """Table 2 (invoice, invoice date, due date, currency, amount, outstanding)."""
    tables = [t for t in tables_of(path) if t[0][0] in ("发票号", "Invoice") and len(t[0]) == 6]
    return tables[0][1:] if tables else []


def _overdue_rows(path: Path) -> list[list[str]]:
    tables = [t for t in tables_of(path) if t[0][0] in ("发票号", "Invoice") and len(t[0]) >= 7]
    return tables[0][1:] if tables else []


def _amount(text: str) -> float:
    return float(text.replace(",", ""))


def test_each_invoice_states_the_rate_its_interest_was_computed_at(
    written: tuple[dict[str, Path], list[list[CellValue]]],
) -> None:
    """C00057's demand: the debtor recomputing outstanding × rate ÷ 365 × days gets the figure;
    C00032's contract rate (18.25 %) is stated as such, not the LPR default."""
    paths, _ = written
    for customer, basis in (("C00057", "LPR上浮50%"), ("C00032", "contract rate")):
        rows = _overdue_rows(paths[customer])
        assert rows
        for invoice, _due, days, _cur, outstanding, stated_basis, rate, interest in rows:
            assert stated_basis == basis, invoice
            recomputed = _amount(outstanding) * float(rate.rstrip("%")) / 100 / 365 * int(days)
            assert abs(recomputed - _amount(interest)) <= 0.01, invoice


def test_only_overdue_invoices_are_claimed_as_overdue(
    results: Results, written: tuple[dict[str, Path], list[list[CellValue]]]
) -> None:
    """No invoice in a letter's overdue table is due on or after the letter's date, and a
    demand states the actual age of its oldest invoice instead of "more than 30 days"."""
    paths, _ = written
    for customer, path in paths.items():
        for row in _overdue_rows(path):
            assert dt.date.fromisoformat(row[1] if len(row) == 8 else row[2]) < AS_OF, (
                customer,
                row[0],
            )
    text = text_of(paths["C00057"])
    assert "逾期超过30日" not in text
    oldest = max(int(r[2]) for r in _overdue_rows(paths["C00057"]))
    assert f"最长逾期{oldest}日" in text


def test_invoices_falling_due_are_a_reminder_unless_the_contract_accelerates(
    results: Results, tmp_path: Path
) -> None:
    """With the shipped contract's acceleration clause a demand claims the invoices not yet
    due; with ``contract.acceleration`` = no they are listed apart as a reminder and left out of
    the sum claimed."""
    accelerating = {x.customer_id: x for x in letters_due(results, AS_OF)}["C00057"].context
    assert accelerating["accelerated"] and accelerating["has_falling_due"]
    policy: Policy = results.policy.model_copy(
        update={"contract": results.policy.contract.model_copy(update={"acceleration": False})}
    )
    plain = dataclasses.replace(results, policy=policy)
    paths, _ = doc_usecases.letters_due(plain, out_dir=tmp_path, user="lina", when=AS_OF)
    path = next(p for p in paths if "C00057" in p.name)
    text = text_of(path)
    assert "表二　即将到期款项（仅作提醒，不属本函主张的逾期款项）" in text
    claimed = sum(_amount(r[4]) for r in _overdue_rows(path))
    listed = _falling_due_rows(path)
    assert listed and all(dt.date.fromisoformat(r[2]) >= AS_OF for r in listed)
    assert f"CNY：未付金额 {format_amount(claimed, 'zh')}，" in text  # reminders not added


def test_no_letter_goes_to_a_customer_in_litigation_or_at_step_four(results: Results) -> None:
    items = results.items
    owed = items.loc[(items["outstanding"] > 0.005) & ~items["disputed"].astype(bool)]
    step = owed.groupby("customer_id")["dunning_level"].max()
    handed_over = set(step.index[step >= 4])
    customers = results.register.frame("customers")
    in_court = set(customers.loc[customers["status"] == "legal", "customer_id"])
    assert "C00007" in in_court and handed_over
    sent = {x.customer_id for x in letters_due(results, AS_OF)}
    assert sent and not sent & (handed_over | in_court)
    assert {x.step for x in letters_due(results, AS_OF)} <= {0, 1, 2, 3}


def test_a_letter_names_its_sender_contract_account_and_interest_date(
    results: Results, written: tuple[dict[str, Path], list[list[CellValue]]]
) -> None:
    paths, _ = written
    company = results.policy.company
    assert company.name == "恒远精密制造有限公司"  # the demo's Policy rows
    text = text_of(paths["C00057"])
    contracts = results.items.loc[results.items["customer_id"] == "C00057", "contract_no"]
    assert any(str(c) in text for c in contracts.dropna())
    for fact in (company.name, company.bank, company.account, company.contact, company.phone):
        assert fact in text
    assert "计至2026年10月31日" in text and "继续计算至贵司实际付清之日" in text
    footer = footer_of(paths["C00057"])
    assert company.name in footer and "内部" not in footer and "internal" not in footer


def test_the_insurer_is_named_only_to_an_insured_customer(
    results: Results, written: tuple[dict[str, Path], list[list[CellValue]]]
) -> None:
    paths, _ = written
    insured_limit = (
        results.register.frame("customers").set_index("customer_id")["insured_limit"].to_dict()
    )
    final = [x for x in letters_due(results, AS_OF) if x.step == 3]
    assert {x.customer_id for x in final} >= {"C00032", "C00024"}
    for letter in final:
        text = text_of(paths[letter.customer_id])
        insured = float(insured_limit[letter.customer_id]) > 0  # NaN: not insured
        assert insured == ("保险" in text or "insurer" in text), letter.customer_id
        assert "依约通知信用保险人" not in text


def test_repeated_demands_are_claimed_only_when_activities_log_them(
    results: Results, written: tuple[dict[str, Path], list[list[CellValue]]]
) -> None:
    paths, _ = written
    activities = results.register.frame(ACTIVITIES.key)
    demands = activities.loc[activities["type"].isin(["collection", "legal"])]
    for letter in letters_due(results, AS_OF):
        if letter.step < 2:
            continue
        text = text_of(paths[letter.customer_id])
        owed = results.items.loc[
            (results.items["customer_id"] == letter.customer_id)
            & (results.items["days_overdue"] > 0)
            & (results.items["outstanding"] > 0.005)
        ]
        since = owed["due_date"].min()
        logged = demands.loc[
            (demands["customer_id"] == letter.customer_id)
            & (demands["date"] >= since)
            & (demands["date"] < pd.Timestamp(AS_OF))
        ]
        many = logged["date"].dt.date.nunique() >= 2
        assert many == ("经我司多次催告" in text or "repeated demands" in text), letter.customer_id


def test_a_disputed_invoice_is_named_apart_and_not_dunned(
    written: tuple[dict[str, Path], list[list[CellValue]]],
) -> None:
    paths, rows = written
    path = paths["C00002"]
    text = text_of(path)
    assert "贵司对发票FP260800001（CNY 86,420.00）提出的异议，我司正在核实" in text
    for table in tables_of(path):
        assert not any(r[0] == "FP260800001" for r in table)
    logged = next(r for r in rows if r[1] == "C00002")
    assert "FP260800001" not in str(logged)


def test_a_reminder_lists_no_invoice_already_overdue_as_falling_due(
    written: tuple[dict[str, Path], list[list[CellValue]]],
) -> None:
    paths, _ = written
    for path in paths.values():
        text = text_of(path)
        if "表二　即将到期款项" not in text:
            continue
        rows = _falling_due_rows(path)
        assert rows and all(dt.date.fromisoformat(r[2]) >= AS_OF for r in rows), path.name


def test_amounts_in_two_currencies_are_never_added(results: Results, tmp_path: Path) -> None:
    """One of C00057's overdue invoices billed in USD: two totals, one per currency."""
    items = results.items.copy()
    mine = items.index[(items["customer_id"] == "C00057") & (items["days_overdue"] > 0)]
    items.loc[mine[0], "currency"] = "USD"
    paths, _ = doc_usecases.letters_due(
        dataclasses.replace(results, items=items), out_dir=tmp_path, user="lina", when=AS_OF
    )
    text = text_of(next(p for p in paths if "C00057" in p.name))
    totals = re.findall(r"^(CNY|USD)：未付金额 ([\d,.]+)，", text, flags=re.M)
    assert sorted(c for c, _ in totals) == ["CNY", "USD"]
    usd = items.loc[mine[0], "outstanding"]
    assert dict(totals)["USD"] == format_amount(usd, "zh")


def test_a_letter_logs_the_invoices_it_claims_and_no_delivery(
    results: Results, written: tuple[dict[str, Path], list[list[CellValue]]]
) -> None:
    paths, rows = written
    keys = [c.key for c in ACTIVITIES.columns]
    logged = {row[1]: dict(zip(keys, row, strict=True)) for row in rows}
    assert len(logged) == len(paths)
    c57 = logged["C00057"]
    assert c57["type"] == "催收" and c57["by"] == "lina" and c57["date"] == AS_OF
    assert str(c57["summary"]).startswith("催款函 CS-C00057-20261031-2")
    assert c57["delivered_on"] is None and c57["reference"] is None
    claimed = [r[0] for r in _overdue_rows(paths["C00057"])]
    assert claimed and set(claimed) <= set(str(c57["invoices"]).split(";"))


def test_a_logged_letter_is_not_due_again(results: Results) -> None:
    letters = letters_due(results, AS_OF)
    demand = next(x for x in letters if x.customer_id == "C00057")
    table = results.register.tables["activities"]
    logged = pd.DataFrame(
        {
            "date": [pd.Timestamp(AS_OF)],
            "customer_id": ["C00057"],
            "type": ["collection"],
            "summary": [demand.summary],
            "_row": [999],
            "_error": [False],
        }
    )
    frame = pd.concat([table.frame, logged], ignore_index=True)
    tables = {**results.register.tables, "activities": dataclasses.replace(table, frame=frame)}
    again = dataclasses.replace(
        results, register=dataclasses.replace(results.register, tables=tables)
    )
    customers = {x.customer_id for x in letters_due(again, AS_OF)}
    assert "C00057" not in customers
    assert len(customers) == len(letters) - 1
