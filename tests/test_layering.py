"""The package's modules import each other one way only: no import cycles, and no import from a
higher floor of the architecture (FLOORS below; docs/guide.md draws it).

Every module of minigan is parsed with ``ast`` (nothing is imported to read it), and each
import becomes an edge: absolute and relative, at the top of the file or inside a function.
Imports made by name through importlib are added by hand from the tables that name them
(cli.SUBCOMMANDS, theory.CLAIMS). An import cycle means neither module can be read, tested or
changed without the other; a floor module (minigan.runs.errors) is the cure.
"""
import ast
import os
import textwrap

import pytest

import minigan
from minigan.runs.cli import SUBCOMMANDS
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
    dynamic = {"minigan.runs.cli": [module for module, _, _ in SUBCOMMANDS.values()],
               "minigan.theory": [f"minigan.theory.{name}" for name in CLAIMS.values()]}
    return import_graph(PACKAGE_DIR, "minigan", dynamic)


# The floors, lowest first: a module may import its own floor and the floors below, never above.
FLOORS = [
    ("the core kit", ["minigan.layers", "minigan.mlp", "minigan.losses", "minigan.optim",
                      "minigan.data", "minigan.metrics", "minigan.judge", "minigan.config",
                      "minigan.gradcheck"]),
    ("the remedies", ["minigan.remedies."]),
    ("the trainer", ["minigan.train"]),
    ("the pictures", ["minigan.pictures"]),
    ("the theory lab", ["minigan.theory"]),
    ("runs and the command line", ["minigan.runs"]),
    ("the live page", ["minigan.live"]),
    ("the studies", ["minigan.studies"]),
    # the front door: the package (its __version__ is read everywhere; it is loaded before any
    # of its modules anyway), `python -m minigan`, and the dispatcher of the `minigan` command,
    # which imports each subcommand by name, whatever its floor (runs/cli.py: SUBCOMMANDS)
    ("the front door", ["minigan", "minigan.__main__", "minigan.runs.cli"]),
]
# Old names kept for one release (0.3's `minigan.remedies` study, `python -m minigan.remedies`):
# lazy forwards that go upward on purpose, and go away in 0.5.
COMPAT = {"minigan.remedies": {"minigan.studies.remedies"},
          "minigan.remedies.__main__": {"minigan.runs.cli"}}


def floor_of(module):
    """The index in FLOORS of a module (a prefix ending in '.' matches what lies under it)."""
    for i, (_, prefixes) in reversed(list(enumerate(FLOORS))):    # the front door first
        for p in prefixes:
            if module == p or (p != "minigan" and module.startswith(p if p.endswith(".") else p + ".")):
                return i
    if module == "minigan.remedies":
        return 1
    raise AssertionError(f"{module} is on no floor: add it to FLOORS")


def upward_imports(graph):
    """[(module, imported)] of every import that goes to a higher floor, COMPAT aside."""
    return sorted((m, t) for m, targets in graph.items() for t in targets
                  if floor_of(t) > floor_of(m) and t != "minigan" and t not in COMPAT.get(m, ()))


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
    assert {"minigan.runs.run", "minigan.studies.sweep", "minigan.runs.bench",
            "minigan.theory"} <= graph["minigan.runs.cli"]
    assert "minigan.mlp" in graph["minigan"]
    assert "minigan.train" in graph["minigan.runs.bench"]          # imported inside run_bench
    assert "minigan.theory.report" in graph["minigan.theory.dirac"]


def test_minigan_has_no_import_cycle():
    cycle = find_cycle(minigan_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_every_module_is_on_a_floor_and_nothing_imports_upward():
    """The folder listing is the architecture: core kit < remedies < trainer < pictures < theory
    < runs < studies (FLOORS). The trainer takes its data, the lab page the trainer it is given."""
    graph = minigan_graph()
    for module in graph:
        floor_of(module)
    assert upward_imports(graph) == []


def test_the_floor_check_catches_an_upward_import():
    graph = {"minigan.train": {"minigan.runs.checkpoint"}, "minigan.runs.checkpoint": set(),
             "minigan.remedies": {"minigan.studies.remedies"}, "minigan.studies.remedies": set(),
             "minigan.pictures.lab": {"minigan.runs.folder"}, "minigan.runs.folder": set()}
    assert upward_imports(graph) == [("minigan.pictures.lab", "minigan.runs.folder"),
                                     ("minigan.train", "minigan.runs.checkpoint")]


@pytest.mark.parametrize("module", ["minigan.runs.run", "minigan.studies.sweep", "minigan.runs.bench",
                                    "minigan.studies.hopping", "minigan.theory"])
def test_subcommands_do_not_import_the_dispatcher(module):
    """cli is the top of its floor: the subcommands take UsageError from minigan.runs.errors."""
    assert "minigan.runs.cli" not in minigan_graph()[module]


def test_help_loads_no_numpy():
    """`minigan --help` imports only what it shows: the dispatcher, not a subcommand's module."""
    import subprocess
    import sys
    code = ("import sys, contextlib, io\nfrom minigan.runs.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "assert 'remedies' in out.getvalue(), out.getvalue()\n"
            "print(sorted(m for m in sys.modules if m.startswith(('numpy', 'minigan'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(out.stdout)
    assert not any(m.startswith("numpy") for m in loaded), loaded
    assert set(loaded) <= {"minigan", "minigan.runs", "minigan.runs.cli", "minigan.runs.errors",
                           "minigan.runs.memory", "minigan.runs.threads"}, loaded
