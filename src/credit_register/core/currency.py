"""Currencies as ISO 4217 codes, whatever name an export or a person used for them.

ERP and accounting exports name currencies the way their users speak: Kingdee's 币别 column says
人民币 and 美元, QuickBooks says US$, a typed register says RMB or 欧元. The register keeps ISO
codes (the FX sheet is keyed by them), so every place that reads a currency — the input sheets,
the FX sheet, an import — maps names to codes here, once. An unknown text is left as it was
(upper-cased when it looks like a code), for validation to report at its cell.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

#: names, symbols and common misspellings → ISO 4217 code (keys compared after ``_key``)
_NAMES: dict[str, tuple[str, ...]] = {
    "CNY": ("人民币", "人民币元", "rmb", "元", "cny", "cnh", "rmb¥", "¥", "￥", "renminbi", "yuan"),
    "USD": ("美元", "美金", "us$", "usd", "us dollar", "us dollars", "u.s. dollar"),
    "EUR": ("欧元", "€", "eur", "euro", "euros"),
    "JPY": ("日元", "日圆", "円", "jpy", "yen", "japanese yen"),
    "HKD": ("港币", "港元", "港幣", "hk$", "hkd", "hong kong dollar"),
    "GBP": ("英镑", "£", "gbp", "pound sterling", "sterling"),
    "SGD": ("新加坡元", "新币", "新加坡币", "s$", "sgd", "singapore dollar"),
    "AUD": ("澳元", "澳大利亚元", "a$", "aud", "australian dollar"),
    "CAD": ("加元", "加币", "加拿大元", "c$", "cad", "canadian dollar"),
    "CHF": ("瑞士法郎", "瑞郎", "chf", "swiss franc"),
    "KRW": ("韩元", "韩币", "₩", "krw", "won"),
    "TWD": ("新台币", "台币", "nt$", "twd"),
    "MOP": ("澳门元", "澳门币", "澳門元", "mop"),
    "THB": ("泰铢", "฿", "thb", "baht"),
    "INR": ("印度卢比", "卢比", "₹", "rs", "rs.", "inr", "rupee", "rupees", "indian rupee"),
    "RUB": ("卢布", "俄罗斯卢布", "₽", "rub", "rouble", "ruble"),
    "MYR": ("林吉特", "令吉", "马来西亚林吉特", "rm", "myr", "ringgit"),
    "VND": ("越南盾", "₫", "vnd", "dong"),
    "IDR": ("印尼盾", "印度尼西亚盾", "idr", "rupiah"),
    "PHP": ("菲律宾比索", "₱", "php", "philippine peso"),
    "AED": ("阿联酋迪拉姆", "迪拉姆", "aed", "dirham"),
    "SAR": ("沙特里亚尔", "sar", "riyal"),
    "NZD": ("新西兰元", "纽元", "nz$", "nzd"),
    "SEK": ("瑞典克朗", "sek"),
    "DKK": ("丹麦克朗", "dkk"),
    "NOK": ("挪威克朗", "nok"),
    "BRL": ("巴西雷亚尔", "r$", "brl"),
    "MXN": ("墨西哥比索", "mxn"),
    "ZAR": ("南非兰特", "兰特", "zar", "rand"),
    "TRY": ("土耳其里拉", "try", "lira"),
}


def _key(text: str) -> str:
    """Full-width folded, lower case, inner spaces collapsed.

    >>> _key(" ＵＳ＄ "), _key("US  Dollar")
    ('us$', 'us dollar')
    """
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


CURRENCY_NAMES: dict[str, str] = {
    _key(name): code for code, names in _NAMES.items() for name in (code, *names)
}
_CODE = re.compile(r"^[A-Za-z]{3}$")


def currency_code(text: object) -> str | None:
    """The ISO code a currency name stands for; a three-letter text upper-cased; ``None`` for
    a blank. Anything else is returned as typed, for validation to report.

    >>> [currency_code(x) for x in ("人民币", "美元", "US$", "eur", "港币", " ＲＭＢ ", "", None)]
    ['CNY', 'USD', 'USD', 'EUR', 'HKD', 'CNY', None, None]
    >>> currency_code("xyz"), currency_code("金币")
    ('XYZ', '金币')
    """
    if text is None or (isinstance(text, float) and text != text):
        return None
    raw = str(text)
    key = _key(raw)
    if not key:
        return None
    if key in CURRENCY_NAMES:
        return CURRENCY_NAMES[key]
    return key.upper() if _CODE.match(key) else raw.strip()


def currency_codes(texts: pd.Series) -> pd.Series:
    """``currency_code`` for a column: each distinct text is looked up once.

    >>> currency_codes(pd.Series(["人民币", "美元", None, "人民币"])).tolist()
    ['CNY', 'USD', None, 'CNY']
    """
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    mapped = pd.Series([currency_code(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped.to_numpy()[codes], index=texts.index, dtype=object)
