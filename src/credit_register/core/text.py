"""Bilingual text, in one place: the workbook is Chinese (``zh``, the default) or English (``en``).

Two ways of saying a thing, used everywhere text reaches a person:

- ``pick``: the text in the workbook's language (a header, a sheet label, a document sentence);
- ``glossed``: a message in the workbook's language with an English gloss after a Chinese one,
  so a Chinese register's log still reads for an English-speaking colleague (house style for
  issues, answers and errors).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:  # a column of texts; this module needs no pandas to run
    import pandas as pd

#: a workbook is Chinese or English
Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")


def pick(lang: Language, zh: str, en: str) -> str:
    """The text in ``lang``.

    >>> pick("zh", "放行", "release"), pick("en", "放行", "release")
    ('放行', 'release')
    """
    return zh if lang == "zh" else en


@overload
def glossed(lang: Language, zh: str, en: str) -> str: ...
@overload
def glossed(lang: Language, zh: pd.Series, en: pd.Series | str) -> pd.Series: ...
@overload
def glossed(lang: Language, zh: str, en: pd.Series) -> pd.Series: ...
def glossed(lang: Language, zh: Any, en: Any) -> Any:
    """A message in ``lang``; a Chinese one carries its English gloss. Texts or whole columns of
    texts (one message per row) alike.

    >>> glossed("zh", "额度不足", "over the limit"), glossed("en", "额度不足", "over the limit")
    ('额度不足 (over the limit)', 'over the limit')
    """
    return zh + " (" + en + ")" if lang == "zh" else en


def is_chinese(lang: Language) -> bool:
    """Whether ``lang`` is Chinese (for choices other than text: separators, number words).

    >>> is_chinese("zh"), is_chinese("en")
    (True, False)
    """
    return lang == "zh"
