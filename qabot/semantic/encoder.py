"""A sentence encoder without torch: all-MiniLM-L6-v2's forward pass in numpy (float32, batched)
over its safetensors weights, with its own tokenizer (Hugging Face `tokenizers`).

BERT (6 layers, 12 heads, hidden size 384), then the mean of the token vectors over the attention
mask, then L2 normalisation: the vectors sentence-transformers gives, so a cosine is a dot product.
The weights rank and weigh evidence; nothing here writes text.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

MODEL_FILES = ("model.safetensors", "config.json", "tokenizer.json")
MAX_TOKENS = 256
"""Longer sentences are cut, as sentence-transformers cuts them for this model."""
BATCH = 32
_ERF = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429, 0.3275911)


class ModelUnavailable(Exception):
    """The model cannot be used; the message is one sentence saying why."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz and Stegun 7.1.26 (error below 1.5e-7): numpy has no erf, and BERT's GELU is
    the exact one."""
    a1, a2, a3, a4, a5, p = _ERF
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + p * x)
    y = 1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * np.exp(-x * x)
    return (sign * y).astype(np.float32)


def _gelu(x: np.ndarray) -> np.ndarray:
    return (0.5 * x * (1.0 + _erf(x / np.float32(math.sqrt(2.0))))).astype(np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + eps)) * weight + bias


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray
    """Query, key and value projections side by side, transposed: (hidden, 3 * hidden)."""
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class SentenceEncoder:
    """Unit-length sentence vectors: `encode(texts) @ encode([question]).T` are cosines."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict[str, Any], tokenizer: Any, sha256: str = "") -> None:
        self.sha256 = sha256
        """The weights' SHA-256 (when known): which model made a stored vector."""
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimensions = self.hidden
        self._tokenizer = tokenizer
        w = {name: np.asarray(value, dtype=np.float32) for name, value in weights.items()}
        self._words = w["embeddings.word_embeddings.weight"]
        self._positions = w["embeddings.position_embeddings.weight"]
        self._types = w["embeddings.token_type_embeddings.weight"]
        self._norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            self._layers.append(_Layer(
                qkv=np.ascontiguousarray(np.concatenate(
                    [w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T),
                qkv_bias=np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]),
                out=np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                out_bias=w[p + "attention.output.dense.bias"],
                norm1=(w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                up=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                up_bias=w[p + "intermediate.dense.bias"],
                down=np.ascontiguousarray(w[p + "output.dense.weight"].T),
                down_bias=w[p + "output.dense.bias"],
                norm2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))

    @classmethod
    def load(cls, folder: Path, sha256: str | None) -> SentenceEncoder:
        """The model in `folder`; its weights must hash to `sha256` (when given)."""
        missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
        if missing:
            raise ModelUnavailable(f"The sentence model folder {folder} lacks {', '.join(missing)}.")
        found = sha256_of(folder / "model.safetensors")
        if sha256 is not None and found != sha256:
            raise ModelUnavailable(f"The sentence model in {folder} is not the expected one (its SHA-256 differs).")
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError:
            raise ModelUnavailable("The sentence model needs the semantic extra: pip install 'qabot[semantic]'.") from None
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            weights = load_file(str(folder / "model.safetensors"))
            return cls(weights, config, tokenizer, found)
        except (OSError, ValueError, KeyError, Exception) as exc:
            raise ModelUnavailable(f"The sentence model in {folder} cannot be read ({type(exc).__name__}).") from None

    def encode(self, texts: Sequence[str], batch: int = BATCH) -> np.ndarray:
        """One unit-length float32 vector a text; texts of similar length are batched together."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        vectors = np.zeros((len(ids), self.dimensions), dtype=np.float32)
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            states, mask = self._forward([ids[i] for i in chosen])
            pooled = (states * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
            vectors[chosen] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return vectors

    def pair_states(self, first: str, second: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """The last layer's vector of each token of `second`, read together with `first` (BERT's
        sentence pair: a question, then the sentence that may answer it), and each token's
        character offsets in `second`."""
        encoding = self._tokenizer.encode(first, second)
        states, _ = self._forward([encoding.ids], [encoding.type_ids])
        chosen = [k for k, sequence in enumerate(encoding.sequence_ids) if sequence == 1]
        return states[0, chosen], [encoding.offsets[k] for k in chosen]

    def _forward(self, ids: list[list[int]], types: list[list[int]] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The last layer's token vectors (texts, tokens, hidden) and the mask of real tokens."""
        length = max(len(seq) for seq in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        segments = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
            if types is not None:
                segments[row, : len(seq)] = types[row]
        x = self._words[tokens] + self._positions[:length] + self._types[segments]
        x = _layer_norm(x, *self._norm, self.eps)
        blocked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        size = self.hidden // self.heads
        scale = np.float32(1.0 / math.sqrt(size))
        for layer in self._layers:
            qkv = x @ layer.qkv + layer.qkv_bias
            q, k, v = (
                part.reshape(len(ids), length, self.heads, size).transpose(0, 2, 1, 3)
                for part in np.split(qkv, 3, axis=-1)
            )
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(len(ids), length, self.hidden)
            x = _layer_norm(context @ layer.out + layer.out_bias + x, *layer.norm1, self.eps)
            x = _layer_norm(_gelu(x @ layer.up + layer.up_bias) @ layer.down + layer.down_bias + x, *layer.norm2, self.eps)
        return x, mask
