"""docs/math.md names real things: every function, test, lesson, figure and reference section.

The page maps each equation to the code that computes it (`minigan/file.py:name[.attr]`), the
test that checks it (`tests/file.py::test_name`, optionally with a parametrize id `[...]`), a
lesson (`demos/NN_name.py`), a `minigan theory` figure (`claimN_module.png`) or a file under
`docs/`, and a section of `docs/references.md` (`docs/references.md §N`). A rename anywhere in the
code, the tests or the lessons that the page does not follow fails here. Fast: it imports the
named modules and parses the named test files, nothing runs.
"""
import ast
import importlib
import inspect
import re
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "math.md"

CODE_RE = re.compile(r"\b(minigan/[\w/]+\.py):([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
TEST_RE = re.compile(r"\b(tests/[\w/]+\.py)::([A-Za-z_]\w*(?:::[A-Za-z_]\w*)?)(\[[^\]\s`]*\])?")
DEMO_RE = re.compile(r"\b(demos/[\w/]+\.py)\b")
LESSON_RE = re.compile(r"^demos/\d\d_\w+\.py$")
DOCS_RE = re.compile(r"\b(docs/[\w/.-]+\.(?:png|gif|md|csv))\b")
CLAIM_FIGURE_RE = re.compile(r"\bclaim(\d+)_(\w+)\.png\b")
SECTION_RE = re.compile(r"docs/references\.md §(\d+)")


def parse(text):
    """Every reference on the page, by kind: {"code": [(file, dotted name)], "tests": [(file,
    name)], "demos": [path], "docs": [path], "claims": [(n, module)], "sections": [n]}."""
    return {
        "code": [(m[1], m[2]) for m in CODE_RE.finditer(text)],
        "tests": [(m[1], m[2]) for m in TEST_RE.finditer(text)],
        "demos": [m[1] for m in DEMO_RE.finditer(text)],
        "docs": [m[1] for m in DOCS_RE.finditer(text)],
        "claims": [(int(m[1]), m[2]) for m in CLAIM_FIGURE_RE.finditer(text)],
        "sections": [int(m[1]) for m in SECTION_RE.finditer(text)],
    }


@lru_cache(maxsize=1)
def refs():
    return parse(PAGE.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def defined_tests(path):
    """Names of the test functions of a test file: module level, and Class::method in classes."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(f"{node.name}::{f.name}" for f in node.body
                         if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return names


# --- the parser ----------------------------------------------------------------------------------

def test_parser_reads_each_kind_of_reference():
    text = ("`minigan/losses.py:d_gan`, `minigan/train.py:Trainer.train_step`. Tested by "
            "`tests/test_theory.py::test_quick_checks_pass[1]` and `tests/t.py::TestX::test_y`; "
            "see `demos/03_optimal_discriminator.py`, `claim5_dirac.png`, "
            "`docs/images/ring8_default_history.png` and `docs/references.md §9` (9a).")
    r = parse(text)
    assert r["code"] == [("minigan/losses.py", "d_gan"), ("minigan/train.py", "Trainer.train_step")]
    assert r["tests"] == [("tests/test_theory.py", "test_quick_checks_pass"),
                          ("tests/t.py", "TestX::test_y")]
    assert r["demos"] == ["demos/03_optimal_discriminator.py"]
    assert r["docs"] == ["docs/images/ring8_default_history.png", "docs/references.md"]
    assert r["claims"] == [(5, "dirac")]
    assert r["sections"] == [9]
    # a sentence's full stop is not part of a dotted name, and a test id is not a code reference
    assert parse("computed by `minigan/optim.py:global_norm`.")["code"] == [
        ("minigan/optim.py", "global_norm")]
    assert parse("`tests/test_optim.py::test_adam`")["code"] == []


def test_the_page_has_references():
    """An empty or truncated page must fail: the map names well over 40 functions and tests."""
    r = refs()
    assert len(r["code"]) > 40, len(r["code"])
    assert len(r["tests"]) > 40, len(r["tests"])
    assert len(r["code"]) + len(r["tests"]) + len(r["demos"]) > 100
    assert r["sections"] and r["demos"] and r["claims"]


# --- the references ------------------------------------------------------------------------------

def test_every_code_reference_exists():
    """`minigan/file.py:a.b` — the module imports, getattr(a).b exists, and a function or class
    named at the top is defined in that very file (not merely imported into it)."""
    missing = []
    for path, dotted in sorted(set(refs()["code"])):
        if not (ROOT / path).is_file():
            missing.append(f"{path}:{dotted} (no such file)")
            continue
        modname = path[:-3].replace("/", ".").removesuffix(".__init__")
        module = importlib.import_module(modname)
        obj = module
        for i, part in enumerate(dotted.split(".")):
            if not hasattr(obj, part):
                missing.append(f"{path}:{dotted} (no attribute {part!r})")
                break
            obj = getattr(obj, part)
            if i == 0 and (inspect.isfunction(obj) or inspect.isclass(obj)) \
                    and obj.__module__ != modname:
                missing.append(f"{path}:{dotted} (defined in {obj.__module__}, not {modname})")
                break
    assert not missing, "docs/math.md names code that does not exist:\n" + "\n".join(missing)


def test_every_test_reference_exists():
    """`tests/file.py::test_name[...]` — the file exists and defines a test of that name."""
    missing = []
    for path, name in sorted(set(refs()["tests"])):
        if not (ROOT / path).is_file():
            missing.append(f"{path}::{name} (no such file)")
        elif not name.split("::")[-1].startswith("test"):
            missing.append(f"{path}::{name} (not a test name)")
        elif name not in defined_tests(path):
            missing.append(f"{path}::{name}")
    assert not missing, "docs/math.md names tests that do not exist:\n" + "\n".join(missing)


def test_every_lesson_named_exists():
    """Lessons `demos/NN_name.py` (and any other demo) named on the page exist. Lessons are named
    by their planned file names, so this fails until every one of them has landed."""
    demos = sorted(set(refs()["demos"]))
    missing = [p for p in demos if not (ROOT / p).is_file()]
    assert any(LESSON_RE.match(p) for p in demos)
    assert not missing, "docs/math.md names lessons that do not exist (yet):\n" + "\n".join(missing)


def test_every_figure_and_doc_named_exists():
    """`docs/...` files exist; `claimN_module.png` is the figure `minigan theory` writes for claim N."""
    from minigan.theory import CLAIMS
    missing = [p for p in sorted(set(refs()["docs"])) if not (ROOT / p).is_file()]
    missing += [f"claim{n}_{mod}.png (claim {n} is {CLAIMS.get(n)!r})"
                for n, mod in sorted(set(refs()["claims"])) if CLAIMS.get(n) != mod]
    assert not missing, "docs/math.md names figures that do not exist:\n" + "\n".join(missing)


def test_every_reference_section_exists():
    """`docs/references.md §N` — references.md has a section "## N." heading."""
    text = (ROOT / "docs" / "references.md").read_text(encoding="utf-8")
    sections = {int(n) for n in re.findall(r"^## (\d+)\.", text, flags=re.M)}
    missing = sorted(set(refs()["sections"]) - sections)
    assert not missing, f"docs/math.md cites sections missing from docs/references.md: {missing}"


@pytest.mark.parametrize("kind", ["code", "tests"])
def test_no_reference_is_written_with_dots_or_a_missing_colon(kind):
    """A reference in the wrong syntax would escape the checks above: catch the usual slips
    (`minigan.losses.d_gan`, `minigan/losses.py::d_gan`, `tests/test_x.py:test_y`)."""
    text = PAGE.read_text(encoding="utf-8")
    bad = (re.findall(r"`minigan\.\w+\.\w+`|\bminigan/[\w/]+\.py::", text) if kind == "code"
           else re.findall(r"\btests/[\w/]+\.py:(?!:)", text))
    assert not bad, bad
