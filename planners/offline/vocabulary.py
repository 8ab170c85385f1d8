"""Load the planner's prompt-independent word lists: the JSON files beside this module
(shipped by the package-data rule for "*.json")."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent


@cache
def load(name: str) -> dict:
    """The parsed contents of planners/offline/<name>; cached, so callers must not mutate it."""
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)
