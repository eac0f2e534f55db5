"""Every committed picture is in the manifest (docs/pictures.tsv) with the command that draws it."""
import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("redraw", ROOT / "docs" / "redraw.py")
redraw = importlib.util.module_from_spec(spec)
spec.loader.exec_module(redraw)


def test_every_committed_png_is_in_the_manifest_and_every_entry_exists():
    committed = {p.relative_to(ROOT).as_posix() for d in ("docs", "demos") for p in (ROOT / d).rglob("*.png")}
    listed = {r["picture"] for r in redraw.read()}
    assert committed - listed == set(), "pictures with no entry in docs/pictures.tsv"
    assert listed - committed == set(), "manifest entries with no picture"


def test_every_entry_names_a_command_a_version_and_its_scripts_exist():
    for r in redraw.read():
        assert r["tier"] in ("quick", "perf", "study") and r["version"].count(".") == 2, r
        assert r["output"].startswith("{work}/") and r["drawn_by"].startswith(("minigan ", "python ",
                                                                               "MINIGAN_OUT=")), r
        for word in r["drawn_by"].split():
            if word.endswith(".py"):
                assert (ROOT / word).exists(), word
