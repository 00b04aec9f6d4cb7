"""Charts and the credit-report batch: round axes, the same picture for the same customer
whatever was drawn before, and documents that keep the template's styles as the user left them.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from docx import Document
from matplotlib import font_manager
from PIL import Image

from credit_register.app import document_actions as doc_usecases
from credit_register.core.schema import Language
from credit_register.documents import charts
from credit_register.documents.rendering import template_path
from credit_register.documents.report import ReportData
from credit_register.engines.results import Results
from support.demo_run import demo_results


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return demo_results(tmp_path_factory)


@pytest.mark.parametrize(
    ("largest", "top", "figures"),
    [
        (106.0, 125.0, ["0", "25", "50", "75", "100", "125"]),
        (9.0, 10.0, ["0", "2", "4", "6", "8", "10"]),
        (0.6, 1.0, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        (0.0, 1.0, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
    ],
)
def test_an_amount_axis_counts_in_round_steps_up_to_the_largest_bar(
    largest: float, top: float, figures: list[str]
) -> None:
    assert charts.axis_top(largest) == top
    assert charts.axis_figures(top) == figures


def _ageing(not_due: float, d1_30: float) -> dict[str, object]:
    return {
        "not_due": not_due,
        "d1_30": d1_30,
        "d31_60": 0.0,
        "d61_90": 0.0,
        "d91_180": 0.0,
        "d181_365": 0.0,
        "over_365": 0.0,
    }


def test_a_customers_chart_is_the_same_picture_whatever_was_drawn_before() -> None:
    small = charts.ageing_chart(_ageing(22_000.0, 163_000.0), "zh")  # axis 0–25 万元
    large = charts.ageing_chart(_ageing(2_200_000.0, 0.0), "zh")  # axis 0–250 万元
    again = charts.ageing_chart(_ageing(22_000.0, 163_000.0), "zh")
    assert again == small != large
    image = Image.open(io.BytesIO(small))
    assert image.format == "PNG" and image.mode == "P"  # a palette image: small, quick
    assert image.size == (770, 286)  # 7 × 2.6 inches at 110 dpi: crisp at 160 mm wide


def test_payment_chart_stacks_a_month_paid_on_time_late_and_open() -> None:
    items = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A"],
            "amount_base": [100_000.0, 50_000.0, 30_000.0],
            "outstanding_base": [0.0, 0.0, 30_000.0],
            "due_date": pd.to_datetime(["2026-10-05", "2026-10-10", "2026-10-20"]),
            "settled_on": pd.DatetimeIndex(["2026-10-05", "2026-10-25", None]),
            "days_overdue": [0, 0, 11],
        }
    )
    october = charts.PaymentHistory(items, pd.Timestamp("2026-10-31").date()).of("A").iloc[-1]
    assert october["on_time"] == 100_000.0 and october["late"] == 50_000.0
    assert october["open_overdue"] == 30_000.0 and october["open_not_due"] == 0.0
    # days late weighted by amount: (0 × 100k + 15 × 50k + 11 × 30k) / 180k
    assert october["avg_days_late"] == pytest.approx((15 * 50_000 + 11 * 30_000) / 180_000)
    png = charts.payment_chart_of(
        charts.PaymentHistory(items, pd.Timestamp("2026-10-31").date()), "A", "en"
    )
    assert np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).std() > 0  # drawn, not blank


def test_report_data_carries_only_the_customers_asked(results: Results) -> None:
    data = ReportData(results, ["C00004", "C00001"])
    assert set(data.customers) == set(data.ratings) == {"C00004", "C00001"}
    assert set(data.payments.position) <= {"C00004", "C00001"}
    assert data.exposure_of("C00004") == results.exposure.at["C00004", "exposure_base"]


def test_a_report_keeps_the_templates_styles_byte_for_byte(
    results: Results, tmp_path: Path
) -> None:
    [path] = doc_usecases.report_docs(results, ["C00004"], out_dir=tmp_path)
    template = template_path("credit_report", results.register.lang)
    with zipfile.ZipFile(template) as before, zipfile.ZipFile(path) as after:
        assert after.read("word/styles.xml") == before.read("word/styles.xml")
    # anyone else opening a document still gets python-docx's parsed styles
    doc = Document(str(path))
    assert doc.paragraphs[0].style is not None and len(doc.styles) > 10


def _fresh_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """No chart drawn yet: every label is laid out (and every glyph looked up) again."""
    monkeypatch.setattr(charts, "_PAYMENT_CHARTS", {})
    monkeypatch.setattr(charts, "_AGEING_CHARTS", {})
    monkeypatch.setattr(charts, "_FIGURES", {})


def _draw_every_chart(results: Results, lang: Language) -> None:
    history = charts.PaymentHistory(results.items, results.as_of)
    for customer_id in ("C00004", "C00012"):
        charts.payment_chart_of(history, customer_id, lang)
    charts.ageing_chart(_ageing(22_000.0, 163_000.0), lang)
    charts.grade_distribution_chart(results.ratings, lang)


def test_with_a_cjk_font_installed_no_chart_misses_a_glyph(
    results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    if charts.cjk_font() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("no CJK font in CI (scripts/system-deps.sh installs fonts-noto-cjk)")
        pytest.skip("no CJK font installed")
    _fresh_charts(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for lang in ("zh", "en"):
            _draw_every_chart(results, lang)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert not [w for w in caught if issubclass(w.category, charts.MissingFontWarning)]


def test_without_a_cjk_font_the_charts_are_labelled_in_english_with_one_warning(
    results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh Linux machine: one warning naming the package, not a warning per glyph."""
    monkeypatch.setattr(charts, "CJK_FONTS", ("No Such CJK Font",))
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    monkeypatch.setattr(charts, "_WARNED_NO_CJK_FONT", False)
    charts.cjk_font.cache_clear()
    _fresh_charts(monkeypatch)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _draw_every_chart(results, "zh")
            _draw_every_chart(results, "zh")
        assert charts.chart_lang("zh") == "en"
    finally:
        charts.cjk_font.cache_clear()
    assert [w.category for w in caught] == [charts.MissingFontWarning]
    assert "fonts-noto-cjk" in str(caught[0].message)
