"""The vocabulary of the register's data contract: what a sheet, a column and a code are,
how headers and labels are folded for comparison, and the fixed code lists.

``core/schema.py`` uses it to declare every sheet; split from it so each stays readable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from credit_register.core.text import Language, pick

ColumnType = Literal["text", "int", "number", "date", "bool", "code", "datetime"]

BASE_CURRENCY_DEFAULT = "CNY"


@dataclass(frozen=True)
class Code:
    """One value of a fixed list: the key used in code, and its label in each language."""

    key: str
    zh: str
    en: str

    def label(self, lang: Language) -> str:
        return pick(lang, self.zh, self.en)


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    type: ColumnType = "text"
    required: bool = False
    codes: tuple[Code, ...] = ()
    #: who writes the column: "input" (the user), "engine" (an input column the engine fills),
    #: "output" (an engine-owned sheet's computed column), "user" (kept by key on output sheets)
    role: Literal["input", "engine", "output", "user"] = "input"
    #: number format name for the workbook builder: "amount", "pct", "int", "date", "score", ...
    fmt: str | None = None
    width: float | None = None

    def header(self, lang: Language) -> str:
        return pick(lang, self.zh, self.en)

    def code_for(self, label: str) -> Code | None:
        """The code whose key or label (either language) matches ``label`` after normalising."""
        wanted = normalise_label(label)
        for code in self.codes:
            if wanted in (
                normalise_label(code.key),
                normalise_label(code.zh),
                normalise_label(code.en),
            ):
                return code
        return None


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    en: str
    kind: Literal["input", "output", "policy", "dashboard"]
    columns: tuple[Column, ...]
    #: the columns that identify a row (unique); empty for logs
    primary_key: tuple[str, ...] = ()
    append_only: bool = False
    _by_key: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({c.key: c for c in self.columns})

    def name(self, lang: Language) -> str:
        return pick(lang, self.zh, self.en)

    def column(self, key: str) -> Column:
        return self._by_key[key]

    def has(self, key: str) -> bool:
        return key in self._by_key

    def headers(self, lang: Language) -> list[str]:
        return [c.header(lang) for c in self.columns]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    @property
    def user_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role == "user"]

    def match_header(self, header: object) -> Column | None:
        """The column a header cell names, in either language, ignoring case, spaces,
        full-/half-width forms and line breaks; ``None`` for an unknown (user) column."""
        if header is None:
            return None
        wanted = normalise_label(str(header))
        if not wanted:
            return None
        for col in self.columns:
            if wanted in (
                normalise_label(col.zh),
                normalise_label(col.en),
                normalise_label(col.key),
            ):
                return col
        return None


_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Fold a header, sheet name or code label for comparison.

    NFKC turns full-width forms into half-width ones (``（`` → ``(``, ``Ａ`` → ``A``); case and
    every whitespace, line breaks inside a header included, are ignored.

    >>> normalise_label(" 账期（天）\\n")
    '账期(天)'
    >>> normalise_label("Payment Terms (Days)") == normalise_label("payment terms(days)")
    True
    """
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


# --------------------------------------------------------------------------- code lists

OWNERSHIP = (
    Code("soe", "国企", "SOE"),
    Code("private", "民企", "private"),
    Code("foreign", "外资", "foreign"),
    Code("listed", "上市", "listed"),
    Code("other", "其他", "other"),
)
CUSTOMER_STATUS = (
    Code("active", "正常", "active"),
    Code("hold", "冻结", "hold"),
    Code("legal", "诉讼", "legal"),
    Code("closed", "关闭", "closed"),
)
PAYMENT_METHOD = (
    Code("transfer", "转账", "transfer"),
    Code("bill", "承兑汇票", "bill"),
    Code("cash", "现金", "cash"),
    Code("other", "其他", "other"),
)
ORDER_STATUS = (
    Code("open", "未发货", "open"),
    Code("shipped", "已发货未开票", "shipped"),
)
ACTIVITY_TYPE = (
    Code("call", "电话", "call"),
    Code("email", "邮件", "email"),
    Code("visit", "拜访", "visit"),
    Code("site_visit", "实地考察", "site_visit"),
    Code("promise", "承诺付款", "promise"),
    Code("collection", "催收", "collection"),
    Code("reconciliation", "对账确认", "reconciliation"),
    Code("review", "评审", "review"),
    Code("legal", "法律", "legal"),
)
SEVERITY = (
    Code("info", "提示", "info"),
    Code("warning", "预警", "warning"),
    Code("block", "禁止", "block"),
)
ALERT_STATUS = (
    Code("open", "待处理", "open"),
    Code("in_progress", "处理中", "in progress"),
    Code("closed", "已关闭", "closed"),
    Code("resolved", "已解除", "resolved"),
)
ENTERPRISE_SIZE = (
    Code("large", "大型", "large"),
    Code("medium", "中型", "medium"),
    Code("small", "小型", "small"),
    Code("micro", "微型", "micro"),
    Code("public_body", "机关事业单位", "public body"),
)
#: how an invoice's late interest is reckoned (the Open items sheet)
INTEREST_BASIS_CODES = (
    Code("contract", "合同约定", "contract rate"),
    Code("lpr_markup", "一年期LPR加成", "1-year LPR plus markup"),
    Code("sme_daily", "中小企业日利率", "SME daily rate"),
    Code("none", "不计逾期利息", "no late interest"),
)
ISSUE_SEVERITY = (
    Code("error", "错误", "error"),
    Code("warning", "警告", "warning"),
)
#: the language of a contract for a foreign buyer (a Chinese buyer's is Chinese)
CONTRACT_LANGUAGE = (
    Code("zh", "中文", "Chinese"),
    Code("en", "英文", "English"),
    Code("bilingual", "中英文对照", "bilingual"),
)
#: the law a contract chooses
GOVERNING_LAW = (
    Code("cn", "中华人民共和国法律", "PRC law"),
    Code("hk", "香港特别行政区法律", "Hong Kong law"),
    Code("sg", "新加坡法律", "Singapore law"),
    Code("ew", "英格兰及威尔士法律", "English law"),
)
#: where a contract's disputes are decided
FORUM = (
    Code("court", "卖方住所地人民法院", "court at the seller's domicile"),
    Code("cietac", "中国国际经济贸易仲裁委员会", "CIETAC"),
    Code("shiac", "上海国际仲裁中心", "SHIAC"),
    Code("siac", "新加坡国际仲裁中心", "SIAC"),
    Code("hkiac", "香港国际仲裁中心", "HKIAC"),
)
#: whether a foreign buyer's contract excludes the UN sales convention (blank: the Policy's)
CISG = (
    Code("excluded", "排除", "excluded"),
    Code("applies", "适用", "applies"),
)
#: how an export writes ``3/4/2026`` (importing.date_order): day first or month first
DATE_ORDER = (
    Code("dmy", "日/月/年", "day/month/year"),
    Code("mdy", "月/日/年", "month/day/year"),
)
GRADES: tuple[str, ...] = ("AAA", "AA", "A", "BBB", "BB", "B", "C")
GRADE_CODES = tuple(Code(g, g, g) for g in GRADES)


def C(key: str, zh: str, en: str, type: ColumnType = "text", **kw: object) -> Column:  # noqa: N802
    """Shorthand for the tables below."""
    return Column(key, zh, en, type, **kw)  # type: ignore[arg-type]
