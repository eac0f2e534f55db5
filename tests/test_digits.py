"""The digits: the shipped data is the data we say it is, the split is fixed and stratified, and a
digits run leaves a run folder like any other (pictures of images, the judge's columns)."""
import csv
import hashlib
import json

import numpy as np
import pytest

from minigan.config import TrainConfig
from minigan.data import (DIGITS_SHA256, HELD_OUT, digits, digits_arrays, digits_split,
                          get_dataset, scale_pixels, to_pixels)
from minigan.runs.cli import main


def test_the_shipped_array_is_uci_test_part_as_scikit_learn_ships_it():
    images, labels = digits_arrays()
    assert images.shape == (1797, 64) and images.dtype == np.uint8
    assert labels.shape == (1797,)
    assert images.min() == 0 and images.max() == 16
    # scikit-learn's load_digits: 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 per digit
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert hashlib.sha256(images.tobytes() + labels.astype(np.uint8).tobytes()).hexdigest() == DIGITS_SHA256
    # the first image of load_digits is a 0 whose top row reads 0 0 5 13 9 1 0 0
    assert labels[0] == 0 and images[0, :8].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_the_split_is_fixed_stratified_and_disjoint():
    _, labels = digits_arrays()
    train, held = digits_split(labels)
    assert len(np.intersect1d(train, held)) == 0 and len(train) + len(held) == 1797
    for c in range(10):
        n = np.sum(labels == c)
        assert np.sum(labels[held] == c) == round(HELD_OUT * n)
    again = digits_split(labels)
    assert np.array_equal(again[0], train) and np.array_equal(again[1], held)
    tr, ho = digits(), digits("held_out")
    assert len(tr.x) == len(train) == 1438 and len(ho.x) == len(held) == 359
    # no training image is a held-out image's row (pixel-identical duplicates across writers are
    # possible in principle; count them so a change of split would show)
    assert tr.x.shape[1] == 64 and tr.image_shape == (8, 8)
    with pytest.raises(ValueError, match="split"):
        digits("test")


def test_scaling_maps_0_16_onto_minus_1_1_and_back():
    assert scale_pixels(np.array([0, 8, 16])).tolist() == [-1.0, 0.0, 1.0]
    assert to_pixels(np.array([-3.0, -1.0, 0.0, 1.0, 9.0])).tolist() == [0, 0, 8, 16, 16]
    d = get_dataset("digits")
    x, y = d.sample(500, np.random.default_rng(0))
    assert x.shape == (500, 64) and x.min() >= -1 and x.max() <= 1 and set(y) <= set(range(10))


def test_per_dataset_defaults_apply_to_digits_only():
    toy, dig = TrainConfig().resolved(), TrainConfig(data="digits").resolved()
    assert (toy.z_dim, toy.batch, toy.hidden_g) == (2, 512, 128)
    assert (dig.z_dim, dig.batch, dig.hidden_g) == (16, 128, 256)
    assert TrainConfig(data="digits", z_dim=4).resolved().z_dim == 4


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    """One small conditional digits run (a few seconds), shared by the checks below."""
    out = tmp_path_factory.mktemp("runs") / "digits"
    args = ["train", "--data", "digits", "--conditional", "--steps", "30", "--eval-every", "15",
            "--batch", "32", "--hidden", "32", "--eval-samples", "200", "--gif", "--gif-every", "15", "--quiet",
            "--out", str(out)]
    assert main(args) == 0
    return out


def test_a_digits_run_leaves_a_full_run_folder(digits_run):
    for name in ("config.json", "history.csv", "metrics.json", "samples.png", "history.png",
                 "zspace.png", "training.gif", "checkpoint.npz", "lab.html"):
        assert (digits_run / name).exists(), name
    with open(digits_run / "history.csv") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["step"]) for r in rows] == [0, 15, 30]
    for key in ("digits_covered", "confident_frac", "digit_kl", "frechet", "nn_train", "copied_frac",
                "class_acc_mean"):
        assert key in rows[-1], key
    m = json.loads((digits_run / "metrics.json").read_text())
    assert len(m["class_acc"]) == 10 and 0 <= m["digits_covered"] <= 10


