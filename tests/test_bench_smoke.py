"""The scale benchmark end to end at a tiny size, so that it keeps working (figures are not asserted:
speed is measured by the benchmark, not by tests)."""

import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


def test_scale_benchmark_smoke() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "scale.py"), "--smoke"], capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split("|")[1:-1] for line in done.stdout.splitlines() if line.startswith("| 3,")]
    engines = [cells for cells in rows if len(cells) == 7]
    assert {cells[1].strip().split(" ")[0] for cells in engines} == {"qabot", "rank-bm25", "bm25s", "tantivy"}
    [compared] = [cells for cells in rows if len(cells) == 5]
    whole, rank_bm25 = float(compared[1]), float(compared[2].split()[0])
    assert f"({rank_bm25 / whole:.1f}x)" in compared[2]
