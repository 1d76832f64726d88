"""A progress bar for long index builds, on the terminal only (tqdm)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from qabot.index.scan import scan_corpus
from qabot.settings import Settings

MIN_ARTICLES_FOR_BAR = 200


@contextmanager
def article_progress(settings: Settings) -> Iterator[Callable[[int], None]]:
    """A step function counting indexed articles; draws a bar when stderr is a terminal and the
    corpus is large enough for the wait to be noticed."""
    total = len(scan_corpus(settings.corpus_dir))
    if not sys.stderr.isatty() or total < MIN_ARTICLES_FOR_BAR:
        yield lambda _n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="article", desc="indexing", file=sys.stderr, leave=False) as bar:

        def step(articles: int) -> None:
            bar.update(articles)

        yield step
