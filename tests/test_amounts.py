"""Amounts in figures and in Chinese upper case, as a contract states them."""

from __future__ import annotations

import datetime as dt

import pytest

from credit_register.documents.amounts import (
    chinese_upper,
    format_amount,
    format_day,
    format_pct,
    to_cents,
)


@pytest.mark.parametrize(
    ("amount", "upper"),
    [
        (0, "零元整"),
        (0.00, "零元整"),
        (10.05, "壹拾元零伍分"),
        (100_000_000, "壹亿元整"),
        (1_004_000.50, "壹佰万肆仟元伍角"),
        (301_200.15, "叁拾万壹仟贰佰元壹角伍分"),
        (880_000, "捌拾捌万元整"),
        (1_010.01, "壹仟零壹拾元零壹分"),
        (100_010_000, "壹亿零壹万元整"),
        (20_000_000, "贰仟万元整"),
        (101, "壹佰零壹元整"),
        (1_000_001, "壹佰万零壹元整"),
        ("1,004,000.50", "壹佰万肆仟元伍角"),
    ],
)
def test_upper_case_matches_hand_written(amount: float | str, upper: str) -> None:
    assert chinese_upper(amount) == upper


def test_float_noise_is_rounded_to_the_cent_first() -> None:
    assert to_cents(0.1 + 0.2) == to_cents("0.30")
    assert chinese_upper(0.1 + 0.2) == "叁角"
    assert chinese_upper(2.675) == "贰元陆角捌分"  # half-up, not binary-float half-even


def test_figures_and_dates_by_language() -> None:
    assert format_amount(1_004_000.5, "zh") == "1,004,000.50"
    assert format_amount(None, "en") == "—"
    assert format_pct(0.4, "zh", 0) == "40%"
    assert format_day(dt.date(2026, 10, 31), "zh") == "2026年10月31日"
    assert format_day(dt.date(2026, 10, 31), "en") == "October 31, 2026"
