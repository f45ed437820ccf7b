"""The house rules the code is held to: no import cycle among product modules.

The import direction itself (the core through its ports, the papers downward) is
import-linter's contracts in pyproject.toml, run by `make lint`.
"""

from __future__ import annotations

import grimp

PRODUCT = ("ai_incident", "bot", "handlers", "storage")


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
