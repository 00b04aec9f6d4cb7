"""Charts for the credit report and the review pack, as PNG bytes.

A credit committee reads a customer's payment habit and the age of its debt faster from a chart
than from a table, so the report shows both, and the review pack the grade distribution. Charts
are drawn headless (matplotlib's Agg canvas, no pyplot state) with a font that has Chinese
glyphs, found through matplotlib's font manager from the CJK fonts Windows, macOS and the common
Linux distributions ship. Windows and macOS always have one; a Linux machine may not
(``scripts/system-deps.sh`` installs ``fonts-noto-cjk`` where it can). Without one, matplotlib
would draw every Chinese label as boxes and warn once per missing glyph (dozens per chart), so
the charts of a Chinese document are then labelled in English instead, and the program warns
once, naming the package to install. One figure per size is kept and cleared between charts:
building a Figure costs more than drawing a few bars, and a report run draws thousands.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless: no display on servers, CI or the Excel button's Python

import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import LinearLocator, NullFormatter
from matplotlib.transforms import Bbox, offset_copy
from PIL import Image

from credit_register.core.schema import AGEING, GRADES, Language
from credit_register.core.text import pick as _text

#: fonts with Chinese glyphs, most wanted first: Linux packages, then Windows, then macOS
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Microsoft YaHei",
    "DengXian",
    "SimHei",
    "SimSun",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Songti SC",
    "Arial Unicode MS",
)
#: what to install on Linux when none of them is there
CJK_FONT_PACKAGE = "fonts-noto-cjk"
_DPI = 110
#: the size of an axis's figures (points)
_FIGURE_SIZE = 8.0
_GOOD, _LATE, _OPEN, _LINE = "#2e7d32", "#f9a825", "#c62828", "#1f3864"
#: not due, then each overdue bucket darker: a reader sees where the old debt sits
_AGE_COLOURS = ("#2e7d32", "#9ccc65", "#fdd835", "#fb8c00", "#e53935", "#b71c1c", "#4a0000")
_FIGURES: dict[tuple[float, float], Figure] = {}
_CJK_FILE_HINT = re.compile(
    r"cjk|wqy|simhei|simsun|msyh|deng|pingfang|hiragino|heiti|songti|droidsansfallback|uming|"
    r"sourcehan|arialuni",
    re.IGNORECASE,
)


class MissingFontWarning(UserWarning):
    """No font with Chinese glyphs is installed: charts are labelled in English."""


_WARNED_NO_CJK_FONT = False


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed font of ``CJK_FONTS``, or ``None`` when none is installed."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None:
        # matplotlib's font cache predates fonts installed later (apt-get in CI): look again
        for path in font_manager.findSystemFonts():
            if _CJK_FILE_HINT.search(path):
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
        found = next((name for name in CJK_FONTS if name in installed), None)
    return found


def chart_lang(lang: Language) -> Language:
    """The language a chart is labelled in: ``lang``, except English for a Chinese document on
    a machine without a CJK font (boxes are no labels); then one warning per process says what
    to install."""
    global _WARNED_NO_CJK_FONT
    if lang != "zh" or cjk_font() is not None:
        return lang
    if not _WARNED_NO_CJK_FONT:
        _WARNED_NO_CJK_FONT = True
        warnings.warn(
            "未找到中文字体，图表改用英文标注；请安装中文字体，如 Linux 上 "
            f"sudo apt-get install {CJK_FONT_PACKAGE}（或 fonts-wqy-microhei） (no font with "
            "Chinese glyphs is installed, so the charts are labelled in English; install one, "
            f"e.g. sudo apt-get install {CJK_FONT_PACKAGE})",
            MissingFontWarning,
            stacklevel=3,
        )
    return "en"


def _use_cjk_font() -> None:
    found = cjk_font()
    matplotlib.rcParams["font.sans-serif"] = [*([found] if found else []), "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212


def _figure(width: float, height: float) -> Figure:
    """A cleared figure of this size, reused across charts."""
    _use_cjk_font()
    fig = _FIGURES.get((width, height))
    if fig is None:
        fig = Figure(figsize=(width, height), dpi=_DPI)
        FigureCanvasAgg(fig)
        _FIGURES[(width, height)] = fig
    fig.clear()
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # light compression: the PNG is re-zipped inside the .docx anyway
    fig.savefig(buffer, format="png", dpi=_DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


class _Blitted:
    """A chart whose fixed parts (titles, legend, grid, tick marks, category labels) are drawn
    once into a background and whose moving parts (``animated`` artists: bars, line, figures)
    are drawn over it per customer: matplotlib spends most of a chart's time laying out text
    and ticks that never change between customers."""

    fig: Figure
    background: Any = None
    value_axes: tuple[_ValueAxis, ...] = ()

    def moving(self) -> list[Any]:
        raise NotImplementedError

    def _png(self) -> bytes:
        canvas = self.fig.canvas
        if self.background is None:
            for artist in [*self.moving(), *(f for a in self.value_axes for f in a.figures)]:
                artist.set_animated(True)
            canvas.draw()  # the fixed parts only: animated artists are left out
            self.background = canvas.copy_from_bbox(self.fig.bbox)  # type: ignore[attr-defined]
        canvas.restore_region(self.background)  # type: ignore[attr-defined]
        for axis in self.value_axes:
            axis.paint()
        for artist in self.moving():
            self.fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)  # type: ignore[attr-defined]
        return _palette_png(image.convert("RGB"))


def _palette_png(image: Image.Image) -> bytes:
    """A 256-colour PNG: a chart is a few flat colours and their anti-aliased edges, so the
    palette image looks the same in print, is half the size, and encodes in half the time (a
    true-colour PNG filters every row five ways to pick the best)."""
    palette = image.quantize(256, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


#: equal intervals on a value axis: the grid stays put for every customer, only its figures change
_INTERVALS = 5
#: the round steps an axis counts in (× a power of ten)
_ROUND_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
#: matplotlib's tick length plus its label pad, in points: where tick figures sit off the spine
_FIGURE_OFFSET_PT = 7.0
#: figure strips kept per axis (each a few kilobytes of pixels)
_STRIPS_KEPT = 64
#: pixels above and below a vertical axis that its top and bottom figures reach into
_STRIP_MARGIN = 12


def axis_top(largest: float) -> float:
    """The smallest round axis maximum at or above ``largest`` that splits into ``_INTERVALS``
    round steps (1, 2, 2.5 or 5 × 10ⁿ each).

    >>> axis_top(106.0), axis_top(37.3), axis_top(9.0), axis_top(0.0)
    (125.0, 50.0, 10.0, 1.0)
    """
    if not largest > 0:
        return 1.0
    wanted = largest / _INTERVALS
    magnitude = 10.0 ** math.floor(math.log10(wanted))
    step = next(m * magnitude for m in _ROUND_STEPS if m * magnitude >= wanted * (1 - 1e-9))
    return step * _INTERVALS


def axis_figures(top: float) -> list[str]:
    """The figures printed at each grid line from 0 to ``top``, with as many decimals as the
    step needs.

    >>> axis_figures(12.5)
    ['0', '2.5', '5.0', '7.5', '10.0', '12.5']
    >>> axis_figures(125_000.0)
    ['0', '25,000', '50,000', '75,000', '100,000', '125,000']
    """
    step = top / _INTERVALS
    decimals = next((d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 6)
    return ["0", *(f"{step * k:,.{decimals}f}" for k in range(1, _INTERVALS + 1))]


class _ValueAxis:
    """One value axis drawn in two layers: its spine, tick marks and grid are fixed (the ticks sit
    at equal fractions of the axis whatever its range), and only its figures, plain text
    artists, move with the customer's range."""

    def __init__(self, ax: Any, side: str, fontsize: float) -> None:
        self.ax = ax
        self.axis = ax.xaxis if side == "bottom" else ax.yaxis
        self.axis.set_major_locator(LinearLocator(_INTERVALS + 1))
        self.axis.set_major_formatter(NullFormatter())
        # the "0" at the origin is the same for everyone: it stays in the background
        fraction = np.linspace(0.0, 1.0, _INTERVALS + 1)
        if side == "bottom":
            at = offset_copy(ax.transAxes, fig=ax.figure, y=-_FIGURE_OFFSET_PT, units="points")
            texts = [
                ax.text(f, 0.0, "0", transform=at, ha="center", va="top", fontsize=fontsize)
                for f in fraction
            ]
        else:
            sign, x, align = (-1.0, 0.0, "right") if side == "left" else (1.0, 1.0, "left")
            at = offset_copy(
                ax.transAxes, fig=ax.figure, x=sign * _FIGURE_OFFSET_PT, units="points"
            )
            texts = [
                ax.text(x, f, "0", transform=at, ha=align, va="center", fontsize=fontsize)
                for f in fraction
            ]
        self.figures = texts[1:]
        self.side = side
        self.top = 1.0
        #: the figures' pixels by axis top: a few round tops serve a thousand customers, and
        #: copying pixels back costs nothing next to laying out text again
        self.strips: dict[float, Any] = {}

    def show(self, largest: float) -> None:
        """Scale the axis to a round top at or above ``largest`` (its figures are painted by
        ``paint``)."""
        self.top = axis_top(largest)
        if self.side == "bottom":
            self.ax.set_xlim(0, self.top)
        else:
            self.ax.set_ylim(0, self.top)

    def paint(self) -> None:
        """Put the figures of the current top on the canvas, drawn once per top."""
        canvas = self.ax.figure.canvas
        strip = self.strips.get(self.top)
        if strip is not None:
            canvas.restore_region(strip)
            return
        for artist, text in zip(self.figures, axis_figures(self.top)[1:], strict=True):
            artist.set_text(text)
            self.ax.figure.draw_artist(artist)
        if len(self.strips) >= _STRIPS_KEPT:
            self.strips.clear()
        self.strips[self.top] = canvas.copy_from_bbox(self._strip())

    def _strip(self) -> Bbox:
        """The band beside the axis where its figures print (display pixels); nothing that
        moves between customers is drawn there."""
        box, width, height = self.ax.bbox, self.ax.figure.bbox.width, self.ax.figure.bbox.height
        if self.side == "bottom":
            return Bbox.from_extents(0, 0, width, box.y0 - 1)
        left, right = (0, box.x0 - 1) if self.side == "left" else (box.x1 + 1, width)
        return Bbox.from_extents(
            left, max(box.y0 - _STRIP_MARGIN, 0), right, min(box.y1 + _STRIP_MARGIN, height)
        )


