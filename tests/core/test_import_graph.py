"""No import circle in the project: none between modules, none between apps; and no front app
imports another's views or urls.  The layers themselves are import-linter's contracts
(pyproject.toml, ``[tool.importlinter]``, run by ``make lint``).

The graph is grimp's (import-linter's library): every import counts, at module level, inside a
function or under ``TYPE_CHECKING`` (a type-only import still ties the two modules together: the
one cannot be read, moved or reasoned about without the other).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp
import pytest

FRONT_APPS = {"public", "accounts", "workspace", "console", "api"}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("pledgebook", cache_dir=None)


def imports_of(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def circles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node, and the nodes that import
    themselves (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    successors = {node: sorted(edges.get(node, ())) for node in edges}
    for root in sorted(successors):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for i in range(position, len(successors[node])):
                nxt = successors[node][i]
                if nxt not in index:
                    work += [(node, i + 1), (nxt, 0)]
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in successors[node]:
                        found.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return found


def describe(component: list[str], edges: Mapping[str, Iterable[str]]) -> str:
    inside = set(component)
    arrows = [f"{a} -> {b}" for a in component for b in sorted(edges[a]) if b in inside]
    return "\n    ".join(arrows)


def test_circles_are_found() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}
    assert circles(edges) == [["a", "b", "c"], ["d"]]


def test_no_circle_between_modules(graph: grimp.ImportGraph) -> None:
    edges = imports_of(graph)
    new = circles(edges)
    assert new == [], "import circles:\n" + "\n".join(
        f"  {', '.join(c)}:\n    {describe(c, edges)}" for c in new
    )


def test_no_circle_between_apps(graph: grimp.ImportGraph) -> None:
    edges: dict[str, set[str]] = {}
    for module, imported in imports_of(graph).items():
        app = app_of(module)
        if app is None:
            continue
        edges.setdefault(app, set())
        edges[app] |= {b for b in map(app_of, imported) if b is not None and b != app}
    found = circles(edges)
    assert found == [], "circles between apps:\n" + "\n".join(
        f"  {describe(c, edges)}" for c in found
    )


def test_front_apps_import_no_other_front_apps_views(graph: grimp.ImportGraph) -> None:
    """Front apps may share forms, template tags and helpers (``accounts.domain``), never
    views or URLs: each app's ``urls`` is the only importer of its views."""
    wrong = []
    for module, imported in imports_of(graph).items():
        app = app_of(module)
        if app not in FRONT_APPS:
            continue
        for other in imported:
            parts = other.split(".")
            if (
                parts[1] in FRONT_APPS - {app}
                and len(parts) > 2
                and (parts[2].startswith("views") or parts[2] == "urls")
            ):
                wrong.append(f"{module} -> {other}")
    assert wrong == []
