"""The package's modules import each other one way only: no import cycles.

Every module of minigan is parsed with ``ast`` (nothing is imported to read it), and each
import becomes an edge: absolute and relative, at the top of the file or inside a function.
Imports made by name through importlib are added by hand from the tables that name them
(cli.SUBCOMMANDS, theory.CLAIMS). An import cycle means neither module can be read, tested or
changed without the other; a floor module (minigan.errors) is the cure.
"""
import ast
import os
import textwrap

import pytest

import minigan
from minigan.cli import SUBCOMMANDS
from minigan.theory import CLAIMS

PACKAGE_DIR = os.path.dirname(minigan.__file__)


def module_files(package_dir, package):
    """{module name: file path} for every .py file below package_dir ('pkg.sub' for __init__)."""
    found = {}
    for folder, _, files in os.walk(package_dir):
        rel = os.path.relpath(folder, package_dir)
        prefix = package if rel == "." else package + "." + rel.replace(os.sep, ".")
        for name in files:
            if name.endswith(".py"):
                module = prefix if name == "__init__.py" else f"{prefix}.{name[:-3]}"
                found[module] = os.path.join(folder, name)
    return found


def imported_names(path, module, is_package):
    """The absolute names of what the file imports, wherever in the file the import stands."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    here = module if is_package else module.rpartition(".")[0]    # what `from .` means
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module
            # `from X import a`: the module X.a if there is one, else X itself
            names += [(base, alias.name) for alias in node.names]
    return names


def import_graph(package_dir, package, dynamic=None):
    """{module: set of the package's modules it imports}; ``dynamic`` adds importlib edges."""
    files = module_files(package_dir, package)
    graph = {}
    for module, path in files.items():
        edges = set()
        for name in imported_names(path, module, path.endswith("__init__.py")):
            if isinstance(name, tuple):
                base, attr = name
                name = f"{base}.{attr}" if f"{base}.{attr}" in files else base
            if name in files and name != module:
                edges.add(name)
        graph[module] = edges
    for module, targets in (dynamic or {}).items():
        graph[module] |= set(targets)
    return graph


def find_cycle(graph):
    """One import cycle as a list [a, b, ..., a], or None if the graph has none (depth first)."""
    done, path = set(), []

    def visit(node):
        if node in path:
            return path[path.index(node):] + [node]
        if node in done:
            return None
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            cycle = visit(nxt)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        cycle = visit(node)
        if cycle:
            return cycle
    return None


def minigan_graph():
    dynamic = {"minigan.cli": [module for module, _, _ in SUBCOMMANDS.values()],
               "minigan.theory": [f"minigan.theory.{name}" for name in CLAIMS.values()]}
    return import_graph(PACKAGE_DIR, "minigan", dynamic)


# --- the checker checks --------------------------------------------------------------------------

def test_find_cycle_on_made_up_graphs():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None    # a diamond is fine
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"x": {"y"}, "y": {"z"}, "z": {"y"}}) == ["y", "z", "y"]
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_import_graph_reads_every_kind_of_import(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    sources = {
        "__init__.py": "from .a import thing\n",
        "a.py": "import os\nfrom . import b\n",
        "b.py": "def later():\n    from .sub import c\n    return c\n",   # inside a function
        "sub/__init__.py": "",
        "sub/c.py": "from .. import a\nfrom ..b import later\nimport pkg.sub\n",
    }
    for name, text in sources.items():
        (pkg / name).write_text(textwrap.dedent(text))
    graph = import_graph(str(pkg), "pkg", {"pkg.b": ["pkg.sub"]})
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.sub.c", "pkg.sub"},
                     "pkg.sub": set(), "pkg.sub.c": {"pkg.a", "pkg.b", "pkg.sub"}}
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]


# --- the package -----------------------------------------------------------------------------------

def test_the_graph_sees_the_known_edges():
    graph = minigan_graph()
    assert {"minigan.runs", "minigan.sweep", "minigan.bench", "minigan.theory"} <= graph["minigan.cli"]
    assert "minigan.mlp" in graph["minigan"]
    assert "minigan.train" in graph["minigan.bench"]          # imported inside run_bench
    assert "minigan.theory.report" in graph["minigan.theory.dirac"]


def test_minigan_has_no_import_cycle():
    cycle = find_cycle(minigan_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("module", ["minigan.runs", "minigan.sweep", "minigan.bench",
                                    "minigan.study", "minigan.theory"])
def test_subcommands_do_not_import_the_dispatcher(module):
    """cli is the top floor: the subcommands below it take UsageError from minigan.errors."""
    assert "minigan.cli" not in minigan_graph()[module]
