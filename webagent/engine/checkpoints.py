"""The build graph's checkpoints: LangGraph's SQLite saver in the staging folder, for ``--resume``.

After every step the state is saved (synchronously), and each parallel task's result as soon as it
finishes, so a build killed at any moment resumes with only the unfinished tasks run again. Only
our own state classes may be read back from the file.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from pydantic import BaseModel

from webagent.core import answers, contracts, edits, health, records, source
from webagent.core.ownership import remove_file
from webagent.reflection.loop import Checkpoint
from webagent.webbench.evaluation import contracts as evaluation_contracts

CHECKPOINT_FILE = ".checkpoints.sqlite"
THREAD = {"configurable": {"thread_id": "build"}}


def state_classes() -> list[type]:
    """Every class a build's state may hold: the core and evaluation contracts and the reflection checkpoint."""
    modules = (contracts, health, answers, source, edits, records, evaluation_contracts)
    classes = [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == module.__name__
    ]
    return [*classes, Checkpoint]


@contextmanager
def open_checkpoints(folder: Path) -> Iterator[SqliteSaver]:
    """The checkpoint saver of the build staged in ``folder``."""
    with closing(sqlite3.connect(folder / CHECKPOINT_FILE, check_same_thread=False)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        yield SqliteSaver(connection, serde=JsonPlusSerializer(allowed_msgpack_modules=state_classes()))


def remove_checkpoints(folder: Path) -> None:
    """Delete the checkpoint file (and SQLite's companions) from a finished build's folder."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        remove_file(folder / f"{CHECKPOINT_FILE}{suffix}")
