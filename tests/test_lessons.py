"""The lessons in demos/NN_*.py: each runs as a script, round-trips as a notebook, and opens with
its question and closes with its summary.

Every file matching demos/[0-9][0-9]_*.py is a lesson (a new one is picked up by the glob). The
conventions checked here, shared by all lessons:

- ``MINIGAN_FAST=1`` shortens training (the suite runs every lesson in a few seconds);
- figures go to ``os.environ.get("MINIGAN_OUT", "lesson_figures")``, named ``NN_*.png``;
- jupytext *percent* format: ``# %% [markdown]`` cells of prose, ``# %%`` cells of code, no
  ``%magic`` or ``!shell`` lines, no outputs (a .py file cannot hold any);
- the first cell is markdown and asks the lesson's question (it contains a "?"); the last cell
  is markdown: what the reader should now be able to say.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "demos").glob("[0-9][0-9]_*.py"))
CELL = re.compile(r"^# %%(?P<rest>.*)$")


def cells(text):
    """[(kind, lines)] of a percent-format script, without jupytext: kind "markdown" or "code".
    Lines before the first marker (if any) form a code cell, as jupytext reads them."""
    out, kind, lines = [], "code", []
    for line in text.splitlines():
        m = CELL.match(line)
        if m:
            if lines or out:
                out.append((kind, lines))
            kind = "markdown" if "[markdown]" in m.group("rest") else "code"
            lines = []
        else:
            lines.append(line)
    out.append((kind, lines))
    return [(k, ls) for k, ls in out if any(s.strip() for s in ls)]


def prose(lines):
    """The markdown text of a cell: its comment lines with the leading '# ' removed."""
    return "\n".join(re.sub(r"^# ?", "", s) for s in lines)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_lesson_runs_fast_and_saves_figures(lesson, tmp_path):
    """(a) ``python demos/NN_name.py`` in fast mode: exit 0 and at least one NN_*.png in MINIGAN_OUT."""
    env = {**os.environ, "MINIGAN_FAST": "1", "MINIGAN_OUT": str(tmp_path),
           "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg",
           "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in
                                                         [os.environ.get("PYTHONPATH")] if p])}
    proc = subprocess.run([sys.executable, str(lesson)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{lesson.name} failed:\n{proc.stderr[-3000:]}"
    prefix = lesson.name[:3]                                  # "NN_"
    figures = sorted(p.name for p in tmp_path.glob("*.png"))
    assert figures, f"{lesson.name} wrote no PNG into MINIGAN_OUT"
    assert all(name.startswith(prefix) for name in figures), (
        f"{lesson.name}: figures must be named {prefix}*.png, got {figures}")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_lesson_round_trips_through_jupytext(lesson):
    """(b) py:percent → notebook → py:percent gives back the file, also via the .ipynb JSON."""
    jupytext = pytest.importorskip(
        "jupytext", reason="jupytext is not installed (pip install -e '.[test]'): "
                           "the notebook round trip is not checked")
    text = lesson.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="py:percent")
    kinds = [c.cell_type for c in nb.cells]
    assert kinds.count("markdown") >= 1 and kinds.count("code") >= 1, kinds
    assert jupytext.writes(nb, fmt="py:percent") == text
    ipynb = jupytext.writes(nb, fmt="ipynb")                   # as a notebook on disk
    assert jupytext.writes(jupytext.reads(ipynb, fmt="ipynb"), fmt="py:percent") == text


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_lesson_opens_with_a_question_and_closes_with_a_summary(lesson):
    """(c) first cell: markdown with a question; last cell: markdown; no magics in code cells."""
    parts = cells(lesson.read_text(encoding="utf-8"))
    assert parts, f"{lesson.name} is empty"
    first_kind, first = parts[0]
    assert first_kind == "markdown" and "?" in prose(first), (
        f"{lesson.name} must open with a markdown cell asking the lesson's question")
    last_kind, last = parts[-1]
    assert last_kind == "markdown" and len(prose(last).split()) >= 15, (
        f"{lesson.name} must close with a markdown cell: what the reader can now say")
    magics = [s for kind, ls in parts if kind == "code" for s in ls if re.match(r"\s*[%!]", s)]
    assert not magics, f"{lesson.name}: IPython magics or shell lines {magics}"
