"""The models qabot ships as package data (JSON the fit scripts in bench/ write): how each is read,
and the check that a model reads only features qabot gives."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Iterable


def packaged_json(name: str) -> dict[str, Any]:
    return json.loads(resources.files("qabot").joinpath(name).read_text(encoding="utf-8"))


def known_features(model: dict[str, Any], known: Iterable[str], what: str) -> tuple[str, ...]:
    """The model's feature names, in its order; ValueError when it reads one qabot does not give
    (a model fitted by a newer or older qabot)."""
    names = tuple(model["features"])
    unknown = set(names) - set(known)
    if unknown:
        raise ValueError(f"the {what} qabot does not give: {sorted(unknown)}")
    return names