def _bar_polygons(
    at: np.ndarray, start: np.ndarray, end: np.ndarray, *, width: float, vertical: bool
) -> np.ndarray:
    """Bars as rectangles (n, 4 corners, x/y) centred on ``at``, from ``start`` to ``end``
    along the value axis; ``start``/``end`` may be (series, n) for stacked bars."""
    start, end = np.broadcast_arrays(np.atleast_2d(start), np.atleast_2d(end))
    centre = np.broadcast_to(at, start.shape)
    left, right = centre - width / 2, centre + width / 2
    across = np.stack([left, left, right, right], axis=-1)
    along = np.stack([start, end, end, start], axis=-1)
    corners = np.stack([across, along] if vertical else [along, across], axis=-1)
    return corners.reshape(-1, 4, 2)


def _style(ax: object) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)  # type: ignore[attr-defined]
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)  # type: ignore[attr-defined]
    ax.set_axisbelow(True)  # type: ignore[attr-defined]


def _in_10k(values: np.ndarray, lang: Language) -> tuple[np.ndarray, str]:
    """Amounts in 万元 for a Chinese reader, thousands for an English one."""
    if lang == "zh":
        return values / 10_000, "万元"
    return values / 1_000, "thousands"


_MONTH_COLUMNS = ("on_time", "late", "open_overdue", "open_not_due", "weighted_days", "weight")