def test_minigan_sample_writes_64_named_columns_and_an_image_grid(digits_run, tmp_path, capsys):
    assert main(["sample", "--run", str(digits_run), "-n", "20", "--class", "7",
                 "--out", str(tmp_path / "s.csv"), "--png", str(tmp_path / "s.png")]) == 0
    with open(tmp_path / "s.csv") as f:
        header = f.readline().strip().split(",")
        body = np.loadtxt(f, delimiter=",")
    assert header == [f"px{i}" for i in range(64)] + ["label"]
    assert body.shape == (20, 65) and set(body[:, -1]) == {7}
    assert (tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["sample", "--run", str(digits_run), "--png", str(tmp_path / "s.txt")]) == 2
    assert "must end in .png" in capsys.readouterr().err


# --- the study (minigan digits): its plan, without training -------------------------------------

def test_the_study_plan_keeps_search_and_measurement_seeds_apart(tmp_path):
    from minigan.studies import digits as study
    default = study.plan(str(tmp_path), "default")
    assert len(default) == 4 * 5 and {c["data"] for _, c, _ in default} == {"digits"}
    assert {c["steps"] for _, c, _ in default} == {10000}                 # equal steps
    search = study.plan(str(tmp_path), "search")
    assert [g for _, _, g in search][::2] == [f"gan @ {s}" for s in study.SEARCH]
    collapse = study.plan(str(tmp_path), "collapse", setting="d10x")
    assert not {c["seed"] for _, c, _ in search} & {c["seed"] for _, c, _ in collapse}
    assert all(c["lr_d"] == 2e-3 for _, c, _ in collapse if c["loss"] in ("gan", "nsgan"))
    cgan = study.plan(str(tmp_path), "cgan")
    assert all(c["conditional"] for _, c, _ in cgan)


def test_the_search_takes_the_first_setting_that_drops_digits(tmp_path):
    from minigan.studies import digits as study
    names = list(study.SEARCH)
    line = lambda name, v: {"group": f"gan @ {name}", "runs": 2, "digits_covered": v}
    lines = [line(n, v) for n, v in zip(names, (10.0, 9.0, 7.5, 6.0, 10.0, 10.0))]
    choice = study.choose(str(tmp_path), lines[::-1])          # in SEARCH order, not the table's
    assert choice["setting"] == names[2] and choice["tried"] == names[:3]
    assert study.chosen_setting(str(tmp_path)) == choice["setting"]
    none = [line(n, v) for n, v in zip(names, (10.0, 9.0, 8.5, 9.0, 10.0, 8.5))]
    assert study.choose(str(tmp_path / "none"), none) is None     # nothing at or below 8 …
    assert study.chosen_setting(str(tmp_path / "none")) == names[2]    # … the harshest, first
    # a later setting that collapsed does not count while an earlier one is untrained
    assert study.choose(str(tmp_path / "gap"), [line(names[0], 10.0), line(names[2], 5.0)]) is None
    # the search trains one setting's runs at a time, found by group, not by folder name
    plan = study.plan(str(tmp_path), "search")
    assert [len([p for p in plan if p[2] == f"gan @ {n}"]) for n in names] == [2] * len(names)


def test_collapse_before_search_is_a_one_line_error(tmp_path, capsys):
    assert main(["digits", "collapse", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "minigan digits search" in err[0]


def test_the_lab_page_of_a_digits_run_carries_image_grids_not_a_plane(digits_run):
    """The page's data: G's grid per snapshot (pixels 0–16) and real images, no field or
    manifold; digits.js is inlined before lab.js, and the layer texts say why there is no plane."""
    import re
    html = (digits_run / "lab.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="lab-data">(.*?)</script>', html, re.S).group(1))
    assert data["image"] == [8, 8] and data["steps"] == [0, 15, 30]
    assert data["grids"]["shape"] == [3, 100, 64] and data["real"]["shape"] == [50, 64]
    assert data["grids"]["lo"][0] == 0 and data["grids"]["hi"][0] == 16
    assert not {"field", "mesh_x", "push"} & set(data)
    assert html.index("function drawImages") < html.index("function show(")
    assert "no plane to shade" in html
