"""Collection letters speak the credit hold's one decision: a letter says deliveries on credit
are suspended exactly when the customer is held (and it is past its due date), and names the
credit insurer only to an insured customer — on the demo register as of 2026-10-31."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from credit_register.documents.letters import Letter, letters_due
from credit_register.documents.rendering import render, template_path
from credit_register.engines.results import Results
from support.demo_run import demo_results

SUSPENDED = "自本函发出之日起，我司暂停对贵司的赊销发货，直至上述款项付清。"
INSURER = "我司亦将依保险合同向"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return demo_results(tmp_path_factory)


@pytest.fixture(scope="module")
def letters(results: Results) -> dict[str, Letter]:
    return {x.customer_id: x for x in letters_due(results, results.as_of)}


def text(letter: Letter, folder: Path) -> str:
    path = render(
        template_path("letter", "zh"), letter.context, folder / f"{letter.customer_id}.docx"
    )
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_a_letter_suspends_deliveries_exactly_for_a_held_customer(
    results: Results, letters: dict[str, Letter], tmp_path: Path
) -> None:
    assert results.hold is not None
    held = results.hold.customers["credit_hold"]
    for cid, letter in letters.items():  # some forty letters
        said = SUSPENDED in text(letter, tmp_path)
        assert said == letter.suspends_deliveries, cid
        assert said == (bool(held[cid]) and letter.step >= 1), cid


def test_the_same_step_reads_differently_on_hold_and_off_it(
    letters: dict[str, Letter], tmp_path: Path
) -> None:
    # two first overdue notices: C00016 is held (远航集团 over its group limit), C00011 is not
    assert letters["C00016"].step == letters["C00011"].step == 1
    assert SUSPENDED in text(letters["C00016"], tmp_path)
    assert SUSPENDED not in text(letters["C00011"], tmp_path)
    # a reminder before the due date stays a reminder, held or not (C00010 is over its limit)
    assert letters["C00010"].step == 0 and SUSPENDED not in text(letters["C00010"], tmp_path)


def test_a_final_demand_names_the_insurer_only_to_an_insured_customer(
    letters: dict[str, Letter], tmp_path: Path
) -> None:
    # (C00004 and C00059 are at step 4 now: a hand-over, no letter)
    assert letters["C00032"].step == letters["C00052"].step == 3
    assert INSURER in text(letters["C00032"], tmp_path)  # insured
    assert INSURER not in text(letters["C00052"], tmp_path)  # not insured
