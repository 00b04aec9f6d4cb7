"""The project's documents stay true to the code and stay inside the repository.

A newcomer reads README.md, CONTRIBUTING.md, CHANGELOG.md and docs/ in a fresh clone: a link that
leaves the repository is dead there, a path or module the code has moved away from sends them
looking for nothing, and a table copied from the schema lies the day a column is added. These
tests fail in each of those cases.
"""

from __future__ import annotations

import importlib
import re
import zipfile
from pathlib import Path

import pytest

from credit_register.core.schema import INVOICES, Column, Sheet
from credit_register.tools import doc_tables

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md", *ROOT.glob("docs/*.md")]
)
PACKAGE = ROOT / "src" / "credit_register"
#: the package's subpackages (its rings), whose modules the documents name as ``core/port.py``
RINGS = tuple(sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()))

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML = re.compile(r"(?:href|src)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^>\s]+)>", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The text with fenced code blocks and inline code spans removed: links live outside them."""
    return _CODE_SPAN.sub("", _FENCE.sub("", text))


def links(text: str) -> list[str]:
    """Every link target of a Markdown page: inline links and images, reference definitions,
    HTML ``href``/``src`` attributes and autolinks."""
    prose = _prose(text)
    return [
        target
        for pattern in (_INLINE_LINK, _REFERENCE, _HTML, _AUTOLINK)
        for target in pattern.findall(prose)
    ]


def anchors(text: str) -> set[str]:
    """The heading anchors GitHub gives a page: lower case, punctuation dropped, spaces to
    hyphens, ``-1``, ``-2``... for repeats.

    >>> sorted(anchors("# Altman Z″ and EMS\\n## 3. Terms\\n## 3. Terms\\n```\\n# not one\\n```"))
    ['3-terms', '3-terms-1', 'altman-z-and-ems']
    """
    seen: dict[str, int] = {}
    found = set()
    for heading in _HEADING.findall(_FENCE.sub("", text)):
        shown = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
        slug = re.sub(r"[^\w\- ]", "", shown.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def link_problem(page: Path, target: str) -> str | None:
    """Why ``target`` on ``page`` is not a link a clone can follow, or ``None`` when it is."""
    if re.match(r"(https?|mailto):", target, re.IGNORECASE):
        return None
    if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith(("/", "\\")):
        return "leaves the repository"
    path_part, _, anchor = target.partition("#")
    resolved = (page.parent / path_part).resolve() if path_part else page
    if not resolved.is_relative_to(ROOT) or "/shared/" in f"/{path_part}":
        return "leaves the repository"
    if not resolved.exists():
        return "names a file the repository does not have"
    if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved.read_text("utf-8")):
        return f"names a heading #{anchor} that {resolved.name} does not have"
    return None


def test_no_link_in_the_documents_leaves_the_repository() -> None:
    assert len(PAGES) >= 6, PAGES  # README, CONTRIBUTING, CHANGELOG and the three docs at least
    problems = [
        f"{page.relative_to(ROOT)}: ({target}) {problem}"
        for page in PAGES
        for target in links(page.read_text("utf-8"))
        if (problem := link_problem(page, target))
    ]
    assert problems == []


def test_the_link_check_catches_links_out_of_the_repository(tmp_path: Path) -> None:
    page = ROOT / "README.md"
    assert link_problem(page, "../shared/spec/policy.md") == "leaves the repository"
    assert link_problem(page, "/work/shared/DESIGN.md") == "leaves the repository"
    assert link_problem(page, "file:///etc/passwd") == "leaves the repository"
    assert link_problem(page, "docs/nowhere.md") is not None
    assert link_problem(page, "docs/policy.md#no-such-heading") is not None
    assert link_problem(page, "docs/policy.md") is None
    assert link_problem(page, "https://docs.xlwings.org") is None
    # links inside code are not links
    assert links("`[x](../shared/a.md)`\n```\n[y](../b.md)\n```\n[z](docs/c.md)") == ["docs/c.md"]


# --------------------------------------------------------------------------- named paths


def _expand(path: str) -> list[str]:
    """``templates/letter_{zh,en}.docx`` → both files."""
    match = re.search(r"\{([^{}]+)\}", path)
    if not match:
        return [path]
    return [
        expanded
        for choice in match.group(1).split(",")
        for expanded in _expand(path[: match.start()] + choice + path[match.end() :])
    ]


def _named_paths(text: str) -> list[str]:
    repo = ("src/", "tests/", "scripts/", "templates/", "docs/", "addin/", "workbook/", ".ci/")
    package = tuple(f"{ring}/" for ring in RINGS)
    return [
        span
        for _, span in _CODE_SPAN.findall(_FENCE.sub("", text))
        if span.startswith(repo + package) and not re.search(r"[\s<>*]", span)
    ]


def _path_exists(span: str) -> bool:
    in_package = span.startswith(tuple(f"{ring}/" for ring in RINGS))
    base = PACKAGE if in_package else ROOT
    return all((base / path).exists() for path in _expand(span))


def _named_modules(text: str) -> list[str]:
    rings = "|".join(RINGS)
    dotted = re.compile(rf"(?:credit_register\.)?(?:{rings})(?:\.\w+)+(?:\(.*\))?")
    return [span for _, span in _CODE_SPAN.findall(_FENCE.sub("", text)) if dotted.fullmatch(span)]


def _resolves(span: str) -> bool:
    """Whether ``app.usecases.run_action(...)`` names a module and attribute that exist."""
    parts = span.split("(")[0].removeprefix("credit_register.").split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module("credit_register." + ".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_every_path_and_module_the_documents_name_exists() -> None:
    problems = []
    for page in PAGES:
        text = page.read_text("utf-8")
        problems += [
            f"{page.relative_to(ROOT)}: `{span}` does not exist"
            for span in _named_paths(text)
            if not _path_exists(span)
        ]
        problems += [
            f"{page.relative_to(ROOT)}: `{span}` is not in the package"
            for span in _named_modules(text)
            if not _resolves(span)
        ]
    assert problems == []


# --------------------------------------------------------------------------- generated tables


def test_the_generated_tables_match_the_code() -> None:
    assert doc_tables.stale_pages(ROOT) == []


def test_a_column_added_to_the_schema_makes_the_register_page_stale() -> None:
    page = (ROOT / "docs/register.md").read_text("utf-8")
    grown = Sheet(
        INVOICES.key,
        INVOICES.zh,
        INVOICES.en,
        INVOICES.kind,
        (*INVOICES.columns, Column("po_number", "采购订单号", "PO number")),
        INVOICES.primary_key,
    )
    table = doc_tables.columns_table(grown)
    assert "| `po_number` | 采购订单号 | PO number | text |" in table
    assert table not in page
    assert doc_tables.columns_table(INVOICES) in page


def test_a_sheet_without_its_block_is_reported() -> None:
    text = (ROOT / "docs/register.md").read_text("utf-8")
    without = re.sub(
        r"<!-- generated: columns fx -->.*?<!-- end generated -->", "", text, flags=re.DOTALL
    )
    assert doc_tables.missing_blocks(Path("docs/register.md"), without) == ["columns fx"]
    with pytest.raises(ValueError, match="no generated block"):
        doc_tables.refresh("<!-- generated: columns nowhere -->\n<!-- end generated -->")


# --------------------------------------------------------------------------- one home per fact

FACT_KINDS = (
    "Altman Z″ coefficient",
    "limit term",
    "collections ladder step",
    "alert threshold",
    "sheet column",
    "template field",
)


def fact_homes() -> list[tuple[str, str, str]]:
    """(fact, file, text looked for) per row of architecture.md's "Where does this fact live"."""
    text = (ROOT / "docs/architecture.md").read_text("utf-8")
    section = text.split("## Where does this fact live", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and cells[2].startswith("`") and cells[3].startswith("`"):
            rows.append((cells[0], cells[2].strip("`"), cells[3][1:-1]))
    return rows


def _text_of(path: Path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            xml = package.read("word/document.xml").decode("utf-8")
        return re.sub(r"<[^>]+>", "", xml)
    return path.read_text("utf-8")


def test_the_newcomers_table_names_one_file_for_each_kind_of_fact() -> None:
    homes = fact_homes()
    for kind in FACT_KINDS:
        assert any(kind in fact for fact, _, _ in homes), f"no row for {kind!r}"


@pytest.mark.parametrize(("fact", "file", "looked_for"), fact_homes())
def test_each_fact_lives_in_the_file_the_table_names_and_nowhere_else(
    fact: str, file: str, looked_for: str
) -> None:
    home = ROOT / file
    assert home.is_file(), f"{fact}: {file} does not exist"
    assert looked_for in _text_of(home), f"{fact}: {looked_for!r} is not in {file}"
    elsewhere = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if path != home and looked_for in path.read_text("utf-8")
    ]
    assert elsewhere == [], f"{fact}: also in {elsewhere}"
