"""Benchmark datasets: JSON lines of ``{"file_id": …, "input": …}`` read into checked cases.

Every problem is one line naming the file and the line number, so a 120-line dataset with one bad
row says exactly where to look.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from webagent.core.errors import WebAgentError

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
PROMPT_KEYS = ("input", "instruction")


class DatasetError(WebAgentError):
    """The benchmark dataset cannot be read, has a bad line, or lacks a case that was asked for."""


class BenchCase(BaseModel):
    """One design prompt of a benchmark; ``file_id`` names its folder under ``cases/``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file_id: str
    prompt: str

    @field_validator("file_id")
    @classmethod
    def _safe_folder_name(cls, value: str) -> str:
        if not SAFE_ID.fullmatch(value):
            raise ValueError(
                f"file_id {value!r} cannot be a folder name "
                "(use up to 100 letters, digits, '.', '_' or '-', not starting with '.', '_' or '-')"
            )
        return value

    @field_validator("prompt")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the prompt is empty")
        return value


def read_case(row: object) -> BenchCase:
    """The case one parsed JSON line describes; ValueError says what is wrong with it."""
    if not isinstance(row, dict):
        raise ValueError(f"expected a JSON object, got {type(row).__name__}")
    file_id = row.get("file_id")
    if file_id is None:
        raise ValueError("no 'file_id'")
    if isinstance(file_id, bool) or not isinstance(file_id, (str, int)):
        raise ValueError(f"file_id must be a string, got {type(file_id).__name__}")
    key = next((k for k in PROMPT_KEYS if k in row), None)
    if key is None:
        raise ValueError("no 'input' or 'instruction'")
    if not isinstance(row[key], str):
        raise ValueError(f"'{key}' must be a string, got {type(row[key]).__name__}")
    try:
        return BenchCase(file_id=str(file_id), prompt=row[key])
    except ValidationError as exc:
        error = exc.errors()[0]
        raise ValueError(str(error.get("ctx", {}).get("error", error["msg"]))) from None


def parse_line(line: str, where: str) -> object:
    """One JSON line, or a DatasetError naming ``where`` (bad syntax, absurd nesting or a huge integer)."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise DatasetError(f"{where}: not usable JSON (nested too deeply)") from None
    except ValueError as exc:  # an integer of more than 4300 digits
        raise DatasetError(f"{where}: not usable JSON ({str(exc).split(':')[0]})") from None


def load_dataset(path: Path) -> list[BenchCase]:
    """Every case of a JSON-lines dataset, in file order; blank lines are skipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    cases: list[BenchCase] = []
    first_line: dict[str, int] = {}
    lines = re.split(r"\r\n|\r|\n", text)  # not splitlines(): U+2028 and U+0085 may sit raw inside a JSON string
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row = parse_line(line, f"{path} line {number}")
        try:
            case = read_case(row)
        except ValueError as exc:
            raise DatasetError(f"{path} line {number}: {exc}") from None
        if case.file_id in first_line:
            raise DatasetError(
                f"{path} line {number}: file_id {case.file_id!r} is used again "
                f"(first on line {first_line[case.file_id]})"
            )
        first_line[case.file_id] = number
        cases.append(case)
    if not cases:
        raise DatasetError(f"{path} has no cases: write one JSON object per line with 'file_id' and 'input'")
    return cases


def select_cases(cases: list[BenchCase], ids: list[str] | None = None, limit: int | None = None) -> list[BenchCase]:
    """The cases named by ``ids`` (all when None), in dataset order, then the first ``limit`` of them."""
    if ids:
        known = {case.file_id for case in cases}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise DatasetError(f"no case with file_id {', '.join(repr(i) for i in unknown)} in the dataset")
        wanted = set(ids)
        cases = [case for case in cases if case.file_id in wanted]
    return cases[:limit] if limit is not None else cases
