"""The BM25 engines behind one protocol (`base.Engine`), one file each, picked by name."""

from __future__ import annotations

from qabot.engines.base import Engine, Hit, NewPassages, PassageBatch
from qabot.engines.rank_bm25 import RankBM25Engine
from qabot.engines.tantivy import TantivyEngine

ENGINES: dict[str, type[Engine]] = {engine.name: engine for engine in (RankBM25Engine, TantivyEngine)}

__all__ = ["ENGINES", "Engine", "Hit", "NewPassages", "PassageBatch"]
