"""Redraw the committed pictures with the current code, from the manifest docs/pictures.tsv.

    python docs/redraw.py                 # the quick tier: the default run's pictures, the lab
                                          # page's screenshots, lesson 2's figure, the theory lab
    python docs/redraw.py --tier study    # the studies' figures: hours of training (resumable)
    python docs/redraw.py --list          # what would run

Each distinct command runs once (in a scratch folder, --work), then every picture it draws is
copied over the committed one and its version in the manifest set to this minigan's. Look at
each picture before committing it.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MANIFEST = os.path.join(HERE, "pictures.tsv")


def read():
    """The manifest's rows as dicts, '(as X)' commands resolved to X's."""
    with open(MANIFEST, encoding="utf-8") as f:
        rows = list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))
    by = {os.path.basename(r["picture"]): r["drawn_by"] for r in rows}
    for r in rows:
        if r["drawn_by"].startswith("(as "):
            r["drawn_by"] = by[r["drawn_by"][4:-1]]
    return rows


def write(rows, version):
    with open(MANIFEST, encoding="utf-8") as f:
        lines = f.read().splitlines()
    head = [line for line in lines if line.startswith("#")] + [lines[len([l for l in lines if l.startswith("#")])]]
    body = {line.split("\t")[0]: line.split("\t") for line in lines[len(head):]}
    for r in rows:
        body[r["picture"]][4] = version
    with open(MANIFEST, "w", encoding="utf-8") as f:
        f.write("\n".join(head + ["\t".join(v) for v in body.values()]) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tier", default="quick", choices=["quick", "perf", "study", "all"])
    p.add_argument("--work", default="redraw-work",
                   help="scratch folder, relative to the repository (its name shows on the lab page)")
    p.add_argument("--list", action="store_true")
    a = p.parse_args()
    rows = [r for r in read() if a.tier in ("all", r["tier"])]
    commands = list(dict.fromkeys(r["drawn_by"] for r in rows))
    if a.list:
        for c in commands:
            print(c.replace("{work}", a.work))
        return 0
    os.makedirs(os.path.join(ROOT, a.work), exist_ok=True)
    for c in commands:
        print(f"redraw: {c.replace('{work}', a.work)}", flush=True)
        subprocess.run(c.replace("{work}", a.work), shell=True, cwd=ROOT, check=True,
                       env={**os.environ, "MPLBACKEND": "Agg"})
    for r in rows:
        shutil.copyfile(os.path.join(ROOT, r["output"].replace("{work}", a.work)),
                        os.path.join(ROOT, r["picture"]))
    sys.path.insert(0, ROOT)
    import minigan
    write(rows, minigan.__version__)
    print(f"redraw: {len(rows)} pictures copied; look at each before committing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
