"""Charts and the credit-report batch: round axes, the same picture for the same customer
whatever was drawn before, and documents that keep the template's styles as the user left them.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from docx import Document
from PIL import Image

from credit_register.app import document_actions as doc_usecases
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
