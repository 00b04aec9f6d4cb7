"""Contract drafts a lawyer would sign off (issue 13): the buyer's text holds nothing internal,
its figures agree with each other, it has the clauses a seller needs, keeps the terms a customer
already has, is written in the buyer's currency and language; the internal review note carries
the grade, the penalty against the court's measure of loss and the rule each clause follows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from credit_register.app import document_actions as doc_usecases
from credit_register.engines.results import Results
from support.demo_run import demo_results
from support.docx_text import footer_of, text_of


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return demo_results(tmp_path_factory)


def _draft(
    results: Results,
    tmp_path: Path,
    customer: str,
    *,
    amount: float | None = 1_004_000.50,
    penalty_daily: float | None = None,
) -> tuple[str, str, Path]:
    """The buyer's draft and the review note for ``customer``, as text; and the draft's path."""
    draft, note = doc_usecases.contract_docs(
        results, [customer], amount=amount, out_dir=tmp_path, penalty_daily=penalty_daily
    )
    assert draft.name.startswith("contract_C") and note.name.startswith("contract_note_")
    return text_of(draft), text_of(note), draft


def test_the_buyers_draft_holds_no_grade_score_or_policy_cap(
    results: Results, tmp_path: Path
) -> None:
    draft, note, path = _draft(results, tmp_path, "C00004", penalty_daily=0.0005)
    for internal in ("信用等级", "评分", "信用政策", "合理上限", "预估损失", "警告"):
        assert internal not in draft, internal
    footer = footer_of(path)
    assert "恒远精密制造有限公司" in footer and "内部" not in footer
    # the review note has them, and the warning of art. 585 with the 2023 yardstick
    assert "信用等级 | B" in note and "总分" in note
    assert "超过预估损失（年化4.50%）的30%以上（上限年化5.85%）" in note
    assert "第五百八十五条" in note and "法释〔2023〕13号）第六十五条" in note
    assert "内部" in footer_of(path.with_name(path.name.replace("contract_", "contract_note_")))


def test_the_daily_and_yearly_penalty_printed_agree(results: Results, tmp_path: Path) -> None:
    """0.012 % a day is 4.38 % a year, not 4.50 %: the printed daily rate × 365 is the yearly."""
    for penalty, daily, yearly in ((None, "0.016%", "5.84%"), (0.00012, "0.012%", "4.38%")):
        draft, note, _ = _draft(results, tmp_path, "C00001", penalty_daily=penalty)
        assert f"按逾期金额的{daily}（折合年利率{yearly}）" in draft
        shown = re.search(r"按逾期金额的([\d.]+)%（折合年利率([\d.]+)%）", draft)
        assert shown is not None
        assert round(float(shown[1]) * 365, 2) == float(shown[2])
        # the default penalty is more than the statutory fallback (4.50 %) and within the bound
        if penalty is None:
            assert "一、需处理事项\n无。" in note


def test_the_draft_has_the_clauses_a_seller_needs(results: Results, tmp_path: Path) -> None:
    draft, note, _ = _draft(results, tmp_path, "C00004")
    for clause in (
        "加速到期与中止履行",
        "包括尚未到期的款项）立即到期",
        "第五百二十七条",
        "第五百二十八条",
        "实现债权的费用",
        "律师费",
        "送达地址确认",
        "第六百四十一条",
        "动产担保登记",
        "第六百四十二条",
        "适用法律与争议解决",
    ):
        assert clause in draft, clause
    # the rule each clause follows, with the citations counsel checks
    for rule in (
        "第六百三十四条",
        "（2020年修正）第二十六条（买方已付总价款75%以上的，不得取回）",
        "（2020年修正）第十八条第四款",
        "法发〔2017〕19号）第八条",
    ):
        assert rule in note, rule


def test_the_customers_agreed_terms_are_kept_unless_the_grade_allows_less(
    results: Results, tmp_path: Path
) -> None:
    # C00001: agreed 60 days, AAA allows 90: the draft keeps 60
    draft, note, _ = _draft(results, tmp_path, "C00001")
    assert "之日起60日内" in draft and "90日内" not in draft
    assert "客户约定账期短于等级上限，沿用约定账期" in note
    # C00014: agreed 60 days, A allows 45: the draft says 45 and the note says why
    draft, note, _ = _draft(results, tmp_path, "C00014")
    assert "within 45 days of delivery" in draft
    assert "客户现行约定账期60天，超过等级A的最长账期45天：草稿采用45天" in note


def test_a_foreign_buyers_contract_is_in_its_currency_language_and_forum(
    results: Results, tmp_path: Path
) -> None:
    # C00028 (Singapore, SGD): the Policy's defaults, bilingual, CIETAC, the CISG excluded
    draft, note, _ = _draft(results, tmp_path, "C00028", amount=50_000.0)
    assert "SGD 50,000.00（大写：新加坡元伍万元整）" in draft and "CNY" not in draft
    assert (
        "本合同适用中华人民共和国法律（不包括其冲突规范），排除《联合国国际货物销售合同公约》"
        in draft
    )
    assert "the United Nations Convention on Contracts for the International Sale of Goods" in draft
    assert "提交中国国际经济贸易仲裁委员会" in draft and "referred to CIETAC" in draft
    assert "以中文文本为准" in draft and "the Chinese text prevails" in draft
    assert "合同语言 | 中英文对照 | 信用政策默认" in note
    # C00014 (Singapore) chose its own: English only, SIAC, the CISG applying
    draft, note, _ = _draft(results, tmp_path, "C00014", amount=50_000.0)
    clauses = draft.split("1. Contract amount")[1].split("Seller (seal)")[0]
    own_company = results.policy.company  # its facts are as the Policy has them, in Chinese
    for own in (own_company.name, own_company.bank, own_company.address):
        clauses = clauses.replace(own, "")
    assert "SGD 50,000.00" in clauses and not re.search(r"[\u4e00-\u9fff]", clauses)
    assert "referred to SIAC" in draft and "The seat of arbitration is Singapore" in draft
    assert "(CISG) applies" in draft
    assert "争议解决 | 新加坡国际仲裁中心 | 客户表设定" in note
    assert "CISG | 适用 | 客户表设定" in note
    # a domestic buyer: PRC law, the court at our domicile, nothing about the CISG
    draft, _, _ = _draft(results, tmp_path, "C00001")
    assert "本合同适用中华人民共和国法律。" in draft and "卖方住所地有管辖权的人民法院" in draft
    assert "公约" not in draft


def test_a_proposal_not_yet_approved_is_flagged_in_the_note_only(
    results: Results, tmp_path: Path
) -> None:
    # C00009 is new: no approved limit yet
    draft, note, _ = _draft(results, tmp_path, "C00009")
    assert "建议额度" not in draft and "尚待审批" not in draft
    assert "草稿中的信用额度为系统建议额度，尚未核定" in note
