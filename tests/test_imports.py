"""No module under ``plugins/`` imports itself in a circle, not even through an import inside a
function (the kind that hid the posts ``model`` ↔ ``render`` circle). Read with ``ast``; nothing
is imported or run."""

from __future__ import annotations

import ast
from pathlib import Path

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PLUGINS).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Our modules that ``path`` imports anywhere in its body (``from . import x`` counts x)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import sub`` imports the submodule; ``from pkg import name`` the package
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            # a submodule import also runs its packages' __init__: count the longest known prefix
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PLUGINS.rglob("*.py")}
    known = set(files)
    return {name: imports_of(path, name, known) for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_no_plugin_module_imports_in_a_circle():
    graph = import_graph()
    assert len(graph) > 50, "the walk found too few modules"
    # the walk sees imports inside functions and relative imports
    assert "magazin.german.slugs" in graph["magazin.masthead.masthead"]  # inside load_masthead()
    assert "magazin.editorial.settings" in graph["magazin.editorial.checks"]  # from ..settings
    assert "magazin.youtube.generator" in graph["magazin.youtube.plugin"]
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " → ".join(cycle)


def test_the_cycle_finder_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_a_function_level_import_counts(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "model.py").write_text("def f():\n    from .render import g\n    return g\n")
    (pkg / "render.py").write_text("from .model import f\n")
    known = {"pkg", "pkg.model", "pkg.render"}
    global PLUGINS
    saved, PLUGINS = PLUGINS, tmp_path
    try:
        graph = {n: imports_of(tmp_path / (n.replace(".", "/") + ".py"), n, known) for n in known - {"pkg"}}
    finally:
        PLUGINS = saved
    assert find_cycle(graph) == ["pkg.model", "pkg.render", "pkg.model"]
