"""The rows that say who sends our documents and what a contract draft chooses by default.

A letter the debtor must pay against names the sender, its bank account and a person to call; a
contract names the seller. Those facts belong to the company, not to a template a user may
restyle, so they are Policy rows (``company.*``), written once and read by every document. The
contract rows (``contract.*``) are the defaults a customer's own columns (合同语言, 适用法律,
争议解决, CISG) override: whether the shipped contract's acceleration clause is in force, and
for a foreign buyer the contract's language, which text prevails, the governing law, the forum
and the CISG. Each is a choice counsel must confirm (the README lists them).
"""

from __future__ import annotations

from credit_register.policy.param import _Param


def _identity(key: str, default: str, zh: str, en: str) -> _Param:
    return _Param(f"company.{key}", ("company", key), "text", default, zh, en)


def _company_params() -> list[_Param]:
    """The company's identity and the contract defaults."""
    return [
        _identity("name", "—", "本公司名称（函件落款、合同卖方、收款户名）", "our company's name"),
        _identity("uscc", "—", "本公司统一社会信用代码", "our unified social credit code"),
        _identity("address", "—", "本公司地址（函件与合同所载送达地址）", "our address"),
        _identity("legal_rep", "—", "本公司法定代表人", "our legal representative"),
        _identity("bank", "—", "收款开户银行", "the bank customers pay into"),
        _identity("account", "—", "收款银行账号", "the account number customers pay into"),
        _identity("contact", "—", "催收联系人（空则为客户经理）", "collections contact"),
        _identity("phone", "—", "联系电话", "contact phone"),
        _identity("email", "—", "联系邮箱", "contact e-mail"),
        _identity(
            "seal_text",
            "—",
            "函件与合同落款处注明的印章，如“公章”“合同专用章”（空则为“盖章”）",
            "the seal named where documents are stamped, e.g. 'company seal'",
        ),
        _Param(
            "contract.acceleration",
            ("contract", "acceleration"),
            "bool",
            "yes",
            "合同含加速到期条款（随附合同模板含此条款）：买方逾期付款时，未到期货款可一并主张；"
            "否则催款函只将未到期发票列为提醒",
            "the contract has an acceleration clause (the shipped template has one): once the "
            "buyer pays late, invoices not yet due may be claimed; otherwise letters list them as "
            "a reminder only",
        ),
        _Param(
            "contract.penalty_daily",
            ("contract", "penalty_daily"),
            "pct",
            0.016,
            "合同草稿约定的逾期付款违约金（每日；0.016%即年化5.84%，不超过法院计算损失的标准"
            "——一年期LPR上浮50%——的130%）",
            "the late-payment penalty a contract draft proposes, a day (0.016 % = 5.84 % a "
            "year, within 130 % of the court's measure of loss, the 1-year LPR plus 50 %)",
            maximum=1,
        ),
        _Param(
            "contract.foreign_language",
            ("contract", "foreign_language"),
            "language",
            "bilingual",
            "境外买方的合同语言（客户“合同语言”列可另行指定）",
            "a foreign buyer's contract language (the customer's column overrides it)",
        ),
        _Param(
            "contract.prevailing",
            ("contract", "prevailing"),
            "language",
            "zh",
            "中英文对照合同两种文本不一致时以此为准",
            "the text that prevails when a bilingual contract's texts differ",
        ),
        _Param(
            "contract.foreign_law",
            ("contract", "foreign_law"),
            "law",
            "cn",
            "境外买方合同的适用法律（客户“适用法律”列可另行指定；请律师确认）",
            "a foreign buyer's governing law (the customer's column overrides it; counsel to "
            "confirm)",
        ),
        _Param(
            "contract.foreign_forum",
            ("contract", "foreign_forum"),
            "forum",
            "cietac",
            "境外买方合同的争议解决机构（仲裁裁决可依《纽约公约》在外国执行；"
            "客户“争议解决”列可另行指定）",
            "a foreign buyer's forum (an award is enforceable abroad under the New York "
            "Convention; the customer's column overrides it)",
        ),
        _Param(
            "contract.cisg_excluded",
            ("contract", "cisg_excluded"),
            "bool",
            "yes",
            "境外买方合同排除《联合国国际货物销售合同公约》（CISG）的适用（客户列可另行指定）",
            "a foreign buyer's contract excludes the UN sales convention (CISG; the customer's "
            "column overrides it)",
        ),
    ]
