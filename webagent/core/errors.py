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


class SettingsError(WebAgentError):
    """A setting is unknown or has a value that cannot be used."""


class ModelAccessError(WebAgentError):
    """A model endpoint refused us (bad key, unknown model or address): the build stops."""


class ModelStepError(WebAgentError):
    """One model step failed; the build goes on with the offline path for that step."""


class ModelUnavailableError(ModelStepError):
    """The endpoint kept failing (429, 5xx, timeouts) until the retries ran out."""


class ModelOutputError(ModelStepError):
    """The model's answer stayed invalid after one repair request."""


class MissingExtraError(WebAgentError):
    """An optional dependency a configured backend needs is not installed."""


class FolderBusyError(OutputDirError):
    """Another build or edit holds the output folder's lock."""


class ResumeError(WebAgentError):
    """An interrupted build cannot be resumed as asked."""


class BrowserCrashedError(WebAgentError):
    """Chromium crashed again right after it was replaced."""
