"""The internal review note that goes with a contract draft (never to the buyer).

What the credit department and counsel need before the draft is sent: the buyer's grade and
score, which payment terms the policy allowed and why the draft uses the ones it does, the
limit and whether it is approved, the agreed penalty measured against the court's measure of
loss (民法典 第五百八十五条, and the 30 % yardstick of the Supreme People's Court's 2023
interpretation of the general part of contracts, 第六十五条), the law, forum and language
chosen and where each choice came from, and the rule every clause follows.
"""

from __future__ import annotations

from credit_register.core.schema import CONTRACT_LANGUAGE, FORUM, GOVERNING_LAW, Language
from credit_register.core.text import pick
from credit_register.documents.amounts import format_amount, format_day, format_number, format_pct
from credit_register.documents.context import Context, code_label, company
from credit_register.documents.contract import ContractDraft, draft_context, zh_ordinal
from credit_register.engines.results import Results
from credit_register.policy.model import SECURITY

#: the 30 % yardstick for an excessive penalty, as the note cites it
PENALTY_YARDSTICK = (
    "最高人民法院《关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释》（法释〔2023〕13号）"
    "第六十五条第二款",
    "the Supreme People's Court's interpretation of the general part of the Civil Code's "
    "contract book (2023), art. 65(2)",
)
#: the sales-contract interpretation (2020 amendment), by the article the note cites
SALES_INTERPRETATION = (
    "《最高人民法院关于审理买卖合同纠纷案件适用法律问题的解释》（2020年修正）",
    "the Supreme People's Court's interpretation on sales contracts (2020 amendment)",
)

#: the rule each clause follows: (clause key, zh, en)
CLAUSE_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "payment",
        "信用政策§3：账期取客户约定账期与等级最长账期的较短者",
        "policy §3: the shorter of the agreed terms and the grade's maximum",
    ),
    (
        "limit",
        "核定额度（客户表），无则为系统建议额度（须审批）",
        "the approved limit (Customers), else the proposal (to be approved)",
    ),
    ("security", "信用政策§3：按等级要求的担保", "policy §3: the security the grade requires"),
    (
        "penalty",
        "《民法典》第五百八十五条；"
        + PENALTY_YARDSTICK[0]
        + "（超过损失30%一般认定为过分高于损失）；"
        + SALES_INTERPRETATION[0]
        + "第十八条第四款（未约定时：违约时一年期LPR上浮30%–50%）",
        "PRC Civil Code art. 585; " + PENALTY_YARDSTICK[1] + " (more than 30 % above the loss "
        "is generally excessive); " + SALES_INTERPRETATION[1] + ", art. 18(4) (none agreed: "
        "the LPR at breach plus 30–50 %)",
    ),
    (
        "default",
        "加速到期为合同约定（法定加速到期仅适用于分期付款买卖，《民法典》第六百三十四条）；"
        "不安抗辩：《民法典》第五百二十七条、第五百二十八条",
        "acceleration is contractual (the statute accelerates only instalment sales, Civil "
        "Code art. 634); suspension: Civil Code arts. 527 and 528",
    ),
    (
        "title",
        "《民法典》第六百四十一条（未经登记不得对抗善意第三人：在动产融资统一登记公示系统登记）、"
        "第六百四十二条（取回）；"
        + SALES_INTERPRETATION[0]
        + "第二十六条（买方已付总价款75%以上的，"
        "不得取回）",
        "Civil Code art. 641 (unregistered, it does not bind a third party in good faith: "
        "register it in the PBOC movables registry), art. 642 (repossession); "
        + SALES_INTERPRETATION[1]
        + ", art. 26 (no repossession once 75 % of the price is paid)",
    ),
    (
        "costs",
        "合同约定（无约定时律师费通常不获支持）；催款函据此保留主张律师费的权利",
        "contractual (without it, lawyers' fees are rarely awarded); letters reserve them on "
        "this basis",
    ),
    (
        "reconciliation",
        "《民法典》第一百九十五条（承认债务使诉讼时效中断）、第一百八十八条（三年）、"
        "第五百九十四条（国际货物买卖四年）",
        "Civil Code art. 195 (an acknowledgement interrupts limitation), art. 188 (three "
        "years), art. 594 (four for international sales of goods)",
    ),
    (
        "service",
        "最高人民法院《关于进一步加强民事送达工作的若干意见》（法发〔2017〕19号）第八条",
        "the Supreme People's Court's opinions on service in civil cases (2017), art. 8",
    ),
    (
        "disputes",
        "《涉外民事关系法律适用法》第四十一条（选择合同准据法）；CISG第六条（排除适用）；"
        "《仲裁法》第十六条（仲裁协议）；《民事诉讼法》第三十五条（协议管辖）；"
        "《承认及执行外国仲裁裁决公约》（纽约公约）",
        "Law on the application of laws to foreign-related civil relations, art. 41 (choice "
        "of law); CISG art. 6 (exclusion); Arbitration Law art. 16; Civil Procedure Law art. "
        "35 (agreed court); the New York Convention (enforcing awards abroad)",
    ),
    (
        "language",
        "双方约定；两种文本不一致时以约定文本为准",
        "as agreed; the prevailing text decides",
    ),
)
CLAUSE_TITLES: dict[str, tuple[str, str]] = {
    "amount": ("合同金额", "Contract amount"),
    "payment": ("付款方式", "Payment"),
    "limit": ("信用额度", "Credit limit"),
    "security": ("担保", "Security"),
    "penalty": ("逾期付款违约金", "Late payment"),
    "default": ("加速到期与中止履行", "Acceleration and suspension"),
    "title": ("所有权保留", "Retention of title"),
    "costs": ("实现债权的费用", "Costs of enforcement"),
    "reconciliation": ("对账确认", "Statements of account"),
    "service": ("送达地址确认", "Addresses for service"),
    "disputes": ("适用法律与争议解决", "Governing law and disputes"),
    "language": ("合同文本", "Language"),
}


