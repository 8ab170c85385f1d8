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

from webagent.ownership import remove_file

import webagent.state
from reflection.loop import Checkpoint

CHECKPOINT_FILE = ".checkpoints.sqlite"
THREAD = {"configurable": {"thread_id": "build"}}


def state_classes() -> list[type]:
    """Every class a build's state may hold: the contracts of webagent.state and the reflection checkpoint."""
    contracts = [cls for _, cls in inspect.getmembers(webagent.state, inspect.isclass)
                 if issubclass(cls, BaseModel) and cls.__module__ == webagent.state.__name__]
    return [*contracts, Checkpoint]


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
