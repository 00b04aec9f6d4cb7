"""The benchmark script runs end to end on a tiny register and reports every figure and target.

The real figures come from ``make bench`` (the large register, minutes); this smoke test only checks
that the script's machinery works: it builds and caches its register, measures each step in a fresh
process, and writes the JSON the README's table is made from.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench.py"
STEP_KEYS = {
    "floor",
    "read",
    "validation",
    "rating",
    "ageing_alerts",
    "write",
    "full_run",
    "reports",
    "import_floor",
    "import",
}
TARGET_KEYS = {
    "full_run",
    "full_run_stretch",
    "rating",
    "ageing_alerts",
    "reports",
    "full_run_memory",
    "import",
    "import_memory",
}

#: the JSON written, the table printed, the cache folder
Run = tuple[dict[str, Any], str, Path]


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "latest.json"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--size",
            "small",
            "--customers",
            "0.5",
            "--invoices",
            "0.1",
            "--reports",
            "2",
            "--out",
            str(out),
            "--cache-dir",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8")), done.stdout, folder


def test_every_step_and_target_is_in_the_json(bench_run: Run) -> None:
    result, _, _ = bench_run
    assert set(result["steps"]) == STEP_KEYS
    assert {t["key"] for t in result["targets"]} == TARGET_KEYS
    for key, step in result["steps"].items():
        if key == "reports" and step["status"] != "measured":
            assert step["status"] == "not available yet"
            continue
        assert step["status"] == "measured", key
        assert 0 < step["seconds_best"] <= step["seconds_median"]
        assert step["peak_mb"] > 10  # a Python process with pandas loaded, at least
    for target in result["targets"]:
        assert target["status"] in {"PASS", "MISSED", "NOT MEASURED"}


def test_targets_are_judged_on_the_figures(bench_run: Run) -> None:
    result, _, _ = bench_run
    steps = result["steps"]
    targets = {t["key"]: t for t in result["targets"]}
    run = targets["full_run"]
    assert run["figure"] == steps["full_run"]["seconds_median"]
    assert run["limit"] == pytest.approx(2 * steps["floor"]["seconds_median"], abs=1e-3)
    assert run["status"] == ("PASS" if run["figure"] <= run["limit"] else "MISSED")
    stretch = targets["full_run_stretch"]
    assert stretch["limit"] == pytest.approx(1.5 * steps["floor"]["seconds_median"], abs=1e-3)
    imported = targets["import"]
    assert imported["figure"] == steps["import"]["seconds_median"]
    assert imported["limit"] == pytest.approx(2 * steps["import_floor"]["seconds_median"], abs=1e-3)
    assert targets["import_memory"]["figure"] == steps["import"]["peak_mb"]
    assert targets["rating"]["limit"] == 2.0
    assert targets["ageing_alerts"]["limit"] == 1.0
    assert targets["full_run_memory"]["limit"] == 2048.0
    assert targets["full_run_memory"]["figure"] == steps["full_run"]["peak_mb"]
    if steps["reports"]["status"] == "measured":
        # 2 reports are held to the pace of 1,000 in 60 s
        assert steps["reports"]["count"] == 2
        assert targets["reports"]["limit"] == pytest.approx(0.12)


def test_machine_and_register_are_stated(bench_run: Run) -> None:
    result, printed, folder = bench_run
    machine = result["machine"]
    assert machine["cores"] >= 1 and machine["python"].startswith("3.")
    assert result["size"]["customers"] == 30 and result["size"]["invoices"] == 320
    # the built register is cached for the next run, keyed by size and code version
    assert Path(result["workbook"]["path"]).parent == folder
    assert result["workbook"]["build_seconds"] is not None
    assert "Machine: " in printed and "rating and limits < 2 s" in printed
    assert ("PASS" in printed) or ("MISSED" in printed)