def _source(from_customer: bool, lang: Language) -> str:
    return (
        pick(lang, "客户表设定", "the customer's row")
        if from_customer
        else pick(lang, "信用政策默认", "the Policy's default")
    )


def _warnings(results: Results, draft: ContractDraft, lang: Language) -> list[str]:
    policy = results.policy
    found: list[str] = []
    if draft.penalty_too_high:
        found.append(
            pick(
                lang,
                f"违约金每日{format_pct(draft.penalty_daily, lang, 3)}（年化"
                f"{format_pct(draft.penalty_annual, lang, 2)}）超过预估损失（年化"
                f"{format_pct(draft.loss_annual, lang, 2)}）的"
                f"{format_pct(policy.penalty_excess_max, lang, 0)}以上（上限年化"
                f"{format_pct(draft.bound_annual, lang, 2)}）：依《民法典》第五百八十五条及"
                f"{PENALTY_YARDSTICK[0]}，买方可请求法院或仲裁机构予以减少。建议下调。",
                f"The penalty of {format_pct(draft.penalty_daily, lang, 3)} a day "
                f"({format_pct(draft.penalty_annual, lang, 2)} a year) exceeds the estimated "
                f"loss ({format_pct(draft.loss_annual, lang, 2)} a year) by more than "
                f"{format_pct(policy.penalty_excess_max, lang, 0)} (bound "
                f"{format_pct(draft.bound_annual, lang, 2)} a year): under Civil Code art. 585 "
                f"and {PENALTY_YARDSTICK[1]} the buyer may have it reduced. Lower it.",
            )
        )
    if draft.terms_shortened:
        found.append(
            pick(
                lang,
                f"客户现行约定账期{draft.agreed_days}天，超过等级{draft.grade}的最长账期"
                f"{draft.grade_max_days}天：草稿采用{draft.terms_days}天，须与客户协商缩短账期。",
                f"The customer's agreed terms ({draft.agreed_days} days) exceed grade "
                f"{draft.grade}'s maximum ({draft.grade_max_days} days): the draft uses "
                f"{draft.terms_days} days, which must be negotiated with the customer.",
            )
        )
    if draft.limit_source == "proposed":
        found.append(
            pick(
                lang,
                "草稿中的信用额度为系统建议额度，尚未核定：核定后方可发出。",
                "The credit limit in the draft is the proposal, not yet approved: approve it "
                "before the draft goes out.",
            )
        )
    if draft.knock_out or draft.variant == "advance":
        why_zh = f"（否决项：{draft.knock_out}）" if draft.knock_out else ""
        why_en = f" (knock-out: {draft.knock_out})" if draft.knock_out else ""
        found.append(
            pick(
                lang,
                f"等级{draft.grade}{why_zh}：仅可款到发货或信用证。",
                f"Grade {draft.grade}{why_en}: cash in advance or a letter of credit only.",
            )
        )
    if draft.foreign and draft.forum.value == "court":
        found.append(
            pick(
                lang,
                "境外买方约定由中国法院管辖：中国法院判决在买方所在国的承认与执行可能受限，"
                "建议约定仲裁（裁决可依《纽约公约》执行）。",
                "A foreign buyer before a Chinese court: the judgment may be hard to enforce "
                "in the buyer's country; arbitration (enforceable under the New York "
                "Convention) is advisable.",
            )
        )
    if draft.foreign and draft.law.value != "cn":
        found.append(
            pick(
                lang,
                "适用法律不是中国法：违约金、所有权保留、加速到期等条款依《民法典》起草，须由"
                "该法域律师审阅。",
                "The governing law is not PRC law: the penalty, retention of title and "
                "acceleration clauses follow the PRC Civil Code and need review by counsel of "
                "that law.",
            )
        )
    if draft.foreign and not draft.cisg_excluded.value:
        found.append(
            pick(
                lang,
                "CISG适用：合同成立、交货与违约救济依公约；所有权转移与违约金效力不属公约调整"
                "（公约第四条），仍依准据法。",
                "The CISG applies: formation, delivery and remedies follow it; the passing of "
                "title and the validity of the penalty are outside it (art. 4) and follow the "
                "governing law.",
            )
        )
    return found


