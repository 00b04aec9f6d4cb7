"""The credit hold on the demo register, as issue 12 found it: the order check, the Alerts, the
Ratings row and the Dashboard tell one story. The demo is run at its as-of date (2026-10-31) and
orders are checked a month later, "today" (2026-11-29), as sales would ask."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from credit_register.adapters.services import document_services
from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app.pipeline import compute, load_register
from credit_register.app.usecases import EXIT_HOLD, ActionRequest, ActionResult, run_action
from credit_register.core import dashboard
from credit_register.core.schema import SHEETS
from credit_register.documents.letters import letters_due
from credit_register.engines.order_check import OrderDecision, Payment, check_order
from credit_register.tools.demo import DEMO_AS_OF, DemoSize, demo_tables
from support.memory import MemoryWorkbook

TODAY = dt.date(2026, 11, 29)
SERVICES = document_services()


@pytest.fixture(scope="module")
def ran(demo_master: dict[str, Path]) -> MemoryWorkbook:
    book = MemoryWorkbook(FileWorkbook(demo_master["zh"]).read())
    assert run_action(
        ActionRequest("run", as_of=DEMO_AS_OF), book, today=DEMO_AS_OF, services=SERVICES
    ).ok
    return book


def check(
    book: MemoryWorkbook,
    customer: str,
    amount: float = 10_000,
    *,
    payment: Payment = "credit",
    as_of: dt.date | None = None,
) -> tuple[ActionResult, OrderDecision]:
    """``credit-register check-order`` as sales runs it: at today's date unless ``as_of``."""
    request = ActionRequest(
        "check_order", customer_ids=[customer], amount=amount, payment=payment, as_of=as_of
    )
    result = run_action(request, MemoryWorkbook(book.read()), today=TODAY, services=SERVICES)
    assert result.decision is not None
    return result, result.decision


def test_C00005_grade_c_with_a_broken_promise_is_held(ran: MemoryWorkbook) -> None:  # noqa: N802
    result, decision = check(ran, "C00005")
    assert (decision.release, result.exit_code, decision.as_of) == (False, EXIT_HOLD, TODAY)
    assert {"grade_c", "broken_promise", "collections"} <= set(decision.reason_keys)
    assert "承诺 2026-10-21 前付款 800,000.00，未兑现且尚未补足" in "\n".join(decision.reasons)


def test_C00024_is_held_at_todays_date_113_days_overdue(ran: MemoryWorkbook) -> None:  # noqa: N802
    _, decision = check(ran, "C00024")
    assert not decision.release
    # FP260600052 fell due on 2026-08-08: 113 days before 2026-11-29
    assert (
        "发票 FP260600052 逾期 113 天，已到催收第4级（无争议） "
        "(invoice FP260600052 is 113 days overdue, at collections step 4 (undisputed))"
    ) in decision.reasons
    assert "grade_c" in decision.reason_keys


def test_C00057_is_held_by_its_step_2_demand(ran: MemoryWorkbook) -> None:  # noqa: N802
    _, decision = check(ran, "C00057", as_of=DEMO_AS_OF)
    assert not decision.release
    assert decision.reason_keys == ["collections"]
    assert decision.reasons[0].startswith("发票 FP260700128 逾期 41 天，已到催收第2级")


def test_C00057_marked_as_enforced_is_grade_c_and_a_500000_order_is_held(  # noqa: N802
    ran: MemoryWorkbook,
) -> None:
    book = MemoryWorkbook(ran.read())
    bureau = book.sheets[book.tab("bureau")].rows
    header = bureau[0]
    row: dict[Any, Any] = dict.fromkeys(header)
    row.update({"客户编号": "C00057", "征信机构": "企查查", "报告日期": dt.date(2026, 11, 20)})
    row.update({"评分": 60, "满分": 100, "失信被执行人": "是", "经营异常": "否"})
    bureau.append([row[h] for h in header])
    _, decision = check(book, "C00057", 500_000)
    assert not decision.release
    assert {"grade_c", "knock_out", "collections"} <= set(decision.reason_keys)
    assert decision.proposed_limit == 0
    assert decision.warnings[0].startswith("建议额度 0.00 低于核定额度 6,170,000.00")


def test_C00030_exposure_without_a_limit_is_alerted_and_held(ran: MemoryWorkbook) -> None:  # noqa: N802
    alerts = {str(a["预警编号"]): a for a in ran.rows("alerts")}
    assert (alerts["C00030-no_limit"]["级别"], alerts["C00030-no_limit"]["当前值"]) == (
        "禁止",
        "1,197,857.06",
    )
    _, decision = check(ran, "C00030")
    assert decision.reason_keys[0] == "no_limit"


@pytest.mark.parametrize("payment", ["prepaid", "lc"])
def test_prepaid_and_lc_orders_of_C00005_are_released_with_the_reasons_listed(  # noqa: N802
    ran: MemoryWorkbook, payment: Payment
) -> None:
    result, decision = check(ran, "C00005", payment=payment)
    _, on_credit = check(ran, "C00005")
    assert decision.release and result.exit_code == 0
    assert decision.reasons == on_credit.reasons != []


