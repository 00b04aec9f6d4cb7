"""The demo's story: the named customers, the invoices their story needs, and the as-of date.

Their ids, names and behaviour are written out here once; everything else in the demo register
is drawn around them.

The cast (demo ids, as of :data:`DEMO_AS_OF` = 2026-10-31; tests and docs name them):

- ``C00001`` 上海华东精密机械股份有限公司 — listed key account, strong balance sheet, pays around
  the due date (a **good payer**); with ``C00010`` and ``C00011`` forms the group 华东控股集团.
- ``C00002`` 北京中科恒信电子科技有限公司 — SOE key account, good payer, but **one disputed
  invoice** (:data:`DISPUTED_INVOICE`, August 2026, unpaid while the quality claim is open).
- ``C00003``, ``C00010``, ``C00012`` (Müller Präzisionstechnik GmbH, EUR), ``C00014`` (Lion City
  Components Pte. Ltd., SGD; its contract is in English, SIAC arbitration, the CISG applying:
  :data:`OWN_CONTRACT_TERMS_CUSTOMER`), ``C00015`` (Tanaka Seiki Co., Ltd., JPY, insured),
  ``C00016`` — good payers.
- ``C00004`` 广州粤海建材有限公司 — **slow payer** (30–120 days late) who promised to pay an
  overdue invoice and **kept** the promise (:data:`KEPT_PROMISE_INVOICE`).
- ``C00005`` 苏州吴中纺织印染有限公司 — slow payer whose promise to pay
  :data:`BROKEN_PROMISE_INVOICE` by 2026-10-21 was **broken**.
- ``C00006`` 天津滨海化工有限公司 — slow payer with an expired limit, put **on hold** (冻结).
- ``C00007`` 武汉长江汽车零部件有限公司 — **defaulted**: stopped paying at the end of
  February 2026, invoices more than 180 days overdue, sued (status 诉讼), bureau shows it as a
  失信被执行人 (enforcement).
- ``C00008`` 成都蜀都食品有限公司 — thin file: one year of statements.
- ``C00009`` 合肥新锐医疗器械有限公司 — new customer since March 2026: no statements, no
  approved limit yet.
- ``C00011`` (华东控股集团), ``C00013`` (Great Lakes Industrial Supply Inc., USD), ``C00017``
  (远航集团 with ``C00016``) — average payers.

The credit hold's cases (policy §3, §4, §7), as of 2026-10-31: ``C00005`` is grade C on 90-day
terms (above the grade's maximum) and insured; ``C00004`` and ``C00006`` are uninsured at
collections step 4 (no "notify the insurer" for them), ``C00059`` is insured there and its
insurer notification deadline has passed (禁止, a hold); 远航集团 is over its group limit
(:data:`GROUP_LIMITS`) and 华东控股集团 near it; ``C00030`` owes money without an approved limit.

The remaining customers are drawn at random (good 55 %, average 30 %, slow 15 %), mostly Chinese
companies with valid USCCs, a few foreign ones in EUR/USD/SGD/JPY (see :mod:`.customers`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: the demo's as-of date: a month end, so the demo's ageing and reviews read naturally
DEMO_AS_OF = dt.date(2026, 10, 31)

GOOD_PAYERS: tuple[str, ...] = (
    "C00001",
    "C00002",
    "C00003",
    "C00010",
    "C00012",
    "C00014",
    "C00015",
    "C00016",
)
AVERAGE_PAYERS: tuple[str, ...] = ("C00008", "C00009", "C00011", "C00013", "C00017")
SLOW_PAYERS: tuple[str, ...] = ("C00004", "C00005", "C00006")
DEFAULTED_CUSTOMER = "C00007"
HOLD_CUSTOMER = "C00006"
DISPUTED_CUSTOMER = "C00002"
DISPUTED_INVOICE = "FP260800001"
KEPT_PROMISE_CUSTOMER = "C00004"
KEPT_PROMISE_INVOICE = "FP260500001"
BROKEN_PROMISE_CUSTOMER = "C00005"
BROKEN_PROMISE_INVOICE = "FP260600001"
#: the foreign buyer whose contract departs from the Policy's defaults (English, SIAC, CISG)
OWN_CONTRACT_TERMS_CUSTOMER = "C00014"
#: what the broken promise was for: the June invoice and the rest of the overdue balance
BROKEN_PROMISE_AMOUNT = 800_000.00
THIN_FILE_CUSTOMERS: tuple[str, ...] = ("C00008", "C00009")
NEW_CUSTOMER = "C00009"
KEY_ACCOUNTS_IN_CAST: tuple[str, ...] = ("C00001", "C00002", "C00012")
GROUPS: dict[str, tuple[str, ...]] = {
    "华东控股集团": ("C00001", "C00010", "C00011"),
    "远航集团": ("C00016", "C00017"),
}
#: the groups' limits on the demo's Policy sheet (base currency): 华东 uses about 93 % of its
#: limit (a warning), 远航 is over it (its members are held)
GROUP_LIMITS: dict[str, float] = {"华东控股集团": 6_000_000.0, "远航集团": 1_500_000.0}
FOREIGN_CUSTOMERS: tuple[str, ...] = ("C00012", "C00013", "C00014", "C00015")


#: how a customer pays (the cast's and every drawn customer's behaviour)
GOOD, AVERAGE, SLOW, DEFAULTED = 0, 1, 2, 3


@dataclass(frozen=True)
class CastMember:
    """One named customer of the story, as the demo's tables must show it."""

    name: str
    behaviour: int
    place: str  # a city of names.REGIONS, or a country code of names.FOREIGN
    industry: str
    ownership: str
    terms: int
    monthly_sales_cny: float
    strength: float
    key_account: bool = False
    status: str = "active"
    group: str | None = None
    since_days: int | None = None  # None: drawn
    statement_years: int = 3
    notes: str | None = None