def contract_note_context(
    results: Results,
    customer_id: str,
    *,
    amount: float | None = None,
    penalty_daily: float | None = None,
) -> Context:
    """The internal review note of the draft ``contract_context`` writes for the same call."""
    from credit_register.documents.contract import draft_terms

    lang = results.register.lang
    policy = results.policy
    draft = draft_terms(results, customer_id, amount=amount, penalty_daily=penalty_daily)
    drafted = draft_context(results, draft)
    numbers = drafted["no"]
    base = policy.base_currency
    credit_limit_base = f"{base} {format_amount(draft.limit * draft.rate_to_base, lang)}"
    language_code = str(draft.language.value)
    rules = [
        {
            "clause": pick(
                lang,
                f"{numbers[key]['zh']}　{CLAUSE_TITLES[key][0]}",
                f"{numbers[key]['en']}. {CLAUSE_TITLES[key][1]}",
            ),
            "rule": pick(lang, zh, en),
        }
        for key, zh, en in CLAUSE_RULES
        if key in numbers
    ]
    return {
        "doc_title": pick(
            lang, "合同草稿审核意见（内部）", "Contract draft: review note (internal)"
        ),
        "contract_no": drafted["contract_no"],
        "date": format_day(results.as_of, lang),
        "customer": company(draft.customer, customer_id),
        "grade": draft.grade,
        "score": format_number(draft.score, 1),
        "knock_out": draft.knock_out or "—",
        "currency": draft.currency,
        "terms": {
            "agreed": "—" if draft.agreed_days is None else str(draft.agreed_days),
            "grade_max": str(draft.grade_max_days),
            "drafted": str(draft.terms_days),
            "why": pick(
                lang,
                "客户约定账期短于等级上限，沿用约定账期"
                if draft.agreed_days is not None and not draft.terms_shortened
                else "等级上限短于客户约定账期，采用等级上限"
                if draft.terms_shortened
                else "客户未约定账期，采用等级上限",
                "the agreed terms are within the grade's maximum and are kept"
                if draft.agreed_days is not None and not draft.terms_shortened
                else "the grade's maximum is shorter than the agreed terms and is used"
                if draft.terms_shortened
                else "no agreed terms: the grade's maximum",
            ),
        },
        "limit": format_amount(draft.limit, lang),
        # a foreign customer's limit with its base-currency equivalent (the Ratings sheet's)
        "limit_base": ""
        if draft.currency == base
        else pick(lang, f"（折合{credit_limit_base}）", f" ({credit_limit_base})"),
        "credit_limit_base": credit_limit_base,
        "limit_source": {
            "approved": pick(lang, "核定额度", "approved limit"),
            "proposed": pick(lang, "系统建议额度（待审批）", "proposal (to be approved)"),
            "none": pick(lang, "无额度", "no limit"),
        }[draft.limit_source],
        "security": code_label(SECURITY, draft.security, lang),
        "penalty": {
            "daily": format_pct(draft.penalty_daily, lang, 3),
            "annual": format_pct(draft.penalty_annual, lang, 2),
            "agreed": pick(lang, "按约定", "as agreed")
            if draft.penalty_agreed
            else pick(lang, "信用政策默认（contract.penalty_daily）", "the Policy's default"),
            "loss": format_pct(draft.loss_annual, lang, 2),
            "lpr": format_pct(policy.interest.lpr_1y, lang, 2),
            "lpr_as_of": format_day(policy.interest.lpr_as_of, lang),
            "markup": format_pct(policy.interest.markup, lang, 0),
            "bound": format_pct(draft.bound_annual, lang, 2),
            "excess_max": format_pct(policy.penalty_excess_max, lang, 0),
        },
        "penalty_too_high": draft.penalty_too_high,
        "foreign": draft.foreign,
        "choices": [
            {
                "what": pick(lang, "合同语言", "contract language"),
                "value": code_label(CONTRACT_LANGUAGE, language_code, lang),
                "source": _source(draft.language.from_customer, lang),
            },
            {
                "what": pick(lang, "适用法律", "governing law"),
                "value": code_label(GOVERNING_LAW, str(draft.law.value), lang),
                "source": _source(draft.law.from_customer, lang),
            },
            {
                "what": pick(lang, "争议解决", "forum"),
                "value": code_label(FORUM, str(draft.forum.value), lang),
                "source": _source(draft.forum.from_customer, lang),
            },
            {
                "what": "CISG",
                "value": (
                    pick(lang, "排除", "excluded")
                    if draft.cisg_excluded.value
                    else pick(lang, "适用", "applies")
                )
                if draft.foreign
                else pick(lang, "不涉及（境内买方）", "not relevant (domestic buyer)"),
                "source": _source(draft.cisg_excluded.from_customer, lang)
                if draft.foreign
                else "—",
            },
        ],
        "warnings": _warnings(results, draft, lang),
        "rules": rules,
        "clause_count": zh_ordinal(len(numbers)) if lang == "zh" else str(len(numbers)),
    }