class PaymentHistory:
    """Every customer's last 12 months of invoices by due month, summed once for a whole run
    (one pass over the invoices; a report then takes its customer's slice in O(1))."""

    def __init__(self, items: pd.DataFrame, as_of: dt.date) -> None:
        end = pd.Timestamp(as_of).to_period("M")
        self.months = pd.period_range(end - 11, end, freq="M")
        rows = items.loc[items["amount_base"] > 0]
        due_day = pd.to_datetime(rows["due_date"])
        month = (
            due_day.dt.year * 12
            + due_day.dt.month
            - (self.months[0].year * 12 + self.months[0].month)
        ).to_numpy()
        inside = (month >= 0) & (month < 12)
        rows, due_day, month = rows.loc[inside], due_day.loc[inside], month[inside]
        settled = pd.to_datetime(rows["settled_on"])
        amount = rows["amount_base"].astype(float)
        outstanding = rows["outstanding_base"].astype(float).clip(lower=0).fillna(0.0)
        late_days = (settled - due_day).dt.days.clip(lower=0).astype("float64")
        late_days = late_days.where(settled.notna(), rows["days_overdue"].astype("float64"))
        paid_late = settled.notna() & (settled > due_day)
        overdue = rows["days_overdue"] > 0
        values = np.column_stack(
            [
                (amount - outstanding).where(~paid_late, 0.0),
                (amount - outstanding).where(paid_late, 0.0),
                outstanding.where(overdue, 0.0),
                outstanding.where(~overdue, 0.0),
                (late_days * amount).fillna(0.0),
                amount.where(late_days.notna(), 0.0),
            ]
        ).astype(float)
        codes, ids = pd.factorize(rows["customer_id"].to_numpy(dtype=object))
        self.position = {str(cid): n for n, cid in enumerate(ids)}
        self.table = np.zeros((len(ids), 12, len(_MONTH_COLUMNS)))
        np.add.at(self.table, (codes, month.astype(np.int64)), np.nan_to_num(values))

    def of(self, customer_id: str) -> pd.DataFrame:
        """The customer's 12 months (zeros without invoices), with ``avg_days_late``."""
        at = self.position.get(customer_id)
        values = self.table[at] if at is not None else np.zeros((12, len(_MONTH_COLUMNS)))
        by_month = pd.DataFrame(values, index=self.months, columns=list(_MONTH_COLUMNS))
        weight = by_month["weight"].where(by_month["weight"] > 0)
        by_month["avg_days_late"] = by_month["weighted_days"] / weight
        return by_month


