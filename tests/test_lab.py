"""The lab page (minigan/pictures/lab.py, lab.js): what goes into lab.html, the errors of `minigan lab`,
and the page itself in a real browser (headless Chromium, skipped where there is none)."""
import base64
import html
import json
import os
import re
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import headless_chromium

from minigan.pictures import lab
from minigan.runs.cli import main
from minigan.runs.folder import load_snapshot, snapshot_path, snapshot_steps, write_snapshot
from minigan.config import TrainConfig
from minigan.train import Trainer

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--steps", "300", "--eval-every", "50", "--batch", "64", "--hidden", "16",
         "--eval-samples", "500", "--quiet"]
EVIL = "<script>alert(1)</script>"


def train(out, *extra):
    return main(["train", "--out", str(out), *SMALL, *extra])


def interrupted_train(out, at_step, *extra):
    """A run stopped by Ctrl-C at step at_step: snapshots, history and config, no metrics.json."""
    real_step = Trainer.train_step

    def step(self):
        if self.step == at_step:
            raise KeyboardInterrupt
        real_step(self)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Trainer, "train_step", step)
        return train(out, *extra)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three short runs: a finished ring8 run, a 1D run interrupted at step 200, and a run on a
    CSV file whose name, like its run folder's, is a script tag (interrupted too: no matplotlib
    figures to wait for; `minigan lab` makes its page)."""
    base = tmp_path_factory.mktemp("lab")
    assert train(base / "ring") == 0
    assert interrupted_train(base / "oned", 200, "--data", "mixture1d") == 130
    points = base / f"{EVIL}.csv"
    points.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    np.savetxt(points, rng.normal(size=(300, 2)), delimiter=",", header="x,y", comments="")
    assert interrupted_train(base / EVIL, 100, "--data", str(points)) == 130
    assert main(["lab", str(base / EVIL)]) == 0
    return {"ring": base / "ring", "oned": base / "oned", "evil": base / EVIL}


def embedded(page):
    """The JSON data of a lab page."""
    text = re.search(r'<script type="application/json" id="lab-data">(.*?)</script>', page, re.S)[1]
    return json.loads(text)


def decode(enc):
    """What lab.js does with an encoded array, written again in NumPy (independently of lab.py)."""
    types = {"u8": ("<u1", 0, 255), "i16": ("<i2", -32767, 32767), "i8": ("<i1", None, None)}
    dtype, qmin, qmax = types[enc["type"]]
    q = np.frombuffer(base64.b64decode(enc["b64"]), dtype).reshape(enc["shape"]).astype(np.float64)
    if enc["type"] == "i8":
        return q
    x = np.array(enc["lo"]) + (q - qmin) / (qmax - qmin) * (np.array(enc["hi"]) - np.array(enc["lo"]))
    return np.where(q == -32768, np.nan, x)


# --- the builder -------------------------------------------------------------------------------

def test_train_writes_the_page_and_minigan_lab_rebuilds_it(runs, tmp_path, capsys):
    page = (runs["ring"] / "lab.html").read_text()
    assert "Run made by <code>minigan train --out" in page and "--steps 300" in page   # as typed
    assert " · final: modes " in page and "interrupted" not in page          # a finished run
    out = tmp_path / "elsewhere.html"
    assert main(["lab", str(runs["ring"]), "--out", str(out)]) == 0
    assert "lab page:" in capsys.readouterr().out
    rebuilt = out.read_text()
    assert f"minigan lab {runs['ring']}" in rebuilt
    assert embedded(rebuilt) == embedded(page)
    assert "http://" not in page and "https://" not in page and "src=" not in page   # self-contained


def test_embedded_numbers_decode_back_to_the_snapshots(runs):
    data = embedded((runs["ring"] / "lab.html").read_text())
    steps = snapshot_steps(runs["ring"])
    assert data["steps"] == steps == list(range(0, 301, 50))
    snaps = [load_snapshot(runs["ring"], s) for s in steps]
    stack = lambda key: np.stack([s[key] for s in snaps]).astype(np.float64)
    box = np.array(data["bounds"]).reshape(2, 2)
    step = 2 * lab.SPAN * (box[:, 1] - box[:, 0]) / 65534           # one int16 step per axis
    for key in ("fakes", "mesh_x"):
        assert np.all(np.abs(decode(data[key]) - stack(key)) <= step)
    lo, hi = data["field_range"]
    assert (lo, hi) == (0.0, 1.0)                                     # nsgan: D(x) a probability
    assert np.all(np.abs(decode(data["field"])[..., 0] - stack("field")) <= (hi - lo) / 255)
    assert np.array_equal(decode(data["mesh_mode"])[..., 0], stack("mesh_mode"))
    ref, cap = data["push_ref"], lab.CAP * data["push_ref"]
    push = stack("push")[:, :lab.ARROWS]
    norm = np.linalg.norm(push, axis=-1, keepdims=True)
    push = np.where(norm > cap, push * cap / norm, push)                # drawn at most CAP × ref
    assert ref > 0 and np.all(np.abs(decode(data["push"]) - push) <= 2 * cap / 65534)


def rebuild(run):
    """`minigan lab RUN`: the page rebuilt from the run folder; its path."""
    assert main(["lab", str(run)]) == 0
    return run / "lab.html"


def test_the_default_run_fits_the_size_budget(runs, tmp_path):
    """49 snapshots of the default run's shapes (500 fakes, 64² field, 33² mesh): ≤ 5 MB."""
    run = tmp_path / "run"
    shutil.copytree(runs["ring"], run, ignore=shutil.ignore_patterns("snapshots"))
    steps = snapshot_steps(runs["ring"])
    for k in range(49):
        snap = load_snapshot(runs["ring"], steps[k % len(steps)])
        snap["step"] = np.array(250 * k)
        write_snapshot(run, snap)
    path = rebuild(run)                  # (its speed is measured, not asserted: see the guide)
    size = os.path.getsize(path)
    assert size <= 5e6, size
    assert size < 1.5e6                                               # in fact: about 0.8 MB


