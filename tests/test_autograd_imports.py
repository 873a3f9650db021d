"""The engine's import graph has no circle, and every module imports on its own.

Tensor's methods reach the operations through ``autograd.tensor.ops``, a namespace that the ops
package fills when imported: the ops build on ``tensor.py``, which never imports them back.
Every import in a module counts here, those inside functions too.
"""

import ast
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograd"


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py"))


def _imports(path: pathlib.Path) -> set:
    """The autograd modules that ``path`` imports (names of submodules resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = node.module or ""
            base = (f"{base}.{module}" if module else base) if node.level else module
            # "from . import x" names a submodule x when there is one
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t.split(".")[0] == "autograd" and t != name)
    return found


def _graph() -> dict:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _cycle(graph: dict) -> list | None:
    """A circle in ``graph`` (module -> imported modules), or None. Package __init__ files are
    left out as targets: importing a submodule runs its package's __init__ in any package."""
    state = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            for child in children:
                if child in MODULES and (ROOT / child.replace(".", "/") / "__init__.py").exists():
                    continue  # a package: see above
                if state.get(child) == "open":
                    return path[path.index(child) :] + [child]
                if child in graph and not state.get(child):
                    state[child] = "open"
                    stack.append((child, iter(sorted(graph[child]))))
                    path.append(child)
                    break
            else:
                state[node] = "done"
                stack.pop()
                path.pop()
    return None


def test_the_import_graph_of_autograd_has_no_circle():
    graph = _graph()
    assert "autograd.ops.arithmetic" in graph["autograd.ops"]  # the parser sees imports
    assert "autograd.tensor" in graph["autograd.function"]
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_circle_check_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycle(graph) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_first_in_a_fresh_interpreter(module):
    code = f"import {module}; import autograd; autograd.Tensor([1.0]) + 1"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
