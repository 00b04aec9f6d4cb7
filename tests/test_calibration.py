"""Calibration: the fitted financial pillar beats Altman Z″ on held-out bankruptcy data."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from credit_register.app.usecases import EXIT_FAILED
from credit_register.cli import main
from credit_register.engines import calibration, ratios
from credit_register.policy import DEFAULT_POLICY

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ARFF = DATA / "polish-bankruptcy-1year.arff"
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "calibrate_polish.py"


@pytest.mark.skipif(not ARFF.exists(), reason="../shared/data is not beside the repository")
def test_the_financial_pillar_beats_z2_on_the_same_held_out_rows() -> None:
    spec = importlib.util.spec_from_file_location("calibrate_polish", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    data = script.read_arff(ARFF)
    assert len(data) == 7027 and int(data["class"].sum()) == 271
    latest = ratios.latest_statements(script.statements(data))
    bad = pd.Series(
        data["class"].astype(int).to_numpy(), index=[f"PL{i:05d}" for i in range(len(data))]
    ).reindex(latest.index)
    fitted, report = calibration.evaluate(latest, bad, DEFAULT_POLICY, holdout=0.3, seed=20261031)
    assert report["auc_financial_fitted"] > report["auc_zscore"] + 0.03
    # the shipped default bands are the calibrated ones
    assert report["auc_financial_given"] > report["auc_zscore"] + 0.03
    weights = [f.weight for f in fitted.pillars["financial"].factors.values()]
    assert sum(weights) == pytest.approx(1.0)


def test_a_thin_default_history_is_reported_not_fitted() -> None:
    from support.rating_story import register

    rows, report = calibration.calibrate(register(), DEFAULT_POLICY, seed=1)
    assert rows == []
    assert "at least 10 defaulted" in report["problem_en"]


def test_auc_counts_higher_scores_as_safer() -> None:
    bad = pd.Series([1, 1, 0, 0])
    assert calibration.auc(bad, pd.Series([10.0, 20.0, 30.0, np.nan])) == 1.0


def test_calibrate_without_its_optional_libraries_says_how_to_install_them(
    demo_copy: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # optbinning and scikit-learn come with the `calibrate` extra; here optbinning is absent
    monkeypatch.setitem(sys.modules, "optbinning", None)
    monkeypatch.delitem(sys.modules, "credit_register.engines.calibration", raising=False)
    path = demo_copy("zh")
    before = path.read_bytes()
    assert main(["calibrate", str(path)]) == EXIT_FAILED
    out = capsys.readouterr().out
    assert "校准需要可选组件 optbinning，请先安装：pip install 'credit-register[calibrate]'" in out
    assert "calibration needs the optional optbinning" in out
    assert path.read_bytes() == before  # nothing written
