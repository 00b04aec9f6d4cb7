"""A realistic, reproducible demo register (and, scaled up, the benchmark register).

``credit-register init r.xlsm --demo`` fills a new workbook from :func:`demo_tables`; the repository
ships the built workbook and a test rebuilds it and compares contents, so every figure here comes
from a seeded ``numpy`` generator and dates are reckoned from the as-of date passed in, never from
today. Everything is vectorised over invoices and payments, so :meth:`DemoSize.large` (10,000
customers, 500,000 invoices) builds in seconds for benchmarks.

The cast (demo ids, as of :data:`DEMO_AS_OF` = 2026-10-31; tests and docs name them):

- ``C00001`` 上海华东精密机械股份有限公司 — listed key account, strong balance sheet, pays around
  the due date (a **good payer**); with ``C00010`` and ``C00011`` forms the group 华东控股集团.
- ``C00002`` 北京中科恒信电子科技有限公司 — SOE key account, good payer, but **one disputed
  invoice** (:data:`DISPUTED_INVOICE`, August 2026, unpaid while the quality claim is open).
- ``C00003``, ``C00010``, ``C00012`` (Müller Präzisionstechnik GmbH, EUR), ``C00014`` (Lion City
  Components Pte. Ltd., SGD), ``C00015`` (Tanaka Seiki Co., Ltd., JPY, insured), ``C00016`` —
  good payers.
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

The remaining customers are drawn at random (good 55 %, average 30 %, slow 15 %), mostly Chinese
companies with valid USCCs, a few foreign ones in EUR/USD/SGD/JPY.

Conventions of the tables returned: columns are schema keys in schema order; text and codes are
``str`` (codes as code keys: ``"soe"``, ``"bill"``, ``"promise"``…), dates ``datetime.date``,
amounts ``float`` rounded to the cent (whole yen for JPY), ints ``int``, bools ``bool``; blank is
``None`` (such a column then has ``object`` dtype). A credit note (negative amount) has a blank
paid amount, since ``0 ≤ paid ≤ amount`` cannot hold for it. Payments before the payments log
begins (only when :attr:`DemoSize.payments` caps the log) are recorded as the invoice's paid amount
alone, as a register migrated from an older system would show them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core import schema
from credit_register.core.schema import Sheet

Array = npt.NDArray[Any]

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
#: what the broken promise was for: the June invoice and the rest of the overdue balance
BROKEN_PROMISE_AMOUNT = 800_000.00
THIN_FILE_CUSTOMERS: tuple[str, ...] = ("C00008", "C00009")
NEW_CUSTOMER = "C00009"
KEY_ACCOUNTS_IN_CAST: tuple[str, ...] = ("C00001", "C00002", "C00012")
GROUPS: dict[str, tuple[str, ...]] = {
    "华东控股集团": ("C00001", "C00010", "C00011"),
    "远航集团": ("C00016", "C00017"),
}
FOREIGN_CUSTOMERS: tuple[str, ...] = ("C00012", "C00013", "C00014", "C00015")


@dataclass(frozen=True)
class DemoSize:
    """How much to generate. The defaults are the shipped demo; :meth:`large` the benchmark.

    ``None`` for a count means "what the story gives": three statements per customer less the
    thin files, one or two bureau reports per customer, one payment per paid invoice plus split
    payments and a little unapplied cash.
    """

    customers: int = 60
    invoice_months: int = 18
    invoices: int = 3200
    seed: int = 20261031
    statements: int | None = None
    payments: int | None = None
    orders: int = 40
    bureau_reports: int | None = None
    #: share of the randomly drawn customers that default (the cast always has one)
    defaulted_share: float = 0.0

    def __post_init__(self) -> None:
        if self.customers < len(_CAST):
            raise ValueError(f"at least {len(_CAST)} customers (the demo cast)")
        if self.invoices < self.customers + len(_HAND_INVOICES):
            raise ValueError("at least one invoice per customer")
        if not 1 <= self.invoice_months <= 120:
            raise ValueError("invoice_months must be 1–120")

    @classmethod
    def large(cls) -> DemoSize:
        """The synthetic register for benchmarks."""
        return cls(
            customers=10_000,
            statements=30_000,
            invoices=500_000,
            payments=400_000,
            orders=20_000,
            bureau_reports=10_000,
            defaulted_share=0.02,
        )


# --------------------------------------------------------------------------- reference lists

GOOD, AVERAGE, SLOW, DEFAULTED = 0, 1, 2, 3

# city prefix, address prefix, administrative division code (USCC digits 3–8), phone area code
_REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("上海", "上海市浦东新区", "310115", "021"),
    ("北京", "北京市朝阳区", "110105", "010"),
    ("深圳", "广东省深圳市南山区", "440305", "0755"),
    ("广州", "广东省广州市天河区", "440106", "020"),
    ("苏州", "江苏省苏州市虎丘区", "320505", "0512"),
    ("杭州", "浙江省杭州市西湖区", "330106", "0571"),
    ("宁波", "浙江省宁波市鄞州区", "330212", "0574"),
    ("南京", "江苏省南京市秦淮区", "320104", "025"),
    ("天津", "天津市滨海新区", "120116", "022"),
    ("青岛", "山东省青岛市崂山区", "370212", "0532"),
    ("武汉", "湖北省武汉市武昌区", "420106", "027"),
    ("成都", "四川省成都市武侯区", "510107", "028"),
    ("重庆", "重庆市渝北区", "500112", "023"),
    ("无锡", "江苏省无锡市新吴区", "320214", "0510"),
    ("佛山", "广东省佛山市禅城区", "440604", "0757"),
    ("厦门", "福建省厦门市湖里区", "350206", "0592"),
    ("合肥", "安徽省合肥市蜀山区", "340104", "0551"),
    ("西安", "陕西省西安市雁塔区", "610113", "029"),
    ("长沙", "湖南省长沙市岳麓区", "430104", "0731"),
    ("郑州", "河南省郑州市金水区", "410105", "0371"),
)
_REGION = {r[0]: i for i, r in enumerate(_REGIONS)}
_ROADS = (
    "科技路",
    "工业大道",
    "人民路",
    "建设路",
    "创新大道",
    "长江路",
    "黄河路",
    "滨江大道",
    "高新路",
    "中山路",
    "解放路",
    "发展大道",
)

# trade name and its pinyin (for e-mail domains)
_TRADE_NAMES: tuple[tuple[str, str], ...] = (
    ("华东", "huadong"),
    ("恒信", "hengxin"),
    ("鼎盛", "dingsheng"),
    ("金石", "jinshi"),
    ("宏达", "hongda"),
    ("远航", "yuanhang"),
    ("瑞丰", "ruifeng"),
    ("鹏远", "pengyuan"),
    ("新锐", "xinrui"),
    ("海润", "hairun"),
    ("天成", "tiancheng"),
    ("博远", "boyuan"),
    ("华信", "huaxin"),
    ("永盛", "yongsheng"),
    ("泰和", "taihe"),
    ("嘉禾", "jiahe"),
    ("汇通", "huitong"),
    ("盛世", "shengshi"),
    ("同创", "tongchuang"),
    ("德丰", "defeng"),
    ("润泽", "runze"),
    ("启航", "qihang"),
    ("昌盛", "changsheng"),
    ("鑫源", "xinyuan"),
    ("宝丰", "baofeng"),
    ("振兴", "zhenxing"),
    ("顺达", "shunda"),
    ("安泰", "antai"),
    ("通达", "tongda"),
    ("凯达", "kaida"),
    ("精诚", "jingcheng"),
    ("蓝海", "lanhai"),
    ("和信", "hexin"),
    ("广源", "guangyuan"),
    ("利华", "lihua"),
    ("金桥", "jinqiao"),
    ("东升", "dongsheng"),
    ("万通", "wantong"),
    ("众诚", "zhongcheng"),
    ("卓越", "zhuoyue"),
    ("华瑞", "huarui"),
    ("美嘉", "meijia"),
    ("天宇", "tianyu"),
    ("伟业", "weiye"),
    ("荣达", "rongda"),
    ("锦程", "jincheng"),
    ("鸿运", "hongyun"),
    ("中科", "zhongke"),
    ("粤海", "yuehai"),
    ("吴中", "wuzhong"),
    ("滨海", "binhai"),
    ("长江", "changjiang"),
    ("蜀都", "shudu"),
    ("恒通", "hengtong"),
    ("聚力", "juli"),
    ("宏图", "hongtu"),
    ("新华源", "xinhuayuan"),
    ("北辰", "beichen"),
    ("兴达", "xingda"),
    ("佳禾", "jiahe2"),
)
# industry, the word in a company name, e-mail domain suffix
_INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("机械制造", "精密机械", "jx"),
    ("电子元器件", "电子科技", "dz"),
    ("化工", "化工", "hg"),
    ("新材料", "新材料科技", "xcl"),
    ("物流", "物流", "wl"),
    ("建材", "建材", "jc"),
    ("汽车零部件", "汽车零部件", "qp"),
    ("医疗器械", "医疗器械", "yl"),
    ("食品", "食品", "sp"),
    ("纺织", "纺织印染", "fz"),
    ("包装", "包装材料", "bz"),
    ("电气设备", "电气设备", "dq"),
    ("家用电器", "电器", "jd"),
    ("光伏", "光伏科技", "gf"),
    ("模具", "模具", "mj"),
)
_INDUSTRY = {r[0]: i for i, r in enumerate(_INDUSTRIES)}
_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司")
_SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐")
_GIVEN_NAMES = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "建华",
    "国强",
    "志明",
    "海燕",
    "晓东",
    "文",
    "斌",
    "鹏",
    "辉",
    "宇",
)
_MAILBOXES = ("finance", "caiwu", "ar", "info", "purchase")

# country, currency, CNY per unit at the as-of date, name stems (display, ascii), business
# words, legal form, cities, street, phone prefix, mail domain suffix, people
_FOREIGN: tuple[tuple[Any, ...], ...] = (
    (
        "DE",
        "EUR",
        8.2150,
        (
            ("Müller", "mueller"),
            ("Schneider", "schneider"),
            ("Becker", "becker"),
            ("Hoffmann", "hoffmann"),
            ("Wagner", "wagner"),
        ),
        ("Präzisionstechnik", "Maschinenbau", "Antriebstechnik", "Elektronik"),
        "GmbH",
        ("80802 München", "70173 Stuttgart", "20095 Hamburg"),
        "Industriestraße",
        "+49 89 ",
        "de",
        ("Hans Müller", "Petra Schneider", "Klaus Becker", "Andrea Wagner"),
    ),
    (
        "US",
        "USD",
        7.1285,
        (
            ("Great Lakes", "greatlakes"),
            ("Pacific Rim", "pacificrim"),
            ("Lone Star", "lonestar"),
            ("Summit", "summit"),
            ("Bay Area", "bayarea"),
        ),
        ("Industrial Supply", "Trading", "Components", "Manufacturing"),
        "Inc.",
        ("Chicago, IL 60601", "Houston, TX 77002", "San Jose, CA 95113"),
        "Commerce Drive",
        "+1 312 ",
        "com",
        ("John Carter", "Mary Johnson", "Robert Lee", "Linda Davis"),
    ),
    (
        "SG",
        "SGD",
        5.5120,
        (
            ("Lion City", "lioncity"),
            ("Marina", "marina"),
            ("Straits", "straits"),
            ("Orchid", "orchid"),
            ("Raffles", "raffles"),
        ),
        ("Components", "Electronics", "Logistics", "Trading"),
        "Pte. Ltd.",
        ("Singapore 609434", "Singapore 018989"),
        "Jurong Port Road",
        "+65 6",
        "com.sg",
        ("Tan Wei Ming", "Lim Mei Ling", "Ng Boon Keat"),
    ),
    (
        "JP",
        "JPY",
        0.0468,
        (
            ("Tanaka", "tanaka"),
            ("Suzuki", "suzuki"),
            ("Yamamoto", "yamamoto"),
            ("Sato", "sato"),
            ("Kobayashi", "kobayashi"),
        ),
        ("Seiki", "Denki", "Kogyo", "Shoji"),
        "Co., Ltd.",
        ("Osaka 530-0001", "Nagoya 450-0002", "Yokohama 220-0012"),
        "Chuo",
        "+81 6 ",
        "co.jp",
        ("Tanaka Hiroshi", "Suzuki Yuki", "Sato Kenji"),
    ),
)
_COUNTRY = {r[0]: i for i, r in enumerate(_FOREIGN)}

_ACCOUNT_MANAGERS: tuple[tuple[str, str], ...] = (
    ("张伟", "zhang.wei"),
    ("李娜", "li.na"),
    ("王磊", "wang.lei"),
    ("刘洋", "liu.yang"),
    ("陈静", "chen.jing"),
    ("杨帆", "yang.fan"),
    ("赵敏", "zhao.min"),
    ("周杰", "zhou.jie"),
)
_OUR_DOMAIN = "hengyuan-demo.cn"
_INSURERS = (
    "中国出口信用保险公司",
    "中国人民财产保险股份有限公司",
    "中国平安财产保险股份有限公司",
    "中国太平洋财产保险股份有限公司",
)
# agency, score_max; the last one is for foreign customers
_AGENCIES: tuple[tuple[str, float], ...] = (
    ("企查查", 100.0),
    ("天眼查", 100.0),
    ("启信宝", 100.0),
    ("中诚信", 1000.0),
    ("Dun & Bradstreet", 100.0),
)
_AGENCY_GRADES = ("CCC", "B", "BB", "BBB", "A", "AA", "AAA")


@dataclass(frozen=True)
class _Cast:
    name: str
    behaviour: int
    place: str  # a _REGIONS city, or a _FOREIGN country code
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


_CAST: tuple[_Cast, ...] = (
    _Cast(
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
    _Cast(
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
    _Cast("深圳鹏远智能装备有限公司", GOOD, "深圳", "电气设备", "private", 30, 350_000, 0.74),
    _Cast(
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
    _Cast(
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
    _Cast(
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
    _Cast(
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
    _Cast(
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
    _Cast(
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
    _Cast(
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
    _Cast(
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
    _Cast(
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
    _Cast(
        "Great Lakes Industrial Supply Inc.",
        AVERAGE,
        "US",
        "电气设备",
        "foreign",
        90,
        400_000,
        0.62,
    ),
    _Cast("Lion City Components Pte. Ltd.", GOOD, "SG", "电子元器件", "foreign", 60, 300_000, 0.72),
    _Cast("Tanaka Seiki Co., Ltd.", GOOD, "JP", "机械制造", "foreign", 90, 550_000, 0.80),
    _Cast(
        "宁波远航模具有限公司", GOOD, "宁波", "模具", "private", 45, 320_000, 0.68, group="远航集团"
    ),
    _Cast(
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
class _HandInvoice:
    """An invoice the story needs exactly (its number is the first of its month)."""

    customer: int  # index into the cast
    days_before: int
    amount: float
    disputed: bool
    paid_days_before: int | None  # paid in full on that day, else open


_HAND_INVOICES: tuple[_HandInvoice, ...] = (
    _HandInvoice(3, 163, 168_350.00, False, 46),  # KEPT_PROMISE_INVOICE
    _HandInvoice(4, 130, 245_600.00, False, None),  # BROKEN_PROMISE_INVOICE
    _HandInvoice(1, 80, 86_420.00, True, None),  # DISPUTED_INVOICE
)


# --------------------------------------------------------------------------- small helpers


def _day(d: dt.date) -> np.datetime64:
    return np.datetime64(d, "D")


def _days(values: Array | int) -> Array:
    """Day offsets as ``timedelta64[D]``."""
    return np.asarray(values, dtype=np.int64).astype("timedelta64[D]")


def _blank_where(blank: Array, values: Array) -> Array:
    """``values`` as objects, ``None`` where ``blank``."""
    result = np.asarray(values).astype(object)
    result[blank] = None
    return result


def _weekday_before(dates: Array) -> Array:
    """Business paperwork happens on weekdays: roll a weekend back to Friday."""
    return np.busday_offset(dates.astype("datetime64[D]"), 0, roll="backward")


def _cat(*parts: Any) -> Array:
    """Element-wise string concatenation of arrays and scalars (as ``str`` objects)."""
    arrays = [np.asarray(p).astype(str) for p in parts]
    result: Array = reduce(np.char.add, arrays)
    return result.astype(object)


def _zfill(numbers: Array, width: int) -> Array:
    return np.char.zfill(np.asarray(numbers, dtype=np.int64).astype(str), width)


def _round_money(values: Array, decimals: Array | int) -> Array:
    """Cents, or whole units for currencies without them (JPY)."""
    scale = np.power(10.0, decimals)
    return np.round(np.asarray(values, dtype=float) * scale) / scale


def _numbered(prefix: str, dates: Array, first: Array, tiebreak: Array) -> tuple[Array, Array]:
    """The order that sorts rows by document number, and the numbers in that order.

    Numbers are ``<prefix><yymm><seq>``, counted per month in date order; ``first`` rows take
    their month's first numbers, so the story's hand-made rows have numbers known in advance.
    Callers reorder their (numeric) arrays once, before any text is built: cheaper than
    shuffling text columns at the end.
    """
    months = dates.astype("datetime64[M]").astype(np.int64)
    order = np.lexsort((tiebreak, dates.astype(np.int64), ~first, months))
    sorted_months = months[order]
    _, starts, counts = np.unique(sorted_months, return_index=True, return_counts=True)
    seq_sorted = np.arange(len(order)) - np.repeat(starts, counts) + 1
    width = max(5, len(str(int(counts.max())))) if len(counts) else 5
    yymm = (sorted_months // 12 + 1970) % 100 * 100 + sorted_months % 12 + 1
    return order, _cat(prefix, _zfill(yymm * 10**width + seq_sorted, 4 + width))


def _reorder(order: Array, *arrays: Array) -> list[Array]:
    return [a[order] for a in arrays]


def _column(values: Any, column: schema.Column) -> pd.Series:
    """One output column in the agreed Python types, blanks as ``None``."""
    arr = np.asarray(values)
    if column.type == "date":
        return pd.Series(arr.astype("datetime64[D]").astype(object), dtype=object)
    if column.type == "number":
        numbers = arr.astype(float)
        numbers = np.round(numbers, 6 if column.fmt == "rate" else 2)
        blank = np.isnan(numbers)
        if blank.any():
            as_objects = numbers.astype(object)
            as_objects[blank] = None
            return pd.Series(as_objects, dtype=object)
        return pd.Series(numbers, dtype="float64")
    if column.type == "int":
        return pd.Series(arr.astype(np.int64), dtype="int64")
    if column.type == "bool":
        return pd.Series(arr.astype(bool), dtype=bool)
    return pd.Series(arr.astype(object), dtype=object)


def _frame(sheet: Sheet, columns: dict[str, Any], order: Array | None = None) -> pd.DataFrame:
    """A table with every schema column of ``sheet`` in schema order."""
    missing = [c.key for c in sheet.columns if c.key not in columns]
    if missing:
        raise KeyError(f"{sheet.key}: no values for {missing}")

    def arranged(values: Any) -> Any:
        return values if order is None else np.asarray(values)[order]

    return pd.DataFrame({c.key: _column(arranged(columns[c.key]), c) for c in sheet.columns})


def _org_code_check(body: Array) -> Array:
    """GB 11714 check character of an 8-character organisation code body (digits here)."""
    weights = np.array([3, 7, 9, 10, 5, 8, 4, 2])
    remainder = 11 - (body * weights).sum(axis=1) % 11
    return np.where(remainder == 10, "X", np.where(remainder == 11, "0", remainder.astype(str)))


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])


def _usccs(rng: np.random.Generator, region_codes: Array) -> Array:
    """Valid 18-character USCCs (GB 32100-2015): 9 (market regulator), 1 (enterprise), the
    region code, a GB 11714 organisation code with its own check, and the final check."""
    n = len(region_codes)
    body = rng.integers(0, 10, size=(n, 8))
    body[:, 0] = rng.integers(1, 10, size=n)  # organisation codes do not start with 0
    org_check = _org_code_check(body)
    first17 = _cat("91", region_codes, *[body[:, i].astype(str) for i in range(8)], org_check)
    # the 17 characters as bytes, mapped to their values through a lookup table
    raw = np.frombuffer("".join(first17.tolist()).encode("ascii"), dtype=np.uint8)
    lookup = np.zeros(128, dtype=np.int64)
    lookup[np.frombuffer(_USCC_ALPHABET.encode("ascii"), dtype=np.uint8)] = np.arange(31)
    values = lookup[raw].reshape(n, 17)
    check = (31 - (values * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    return _cat(first17, np.array(list(_USCC_ALPHABET), dtype=object)[check])


# --------------------------------------------------------------------------- the customers


@dataclass
class _Book:
    """Per-customer facts shared by every table (arrays indexed by customer)."""

    ids: Array
    foreign: Array
    country: Array
    currency: Array
    rate: Array
    decimals: Array
    behaviour: Array
    strength: Array
    terms: Array
    sales_cny: Array
    since: Array
    trade_start: Array
    trade_end: Array
    stop: Array
    default_date: Array
    status: Array
    key_account: Array
    ownership: Array
    manager: Array
    statement_years: Array
    cast: Array


def _book(
    rng: np.random.Generator,
    size: DemoSize,
    as_of: np.datetime64,
) -> tuple[_Book, dict[str, Array]]:
    n = size.customers
    n_cast = len(_CAST)
    cast = np.arange(n) < n_cast
    width = max(5, len(str(n)))
    ids = _cat("C", _zfill(np.arange(1, n + 1), width))

    n_regions, n_trades, n_industries = len(_REGIONS), len(_TRADE_NAMES), len(_INDUSTRIES)
    combos = n_regions * n_trades * n_industries
    combo = rng.choice(combos, size=n, replace=n > combos)
    region = combo // (n_trades * n_industries)
    trade = combo // n_industries % n_trades
    industry = combo % n_industries

    foreign = rng.random(n) < 0.05
    country_ix = rng.integers(0, len(_FOREIGN), n)
    behaviour = rng.choice(
        4, size=n, p=[0.55, 0.30, 0.15 - size.defaulted_share, size.defaulted_share]
    )
    low = np.array([0.55, 0.40, 0.18, 0.0])[behaviour]
    high = np.array([0.95, 0.75, 0.50, 0.15])[behaviour]
    strength = low + (high - low) * rng.random(n)
    ownership = rng.choice(
        np.array(["soe", "private", "listed", "foreign", "other"], dtype=object),
        size=n,
        p=[0.18, 0.55, 0.12, 0.08, 0.07],
    )
    terms = rng.choice(np.array([30, 45, 60, 90]), size=n, p=[0.3, 0.3, 0.3, 0.1])
    terms = np.where(foreign, rng.choice(np.array([60, 90]), size=n), terms)
    sales_cny = np.clip(np.round(rng.lognormal(np.log(300_000), 0.8, n), -3), 30_000, 6_000_000)
    since_days = np.where(
        rng.random(n) < 0.03, rng.integers(90, 500, n), rng.integers(730, 5000, n)
    )
    statement_years = np.where(rng.random(n) < 0.04, 1, 3)
    status = np.full(n, "active", dtype=object)
    status[(behaviour == SLOW) & (rng.random(n) < 0.05)] = "hold"
    key_account = sales_cny >= np.quantile(sales_cny, 0.85)
    manager = rng.integers(0, len(_ACCOUNT_MANAGERS), n)
    group = np.full(n, None, dtype=object)
    notes = np.full(n, None, dtype=object)

    # a few drawn groups for large registers: pairs sharing a trade name
    n_groups = (n - n_cast) // 100
    if n_groups:
        candidates = np.flatnonzero(~cast & ~foreign)
        members = rng.choice(candidates, size=(n_groups, 2), replace=False)
        trade[members[:, 1]] = trade[members[:, 0]]
        industry[members[:, 1]] = (industry[members[:, 0]] + 3) % n_industries
        trade_zh_all = np.array([t[0] for t in _TRADE_NAMES], dtype=object)
        group_names = _cat(trade_zh_all[trade[members[:, 0]]], "集团")
        group[members[:, 0]] = group_names
        group[members[:, 1]] = group_names

    stem_ix = rng.integers(0, 5, n)
    word_ix = rng.integers(0, 4, n)
    cast_names = np.full(n, None, dtype=object)
    for i, member in enumerate(_CAST):  # the cast is a short, hand-written list
        cast_names[i] = member.name
        foreign[i] = member.place in _COUNTRY
        if foreign[i]:
            country_ix[i] = _COUNTRY[member.place]
        else:
            region[i] = _REGION[member.place]
        industry[i] = _INDUSTRY[member.industry]
        behaviour[i] = member.behaviour
        strength[i] = member.strength
        ownership[i] = member.ownership
        terms[i] = member.terms
        sales_cny[i] = member.monthly_sales_cny
        key_account[i] = member.key_account
        status[i] = member.status
        group[i] = member.group
        if member.since_days is not None:
            since_days[i] = member.since_days
        # the e-mail domain follows the cast's own name
        if foreign[i]:
            stem_ix[i] = next(
                k
                for k, st in enumerate(_FOREIGN[country_ix[i]][3])
                if member.name.startswith(st[0])
            )
            word_ix[i] = next(
                k for k, w in enumerate(_FOREIGN[country_ix[i]][4]) if w in member.name
            )
        else:
            trade[i] = next(k for k, t in enumerate(_TRADE_NAMES) if t[0] in member.name)
        statement_years[i] = member.statement_years
        notes[i] = member.notes
    ownership[foreign] = "foreign"
    status[behaviour == DEFAULTED] = "legal"
    defaulted = behaviour == DEFAULTED

    country_codes = np.array([f[0] for f in _FOREIGN], dtype=object)
    currencies = np.array([f[1] for f in _FOREIGN], dtype=object)
    country = np.where(foreign, country_codes[country_ix], "CN")
    currency = np.where(foreign, currencies[country_ix], "CNY")
    rate = np.where(foreign, np.array([f[2] for f in _FOREIGN])[country_ix], 1.0)
    decimals = np.where(currency == "JPY", 0, 2)

    # a defaulter is an old customer (new customers are not shipped to for months unpaid)
    since_days[defaulted] = np.maximum(since_days[defaulted], 730)
    since = _weekday_before(as_of - _days(since_days))
    first_month = as_of.astype("datetime64[M]") - (size.invoice_months - 1)
    window_start = first_month.astype("datetime64[D]")
    trade_start = np.maximum(since, window_start)
    # defaulters stopped paying 6–10 months ago (the cast's on the last day of February), kept
    # being shipped to for a while, and were sued a few months later
    stop = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    stop_days = rng.integers(180, 330, n)
    stop_days[:n_cast] = 245
    stop[defaulted] = as_of - _days(stop_days[defaulted])
    trade_end = np.where(defaulted, stop + _days(rng.integers(30, 75, n)), as_of)
    trade_end[:n_cast] = np.where(defaulted[:n_cast], stop[:n_cast] + _days(60), as_of)
    default_days = np.where(np.arange(n) < n_cast, 75, rng.integers(45, 100, n))
    default_date = np.where(
        defaulted, _weekday_before(stop + _days(default_days)), np.datetime64("NaT")
    )

    # names, addresses, people
    trade_zh = np.array([t[0] for t in _TRADE_NAMES], dtype=object)[trade]
    trade_py = np.array([t[1] for t in _TRADE_NAMES], dtype=object)[trade]
    region_city = np.array([r[0] for r in _REGIONS], dtype=object)[region]
    name_word = np.array([x[1] for x in _INDUSTRIES], dtype=object)[industry]
    suffix = rng.choice(np.array(_SUFFIXES, dtype=object), size=n)
    suffix[ownership == "listed"] = "股份有限公司"
    zh_name = _cat(region_city, trade_zh, name_word, suffix)

    legal_form, street, phone_prefix, mail_suffix = (
        np.array([f[k] for f in _FOREIGN], dtype=object) for k in (5, 7, 8, 9)
    )
    stems = [[s[0] for s in f[3]] for f in _FOREIGN]
    stems_ascii = [[s[1] for s in f[3]] for f in _FOREIGN]
    stem = np.array(stems, dtype=object)[country_ix, stem_ix]
    stem_ascii = np.array(stems_ascii, dtype=object)[country_ix, stem_ix]
    word = np.array([list(f[4]) for f in _FOREIGN], dtype=object)[country_ix, word_ix]
    en_name = _cat(stem, " ", word, " ", legal_form[country_ix])
    name = np.where(foreign, en_name, zh_name)
    name = np.where(cast, cast_names, name)
    # the same name twice (only when drawing more customers than name combinations) gets a number
    repeat = pd.Series(name).groupby(name).cumcount().to_numpy()
    name = np.where(repeat > 0, _cat(name, "（", (repeat + 1).astype(str), "）"), name)

    road = rng.choice(np.array(_ROADS, dtype=object), size=n)
    number = rng.integers(1, 999, n).astype(str)
    city_ix = rng.integers(0, 3, n)
    foreign_city = np.array(
        [[f[6][k % len(f[6])] for k in range(3)] for f in _FOREIGN], dtype=object
    )[country_ix, city_ix]
    address = np.where(
        foreign,
        _cat(number, " ", street[country_ix], ", ", foreign_city),
        _cat(np.array([r[1] for r in _REGIONS], dtype=object)[region], road, number, "号"),
    )
    legal_rep_zh = _cat(
        rng.choice(np.array(_SURNAMES, dtype=object), size=n),
        rng.choice(np.array(_GIVEN_NAMES, dtype=object), size=n),
    )
    people = np.array([[f[10][k % len(f[10])] for k in range(4)] for f in _FOREIGN], dtype=object)
    legal_rep = np.where(foreign, people[country_ix, rng.integers(0, 4, n)], legal_rep_zh)
    digits = _zfill(rng.integers(0, 10_000_000, n), 7)
    phone = np.where(
        foreign,
        _cat(phone_prefix[country_ix], digits),
        _cat(
            np.array([r[3] for r in _REGIONS], dtype=object)[region],
            "-",
            rng.integers(5, 9, n).astype(str),
            digits,
        ),
    )
    industry_slug = np.array([x[2] for x in _INDUSTRIES], dtype=object)[industry]
    domain_word = np.where(
        foreign,
        _cat(stem_ascii, "-", np.char.lower(word.astype(str)).astype(object)),
        _cat(trade_py, industry_slug),
    )
    domain_word = domain_word.astype(str)
    for letter, ascii_letters in ((" ", ""), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        domain_word = np.char.replace(domain_word, letter, ascii_letters)
    domain_word = domain_word.astype(object)
    email = np.where(
        foreign,
        _cat("accounts@", domain_word, ".", mail_suffix[country_ix]),
        _cat(rng.choice(np.array(_MAILBOXES, dtype=object), size=n), "@", domain_word, ".com"),
    )
    email[(rng.random(n) < 0.08) & ~cast] = None
    region_code = np.array([r[2] for r in _REGIONS], dtype=object)[region]
    uscc = _blank_where(foreign, _usccs(rng, region_code))
    industry_name = np.array([x[0] for x in _INDUSTRIES], dtype=object)[industry]

    book = _Book(
        ids=ids,
        foreign=foreign,
        country=country,
        currency=currency,
        rate=rate,
        decimals=decimals,
        behaviour=behaviour,
        strength=strength,
        terms=terms,
        sales_cny=sales_cny,
        since=since,
        trade_start=trade_start,
        trade_end=trade_end,
        stop=stop,
        default_date=default_date,
        status=status,
        key_account=key_account,
        ownership=ownership,
        manager=manager,
        statement_years=statement_years,
        cast=cast,
    )
    text = {
        "name": name,
        "uscc": uscc,
        "registered_address": address,
        "legal_rep": legal_rep,
        "phone": phone,
        "email": email,
        "industry": industry_name,
        "group": group,
        "notes": notes,
    }
    return book, text


#: how much more than the terms' need the demo's approved limits allow (bills and open orders)
BILLS_AND_ORDERS_ROOM = 1.8


def _customers(
    rng: np.random.Generator,
    book: _Book,
    text: dict[str, Array],
    monthly_sales_local: Array,
    as_of: np.datetime64,
) -> pd.DataFrame:
    n = len(book.ids)
    step = np.where(book.currency == "JPY", 1_000_000.0, 10_000.0)
    # the approved limit is a past human decision: what the terms need, with room for the bank
    # acceptance bills (exposure until they mature, up to six months) and the open orders that
    # a credit manager sees on top of the invoices; rounded
    need = monthly_sales_local * (book.terms + 15) / 30
    approved = np.round(need * BILLS_AND_ORDERS_ROOM * rng.uniform(0.8, 1.3, n) / step) * step
    approved = np.maximum(approved, step)
    no_limit = (rng.random(n) < 0.05) & ~book.cast
    no_limit |= book.ids == NEW_CUSTOMER
    approved[no_limit] = np.nan
    year_end = np.datetime64(f"{as_of.astype('datetime64[Y]')}-12-31")
    mid_next = (as_of.astype("datetime64[Y]") + 1).astype("datetime64[D]") + _days(180)
    valid_until = np.where(rng.random(n) < 0.5, year_end, mid_next).astype("datetime64[D]")
    expired = ((rng.random(n) < 0.08) & ~book.cast) | (book.ids == HOLD_CUSTOMER)
    valid_until[expired] = _weekday_before(as_of - _days(rng.integers(20, 200, n)))[expired]
    valid_until[no_limit] = np.datetime64("NaT")

    insured = ((rng.random(n) < np.where(book.foreign, 0.8, 0.2)) & ~no_limit) | (
        book.ids == "C00015"
    )
    insured &= book.behaviour != DEFAULTED
    insured_limit = np.where(
        insured, np.round(approved * rng.uniform(0.5, 1.0, n) / step) * step, np.nan
    )
    insured_limit = np.where(insured, np.maximum(insured_limit, step), np.nan)
    insurer = rng.choice(np.array(_INSURERS[1:], dtype=object), size=n)
    insurer[book.foreign] = _INSURERS[0]  # export credit insurance
    insurer = _blank_where(~insured, insurer)
    cover = np.where(insured, rng.choice(np.array([80.0, 85.0, 90.0]), size=n), np.nan)

    manager_name = np.array([m[0] for m in _ACCOUNT_MANAGERS], dtype=object)[book.manager]
    manager_email = _cat(
        np.array([m[1] for m in _ACCOUNT_MANAGERS], dtype=object)[book.manager], "@" + _OUR_DOMAIN
    )
    expected_step = np.where(book.currency == "JPY", 100_000.0, 1_000.0)
    expected = monthly_sales_local * rng.uniform(0.9, 1.1, n)
    expected = np.round(expected / expected_step) * expected_step
    return _frame(
        schema.CUSTOMERS,
        {
            "customer_id": book.ids,
            **text,
            "country": book.country,
            "ownership": book.ownership,
            "account_manager": manager_name,
            "manager_email": manager_email,
            "since": book.since,
            "key_account": book.key_account,
            "currency": book.currency,
            "payment_terms_days": book.terms,
            "expected_monthly_sales": expected,
            "approved_limit": approved,
            "limit_valid_until": valid_until,
            "insured_limit": insured_limit,
            "insurer": insurer,
            "insurance_cover_pct": cover,
            "status": book.status,
            "defaulted": book.behaviour == DEFAULTED,
            "default_date": book.default_date,
        },
    )


# --------------------------------------------------------------------------- invoices, payments


@dataclass
class _Trade:
    invoices: pd.DataFrame
    payments: pd.DataFrame
    #: per customer: invoiced in the customer's currency over its trading months
    monthly_sales_local: Array
    #: per customer: has an invoice open and past due at the as-of date
    overdue: Array
    #: late payments (for promises kept): customer, payment date, amount
    late_payments: tuple[Array, Array, Array]


def _trade(rng: np.random.Generator, book: _Book, size: DemoSize, as_of: np.datetime64) -> _Trade:
    n_cust = len(book.ids)
    hand = _HAND_INVOICES
    n_gen = size.invoices - len(hand)
    active_days = (book.trade_end - book.trade_start).astype(np.int64) + 1
    weight = np.sqrt(book.sales_cny) * active_days
    counts = 1 + rng.multinomial(n_gen - n_cust, weight / weight.sum())
    cust = np.repeat(np.arange(n_cust), counts)
    n = len(cust)

    offset = np.floor(rng.random(n) * active_days[cust]).astype(np.int64)
    start = book.trade_start[cust]
    end = book.trade_end[cust]
    inv_date = np.busday_offset(start + _days(offset), 0, roll="forward")
    inv_date = np.where(inv_date > end, _weekday_before(end), inv_date)

    months = active_days / 30.4375
    local_sales = book.sales_cny / book.rate
    mean_amount = (local_sales * months / counts)[cust]
    amount = mean_amount * rng.lognormal(-0.125, 0.5, n)
    credit_note = rng.random(n) < 0.015
    amount = np.where(credit_note, -amount * rng.uniform(0.03, 0.2, n), amount)
    decimals = book.decimals[cust]
    amount = _round_money(amount, decimals)
    amount = np.where(amount == 0, 1.0, amount)
    due = np.where(credit_note, inv_date, inv_date + _days(book.terms[cust]))
    due_blank = ~credit_note & (rng.random(n) < 0.01)
    disputed = np.zeros(n, dtype=bool)

    # payment behaviour: days after the due date
    behaviour = book.behaviour[cust]
    delay = np.select(
        [behaviour == GOOD, behaviour == AVERAGE, behaviour == SLOW],
        [
            np.clip(np.round(rng.normal(-1, 4, n)), -10, 12),
            np.clip(np.round(rng.normal(8, 10, n)), -5, 50),
            rng.integers(30, 121, n),
        ],
        rng.integers(10, 61, n),
    ).astype(np.int64)
    pay1 = _weekday_before(np.maximum(due + _days(delay), inv_date))
    pay1 = np.maximum(pay1, inv_date)
    stop = book.stop[cust]
    still_paying = np.isnat(stop) | (pay1 < stop)
    paid = ~credit_note & (pay1 <= as_of) & still_paying
    # some invoices are paid in two parts (a short payment, the rest later)
    partial = paid & (rng.random(n) < np.array([0.02, 0.06, 0.10, 0.10])[behaviour])
    share = rng.uniform(0.3, 0.8, n)
    pay1_amount = np.where(partial, _round_money(amount * share, decimals), amount)
    pay2 = _weekday_before(pay1 + _days(rng.integers(15, 61, n)))
    pay2 = np.maximum(pay2, pay1)
    paid2 = partial & (pay2 <= as_of) & (np.isnat(stop) | (pay2 < stop))
    pay2_amount = np.where(paid2, _round_money(amount - pay1_amount, decimals), 0.0)
    # pre-log: paid, but from before the payments log starts (only when a payment count is set)
    pre_log = np.zeros(n, dtype=bool)
    n_unapplied = max(3, round(0.002 * size.invoices))
    if size.payments is not None:
        natural = int(paid.sum() + paid2.sum()) + len([h for h in hand if h.paid_days_before])
        excess = natural + n_unapplied - size.payments
        whole = np.flatnonzero(paid & ~partial)
        if excess > 0:
            oldest = whole[np.argsort(inv_date[whole].astype(np.int64), kind="stable")]
            pre_log[oldest[:excess]] = True
        elif excess < 0:
            # more payments wanted: split some invoices paid in one go into two instalments
            split = rng.choice(whole, size=min(-excess, len(whole)), replace=False)
            partial[split] = True
            paid2[split] = True
            pay2[split] = pay1[split]
            pay1[split] = np.maximum(_weekday_before(pay1[split] - _days(20)), inv_date[split])
            pay1_amount[split] = _round_money(amount[split] * share[split], decimals[split])
            pay2_amount[split] = _round_money(amount[split] - pay1_amount[split], decimals[split])

    # the story's hand-made invoices
    h_cust = np.array([h.customer for h in hand])
    h_date = np.array([as_of - np.timedelta64(h.days_before, "D") for h in hand])
    h_amount = np.array([h.amount for h in hand])
    h_paid = np.array([h.paid_days_before is not None for h in hand])
    h_pay = np.array([as_of - np.timedelta64(h.paid_days_before or 0, "D") for h in hand])
    m = len(hand)
    cust = np.concatenate([cust, h_cust])
    inv_date = np.concatenate([inv_date, h_date]).astype("datetime64[D]")
    amount = np.concatenate([amount, h_amount])
    decimals = book.decimals[cust]
    credit_note = np.concatenate([credit_note, np.zeros(m, bool)])
    due = np.concatenate([due, h_date + _days(book.terms[h_cust])]).astype("datetime64[D]")
    due_blank = np.concatenate([due_blank, np.zeros(m, bool)])
    disputed = np.concatenate([disputed, np.array([h.disputed for h in hand])])
    paid = np.concatenate([paid, h_paid])
    pay1 = np.concatenate([pay1, h_pay]).astype("datetime64[D]")
    pay1_amount = np.concatenate([pay1_amount, h_amount])
    paid2 = np.concatenate([paid2, np.zeros(m, bool)])
    pay2 = np.concatenate([pay2, h_pay]).astype("datetime64[D]")
    pay2_amount = np.concatenate([pay2_amount, np.zeros(m)])
    pre_log = np.concatenate([pre_log, np.zeros(m, bool)])
    hand_made = np.concatenate([np.zeros(n, bool), np.ones(m, bool)])

    order, invoice_no = _numbered("FP", inv_date, hand_made, cust)
    (
        cust,
        inv_date,
        amount,
        credit_note,
        due,
        due_blank,
        disputed,
        paid,
        pay1,
        pay1_amount,
        paid2,
        pay2,
        pay2_amount,
        pre_log,
        hand_made,
    ) = _reorder(
        order,
        cust,
        inv_date,
        amount,
        credit_note,
        due,
        due_blank,
        disputed,
        paid,
        pay1,
        pay1_amount,
        paid2,
        pay2,
        pay2_amount,
        pre_log,
        hand_made,
    )
    decimals = book.decimals[cust]
    paid_amount = np.where(paid, pay1_amount, 0.0) + np.where(paid2, pay2_amount, 0.0)
    paid_amount = _round_money(paid_amount, decimals)
    paid_amount = np.where(pre_log, amount, paid_amount)
    paid_amount = np.where(credit_note, np.nan, paid_amount)
    year = inv_date.astype("datetime64[Y]").astype(np.int64) + 1970
    # one framework contract per customer and year: build each number once
    contract_key, contract_of = np.unique(cust * 10_000 + year, return_inverse=True)
    contract_names = _cat(
        "HT",
        (contract_key % 10_000).astype(str),
        "-",
        np.char.lstrip(book.ids[contract_key // 10_000].astype(str), "C"),
    )
    contract = _blank_where((rng.random(n + m) < 0.05) & ~hand_made, contract_names[contract_of])
    invoices = _frame(
        schema.INVOICES,
        {
            "invoice_no": invoice_no,
            "customer_id": book.ids[cust],
            "invoice_date": inv_date,
            "due_date": np.where(due_blank, np.datetime64("NaT"), due),
            "currency": book.currency[cust],
            "amount": amount,
            "paid_amount": paid_amount,
            "contract_no": contract,
            "disputed": disputed,
            # every ninth customer's contracts agree 0.05 % a day (18.25 % a year) for late payment;
            # the others leave it to the policy default. No random draw: the rest stays as it was.
            "late_interest_rate": np.where((cust % 9 == 4) & (contract != None), 18.25, np.nan),  # noqa: E711
        },
    )

    # payments: first instalments, second instalments, unapplied cash on account
    first = paid & ~pre_log
    second = paid2 & ~pre_log
    eligible = np.flatnonzero((book.behaviour != DEFAULTED) & (book.status == "active"))
    u_cust = rng.choice(eligible, size=n_unapplied)
    u_date = _weekday_before(as_of - _days(rng.integers(1, 90, n_unapplied)))
    u_date = np.maximum(u_date, book.trade_start[u_cust])
    u_step = np.where(book.currency[u_cust] == "JPY", 10_000.0, 100.0)
    u_amount = np.round(local_sales[u_cust] * rng.uniform(0.05, 0.3, n_unapplied) / u_step) * u_step
    u_amount = np.maximum(u_amount, u_step)
    p_cust = np.concatenate([cust[first], cust[second], u_cust])
    p_invoice = np.concatenate(
        [invoice_no[first], invoice_no[second], np.full(n_unapplied, None, dtype=object)]
    )
    p_date = np.concatenate([pay1[first], pay2[second], u_date]).astype("datetime64[D]")
    p_amount = np.concatenate([pay1_amount[first], pay2_amount[second], u_amount])
    p_hand = np.concatenate([hand_made[first], hand_made[second], np.zeros(n_unapplied, bool)])
    order, payment_id = _numbered("HK", p_date, p_hand, p_cust)
    p_cust, p_invoice, p_date, p_amount, p_hand = _reorder(
        order, p_cust, p_invoice, p_date, p_amount, p_hand
    )
    k = len(p_cust)
    cny = book.currency[p_cust] == "CNY"
    method = rng.choice(
        np.array(["transfer", "bill", "cash", "other"], dtype=object),
        size=k,
        p=[0.72, 0.22, 0.03, 0.03],
    )
    method[~cny | ((method == "cash") & (p_amount > 50_000)) | p_hand] = "transfer"
    maturity = np.where(
        method == "bill",
        p_date + _days(rng.choice(np.array([90, 180]), size=k)),
        np.datetime64("NaT"),
    )
    payments = _frame(
        schema.PAYMENTS,
        {
            "payment_id": payment_id,
            "customer_id": book.ids[p_cust],
            "invoice_no": p_invoice,
            "payment_date": p_date,
            "amount": p_amount,
            "method": method,
            "bill_maturity": maturity,
        },
    )

    invoiced = np.bincount(cust, weights=np.maximum(amount, 0.0), minlength=n_cust)
    open_due = ~credit_note & (due < as_of) & (paid_amount < amount)
    overdue = np.bincount(cust[open_due], minlength=n_cust) > 0
    year_ago = as_of - np.timedelta64(365, "D")
    late = first & (pay1 - due > np.timedelta64(30, "D")) & (pay1 > year_ago)
    return _Trade(
        invoices, payments, invoiced / months, overdue, (cust[late], pay1[late], pay1_amount[late])
    )


# --------------------------------------------------------------------------- financials, bureau


def _statement_counts(rng: np.random.Generator, book: _Book, target: int | None) -> Array:
    """Years of statements per customer; with a target, drawn customers gain an older year or
    lose their oldest until the total matches."""
    years = book.statement_years.copy()
    if target is None:
        return years
    drawn = np.flatnonzero(~book.cast)
    diff = target - int(years.sum())
    if diff > 0:
        more = rng.choice(drawn, size=min(diff, len(drawn)), replace=False)
        years[more] += 1
    elif diff < 0:
        with_years = drawn[years[drawn] > 0]
        fewer = rng.choice(with_years, size=min(-diff, len(with_years)), replace=False)
        years[fewer] -= 1
    return years


def _financials(
    rng: np.random.Generator,
    book: _Book,
    monthly_sales_local: Array,
    size: DemoSize,
    as_of: dt.date,
) -> pd.DataFrame:
    n = len(book.ids)
    years = _statement_counts(rng, book, size.statements)
    latest_year = as_of.year - 1 if as_of.month >= 6 else as_of.year - 2
    cust = np.repeat(np.arange(n), years)
    back = np.arange(len(cust)) - np.repeat(np.cumsum(years) - years, years)  # 0 = latest
    m = len(cust)
    # 31 December of each year: the day before 1 January of the next
    period_end = (np.datetime64(str(latest_year + 1), "Y") - back).astype("datetime64[D]") - 1

    behaviour = book.behaviour
    # customer-level shape: our sales are a slice of what the customer buys
    share = rng.uniform(0.04, 0.25, n)
    revenue_latest = monthly_sales_local * 12 / (0.75 * share)
    growth = np.select(
        [behaviour == GOOD, behaviour == AVERAGE, behaviour == SLOW],
        [rng.normal(0.06, 0.05, n), rng.normal(0.03, 0.06, n), rng.normal(-0.02, 0.06, n)],
        rng.normal(-0.15, 0.05, n),
    )
    drift = np.select(
        [behaviour == DEFAULTED, behaviour == SLOW],
        [np.full(n, 0.12), np.full(n, 0.03)],
        rng.normal(0, 0.03, n),
    )
    turnover = rng.uniform(0.7, 1.6, n)
    current_share = rng.uniform(0.45, 0.75, n)
    paid_in_share = rng.uniform(0.05, 0.15, n)

    s = np.clip(book.strength[cust] + drift[cust] * back, 0, 1)
    d = book.decimals[cust]
    revenue = revenue_latest[cust] * (1 + growth[cust]) ** (-back) * rng.lognormal(0, 0.03, m)
    gross_margin = np.clip(0.10 + 0.22 * s + rng.normal(0, 0.02, m), 0.02, 0.5)
    ebit_margin = np.clip(-0.10 + 0.22 * s + rng.normal(0, 0.015, m), -0.3, 0.25)
    total_assets = revenue / turnover[cust]
    leverage = np.clip(0.92 - 0.55 * s + rng.normal(0, 0.03, m), 0.15, 1.15)

    def money(values: Array) -> Array:
        return _round_money(values, d)

    revenue = money(revenue)
    cost_of_sales = money(revenue * (1 - gross_margin))
    ebit = money(revenue * ebit_margin)
    ta = money(total_assets)
    tl = money(ta * leverage)
    interest = money(tl * rng.uniform(0.3, 0.6, m) * rng.uniform(0.035, 0.065, m))
    pbt = money(ebit - interest)
    net_profit = money(np.where(pbt > 0, pbt * 0.75, pbt))
    current_assets = money(ta * current_share[cust])
    cash = money(current_assets * rng.uniform(0.05, 0.20, m) * (0.5 + 0.5 * s))
    receivables = money(current_assets * rng.uniform(0.25, 0.40, m))
    inventory = money(current_assets * rng.uniform(0.15, 0.30, m))
    intangible = money(ta * rng.uniform(0.0, 0.06, m))
    current_liabilities = money(tl * rng.uniform(0.55, 0.9, m))
    # equity to the cent, so that assets = liabilities + equity holds exactly
    scale = np.power(10.0, d)
    equity = (np.round(ta * scale) - np.round(tl * scale)) / scale
    paid_in = money(ta * paid_in_share[cust])
    retained = money(equity - paid_in)
    ocf = money(net_profit + 0.03 * ta + rng.normal(0, 0.03, m) * revenue)
    ebit_out = np.where(rng.random(m) < 0.2, np.nan, ebit)  # blank: the spec derives it
    audited = np.isin(book.ownership[cust], ["listed", "soe"]) | (rng.random(m) < 0.6)
    received = np.minimum(
        _weekday_before(period_end + _days(rng.integers(95, 150, m))), _day(as_of)
    )
    frame = _frame(
        schema.FINANCIALS,
        {
            "customer_id": book.ids[cust],
            "period_end": period_end,
            "period_months": np.full(m, 12),
            "audited": audited,
            "currency": book.currency[cust],
            "revenue": revenue,
            "cost_of_sales": cost_of_sales,
            "profit_before_tax": pbt,
            "interest_expense": interest,
            "ebit": ebit_out,
            "net_profit": net_profit,
            "cash": cash,
            "receivables": receivables,
            "inventory": inventory,
            "current_assets": current_assets,
            "intangible_assets": intangible,
            "total_assets": ta,
            "current_liabilities": current_liabilities,
            "total_liabilities": tl,
            "equity": equity,
            "retained_earnings": retained,
            "operating_cash_flow": ocf,
            "received_on": received,
        },
    )
    return frame


def _bureau(
    rng: np.random.Generator,
    book: _Book,
    monthly_sales_local: Array,
    size: DemoSize,
    as_of: np.datetime64,
) -> pd.DataFrame:
    n = len(book.ids)
    if size.bureau_reports is None:
        counts = 1 + (rng.random(n) < 0.5)
    else:
        counts = np.full(n, size.bureau_reports // n)
        extra = rng.choice(n, size=size.bureau_reports % n, replace=False)
        counts[extra] += 1
    counts[book.behaviour == DEFAULTED] = np.maximum(counts[book.behaviour == DEFAULTED], 1)
    cust = np.repeat(np.arange(n), counts)
    back = np.arange(len(cust)) - np.repeat(np.cumsum(counts) - counts, counts)  # 0 = latest
    m = len(cust)
    defaulted = book.behaviour[cust] == DEFAULTED
    latest_days = np.where(defaulted, rng.integers(5, 60, m), rng.integers(5, 120, m))
    days = latest_days + back * rng.integers(150, 240, m)
    report_date = _weekday_before(as_of - _days(days))
    agency_ix = np.where(
        book.foreign[cust], len(_AGENCIES) - 1, rng.integers(0, len(_AGENCIES) - 1, m)
    )
    agency = np.array([a[0] for a in _AGENCIES], dtype=object)[agency_ix]
    score_max = np.array([a[1] for a in _AGENCIES])[agency_ix]
    s = np.clip(book.strength[cust] + rng.normal(0, 0.05, m), 0, 1)
    normalised = np.clip(0.35 + 0.6 * s + rng.normal(0, 0.03, m), 0.05, 0.99)
    score = np.round(normalised * score_max)
    grade_ix = np.clip(((normalised - 0.3) / 0.1).astype(np.int64), 0, len(_AGENCY_GRADES) - 1)
    grade = np.array(_AGENCY_GRADES, dtype=object)[grade_ix]
    risk_indicator = _cat("Risk ", (4 - np.clip((s * 4).astype(np.int64), 0, 3)).astype(str))
    grade = np.where(book.foreign[cust], risk_indicator, grade)
    overdue_records = rng.poisson(4 * (1 - s) ** 2) + np.where(defaulted, 3, 0)
    lawsuits = rng.poisson(2 * (1 - s) ** 3) + np.where(defaulted, 2, 0)
    enforcement = defaulted & (report_date >= book.default_date[cust])
    abnormal = (defaulted & (back == 0)) | (
        ~book.cast[cust] & (book.behaviour[cust] == SLOW) & (rng.random(m) < 0.05)
    )
    step = np.where(book.currency[cust] == "JPY", 1_000_000.0, 10_000.0)
    recommended = np.floor(monthly_sales_local[cust] * (1 + 2 * s) / step) * step
    recommended = np.where(defaulted, 0.0, recommended)
    recommended = np.where((rng.random(m) < 0.2) & ~defaulted, np.nan, recommended)
    return _frame(
        schema.BUREAU,
        {
            "customer_id": book.ids[cust],
            "agency": agency,
            "report_date": report_date,
            "score": score,
            "score_max": score_max,
            "agency_grade": grade,
            "overdue_records": overdue_records,
            "lawsuits": lawsuits,
            "enforcement": enforcement,
            "abnormal_operation": abnormal,
            "recommended_limit": recommended,
        },
        order=np.lexsort((report_date.astype(np.int64), cust)),
    )


# --------------------------------------------------------------------------- orders, activities


def _orders(
    rng: np.random.Generator,
    book: _Book,
    monthly_sales_local: Array,
    size: DemoSize,
    as_of: np.datetime64,
) -> pd.DataFrame:
    eligible = np.flatnonzero(np.isin(book.status, ["active", "hold"]))
    weight = np.sqrt(book.sales_cny[eligible])
    cust = rng.choice(eligible, size=size.orders, p=weight / weight.sum())
    date = np.maximum(
        _weekday_before(as_of - _days(rng.integers(0, 61, size.orders))), book.since[cust]
    )
    step = np.where(book.currency[cust] == "JPY", 10_000.0, 100.0)
    amount = np.round(monthly_sales_local[cust] * rng.uniform(0.15, 0.6, size.orders) / step) * step
    amount = np.maximum(amount, step)
    status = np.where(rng.random(size.orders) < 0.3, "shipped", "open").astype(object)
    order, order_no = _numbered("SO", date, np.zeros(size.orders, bool), cust)
    cust, date, amount, status = cust[order], date[order], amount[order], status[order]
    return _frame(
        schema.ORDERS,
        {
            "order_no": order_no,
            "customer_id": book.ids[cust],
            "order_date": date,
            "amount": amount,
            "currency": book.currency[cust],
            "status": status,
        },
    )


_SUMMARIES: dict[str, tuple[str, ...]] = {
    "call": (
        "电话沟通下季度订单计划",
        "电话确认对账单无误",
        "电话了解客户近期经营情况",
        "电话确认开票信息变更",
    ),
    "email": ("发送月度对账单", "邮件确认新价格条款", "邮件发送年度框架合同续签文本"),
    "visit": (
        "拜访采购部，了解明年采购计划",
        "拜访财务部，沟通付款流程",
        "拜访总经理，维护合作关系",
    ),
    "site_visit": (
        "实地考察：生产经营正常，开工率较高",
        "实地考察：厂区及库存正常，管理规范",
        "实地考察：新生产线已投产",
    ),
    "collection": ("电话催收逾期货款，客户称正在安排付款", "发送逾期付款提醒函"),
}


def _activities(
    rng: np.random.Generator, book: _Book, trade: _Trade, as_of: np.datetime64
) -> pd.DataFrame:
    n = len(book.ids)
    parts: list[dict[str, Array]] = []

    def add(
        cust: Array,
        date: Array,
        kind: Array | str,
        summary: Array | str,
        promise_date: Array | None = None,
        promise_amount: Array | None = None,
    ) -> None:
        k = len(cust)
        parts.append(
            {
                "cust": np.asarray(cust, dtype=np.int64),
                "date": np.asarray(date, dtype="datetime64[D]"),
                "type": np.broadcast_to(np.asarray(kind, dtype=object), (k,)),
                "summary": np.broadcast_to(np.asarray(summary, dtype=object), (k,)),
                "promise_date": (
                    np.full(k, np.datetime64("NaT"), "datetime64[D]")
                    if promise_date is None
                    else promise_date.astype("datetime64[D]")
                ),
                "promise_amount": np.full(k, np.nan) if promise_amount is None else promise_amount,
            }
        )

    def pick(kind: str, k: int) -> Array:
        return rng.choice(np.array(_SUMMARIES[kind], dtype=object), size=k)

    # routine contact over the last year; key accounts get more, and a site visit
    counts = rng.poisson(1.5 + 2.0 * book.key_account)
    cust = np.repeat(np.arange(n), counts)
    k = len(cust)
    kind = rng.choice(
        np.array(["call", "email", "visit"], dtype=object), size=k, p=[0.5, 0.35, 0.15]
    )
    summary = np.select(
        [kind == "call", kind == "email"], [pick("call", k), pick("email", k)], pick("visit", k)
    )
    date = _weekday_before(as_of - _days(rng.integers(0, 365, k)))
    # nobody calls about next quarter's orders once a customer has stopped paying
    routine = np.isnat(book.stop[cust]) | (date < book.stop[cust])
    add(cust[routine], date[routine], kind[routine], summary[routine])
    keys = np.flatnonzero(book.key_account)
    add(
        keys,
        _weekday_before(as_of - _days(rng.integers(20, 300, len(keys)))),
        "site_visit",
        pick("site_visit", len(keys)),
    )
    chase = np.flatnonzero(trade.overdue & (book.behaviour != DEFAULTED))
    add(
        chase,
        _weekday_before(as_of - _days(rng.integers(1, 15, len(chase)))),
        "collection",
        pick("collection", len(chase)),
    )
    # promises to pay before a late payment arrived on the promised day: kept
    late_cust, late_date, late_amount = trade.late_payments
    kept = rng.random(len(late_cust)) < 0.08
    add(
        late_cust[kept],
        _weekday_before(late_date[kept] - _days(rng.integers(5, 15, kept.sum()))),
        "promise",
        "客户承诺按约定日期付款",
        late_date[kept],
        late_amount[kept],
    )

    # the cast's story
    def on(days_before: int) -> Array:
        return np.array([as_of - np.timedelta64(days_before, "D")])

    kept_c, broken_c, disputed_c = (np.array([h.customer]) for h in _HAND_INVOICES)
    add(kept_c, on(67), "collection", "催收5月发票逾期款项")
    add(
        kept_c,
        on(64),
        "promise",
        "客户承诺9月15日前付清5月发票",
        on(46),
        np.array([_HAND_INVOICES[0].amount]),
    )
    # the promise covers the whole overdue balance, well above the routine payments the slow
    # payer keeps making on older invoices, so it is broken however those are counted
    add(
        broken_c,
        on(22),
        "promise",
        "客户承诺10月21日前付清6月发票及全部逾期款项",
        on(10),
        np.array([BROKEN_PROMISE_AMOUNT]),
    )
    add(broken_c, on(3), "collection", "承诺付款日已过，款项仍未到账，再次催收")
    add(disputed_c, on(40), "call", "客户反映8月批次部分产品规格不符，对该发票提出异议，暂缓付款")
    defaulted = np.flatnonzero(book.behaviour == DEFAULTED)
    stop, default_date = book.stop[defaulted], book.default_date[defaulted]
    add(defaulted, _weekday_before(stop + _days(20)), "collection", "电话催收，客户称资金紧张")
    add(defaulted, _weekday_before(stop + _days(50)), "collection", "上门催收未果，暂停发货")
    add(defaulted, _weekday_before(default_date - _days(20)), "legal", "发送律师函")
    add(defaulted, default_date, "legal", "向法院提起诉讼并申请财产保全")
    held = np.flatnonzero(book.status == "hold")
    add(
        held,
        _weekday_before(as_of - _days(np.full(len(held), 20))),
        "call",
        "逾期严重，通知客户暂停发货（冻结）",
    )

    cust = np.concatenate([p["cust"] for p in parts])
    date = np.concatenate([p["date"] for p in parts])
    date = np.minimum(np.maximum(date, book.since[cust]), as_of)
    manager = np.array([m[0] for m in _ACCOUNT_MANAGERS], dtype=object)[book.manager[cust]]
    legal = np.concatenate([p["type"] for p in parts]) == "legal"
    by = np.where(legal, "法务部", manager)
    return _frame(
        schema.ACTIVITIES,
        {
            "date": date,
            "customer_id": book.ids[cust],
            "type": np.concatenate([p["type"] for p in parts]),
            "summary": np.concatenate([p["summary"] for p in parts]),
            "promise_date": np.concatenate([p["promise_date"] for p in parts]),
            "promise_amount": np.concatenate([p["promise_amount"] for p in parts]),
            "by": by,
        },
        order=np.lexsort((cust, date.astype(np.int64))),
    )


def _fx(book: _Book, as_of: np.datetime64) -> pd.DataFrame:
    used = sorted(set(book.currency[book.foreign].tolist()))
    rates = {f[1]: f[2] for f in _FOREIGN}
    return _frame(
        schema.FX,
        {
            "currency": np.array(used, dtype=object),
            "rate_to_base": np.array([rates[c] for c in used], dtype=float),
            "as_of": np.full(len(used), as_of),
        },
    )


# --------------------------------------------------------------------------- the register


def demo_tables(
    size: DemoSize = DemoSize(),
    as_of: dt.date = DEMO_AS_OF,
) -> dict[str, pd.DataFrame]:
    """The demo register's input tables, keyed by schema sheet key (Policy excepted).

    Deterministic: the same ``size`` (its seed included) and ``as_of`` give equal tables. Each
    table draws from its own child of the seed, so changing how one table is drawn leaves the
    others as they were.
    """
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(size.seed).spawn(7)]
    day = _day(as_of)
    book, text = _book(streams[0], size, day)
    trade = _trade(streams[1], book, size, day)
    return {
        "customers": _customers(streams[2], book, text, trade.monthly_sales_local, day),
        "financials": _financials(streams[3], book, trade.monthly_sales_local, size, as_of),
        "bureau": _bureau(streams[4], book, trade.monthly_sales_local, size, day),
        "invoices": trade.invoices,
        "payments": trade.payments,
        "orders": _orders(streams[5], book, trade.monthly_sales_local, size, day),
        "activities": _activities(streams[6], book, trade, day),
        "fx": _fx(book, day),
    }
