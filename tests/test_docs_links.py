"""Every relative link and image in every markdown file of the repository points at a file
(or folder) that exists, so a reader who clones it never meets a broken link or picture."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")     # [text](target) and ![alt](src)
SKIP_DIRS = {".git", ".hypothesis", ".pytest_cache", "build", "dist", "runs", "lesson_figures"}


def markdown_files():
    return sorted(p for p in ROOT.rglob("*.md")
                  if not SKIP_DIRS & set(p.relative_to(ROOT).parts) and "egg-info" not in str(p))


def relative_targets(text):
    """The link targets of a markdown text that point into the repository (no URL, no anchor)."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)                 # code blocks are not links
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue                                                  # http:, mailto:, #anchor
        yield target.split("#")[0]


def test_the_link_finder_finds_links_and_images():
    text = "see [a](docs/a.md#x) and ![pic](img/p.png) not [u](https://x.org) or [s](#top)\n" \
           "```\n[not](a/link.md)\n```"
    assert list(relative_targets(text)) == ["docs/a.md", "img/p.png"]


def test_there_are_markdown_files_to_check():
    names = {p.relative_to(ROOT).as_posix() for p in markdown_files()}
    assert {"README.md", "docs/references.md", "docs/math.md"} <= names


@pytest.mark.parametrize("md", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_and_image_exists(md):
    missing = [t for t in relative_targets(md.read_text()) if not (md.parent / t).exists()]
    assert not missing, f"{md.relative_to(ROOT)}: broken links {missing}"
