"""Build the Word templates under src/credit_register/templates/ (docxtpl placeholders).

The templates are plain .docx files a user may restyle in Word (fonts, colours, logo, wording)
without touching code; this script is how the shipped ones were made, so a clean copy can always
be regenerated: ``python scripts/make_templates.py``. The house style is ``template_kit.builder``;
each document kind has its module: ``contract`` (the buyer's draft in Chinese, English and both
side by side), ``internal`` (the draft's review note, the hand-over memo and its index),
``letter`` (collection letters) and ``reports`` (credit report, review pack).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from template_kit.builder import Builder  # noqa: E402
from template_kit.contract import contract, contract_bilingual  # noqa: E402
from template_kit.internal import contract_note, handover_index, handover_memo  # noqa: E402
from template_kit.letter import letter  # noqa: E402
from template_kit.reports import credit_report, review_pack  # noqa: E402

#: (folder, kind) → builder, and the languages each is made in
BUILDERS: dict[tuple[str, str], tuple[Callable[[str], Builder], tuple[str, ...]]] = {
    ("contracts", "contract"): (contract, ("zh", "en")),
    ("contracts", "contract_bilingual"): (contract_bilingual, ("zh",)),
    ("contracts", "contract_note"): (contract_note, ("zh", "en")),
    ("reports", "credit_report"): (credit_report, ("zh", "en")),
    ("reports", "letter"): (letter, ("zh", "en")),
    ("reports", "review_pack"): (review_pack, ("zh", "en")),
    ("reports", "handover_memo"): (handover_memo, ("zh", "en")),
    ("reports", "handover_index"): (handover_index, ("zh", "en")),
}


def template_name(kind: str, lang: str) -> str:
    """``contract_zh.docx``; the bilingual contract has one file, ``contract_bilingual.docx``."""
    return f"{kind}.docx" if kind.endswith("_bilingual") else f"{kind}_{lang}.docx"


TEMPLATES = ROOT / "src" / "credit_register" / "templates"


def main(out: Path = TEMPLATES) -> list[Path]:
    written = []
    for (folder, kind), (build, langs) in BUILDERS.items():
        for lang in langs:
            path = out / folder / template_name(kind, lang)
            build(lang).save(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
