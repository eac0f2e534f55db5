"""docs/api.md's examples run as written, and print what their comments say they print."""
import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "api.md"


def examples():
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)


def expected_lines(code):
    """The printed lines the page promises: the comment after each print(...) call."""
    return [m[1].strip() for m in re.finditer(r"^print\(.*\)\s+# (.*)$", code, flags=re.M)]


def check(code, printed):
    """Every output a comment promises appears, in order, among the printed lines (the library
    may print lines of its own, e.g. train_run's summary)."""
    lines = iter(printed.strip().splitlines())
    for promise in expected_lines(code):
        assert any(line == promise for line in lines), (promise, printed)


def test_the_page_has_its_examples():
    assert len(examples()) == 3 and all(expected_lines(code) for code in examples())


def test_first_example_in_a_fresh_process(tmp_path):
    """set_threads must come before NumPy loads: the example runs in its own interpreter."""
    code = examples()[0]
    assert code.index("minigan.set_threads()") < code.index("import numpy")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stderr
    check(code, out.stdout)


@pytest.mark.parametrize("i", [1, 2])
def test_example_runs_and_prints_what_it_says(i, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = examples()[i]
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(code, f"docs/api.md example {i + 1}", "exec"), {})
    check(code, out.getvalue())
