"""Errors meant for people: each message is one clear line shown as it is, without a traceback."""


class WebAgentError(Exception):
    """Base of every error whose message is shown to the user."""


class BadPromptError(WebAgentError):
    """The design prompt cannot be used (empty, too large, not UTF-8)."""


class OutputDirError(WebAgentError):
    """The output folder cannot be created, written or locked."""


class UnsafePathError(WebAgentError):
    """A path would leave the output folder."""


class BrowserMissingError(WebAgentError):
    """No Chromium could be found or started."""


class ChartRuntimeMissingError(WebAgentError):
    """The vendored ECharts runtime is not installed."""


class GenerationError(WebAgentError):
    """A generator failed to produce its element."""
