"""Calibrate the default financial bands on the Polish bankruptcy data, reproducibly.

    .venv/bin/python scripts/calibrate_polish.py [--seed 20261031] [--holdout 0.3]

Reads ``../shared/data/polish-bankruptcy-1year.arff`` (relative to the repository root; see its
README: 7,027 companies, 271 bankrupt), rebuilds each company's statement as its README says,
types it like the reader types a Financials sheet, and sends it through the same code as a
user's statements (``ratios.latest_statements`` → the scorecard's financial pillar). A stratified,
seeded 30 % is held out; bands and weights are fitted on the rest; ROC AUC of the fitted
financial pillar, of the pillar under the shipped policy and of Altman Z″ are reported on the same
hold-out rows. Prints the result table (the README) and the fitted ``_FACTORS`` figures
to paste into ``policy/rating_rows.py``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from credit_register.core.schema import FINANCIALS
from credit_register.engines import calibration, ratios
from credit_register.policy import DEFAULT_POLICY
from credit_register.policy.model import BandedFactor

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polish-bankruptcy-1year.arff"


def read_arff(path: Path) -> pd.DataFrame:
    """The ARFF file's data section as floats (``?`` = missing), columns Attr1…Attr64, class."""
    names: list[str] = []
    rows: list[str] = []
    in_data = False
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.strip()
        if not text or text.startswith("%"):
            continue
        if in_data:
            rows.append(text)
        elif text.lower().startswith("@attribute"):
            names.append(text.split()[1])
        elif text.lower().startswith("@data"):
            in_data = True
    cells = [r.split(",") for r in rows]
    frame = pd.DataFrame(cells, columns=names).replace("?", np.nan)
    numbers: pd.DataFrame = frame.apply(pd.to_numeric, errors="coerce")
    return numbers


def statements(data: pd.DataFrame) -> pd.DataFrame:
    """The rebuilt statements, typed like the reader's Financials frame (schema keys)."""
    ta = 10 ** data["Attr29"]
    cl = data["Attr51"] * ta
    ca = data["Attr4"] * cl
    revenue = data["Attr9"] * ta
    lines = {
        "total_assets": ta,
        "total_liabilities": data["Attr2"] * ta,
        "current_liabilities": cl,
        "current_assets": ca,
        "equity": data["Attr10"] * ta,
        "retained_earnings": data["Attr6"] * ta,
        "ebit": data["Attr7"] * ta,
        "net_profit": data["Attr1"] * ta,
        "revenue": revenue,
        "inventory": ca - data["Attr46"] * cl,
        "cost_of_sales": revenue * (1 - data["Attr56"]),
        "receivables": data["Attr44"] * revenue / 365,
        "cash": data["Attr40"] * cl,
    }
    n = len(data)
    frame = pd.DataFrame(index=pd.RangeIndex(n))
    for column in FINANCIALS.columns:
        if column.key in lines:
            frame[column.key] = (
                lines[column.key].astype("float64").replace([np.inf, -np.inf], np.nan).to_numpy()
            )
        elif column.type == "number":
            frame[column.key] = np.full(n, np.nan)
        elif column.type == "int":
            frame[column.key] = pd.array(
                [12] * n if column.key == "period_months" else [None] * n, dtype="Int64"
            )
        elif column.type == "date":
            frame[column.key] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
        elif column.type == "bool":
            frame[column.key] = pd.array([None] * n, dtype="boolean")
        else:
            frame[column.key] = pd.Series([None] * n, dtype="str")
    frame["customer_id"] = pd.Series([f"PL{i:05d}" for i in range(n)], dtype="str")
    frame["period_end"] = pd.Series(
        pd.Timestamp("2007-12-31"), index=frame.index, dtype="datetime64[us]"
    )
    frame["_row"] = np.arange(2, n + 2)
    frame["_error"] = False
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261031)
    parser.add_argument("--holdout", type=float, default=0.3)
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args()
    data = read_arff(DATA)
    latest = ratios.latest_statements(statements(data))
    bad = (
        data["class"]
        .astype(int)
        .set_axis(pd.Index([f"PL{i:05d}" for i in range(len(data))], name="customer_id"))
        .reindex(latest.index)
    )
    fitted, report = calibration.evaluate(
        latest, bad, DEFAULT_POLICY, holdout=args.holdout, seed=args.seed
    )
    print(
        f"rows {report['rows']}, bankrupt {report['defaults']}, train {report['train_rows']}, "
        f"hold-out rows scored by both {report['holdout_rows']} "
        f"(bankrupt {report['holdout_defaults']}), seed {args.seed}"
    )
    print()
    print("| score (hold-out, same rows) | ROC AUC |")
    print("|---|---|")
    print(f"| financial pillar, fitted bands | {report['auc_financial_fitted']:.3f} |")
    print(f"| financial pillar, shipped policy | {report['auc_financial_given']:.3f} |")
    print(f"| Altman Z″ | {report['auc_zscore']:.3f} |")
    print(f"\n(train AUC of the fitted pillar: {report['auc_financial_fitted_train']:.3f})\n")
    print("fitted financial factors (edges as fractions / ratios, points, weight %):")
    for key, factor in fitted.pillars["financial"].factors.items():
        assert isinstance(factor, BandedFactor)
        print(
            f"  {key:15s} weight {factor.weight * 100:6.2f}  edges {list(factor.edges)}  "
            f"points {[int(p) for p in factor.points]}"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=float), encoding="utf-8")


if __name__ == "__main__":
    main()
