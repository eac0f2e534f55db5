"""--data FILE: your own points, from a .csv or .npy file; every bad file gets one line and exit 2."""
import json
import shutil

import numpy as np
import pytest

from minigan.runs.cli import main
from minigan.runs.points import Points, load_points
from minigan.train import Trainer
from minigan.config import ConfigError, TrainConfig

TINY = ["--steps", "40", "--eval-every", "20", "--batch", "32", "--hidden", "8", "--depth", "1",
        "--eval-samples", "200", "--quiet", "--no-lab"]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("name, text, words", [
    ("ragged.csv", "x,y\n1,2\n3\n", "line 3: 1 values, expected 2"),
    ("text.csv", "x,y\n1,2\n3,abc\n", "line 3, column 2: 'abc' is not a number"),
    ("nan.csv", "1,2\nnan,3\n", "line 2, column 1: 'nan' is not a finite number"),
    ("inf.csv", "1,2\n3,-inf\n", "'-inf' is not a finite number"),
    ("empty.csv", "", "no rows"),
    ("header-only.csv", "x,y\n", "a header but no rows"),
    ("three.csv", "a,b,c\n1,2,3\n", "3 data columns; expected 1 or 2"),
    ("three-nohead.csv", "1,2,3\n", "3 data columns"),
    ("label-float.csv", "x,y,label\n1,2,0\n3,4,1.5\n", "label '1.5' is not an integer class"),
    ("label-neg.csv", "x,label\n1,0\n3,-1\n", "label '-1' is not an integer class"),
    ("label-text.csv", "x,label\n1,0\n3,cat\n", "'cat' is not a number"),
    ("two-extra.csv", "x,y,label,w\n1,2,0,1\n", "3 data columns"),
])
def test_bad_csv_files_get_one_line_and_exit_2(tmp_path, capsys, name, text, words):
    path = write(tmp_path, name, text)
    assert main(["train", "--data", path, "--out", str(tmp_path / "run"), *TINY]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and path in err, err
    assert not (tmp_path / "run" / "config.json").exists()


def test_missing_file_and_bad_npy_and_conditional_without_labels(tmp_path, capsys):
    np.save(tmp_path / "three.npy", np.zeros((5, 3)))
    np.save(tmp_path / "nan.npy", np.array([[0.0, 1.0], [np.nan, 2.0]]))
    np.save(tmp_path / "text.npy", np.array(["a", "b"]))
    np.save(tmp_path / "empty.npy", np.zeros((0, 2)))
    labelless = write(tmp_path, "p.csv", "1,2\n3,4\n")
    one_class = write(tmp_path, "one.csv", "x,y,label\n1,2,0\n3,4,0\n")
    cases = [([str(tmp_path / "gone.csv")], "no such file"),
             ([str(tmp_path / "three.npy")], "shape (5, 3)"),
             ([str(tmp_path / "nan.npy")], "row 1 is not finite"),
             ([str(tmp_path / "text.npy")], "expected numbers"),
             ([str(tmp_path / "empty.npy")], "no rows"),
             ([labelless, "--conditional"], "column headed 'label'"),
             ([one_class, "--conditional"], "at least 2 classes")]
    for args, words in cases:
        assert main(["train", "--data", *args, "--out", str(tmp_path / "run"), *TINY]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and words in err, err


def test_header_is_optional_and_points_are_sampled_with_replacement(tmp_path):
    with_header = load_points(write(tmp_path, "a.csv", "x,y\n0,1\n2,3\n4,5\n"))
    without = load_points(write(tmp_path, "b.csv", "0,1\n2,3\n4,5\n"))
    np.testing.assert_array_equal(with_header.x, without.x)
    x, labels = without.sample(3000, np.random.default_rng(0))
    rows, counts = np.unique(x, axis=0, return_counts=True)
    np.testing.assert_array_equal(rows, without.x)                    # only the file's points
    assert np.all(np.abs(counts / 3000 - 1 / 3) < 0.03) and np.all(labels == 0)
    one_d = load_points(write(tmp_path, "c.csv", "v\n1.5\n-2\n"))
    assert one_d.dim == 1 and one_d.bounds[0] < -2 < 1.5 < one_d.bounds[1]


def test_labels_give_classes_and_their_prior(tmp_path):
    path = write(tmp_path, "l.csv", "label,x,y\n0,0,0\n1,5,5\n1,5,6\n2,9,9\n")
    p = load_points(path, conditional=True)
    assert p.n_classes == 3 and np.allclose(p.weights, [0.25, 0.5, 0.25])
    np.testing.assert_array_equal(p.x, [[0, 0], [5, 5], [5, 6], [9, 9]])
    assert load_points(path).n_classes == 1       # an unconditional run ignores the labels
    t = Trainer(TrainConfig(data=path, conditional=True, hidden=8, depth=1, eval_samples=50), data=p)
    assert t.n_classes == 3 and isinstance(t.data, Points)
    with pytest.raises(ConfigError, match="is a file; load it and pass it in"):
        Trainer(TrainConfig(data=path))          # the trainer reads no file: the runs layer does


def test_run_keeps_a_copy_so_resume_sample_and_lab_work_after_the_file_moves(tmp_path, capsys):
    rng = np.random.default_rng(1)
    src = tmp_path / "pts.npy"
    np.save(src, rng.normal(size=(300, 2)))
    run = tmp_path / "run"
    assert main(["train", "--data", str(src), "--out", str(run), *TINY]) == 0
    assert json.loads((run / "config.json").read_text())["data"] == str(src)
    metrics = json.loads((run / "metrics.json").read_text())
    assert "sliced_w" in metrics and "modes_captured" not in metrics     # no modes to count
    shutil.move(src, tmp_path / "elsewhere.npy")
    assert main(["train", "--resume", str(run), "--steps", "20", "--quiet", "--no-lab"]) == 0
    assert json.loads((run / "metrics.json").read_text())["steps"] == 60
    capsys.readouterr()
    assert main(["sample", "--run", str(run), "-n", "4"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 5       # header + 4 points


def test_one_dimensional_points_report_w1(tmp_path):
    path = write(tmp_path, "d.csv", "\n".join(str(v) for v in np.linspace(-1, 1, 50)) + "\n")
    run = tmp_path / "run"
    assert main(["train", "--data", path, "--out", str(run), *TINY]) == 0
    assert "w1" in json.loads((run / "metrics.json").read_text())