_PAYMENT_SERIES = (
    ("on_time", _GOOD, "按时回款", "paid on time"),
    ("late", _LATE, "逾期回款", "paid late"),
    ("open_overdue", _OPEN, "逾期未收", "open, overdue"),
    ("open_not_due", "#90a4ae", "未到期", "open, not due"),
)


class _PaymentChart(_Blitted):
    """The payment-behaviour chart's figure with its bars and line, drawn once per language;
    each customer only moves the bars (a new figure per report would triple the time)."""

    def __init__(self, lang: Language) -> None:
        self.fig = Figure(figsize=(7.0, 3.0), dpi=_DPI)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot(1, 1, 1)
        self.twin = self.ax.twinx()
        x = np.arange(12)
        # every bar of every series is one polygon of one collection: one draw call, not 48
        self.bars = PolyCollection(
            [],
            facecolors=np.repeat([colour for _, colour, *_ in _PAYMENT_SERIES], len(x)),
            edgecolors="none",
        )
        self.ax.add_collection(self.bars, autolim=False)
        self.ax.set_xlim(-0.9, len(x) - 0.1)
        self.series = [
            Patch(facecolor=colour, label=_text(lang, zh, en))
            for _, colour, zh, en in _PAYMENT_SERIES
        ]
        (self.line,) = self.twin.plot(
            x,
            np.zeros(12),
            color=_LINE,
            marker="o",
            markersize=3,
            linewidth=1.4,
            label=_text(lang, "平均逾期天数", "average days late"),
        )
        unit = _text(lang, "万元", "thousands")
        self.ax.set_ylabel(_text(lang, f"到期金额（{unit}）", f"amount due ({unit})"))
        self.twin.set_ylabel(_text(lang, "天", "days"))
        self.twin.spines["top"].set_visible(False)
        _style(self.ax)
        self.amounts = _ValueAxis(self.ax, "left", _FIGURE_SIZE)
        self.days = _ValueAxis(self.twin, "right", _FIGURE_SIZE)
        self.value_axes = (self.amounts, self.days)
        # the axis titles stand clear of the widest figures (no tick labels to measure)
        self.ax.yaxis.set_label_coords(-0.075, 0.5)
        self.twin.yaxis.set_label_coords(1.06, 0.5)
        self.ax.legend(
            [*self.series, self.line],
            [*(str(p.get_label()) for p in self.series), str(self.line.get_label())],
            fontsize=7,
            ncol=5,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            frameon=False,
        )
        self.fig.suptitle(
            _text(
                lang,
                "近12个月付款表现（按到期月份）",
                "Payment behaviour, last 12 months (by due month)",
            ),
            fontsize=9,
            y=0.98,
        )
        # fixed margins: tight_layout would measure every label and double the drawing time
        self.fig.subplots_adjust(left=0.09, right=0.92, bottom=0.12, top=0.80)
        self.month_labels: list[str] = []

    def draw(self, by_month: pd.DataFrame, lang: Language) -> bytes:
        amounts, _unit = _in_10k(
            by_month[[key for key, *_ in _PAYMENT_SERIES]].to_numpy(dtype=float).T, lang
        )
        tops = amounts.cumsum(axis=0)  # the series stacked, month by month
        self.bars.set_verts(
            _bar_polygons(  # type: ignore[arg-type] # an array: the fast path
                np.arange(len(by_month)), tops - amounts, tops, width=0.7, vertical=True
            )
        )
        bottom = tops[-1]
        avg_late = by_month["avg_days_late"].to_numpy(dtype=float)
        self.line.set_ydata(avg_late)
        self.amounts.show(float(bottom.max(initial=0.0)) * 1.05)
        self.days.show(max(10.0, float(np.nanmax(avg_late, initial=0.0)) * 1.1))
        labels = [m.strftime("%y-%m") for m in by_month.index]
        if labels != self.month_labels:  # the same for every customer of a run
            self.ax.set_xticks(np.arange(len(by_month)), labels, fontsize=7)
            self.month_labels = labels
            self.background = None
        return self._png()

    def moving(self) -> list[Any]:
        return [self.bars, self.line]


