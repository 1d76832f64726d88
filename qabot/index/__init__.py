"""The passage index: built from the corpus, kept on disk (`format`), scanned for changes
(`scan`), built and updated (`build`), opened (`opening`) and read (`store`)."""

from qabot.index.opening import index_problem, open_index
from qabot.index.store import Index

__all__ = ["Index", "index_problem", "open_index"]
