"""The one exception type that front ends turn into a clear sentence and an exit code."""


class QabotError(Exception):
    """A problem the user can fix (bad setting, missing corpus, ...); its message is one sentence."""

    exit_code = 1


class ConfigError(QabotError):
    """A setting is missing or has a bad value."""

    exit_code = 2