_AGE_KEYS = ("not_due", "d1_30", "d31_60", "d61_90", "d91_180", "d181_365", "over_365")


class _AgeingChart(_Blitted):
    """The ageing chart's figure, drawn once per language and updated per customer."""

    def __init__(self, lang: Language) -> None:
        self.fig = Figure(figsize=(7.0, 2.6), dpi=_DPI)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot(1, 1, 1)
        y = np.arange(len(_AGE_KEYS))[::-1]
        self.y = y
        self.bars = PolyCollection([], facecolors=_AGE_COLOURS, edgecolors="none")
        self.ax.add_collection(self.bars, autolim=False)
        self.ax.set_ylim(-0.7, len(y) - 0.3)
        self.ax.set_yticks(y, [AGEING.column(k).header(lang) for k in _AGE_KEYS], fontsize=8)
        self.labels = [self.ax.text(0, yy, "", va="center", fontsize=7) for yy in y]
        unit = _text(lang, "万元", "thousands")
        self.ax.set_xlabel(_text(lang, f"未收金额（{unit}）", f"open amount ({unit})"))
        self.ax.xaxis.set_label_coords(0.5, -0.13)
        self.amounts = _ValueAxis(self.ax, "bottom", _FIGURE_SIZE)
        self.value_axes = (self.amounts,)
        for side in ("top", "right"):
            self.ax.spines[side].set_visible(False)
        self.ax.set_title(_text(lang, "应收账龄", "Receivables by age"), fontsize=9)
        self.fig.subplots_adjust(left=0.16, right=0.97, bottom=0.17, top=0.89)

    def draw(self, values: np.ndarray) -> bytes:
        top = float(values.max(initial=0.0))
        self.bars.set_verts(
            _bar_polygons(  # type: ignore[arg-type] # an array: the fast path
                self.y, np.zeros(len(values)), values, width=0.65, vertical=False
            )
        )
        for label, value in zip(self.labels, values, strict=True):
            label.set_x(value + top * 0.01)
            label.set_text(f"{value:,.1f}" if value > 0 else "")
        self.amounts.show(top * 1.15)  # room for the figure beside the longest bar
        return self._png()

    def moving(self) -> list[Any]:
        return [self.bars, *self.labels]


