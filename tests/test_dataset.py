"""Benchmark datasets: every bad line is one error naming the file and the line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DEV_SET
from webagent.core.errors import WebAgentError
from webagent.webbench.bench.dataset import BenchCase, DatasetError, load_dataset, select_cases


def write_lines(tmp_path, *lines: str):
    path = tmp_path / "dataset.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row(file_id: object, prompt: str = "a bakery page", key: str = "input") -> str:
    return json.dumps({"file_id": file_id, key: prompt})


def error_of(path) -> str:
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert isinstance(caught.value, WebAgentError)
    return str(caught.value)


def test_cases_are_read_in_order_with_blank_lines_skipped(tmp_path):
    path = write_lines(tmp_path, row("001"), "", "   ", row("007", "a swiss book club", key="instruction"), row(12))
    assert load_dataset(path) == [
        BenchCase(file_id="001", prompt="a bakery page"),
        BenchCase(file_id="007", prompt="a swiss book club"),
        BenchCase(file_id="12", prompt="a bakery page"),
    ]


def test_invalid_json_names_its_line(tmp_path):
    path = write_lines(tmp_path, row("1"), row("2"), "", "", "", "", '{"file_id": "7", "input": ')
    assert error_of(path) == f"{path} line 7: not valid JSON (Expecting value at column 27)"


def test_line_without_a_prompt_is_refused(tmp_path):
    path = write_lines(tmp_path, row("1"), json.dumps({"file_id": "2", "prompt": "x"}))
    assert error_of(path) == f"{path} line 2: no 'input' or 'instruction'"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (json.dumps({"input": "a page"}), "no 'file_id'"),
        (json.dumps(["001", "a page"]), "expected a JSON object, got list"),
        (json.dumps({"file_id": True, "input": "a page"}), "file_id must be a string, got bool"),
        (json.dumps({"file_id": "1", "input": 5}), "'input' must be a string, got int"),
        (json.dumps({"file_id": "1", "input": "  "}), "the prompt is empty"),
    ],
)
def test_malformed_case_is_refused(tmp_path, line, message):
    path = write_lines(tmp_path, line)
    assert error_of(path) == f"{path} line 1: {message}"


def test_duplicate_file_id_names_both_lines(tmp_path):
    path = write_lines(tmp_path, row("a"), row("b"), row("x"), "", row("c"), row("d"), row("e"), row("f"), row("x"))
    assert error_of(path) == f"{path} line 9: file_id 'x' is used again (first on line 3)"


@pytest.mark.parametrize(
    "hostile", ["../escape", "a/b", "/etc", "", ".", "..", ".hidden", "a\\b", "a b", "x" * 101, "nul\x00"]
)
def test_hostile_file_id_is_refused(tmp_path, hostile):
    path = write_lines(tmp_path, row(hostile))
    assert error_of(path).startswith(f"{path} line 1: file_id {hostile!r} cannot be a folder name")


def test_hostile_file_id_is_refused_by_the_contract_too():
    with pytest.raises(ValueError, match="cannot be a folder name"):
        BenchCase(file_id="../x", prompt="a page")


def test_unreadable_files_are_one_line_errors(tmp_path):
    assert error_of(tmp_path / "missing.jsonl").startswith(f"cannot read {tmp_path / 'missing.jsonl'}: ")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"file_id": "1", "input": "Café"}\n'.encode("latin-1"))
    assert error_of(latin) == f"{latin} is not UTF-8 text (byte 0xe9 at offset 30)"
    empty = write_lines(tmp_path, "", "")
    assert error_of(empty).startswith(f"{empty} has no cases")


def test_selection_by_ids_keeps_dataset_order_then_limits(tmp_path):
    cases = load_dataset(write_lines(tmp_path, row("a"), row("b"), row("c"), row("d")))
    assert [c.file_id for c in select_cases(cases, ids=["d", "b", "a"])] == ["a", "b", "d"]
    assert [c.file_id for c in select_cases(cases, ids=["d", "b", "a"], limit=2)] == ["a", "b"]
    assert [c.file_id for c in select_cases(cases, limit=3)] == ["a", "b", "c"]
    with pytest.raises(DatasetError, match="no case with file_id 'zz', 'yy' in the dataset"):
        select_cases(cases, ids=["a", "zz", "yy"])


@pytest.mark.skipif(not DEV_SET.exists(), reason="the dev split is not beside the repository")
def test_dev_split_loads():
    cases = load_dataset(DEV_SET)
    assert len(cases) == 90 and cases[0].file_id == "001" and cases[0].prompt.startswith("Design a playful")
