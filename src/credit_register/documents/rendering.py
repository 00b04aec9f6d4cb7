"""Filling a Word template with a context: where the templates are, and docxtpl made fast.

Building a context is pure; only ``render`` touches files. It fills a docxtpl template with Jinja
autoescaping on, so a customer named ``A&B <Trading>`` prints as typed instead of breaking the
document's XML, and in Jinja's sandbox, so a template cannot run code; then it fits the tables to
the figures they got (``layout``: no amount or number wraps, no row splits across pages). A
thousand reports come from one template, so what docxtpl would redo for each (compiling the
template, cleaning up its XML, parsing Word's default styles) is done once per process.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from credit_register.core.package_data import package_folder
from credit_register.documents.context import Chart, Context
from credit_register.documents.layout import fit_tables

#: where the Word templates live: ``CREDIT_REGISTER_TEMPLATES`` (a team's restyled copies), else
#: the package's own ``templates/`` (package data)
TEMPLATES_DIR = Path(os.environ.get("CREDIT_REGISTER_TEMPLATES") or package_folder("templates"))


def template_path(kind: str, lang: str, templates: Path | None = None) -> Path:
    """``contract`` → templates/contracts/contract_zh.docx (``bilingual``:
    contract_bilingual.docx) and ``contract_note`` beside it; ``credit_report``, ``letter``,
    ``review_pack``, ``handover_memo``, ``handover_index`` → templates/reports/<kind>_<lang>.docx.
    """
    folder = "contracts" if kind.startswith("contract") else "reports"
    name = f"{kind}_bilingual.docx" if lang == "bilingual" else f"{kind}_{lang}.docx"
    return (templates or TEMPLATES_DIR) / folder / name


def _prepared(tpl: Any, context: Mapping[str, Any]) -> Context:
    """The context with each ``Chart`` turned into the template's inline image."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    out: Context = {}
    for key, value in context.items():
        if isinstance(value, Chart):
            out[key] = InlineImage(tpl, io.BytesIO(value.png), width=Mm(value.width_mm))
        else:
            out[key] = value
    return out


_ENVIRONMENT: Any = None


def _environment() -> Any:
    """A Jinja environment (autoescaping) that compiles each template part once per process:
    docxtpl compiles the document XML on every render, which is most of a report's rendering
    time when a thousand are made from one template.

    It is Jinja's *sandbox*: a template is a Word file anyone with the folder can edit, and a
    ``{{ cycler.__init__.__globals__ ... }}`` payload in it must not run a command. The sandbox
    refuses attributes that start with ``_`` and unsafe calls (``SecurityError``); the templates
    only read values, choose and loop, which it allows."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        from jinja2.sandbox import SandboxedEnvironment

        class _Compiled(SandboxedEnvironment):
            cache_of_parts: dict[str, Any] = {}  # noqa: RUF012 - one per process, by design

            def from_string(
                self, source: Any, globals: Any = None, template_class: Any = None
            ) -> Any:
                key = str(source)
                found = self.cache_of_parts.get(key)
                if found is None:
                    found = super().from_string(source, globals, template_class)
                    if len(self.cache_of_parts) > 32:
                        self.cache_of_parts.clear()
                    self.cache_of_parts[key] = found
                return found

        _ENVIRONMENT = _Compiled(autoescape=True)
    return _ENVIRONMENT


#: a template's bytes by file, with the file's mtime and size: read once per process, and
#: again only when a user saves a restyled template
_TEMPLATE_BYTES: dict[Path, tuple[tuple[int, int], bytes]] = {}
#: docxtpl's clean-up of a template part's XML (merging Word's split runs around ``{{ }}``,
#: a third of a report's rendering time), by the part's XML: the same for every render
_PATCHED_XML: dict[str, str] = {}
#: the parts a render never changes (styles, numbering, fonts, theme, settings). python-docx
#: parses them on opening and serialises them again on saving; kept as the template's bytes
#: instead, a report skips 800 KB of Word's default styles twice over
_UNCHANGED_PARTS = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        "application/vnd.ms-word.stylesWithEffects+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml",
        "application/vnd.openxmlformats-officedocument.theme+xml",
    }
)
#: set while a template is opened for rendering: python-docx's part selector is process-wide,
#: and anyone else opening a document (a test reading a report's styles) gets parsed parts
_OPENING_TEMPLATE: ContextVar[bool] = ContextVar("opening_template", default=False)


def _template_bytes(template: Path) -> bytes:
    stat = template.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    known = _TEMPLATE_BYTES.get(template)
    if known is None or known[0] != version:
        known = (version, template.read_bytes())
        _TEMPLATE_BYTES[template] = known
    return known[1]


@cache
def _template_class() -> Any:
    """docxtpl's template, opened with the unchanged parts as bytes and its XML clean-up done
    once per template part (docxtpl is imported on first use: most commands make no document)."""
    from docx.opc.part import Part, PartFactory
    from docxtpl import DocxTemplate

    python_docx_selector = PartFactory.part_class_selector

    def keep_unchanged_parts(content_type: str, reltype: str) -> Any:
        if _OPENING_TEMPLATE.get() and content_type in _UNCHANGED_PARTS:
            return Part  # the bytes as read, written back as they are
        return python_docx_selector(content_type, reltype) if python_docx_selector else None

    PartFactory.part_class_selector = keep_unchanged_parts

    class Template(DocxTemplate):  # type: ignore[misc]
        def init_docx(self, reload: bool = True) -> None:
            opening = _OPENING_TEMPLATE.set(True)
            try:
                super().init_docx(reload)
            finally:
                _OPENING_TEMPLATE.reset(opening)

        def resolve_listing(self, xml: str) -> str:
            # docxtpl turns tabs, line and page breaks typed in values into Word's; its pass
            # over every run of the document is wasted when no value holds one
            if not any(mark in xml for mark in "\t\a\n\f"):
                return xml
            return str(super().resolve_listing(xml))

        def patch_xml(self, src_xml: str) -> str:
            patched = _PATCHED_XML.get(src_xml)
            if patched is None:
                patched = str(super().patch_xml(src_xml))
                if len(_PATCHED_XML) > 32:  # a few templates × a few parts; bound it anyway
                    _PATCHED_XML.clear()
                _PATCHED_XML[src_xml] = patched
            return patched

    return Template


def render(template: Path, context: Mapping[str, Any], out: Path) -> Path:
    """Fill ``template`` with ``context`` (autoescaped) and save the document at ``out``."""
    tpl = _template_class()(io.BytesIO(_template_bytes(template)))
    tpl.render(_prepared(tpl, context), jinja_env=_environment(), autoescape=True)
    fit_tables(tpl.docx)  # the figures are in: no amount or number may wrap, no row split
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(out)
    return out


def undeclared_variables(template: Path, context: Mapping[str, Any]) -> set[str]:
    """The template's variables that ``context`` does not provide (a test and a support aid)."""
    from docxtpl import DocxTemplate

    return set(DocxTemplate(template).get_undeclared_template_variables(context=dict(context)))
