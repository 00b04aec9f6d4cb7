"""Problems found in a register, as values (bad data is never an exception).

Every issue names its place the way a finance user finds it: the workbook file, the tab as it is
named in the workbook, and the cell, e.g. ``credit_register.xlsm:应收发票!F17``. The message is in
the workbook's language with an English gloss, so a Chinese register still reads well in a log
that an English-speaking colleague or engineer reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from credit_register.core.cells import column_letter
from credit_register.core.schema import Language
from credit_register.core.text import glossed

__all__ = ["Issue", "Severity", "column_letter", "has_errors"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem at one place. ``cell`` is ``F17``, a whole column ``F``, a row ``17`` or ``""``
    for the sheet (a missing sheet) or the file (not a workbook)."""

    file: str
    sheet: str
    cell: str
    severity: Severity
    zh: str
    en: str

    @property
    def place(self) -> str:
        if not self.sheet:
            return self.file
        return f"{self.file}:{self.sheet}!{self.cell}" if self.cell else f"{self.file}:{self.sheet}"

    def message(self, lang: Language) -> str:
        """The message in the workbook's language, with the English gloss for a Chinese one."""
        return glossed(lang, self.zh, self.en)

    def format(self, lang: Language) -> str:
        return f"{self.place}: {self.message(lang)}"

    def as_dict(self, lang: Language) -> dict[str, str]:
        return {**asdict(self), "place": self.place, "message": self.message(lang)}


def has_errors(issues: list[Issue]) -> bool:
    return any(i.severity == "error" for i in issues)