def test_an_order_is_checked_at_todays_date_not_the_dashboards(ran: MemoryWorkbook) -> None:
    # C00013's FP260700129 fell due on 2026-10-21: 10 days late at the Dashboard's as-of date
    # (step 1), 39 days late today (step 2, the demand letter: credit hold)
    _, then = check(ran, "C00013", as_of=DEMO_AS_OF)
    _, now = check(ran, "C00013")
    assert then.release and then.as_of == DEMO_AS_OF
    assert not now.release and now.as_of == TODAY
    assert "检查日 2026-11-29" in now.text()


def test_the_dashboard_counts_the_held_customers_and_the_groups_over(ran: MemoryWorkbook) -> None:
    ratings = ran.rows("ratings")
    held = [r["客户编号"] for r in ratings if r["信用冻结"] == "是"]
    hold_alerts = [a for a in ran.rows("alerts") if str(a["预警编号"]).endswith("-credit_hold")]
    board = ran.sheets[ran.tab("dashboard")].rows

    def cell(key: str) -> Any:
        address = dashboard.HEADLINE_BY_KEY[key].cell
        return board[int(address[1:]) - 1][ord(address[0]) - ord("A")]

    assert cell("on_hold") == len(held) == len(hold_alerts)
    assert {"C00016", "C00017"} <= set(held)  # 远航集团: 1,730,171.65 over 1,500,000
    assert cell("groups_over") == 1
    net = sum(float(r["净敞口"]) for r in ratings)
    assert cell("net_exposure") == pytest.approx(net, abs=0.05)


def stopped_yet_released(book: MemoryWorkbook, lang: str = "zh") -> tuple[set[str], set[str]]:
    """The customers the register says are stopped — an open alert recommending a credit hold, a
    Ratings row on hold, grade C or a knock-out, a collection letter suspending deliveries — and
    those of them a 1,000 order on credit
    (in the base currency) would be released for, and the customers the register leaves free
    whose small order is held."""
    zh = lang == "zh"
    stop = "暂停发货" if zh else "stop shipments"  # the credit-hold action's label
    active = ("待处理", "处理中") if zh else ("open", "in progress")
    col = {
        "id": "客户编号" if zh else "Customer ID",
        "action": "建议措施" if zh else "Recommended action",
        "status": "处理状态" if zh else "Status",
        "hold": "信用冻结" if zh else "Credit hold",
        "grade": "信用等级" if zh else "Grade",
        "knock_out": "否决项" if zh else "Knock-out",
    }
    yes = "是" if zh else "Yes"
    said = {
        str(a[col["id"]])
        for a in book.rows("alerts")
        if stop in str(a[col["action"]]) and a[col["status"]] in active
    }
    ratings = book.rows("ratings")
    said |= {str(r[col["id"]]) for r in ratings if r[col["hold"]] == yes}
    said |= {str(r[col["id"]]) for r in ratings if r[col["grade"]] == "C" or r[col["knock_out"]]}
    loaded = load_register(book.read(), book.label, today=DEMO_AS_OF, as_of=DEMO_AS_OF)
    results = compute(loaded)
    assert results.hold is not None
    letters = letters_due(results, DEMO_AS_OF)
    said |= {x.customer_id for x in letters if x.suspends_deliveries}
    released = {
        str(cid)
        for cid in results.hold.customers.index
        if check_order(loaded.register, results.hold, DEMO_AS_OF, str(cid), 1_000, "CNY").release
    }
    free = {str(r[col["id"]]) for r in ratings if r[col["hold"]] != yes}
    return said & released, free - released


def test_no_customer_the_register_says_is_stopped_gets_a_small_credit_order(
    ran: MemoryWorkbook,
) -> None:
    contradicted, refused = stopped_yet_released(ran)
    assert contradicted == set()
    # and the converse: every customer its Ratings row leaves free takes a small order
    assert refused == set()


def test_the_same_holds_for_every_customer_of_a_generated_register_of_1000() -> None:
    size = DemoSize(customers=1_000, invoices=40_000, orders=600, defaulted_share=0.02)
    tables = demo_tables(size, DEMO_AS_OF)
    book = MemoryWorkbook.of(
        {
            key: [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
            for key, frame in tables.items()
            if key in SHEETS
        }
    )
    assert run_action(
        ActionRequest("run", as_of=DEMO_AS_OF), book, today=DEMO_AS_OF, services=SERVICES
    ).ok
    assert len(book.rows("ratings")) == 1_000
    contradicted, refused = stopped_yet_released(book, "en")
    assert contradicted == set()
    assert refused == set()


def test_the_english_of_every_hold_reason_is_english(ran: MemoryWorkbook) -> None:
    """Each reason on the Ratings sheet reads "中文 (English)"; the English half carries no
    Chinese words (a missed insurer deadline's said "通知截止", a zero limit "营运资金")."""
    ratings = ran.read()[SHEETS["ratings"].zh].rows
    column = ratings[0].index(SHEETS["ratings"].column("hold_reasons").zh)
    reasons = [
        r for row in ratings[1:] if row[column] for r in re.split(r"(?<=\))；", str(row[column]))
    ]
    assert len(reasons) > 20  # the demo's held customers, every reason of each
    for reason in reasons:
        english = reason[reason.find(" (") :]
        # a Chinese legal term may stand in brackets after its English ("enforcement
        # (失信被执行人)"), and a name in quotes is the name ("group '远航集团'")
        english = re.sub(r"\([\u4e00-\u9fff]+\)|'[^']*'", "", english)
        assert not re.search(r"[\u4e00-\u9fff]", english), reason
