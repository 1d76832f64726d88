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
    table = [line for line in done.stdout.splitlines() if line.startswith("| 3,")]
    assert {line.split("|")[2].strip().split(" ")[0] for line in table} == {"qabot", "rank-bm25", "bm25s", "tantivy"}