CAST: tuple[CastMember, ...] = (
    CastMember(
        "上海华东精密机械股份有限公司",
        GOOD,
        "上海",
        "机械制造",
        "listed",
        60,
        1_200_000,
        0.92,
        key_account=True,
        group="华东控股集团",
        since_days=4100,
        notes="演示：长期按期付款的重点客户",
    ),
    CastMember(
        "北京中科恒信电子科技有限公司",
        GOOD,
        "北京",
        "电子元器件",
        "soe",
        45,
        800_000,
        0.82,
        key_account=True,
        since_days=3300,
        notes="演示：按期付款；8月一张发票因质量问题有争议",
    ),
    CastMember("深圳鹏远智能装备有限公司", GOOD, "深圳", "电气设备", "private", 30, 350_000, 0.74),
    CastMember(
        "广州粤海建材有限公司",
        SLOW,
        "广州",
        "建材",
        "private",
        60,
        420_000,
        0.36,
        notes="演示：慢付客户，承诺付款已兑现",
    ),
    CastMember(
        "苏州吴中纺织印染有限公司",
        SLOW,
        "苏州",
        "纺织",
        "private",
        90,
        380_000,
        0.30,
        notes="演示：慢付客户，承诺付款未兑现",
    ),
    CastMember(
        "天津滨海化工有限公司",
        SLOW,
        "天津",
        "化工",
        "soe",
        60,
        500_000,
        0.24,
        status="hold",
        notes="演示：严重逾期，额度过期，已冻结发货",
    ),
    CastMember(
        "武汉长江汽车零部件有限公司",
        DEFAULTED,
        "武汉",
        "汽车零部件",
        "private",
        60,
        650_000,
        0.05,
        status="legal",
        since_days=2400,
        notes="演示：2026年2月起停止付款，已起诉",
    ),
    CastMember(
        "成都蜀都食品有限公司",
        AVERAGE,
        "成都",
        "食品",
        "private",
        30,
        150_000,
        0.60,
        statement_years=1,
        notes="演示：仅有一年财务报表",
    ),
    CastMember(
        "合肥新锐医疗器械有限公司",
        AVERAGE,
        "合肥",
        "医疗器械",
        "private",
        45,
        200_000,
        0.55,
        since_days=240,
        statement_years=0,
        notes="演示：新客户，尚无财务报表和核定额度",
    ),
    CastMember(
        "江苏华东新材料有限公司",
        GOOD,
        "南京",
        "新材料",
        "private",
        45,
        450_000,
        0.70,
        group="华东控股集团",
    ),
    CastMember(
        "浙江华东国际物流有限公司",
        AVERAGE,
        "宁波",
        "物流",
        "private",
        30,
        260_000,
        0.55,
        group="华东控股集团",
    ),
    CastMember(
        "Müller Präzisionstechnik GmbH",
        GOOD,
        "DE",
        "机械制造",
        "foreign",
        60,
        700_000,
        0.85,
        key_account=True,
    ),
    CastMember(
        "Great Lakes Industrial Supply Inc.",
        AVERAGE,
        "US",
        "电气设备",
        "foreign",
        90,
        400_000,
        0.62,
    ),
    CastMember(
        "Lion City Components Pte. Ltd.", GOOD, "SG", "电子元器件", "foreign", 60, 300_000, 0.72
    ),
    CastMember("Tanaka Seiki Co., Ltd.", GOOD, "JP", "机械制造", "foreign", 90, 550_000, 0.80),
    CastMember(
        "宁波远航模具有限公司", GOOD, "宁波", "模具", "private", 45, 320_000, 0.68, group="远航集团"
    ),
    CastMember(
        "青岛远航海运物流有限公司",
        AVERAGE,
        "青岛",
        "物流",
        "private",
        30,
        240_000,
        0.52,
        group="远航集团",
    ),
)