_PAYMENT_CHARTS: dict[Language, _PaymentChart] = {}
_AGEING_CHARTS: dict[Language, _AgeingChart] = {}


def payment_behaviour_chart(items: pd.DataFrame, as_of: dt.date, lang: Language) -> bytes:
    """A customer's last 12 months by due month: what was paid on time, paid late, and is still
    open past due (bars, base currency), with the average days late (line).

    ``items`` are the customer's rows of ``Results.items``; credit notes are left out.
    """
    customer_id = str(items["customer_id"].iloc[0]) if len(items) else ""
    return payment_chart_of(PaymentHistory(items, as_of), customer_id, lang)


def payment_chart_of(history: PaymentHistory, customer_id: str, lang: Language) -> bytes:
    """``payment_behaviour_chart`` from a run's ``PaymentHistory`` (many reports)."""
    lang = chart_lang(lang)
    _use_cjk_font()
    chart = _PAYMENT_CHARTS.get(lang) or _PAYMENT_CHARTS.setdefault(lang, _PaymentChart(lang))
    return chart.draw(history.of(customer_id), lang)


def ageing_chart(ageing_row: Mapping[str, object], lang: Language) -> bytes:
    """A customer's open balance by age (the Ageing sheet's buckets, base currency)."""
    lang = chart_lang(lang)
    _use_cjk_font()
    raw = np.array([_float(ageing_row.get(k)) for k in _AGE_KEYS])
    values, _unit = _in_10k(np.nan_to_num(raw), lang)
    chart = _AGEING_CHARTS.get(lang) or _AGEING_CHARTS.setdefault(lang, _AgeingChart(lang))
    return chart.draw(values)


def _float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def grade_distribution_chart(ratings: pd.DataFrame, lang: Language) -> bytes:
    """Customers and exposure by grade (the review pack): bars of exposure, counts on top.

    ``ratings`` has ``grade`` and ``exposure`` (base currency) per customer."""
    lang = chart_lang(lang)
    grades = list(GRADES)
    counts = ratings["grade"].value_counts().reindex(grades, fill_value=0)
    exposure = pd.to_numeric(ratings["exposure"], errors="coerce").fillna(0.0)
    by_grade = exposure.groupby(ratings["grade"]).sum().reindex(grades, fill_value=0.0)
    values, unit = _in_10k(by_grade.to_numpy(dtype=float), lang)
    fig = _figure(7.0, 2.8)
    ax = fig.add_subplot(1, 1, 1)
    x = np.arange(len(grades))
    colours = ["#1b5e20", "#2e7d32", "#66bb6a", "#fdd835", "#fb8c00", "#e53935", "#7f0000"]
    ax.bar(x, values, color=colours, width=0.65)
    top = float(values.max(initial=0.0))
    for xx, value, count in zip(x, values, counts.to_numpy(), strict=True):
        ax.text(
            float(xx),
            value + top * 0.02,
            _text(lang, f"{count}户", f"{count}"),
            ha="center",
            fontsize=8,
        )
    ax.set_xticks(x, grades)
    ax.set_ylim(0, max(top * 1.18, 1.0))
    ax.set_ylabel(_text(lang, f"敞口（{unit}）", f"exposure ({unit})"))
    ax.set_title(
        _text(
            lang,
            "信用等级分布（柱：敞口；数字：客户数）",
            "Grade distribution (bars: exposure; figures: customers)",
        ),
        fontsize=9,
    )
    _style(ax)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.1, top=0.89)
    return _png(fig)
