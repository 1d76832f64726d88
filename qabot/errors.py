"""The exceptions that front ends turn into a clear sentence and an exit code."""


class QabotError(Exception):
    """A problem the user can fix (bad setting, missing corpus, ...); its message is one sentence."""

    exit_code = 1


class ConfigError(QabotError):
    """A setting is missing or has a bad value."""

    exit_code = 2


class IndexUnusable(QabotError):
    """The saved index cannot serve as it is; its message says why in a few words, and the index
    is rebuilt."""


class NoIndex(IndexUnusable):
    """Nothing has been built in the index folder yet."""


class IndexDamaged(IndexUnusable):
    """A file of the index is missing, cut short or not what it should be."""


class IndexOutdated(IndexUnusable):
    """The index was built by another qabot version or with other index settings."""


class ArticleChanged(Exception):
    """An article file is not the one the index was built from (edited or removed since): what
    was read from it cannot be quoted. Not a user error: qabot updates the index and asks again."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(doc_id)
        self.doc_id = doc_id