@dataclass(frozen=True)
class HandInvoice:
    """An invoice the story needs exactly (its number is the first of its month)."""

    customer: int  # index into the cast
    days_before: int
    amount: float
    disputed: bool
    paid_days_before: int | None  # paid in full on that day, else open


HAND_INVOICES: tuple[HandInvoice, ...] = (
    HandInvoice(3, 163, 168_350.00, False, 46),  # KEPT_PROMISE_INVOICE
    HandInvoice(4, 130, 245_600.00, False, None),  # BROKEN_PROMISE_INVOICE
    HandInvoice(1, 80, 86_420.00, True, None),  # DISPUTED_INVOICE
)

#: the demo's own company, the sender of its letters and the seller in its contracts (Policy
#: rows ``company.*``), in each workbook language
DEMO_COMPANY: dict[str, dict[str, str]] = {
    "zh": {
        "company.name": "恒远精密制造有限公司",
        "company.uscc": "91310115MA1H7QK2X9",
        "company.address": "上海市浦东新区川沙路5188号",
        "company.legal_rep": "林振华",
        "company.bank": "中国工商银行上海张江支行",
        "company.account": "1001 2345 0910 0088 126",
        "company.contact": "信用管理部 王蕾",
        "company.phone": "021-5080 6618",
        "company.email": "credit@hengyuan-demo.cn",
        "company.seal_text": "公章",
    },
    "en": {
        "company.name": "Hengyuan Precision Manufacturing Co., Ltd.",
        "company.uscc": "91310115MA1H7QK2X9",
        "company.address": "5188 Chuansha Road, Pudong New Area, Shanghai, China",
        "company.legal_rep": "Lin Zhenhua",
        "company.bank": "ICBC Shanghai Zhangjiang Sub-branch",
        "company.account": "1001 2345 0910 0088 126",
        "company.contact": "Credit department, Wang Lei",
        "company.phone": "+86 21 5080 6618",
        "company.email": "credit@hengyuan-demo.cn",
        "company.seal_text": "company seal",
    },
}
