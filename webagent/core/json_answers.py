"""Reading a JSON answer the way real models write it.

Models served by Ollama, vLLM or llama.cpp open with a reasoning block (``<think>…</think>``), put a preface
or an afterword around the JSON (with braces of its own), fence it after a ```css block, or fence it twice.
They write ``"Title"`` for ``"title"``, ``"3"`` for ``3``, ``null`` or ``""`` for an optional field, ``#fff``
for ``#ffffff`` and keep a key the schema does not have (``"reasoning"``). An answer is read in three steps:

1. the reasoning block goes;
2. every candidate JSON object in what is left is listed — fenced blocks first (``json``-tagged before the
   rest), then each balanced ``{…}`` of the whole text (braces and fences inside strings not counted), then
   those outside the fences — and the first that validates against the step's schema is the answer;
3. before validating, harmless coercions are applied, each logged by the caller: unknown keys dropped, keys
   matched whatever their case or separators, numbers and strings turned into each other where the schema
   says, ``null`` and ``""`` for a field with a default left to the default, three-digit hex colours of colour fields
   written out in six.

Anything else — a missing field, a wrong type no coercion fixes, a check that fails — is for one repair call.
"""

from __future__ import annotations

import json
import re
import types
import typing
from typing import Any, Union

from pydantic import BaseModel

# "<think>…</think>" (Qwen3, DeepSeek-R1), "<thinking>", "<reasoning>"; an unclosed block runs to the end.
_REASONING = re.compile(r"<(think|thinking|reasoning)>.*?(?:</\1>|\Z)", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[ \t]*([\w+-]*)[ \t]*\n(.*?)```", re.DOTALL)
_SHORT_HEX = re.compile(r"^#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])$")
# Only a colour field's "#fff" is a colour; the copy "#bad" or "#ace" is a hashtag and stays as written.
_COLOUR_FIELD = re.compile(r"palette|colou?r|background|accent", re.I)
_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
MAX_CANDIDATES = 24  # an answer with more JSON objects than this is not read further


def without_reasoning(answer: str) -> str:
    """``answer`` less its reasoning blocks."""
    return _REASONING.sub("", answer).strip()


def json_candidates(answer: str) -> list[str]:
    """The JSON objects an answer may hold, most likely first: ``json`` fences, other fences, each outermost
    balanced object of the whole text (a fence written inside a JSON string cuts a fence short, never an
    object), then those of the text outside the fences; with none, an object cut off."""
    text = without_reasoning(answer)
    fences = list(_FENCE.finditer(text))
    tagged = [m.group(2) for m in fences if m.group(1).lower() in {"json", "json5", "jsonc"}]
    others = [m.group(2) for m in fences if m.group(1).lower() not in {"json", "json5", "jsonc"}]
    outside = _FENCE.sub(lambda m: " " * len(m.group(0)), text)
    found: list[str] = []
    for block in [*tagged, *others]:
        found += _objects(block) or [block.strip()]
    found += _objects(text) + _objects(outside)
    if not found and "{" in outside:
        found.append(outside[outside.index("{") :].strip())  # cut off (finish_reason "length"): say where it breaks
    return list(dict.fromkeys(c for c in found if c))[:MAX_CANDIDATES]


def _objects(text: str) -> list[str]:
    """Each outermost balanced ``{…}`` of ``text``, braces inside strings not counted."""
    objects: list[str] = []
    depth, start, in_string, escaped = 0, -1, False, False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"' and depth:
            in_string = True
        elif char == "{":
            start = index if depth == 0 else start
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                objects.append(text[start : index + 1])
                if len(objects) >= MAX_CANDIDATES:
                    break
    return objects


def coerced(data: Any, schema: type[BaseModel], notes: list[str], where: str = "") -> Any:
    """``data`` with the harmless coercions made for ``schema`` (a model class); ``notes`` gets one line each."""
    if not isinstance(data, dict):
        return data
    fields = schema.model_fields
    by_key = {_plain_key(name): name for name in fields}
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = key if key in fields else by_key.get(_plain_key(str(key)))
        if name is None:
            notes.append(f"{where}{key}: not in the schema, dropped")
            continue
        if name != key:
            notes.append(f"{where}{key}: read as {name}")
        field = fields[name]
        if (value is None or value == "") and not field.is_required() and not _allows(field.annotation, value):
            notes.append(f"{where}{name}: {json.dumps(value)} left to the default")
            continue
        out[name] = _value(value, field.annotation, notes, f"{where}{name}")
    return out


def _plain_key(key: str) -> str:
    return re.sub(r"[\s_-]", "", key).lower()


def _allows(annotation: Any, value: Any) -> bool:
    """Whether ``annotation`` accepts ``value`` (None or "") as it is."""
    options = _options(annotation)
    if value is None:
        return type(None) in options or Any in options
    return str in options or Any in options


def _options(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def _value(value: Any, annotation: Any, notes: list[str], where: str) -> Any:
    """One value coerced towards ``annotation``."""
    options = _options(annotation)
    short_hex = _SHORT_HEX.match(value) if isinstance(value, str) and _COLOUR_FIELD.search(where) else None
    if short_hex and str in options:
        long = "#" + "".join(c * 2 for c in short_hex.groups())
        notes.append(f"{where}: {value} written as {long}")
        return long
    if isinstance(value, str) and _NUMBER.match(value) and str not in options:
        if int in options and "." not in value:
            notes.append(f"{where}: string {value!r} read as a number")
            return int(value)
        if float in options:
            notes.append(f"{where}: string {value!r} read as a number")
            return float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and str in options:
        if not {int, float} & set(options):
            notes.append(f"{where}: number {value} read as a string")
            return str(value)
    for option in options:
        model = _model_in(option)
        if model is not None and isinstance(value, dict):
            return coerced(value, model, notes, f"{where}.")
        origin = typing.get_origin(option)
        args = typing.get_args(option)
        if origin is list and args and isinstance(value, list):
            return [_value(item, args[0], notes, f"{where}[{k}]") for k, item in enumerate(value)]
        if origin is dict and len(args) == 2 and isinstance(value, dict):
            return {k: _value(v, args[1], notes, f"{where}.{k}") for k, v in value.items()}
    return value


def _model_in(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
