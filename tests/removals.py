"""Every place in the code base that removes, renames or replaces a file or folder, read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("webagent", "planners", "generators", "reflection", "webbench", "ui", "benchmarks", "scripts")
MODULE_CALLS = {  # module.function calls that remove or move
    "os": {"remove", "unlink", "rmdir", "removedirs", "rename", "renames", "replace"},
    "shutil": {"rmtree", "move"},
    "tempfile": {"TemporaryDirectory", "NamedTemporaryFile"},  # removed when they close
}
PATH_METHODS = {"unlink", "rmdir", "rename"}  # Path methods; Path.replace is told from str.replace by its one argument


def is_removal(call: ast.Call) -> bool:
    function = call.func
    if not isinstance(function, ast.Attribute):
        return False
    owner = function.value.id if isinstance(function.value, ast.Name) else None
    if owner in MODULE_CALLS:
        return function.attr in MODULE_CALLS[owner]
    if function.attr == "replace":
        return len(call.args) == 1 and not call.keywords
    return function.attr in PATH_METHODS


class Sites(ast.NodeVisitor):
    """The dotted name (module.function) of the function around each removal."""

    def __init__(self, module: str) -> None:
        self.names = [module]
        self.found: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.names.append(node.name)
        self.generic_visit(node)
        self.names.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        if is_removal(node):
            self.found.add(".".join(self.names))
        self.generic_visit(node)


def removal_sites() -> set[str]:
    """``package.module.function`` of every function in the code base that removes, renames or replaces."""
    found: set[str] = set()
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            visitor = Sites(module)
            visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
            found |= visitor.found
    return found
