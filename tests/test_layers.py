"""The package as it installs: one namespace, every package and template in it, and the layer contract kept.

The contract lives in pyproject.toml ([tool.importlinter]); `make test` runs it through scripts/check-code.sh.
These tests install the package into a temporary folder, check what a user gets, and show that the
contract catches a back-arrow by adding one to the installed copy.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAPPED_FOLDERS = ("planners", "generators", "reflection", "webbench", "ui")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def source_files() -> list[str]:
    """The repository's files, tracked or new, that git does not ignore."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [name for name in listing.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package installed (no dependencies) into a folder of its own, built from a copy of the source."""
    source, target = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("installed")
    for name in source_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes((ROOT / name).read_bytes())
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
        + ["--no-build-isolation", "--target", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def lint_imports(view: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml")],
        cwd=view,
        env={"PYTHONPATH": str(view), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def source_packages(folder: Path) -> set[str]:
    """Folders of the repository holding an __init__.py, relative to ``folder``."""
    return {str(init.parent.relative_to(folder)) for init in folder.rglob("__init__.py")}


def test_only_the_webagent_namespace_is_installed(installed):
    top_level = {entry.name for entry in installed.iterdir() if not entry.name.endswith(".dist-info")}
    assert top_level - {"bin"} == {"webagent"}
    assert not any((installed / name).exists() for name in MAPPED_FOLDERS)


def test_every_package_and_its_templates_install_under_webagent(installed):
    expected = {f"webagent/{p}" if p != "." else "webagent" for p in source_packages(ROOT / "webagent")}
    for folder in MAPPED_FOLDERS:
        expected |= {f"webagent/{folder}" + ("" if p == "." else f"/{p}") for p in source_packages(ROOT / folder)}
    assert source_packages(installed) == expected
    templates = {name for name in source_files() if name.endswith(".j2")}
    for template in templates:
        inside = template if template.startswith("webagent/") else f"webagent/{template}"
        assert (installed / inside).is_file(), f"{template} is not installed"
    assert (installed / "webagent" / "planners" / "offline" / "styles.json").is_file()


def test_the_installed_package_keeps_the_layer_contract(installed):
    result = lint_imports(installed)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "back_arrow", "reported"),
    [
        ("webagent/core/errors.py", "import webagent.engine.graph", "webagent.core.errors -> webagent.engine.graph"),
        (
            "webagent/webbench/evaluation/metrics.py",
            "from webagent.planners.offline import compile_prompt",
            "webagent.webbench.evaluation.metrics -> webagent.planners.offline",
        ),
        (
            "webagent/planners/offline/text.py",
            "import webagent.generators",
            "webagent.planners.offline.text -> webagent.generators",
        ),
    ],
)
def test_a_back_arrow_breaks_the_contract(installed, tmp_path, module, back_arrow, reported):
    view = tmp_path / "view"
    subprocess.run(["cp", "-r", str(installed), str(view)], check=True)
    broken = view / module
    broken.write_text(broken.read_text(encoding="utf-8") + f"\n\n{back_arrow}  # a back-arrow\n", encoding="utf-8")
    result = lint_imports(view)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and reported in " ".join(result.stdout.split())


def imported_modules(folder: Path) -> set[str]:
    """Every module the Python files under ``folder`` import, at any depth of the code."""
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
    return names


def test_evaluation_reads_prompts_without_the_planners():
    imported = imported_modules(ROOT / "webbench")
    assert not {name for name in imported if name.startswith(("webagent.planners", "planners"))}


def test_code_imports_the_mapped_folders_by_their_installed_names():
    for folder in ("webagent", *MAPPED_FOLDERS, "tests", "benchmarks"):
        generic = {name for name in imported_modules(ROOT / folder) if name.split(".")[0] in MAPPED_FOLDERS}
        assert not generic, f"{folder}/ imports {sorted(generic)}: import them as webagent.<name>"