def test_every_string_from_the_run_is_escaped(runs):
    page = (runs["evil"] / "lab.html").read_text()
    assert EVIL not in page
    assert html.escape(EVIL) in page                                  # the path, shown as text
    assert page.count("<script") == 2                                 # the data and lab.js only
    data = (runs["evil"] / "lab.html").read_text().split('id="lab-data">')[1].split("</script>")[0]
    assert "<" not in data and "<!--" not in data


def test_an_interrupted_run_gets_a_page(runs, capsys):
    assert not (runs["oned"] / "metrics.json").exists()
    assert main(["lab", str(runs["oned"])]) == 0
    page = (runs["oned"] / "lab.html").read_text()
    data = embedded(page)
    assert data["steps"] == [0, 50, 100, 150, 200] and data["dim"] == 1
    assert "no metrics.json: interrupted" in page


def test_a_run_with_files_missing_still_gets_a_page(runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(runs["ring"], run)
    for name in ("metrics.json", "history.csv", "checkpoint.npz", "samples.png"):
        (run / name).unlink()
    os.remove(snapshot_path(run, 300))
    data = embedded(Path(rebuild(run)).read_text())
    assert data["steps"][-1] == 250 and data["history"]["step"] == []


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "nothing-here", "is not a minigan run folder"),
    (lambda d: d, "is not a minigan run folder"),
    (lambda d: ROOT / "tests" / "fixtures" / "v0.2.0" / "run", "has no snapshots (made before minigan 0.3"),
])
def test_not_a_run_or_no_snapshots_is_one_line_and_exit_2(tmp_path, capsys, make, words):
    assert main(["lab", str(make(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


@pytest.mark.parametrize("spoil", ["config", "snapshot"])
def test_unreadable_files_are_one_line_and_exit_2(runs, tmp_path, capsys, spoil):
    run = tmp_path / "run"
    shutil.copytree(runs["ring"], run)
    victim = run / "config.json" if spoil == "config" else Path(snapshot_path(run, 100))
    victim.write_bytes(b"\x00 not what it should be {")
    assert main(["lab", str(run)]) == 2
    err = capsys.readouterr().err
    where = "config.json: " if spoil == "config" else "cannot read the run in"
    assert err.startswith("minigan lab: error: ") and where in err and err.count("\n") == 1


def test_the_footer_command_names_only_what_differs_from_the_defaults():
    cfg = TrainConfig(loss="wgan", hidden=16, steps=300).resolved().to_dict()
    assert lab.train_command(cfg, "R") == "minigan train --loss wgan --steps 300 --hidden 16 --out R"
    cfg = TrainConfig(data="moons", conditional=True, lr_d=1e-3).resolved().to_dict()
    assert lab.train_command(cfg, "a b") == ("minigan train --data moons --lr-d 0.001 "
                                             "--conditional --out 'a b'")


def test_lab_js_stays_short():
    assert len((ROOT / "minigan" / "pictures" / "lab.js").read_text().splitlines()) < 350


# --- the page in a real browser -----------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for every browser check, offline (loopback too), its console log kept."""
    yield from headless_chromium("lab", "--proxy-bypass-list=<-loopback>", offline=True)


def open_page(driver, run):
    driver.get((run / "lab.html").as_uri())
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0


def picture(driver):
    """The main canvas as a PNG data URL, and the share of its pixels that are not blank."""
    return driver.execute_script("""
        const c = document.getElementById('view'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let drawn = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250)) drawn++;
        return [c.toDataURL(), drawn / (d.length / 4)];""")


def step_shown(driver):
    return int(driver.find_element("id", "step").text)


def check_layers(driver):
    """Every layer switch changes the picture, and switching it back restores it."""
    before, _ = picture(driver)
    boxes = driver.find_elements("css selector", "#layers input")
    assert len(boxes) >= 4
    for box in boxes:
        box.click()
        assert picture(driver)[0] != before, box.get_attribute("id")
        box.click()
        assert picture(driver)[0] == before


def test_the_2d_page_in_a_browser(browser, runs):
    from selenium.webdriver.common.keys import Keys
    open_page(browser, runs["ring"])
    first, drawn = picture(browser)
    assert step_shown(browser) == 0 and drawn > 0.5
    slider = browser.find_element("id", "slider")
    slider.send_keys(Keys.END)                                   # the slider: to the last snapshot
    last, drawn = picture(browser)
    assert step_shown(browser) == 300 and drawn > 0.5 and last != first
    browser.find_element("id", "back").click()
    assert step_shown(browser) == 250 and picture(browser)[0] != last
    browser.find_element("id", "forward").click()
    assert step_shown(browser) == 300 and picture(browser)[0] == last
    slider.send_keys(Keys.HOME)
    assert step_shown(browser) == 0 and picture(browser)[0] == first
    check_layers(browser)
    browser.find_element("id", "play").click()
    time.sleep(0.5)
    browser.find_element("id", "play").click()                  # pause
    assert step_shown(browser) > 0
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_the_1d_page_in_a_browser(browser, runs):
    from selenium.webdriver.common.keys import Keys
    open_page(browser, runs["oned"])
    first, drawn = picture(browser)
    browser.find_element("id", "slider").send_keys(Keys.END)
    last, _ = picture(browser)
    assert step_shown(browser) == 200 and drawn > 0.01 and last != first
    check_layers(browser)
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_a_script_in_a_file_name_shows_as_text(browser, runs):
    open_page(browser, runs["evil"])                             # an alert would fail here
    assert EVIL in browser.find_element("tag name", "header").text
    assert browser.execute_script("return document.querySelectorAll('script').length") == 2
