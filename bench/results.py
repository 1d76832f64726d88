"""What the benchmarks write: bench/RESULTS.md, where each benchmark owns a section between its own
markers and rewrites only that, and the model files the fit scripts write into the package."""

from __future__ import annotations

import sys
import json
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qabot.storage import atomic_write_bytes  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(name: str, section: str, path: Path = RESULTS) -> None:
    """Replace the text between `<!-- name:begin -->` and `<!-- name:end -->` (or append it)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    body = f"{begin}\n{section.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + body + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def write_model(path: Path, document: dict[str, Any], indent: int | None = 1) -> None:
    """A fitted model as the package ships it: JSON, written atomically (a failed fit leaves the old one)."""
    atomic_write_bytes(path, (json.dumps(document, indent=indent) + "\n").encode("utf-8"))
    print(f"wrote {path}")
