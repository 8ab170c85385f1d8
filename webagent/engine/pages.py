"""A built page folder, read without the engine: the checks that it is one and the rounds it holds.

Kept apart from ``webagent.engine.edit`` (which loads the build graph, the model client and Playwright) so that
`webagent history` starts in a fraction of a second.
"""

from __future__ import annotations

from pathlib import Path

from webagent.core.errors import WebAgentError
from webagent.core.records import History
from webagent.core.workdir import PROMPT_FILE
from webagent.reflection.rounds import load_history


def page_history(out_dir: Path) -> History:
    """The rounds of a built page and which one the folder shows, or one line saying why ``out_dir`` is not a
    folder `webagent build` wrote."""
    out_dir = out_dir.resolve()
    if not out_dir.is_dir():
        raise WebAgentError(f"{out_dir} is not a folder: give the folder `webagent build` wrote")
    if not (out_dir / "index.html").is_file():
        raise WebAgentError(f"{out_dir} has no index.html: give the folder `webagent build` wrote")
    history = load_history(out_dir)
    if not (out_dir / PROMPT_FILE).is_file():
        raise WebAgentError(f"{out_dir} has no {PROMPT_FILE}: it was not written by `webagent build`")
    return history
