"""The import graph between our apps, and the layers it must respect.

    python -m tests.import_graph   # prints the graph and the upward imports; rewrites docs/import-graph.txt

Layers, bottom to top: core ← accounts ← units ← assessment ← reports ← people (and the apps to
come on top). A module may import its own app and the apps below it, never one above, lazily inside a
function or not; ``config`` (settings, root URLs) sits above everything and is not checked.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "core",
    "accounts",
    "units",
    "assessment",
    "meetings",
    "ballots",
    "liaison",
    "rectification",
    "results",
    "reports",
    "people",
    "guide",
]
RANK = {app: n for n, app in enumerate(LAYERS)}


def modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


def imported_modules(tree: ast.AST, module: str) -> set[str]:
    """The dotted names of the modules ``module``'s code imports from (relative imports resolved)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = module.split(".")[: -node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            # ``from assessment import permissions`` imports the module assessment.permissions
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def _imported(tree: ast.AST, module: str) -> set[str]:
    """Top-level package names of our apps that ``module``'s code imports."""
    return {name.split(".")[0] for name in imported_modules(tree, module) if name.split(".")[0] in RANK}


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    if relative.name == "__init__":
        return ".".join(relative.parts[:-1]) + ".__init__"
    return ".".join(relative.parts)


def edges() -> dict[tuple[str, str], list[str]]:
    """(from app, to app) → the modules of the first app that import the second."""
    graph: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app, path in modules():
        module = module_name(path)
        for other in _imported(ast.parse(path.read_text(encoding="utf-8")), module):
            if other != app:
                graph[(app, other)].append(module)
    return dict(graph)


def upward(graph: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], list[str]]:
    return {pair: modules for pair, modules in graph.items() if RANK[pair[1]] > RANK[pair[0]]}


def drawing(graph: dict[tuple[str, str], list[str]]) -> str:
    lines = ["  " + " ← ".join(LAYERS) + "   (each app may import those to its left)", ""]
    for app in reversed(LAYERS):
        targets = sorted({b for a, b in graph if a == app}, key=RANK.get)
        for target in targets:
            mark = "  ✗ UPWARD" if RANK[target] > RANK[app] else ""
            lines.append(f"  {app:>10} → {target}{mark}")
    return "\n".join(lines)


DRAWING = ROOT / "docs" / "import-graph.txt"

if __name__ == "__main__":
    graph = edges()
    DRAWING.write_text(drawing(graph) + "\n", encoding="utf-8")
    print(drawing(graph))
    for (a, b), modules in sorted(upward(graph).items()):
        print(f"\n{a} → {b}:")
        for module in sorted(modules):
            print(f"    {module}")
