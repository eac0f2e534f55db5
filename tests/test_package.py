"""What the wheel ships: every package folder and every file the package reads (lab.js, lab.css,
any data file), as setup.cfg's find: and package_data select them — read the way setuptools does."""
import configparser
import os
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]


def shipped():
    """(packages, files): what a wheel built from setup.cfg holds below minigan/."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    include = [p.strip() for p in cfg["options.packages.find"]["include"].split(",")]
    packages = set(find_packages(str(ROOT), include=include))
    data = {pkg: [p.strip() for p in globs.split(",")] for pkg, globs in cfg["options.package_data"].items()}
    files = set()
    for pkg in packages:
        folder = ROOT / pkg.replace(".", "/")
        files |= {f.relative_to(ROOT).as_posix() for f in folder.iterdir() if f.suffix == ".py"}
        for g in data.get(pkg, []):          # a glob relative to the package's folder
            files |= {f.relative_to(ROOT).as_posix() for f in folder.glob(g) if f.is_file()}
    return packages, files


def in_the_tree():
    """Every file below minigan/ that is part of the package (not caches)."""
    out = set()
    for folder, dirs, names in os.walk(ROOT / "minigan"):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        out |= {(Path(folder) / n).relative_to(ROOT).as_posix() for n in names if not n.endswith(".pyc")}
    return out


def test_every_file_of_the_package_is_in_the_wheel():
    packages, files = shipped()
    assert {"minigan", "minigan.remedies", "minigan.runs", "minigan.pictures", "minigan.studies",
            "minigan.theory"} <= packages
    assert {"minigan/pictures/lab.js", "minigan/pictures/lab.css", "minigan/datasets/digits.npz",
            "minigan/datasets/NOTICE-digits.md"} <= files
    assert in_the_tree() - files == set()


def test_the_command_entry_point_exists():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    target = cfg["options.entry_points"]["console_scripts"].split("=")[1].strip()
    module, func = target.split(":")
    import importlib
    assert callable(getattr(importlib.import_module(module), func))


def test_the_metadata_a_package_index_shows():
    """`pip show minigan` and an index page: author, classifiers, and a long description with no
    picture or link that only the repository has (README.md has them; docs/pypi.md has none)."""
    import re
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    meta = cfg["metadata"]
    assert meta["author"] == "the minigan authors"
    assert "url" not in meta and "project_urls" not in meta          # there is no public URL
    classifiers = {line.strip() for line in meta["classifiers"].splitlines() if line.strip()}
    assert {"License :: OSI Approved :: MIT License", "Programming Language :: Python :: 3 :: Only",
            "Programming Language :: Python :: 3.10", "Programming Language :: Python :: 3.11",
            "Programming Language :: Python :: 3.12"} <= classifiers
    assert cfg["options"]["python_requires"] == ">=3.10"
    directive, _, path = meta["long_description"].partition(":")
    assert directive.strip() == "file"
    text = (ROOT / path.strip()).read_text(encoding="utf-8")
    assert "![" not in text
    relative = [t for t in re.findall(r"\]\(([^)\s]+)", text) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]
    assert relative == [], relative


def test_the_data_notice_is_a_licence_file_and_names_the_source():
    """The digits are CC BY 4.0, not MIT: their notice ships as a licence file of the package."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    licences = cfg["metadata"]["license_files"].split()
    assert {"LICENSE", "minigan/datasets/NOTICE-digits.md"} <= set(licences)
    notice = (ROOT / "minigan/datasets/NOTICE-digits.md").read_text(encoding="utf-8")
    for needed in ("Alpaydin", "Kaynak", "1998", "10.24432/C50P49", "CC BY 4.0",
                   "https://creativecommons.org/licenses/by/4.0/", "Changes made"):
        assert needed in notice, needed
