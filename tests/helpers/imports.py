"""The import graph of ``feedback_app``, read from the source (every ``import`` statement,
including those inside functions), for the architecture rules in
``tests/unit/test_architecture.py``."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "feedback_app"
PACKAGE_DIR = Path(__file__).resolve().parents[2] / PACKAGE


@dataclass(frozen=True)
class Import:
    target: str  # the module imported, e.g. "feedback_app.services.responses.store"
    names: tuple[str, ...]  # the names taken from it ("*" for a plain ``import``)
    line: int


@dataclass
class Module:
    name: str
    path: Path
    imports: list[Import] = field(default_factory=list)

    @property
    def package(self) -> str:
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_graph(root: Path = PACKAGE_DIR) -> dict[str, Module]:
    """Every module of the package with the imports of ours it makes."""
    modules = {module_name(path): Module(module_name(path), path) for path in sorted(root.rglob("*.py"))}
    for module in modules.values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target != PACKAGE and not target.startswith(PACKAGE + "."):
                    continue
                plain = [alias.name for alias in node.names if f"{target}.{alias.name}" not in modules]
                if plain:
                    module.imports.append(Import(target, tuple(plain), node.lineno))
                for alias in node.names:
                    if f"{target}.{alias.name}" in modules:  # ``from package import module``
                        module.imports.append(Import(f"{target}.{alias.name}", ("*",), node.lineno))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                        module.imports.append(Import(alias.name, ("*",), node.lineno))
    return modules


def edges(modules: dict[str, Module]) -> dict[str, set[str]]:
    return {name: {i.target for i in module.imports if i.target in modules} for name, module in modules.items()}


def cycles(modules: dict[str, Module]) -> list[list[str]]:
    """The import loops: strongly connected groups of more than one module (or a module
    importing itself), by Tarjan's algorithm."""
    graph = edges(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                found.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def reachable(modules: dict[str, Module], start: str) -> set[str]:
    """Every module ``start`` imports, directly or through others."""
    graph = edges(modules)
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
