"""The house rules the code is held to: no import cycle among product modules, and small
modules and functions.

The import direction itself (the core through its ports, the papers downward) is
import-linter's contracts in pyproject.toml, run by `make lint`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

from tests.conftest import ROOT

PRODUCT = ("ai_incident", "bot", "handlers", "storage")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40
# Modules still over the limit, each held to the size it has now: the list only shrinks.
STILL_LONG: dict[str, int] = {}


def _cycles() -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), imports under TYPE_CHECKING aside."""
    graph = grimp.build_graph(*PRODUCT, exclude_type_checking_imports=True)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_product_module_imports_itself_round_a_loop() -> None:
    assert _cycles() == []


def _sources() -> list[Path]:
    return [
        path
        for package in PRODUCT
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_no_module_is_over_300_lines_and_none_still_long_grows() -> None:
    sizes = {str(p.relative_to(ROOT)): len(p.read_text("utf-8").splitlines()) for p in _sources()}
    over = {name: n for name, n in sizes.items() if n > STILL_LONG.get(name, MAX_MODULE_LINES)}
    assert over == {}
    shrunk = {name for name, limit in STILL_LONG.items() if sizes.get(name, 0) <= MAX_MODULE_LINES}
    assert shrunk == set(), "back under the limit: take it off STILL_LONG"


def test_no_function_is_over_40_lines() -> None:
    long = {
        f"{path.relative_to(ROOT)}:{node.name}": node.end_lineno - node.lineno + 1
        for path in _sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    }
    assert long == {}
