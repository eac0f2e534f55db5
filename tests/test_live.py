"""minigan live (minigan/live/): the server's safety checks, the exact replay of a session, the
CLI's one-line errors, and the page driving a real trainer in headless Chromium (skipped where
there is none). Small configs throughout: the whole file is meant to take a few seconds."""
import contextlib
import filecmp
import json
import os
import threading
import time
import urllib.error
import urllib.request

import numpy as np
import pytest
from conftest import headless_chromium

from minigan.config import TrainConfig
from minigan.data import Points
from minigan.live import page
from minigan.live.app import Live
from minigan.live.command import resumed
from minigan.live.server import refusal, serve
from minigan.live.session import ControlError, Session, read_events
from minigan.runs.cli import main
from minigan.runs.folder import locked
from minigan.runs.run import new_run

SMALL = dict(steps=100000, eval_every=50, batch=64, hidden=16, eval_samples=300)
TOKEN = "t0k3n"


def session_in(run_dir, **kw):
    """A Session of the small config in run_dir (its lock held by the caller)."""
    return Session(new_run(TrainConfig(**{**SMALL, **kw}).resolved(), run_dir), run_dir)


# --- the server's checks, without a browser ------------------------------------------------------

def headers(**kw):
    return {"Host": "127.0.0.1:8000", "X-Minigan-Token": TOKEN, **kw}


@pytest.mark.parametrize("method, target, given, status", [
    ("GET", "/frame", headers(), None),
    ("GET", f"/?token={TOKEN}", {"Host": "localhost:8000"}, None),
    ("POST", "/control", headers(**{"Content-Type": "application/json", "Origin": "http://127.0.0.1:8000"}), None),
    ("GET", "/frame", {"Host": "127.0.0.1:8000"}, 403),                         # no token
    ("GET", "/frame", headers(**{"X-Minigan-Token": "t0k3m"}), 403),            # a wrong one
    ("POST", f"/control?token={TOKEN}", {"Host": "127.0.0.1:8000", "Content-Type": "application/json"}, 403),
    ("GET", "/frame", headers(Host="evil.example:8000"), 403),                  # DNS rebinding
    ("GET", "/frame", headers(Host="127.0.0.1:8001"), 403),
    ("POST", "/control", headers(**{"Content-Type": "application/json", "Origin": "http://evil.example"}), 403),
    ("POST", "/control", headers(**{"Content-Type": "text/plain"}), 415),       # a "simple" POST
    ("PUT", "/control", headers(), 405),
    ("OPTIONS", "/control", headers(), 405),                                    # no preflight granted
])
def test_refusal(method, target, given, status):
    got = refusal(method, target, given, TOKEN, 8000)
    assert (got and got[0]) == status, got


# --- a session, its replay and its resume ----------------------------------------------------------

def test_replay_of_a_stopped_and_resumed_session_is_byte_identical(tmp_path, capsys):
    run, out = str(tmp_path / "live"), str(tmp_path / "again")
    with locked(run):
        s = session_in(run)
        for _ in range(30):
            s.iterate()
        s.lone("d")
        s.set({"lr_d": 1e-3, "r1": 0.5})
        with pytest.raises(ControlError, match="lr_g: must be"):
            s.set({"lr_g": 0})
        with pytest.raises(ControlError, match="cannot change mid-run"):
            s.set({"hidden": 8})
        for _ in range(45):                            # across the step-50 row
            s.iterate()
        s.lone("g")
        s.stop("interrupted")                          # Ctrl-C: an off-grid row and a checkpoint
    with locked(run):
        s, _ = resumed(run, {})
        assert s.position() == {"step": 75, "d": 76, "g": 76} and s.t.cfg.lr_d == 1e-3
        s.set({"loss": "wgan-gp", "k": 1, "gp": 0.1, "lr_half_life": 0})
        s.set({"update": "optimistic"})
        with pytest.raises(ControlError, match="not a step of --update optimistic"):
            s.lone("d")
        for _ in range(40):
            s.iterate()
        s.stop()
    assert main(["live", "--replay", run, "--out", out]) == 0
    assert filecmp.cmp(os.path.join(run, "history.csv"), os.path.join(out, "history.csv"), shallow=False)
    assert [r.split(",")[0] for r in open(os.path.join(out, "history.csv"))][1:] == ["0", "50", "100", "115"]
    assert os.path.exists(os.path.join(out, "lab.html")) and os.path.exists(os.path.join(out, "metrics.json"))
    capsys.readouterr()


@pytest.mark.parametrize("argv, words", [
    (["live", "--data", "digits", "--no-browser"], "the live page draws 1D and 2D data only"),
    (["live", "--replay", "nowhere"], "--replay RUN takes --out NEW"),
    (["live", "--replay", "nowhere", "--out", "x"], "is not a minigan run folder"),
    (["live", "--lr-d", "-1", "--no-browser"], "lr_d: must be"),
])
def test_user_errors_are_one_line_and_exit_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1, err


def test_minigan_train_does_not_resume_a_live_session(tmp_path, capsys):
    run = str(tmp_path / "live")
    with locked(run):
        session_in(run).stop()
    assert main(["train", "--resume", run]) == 2
    assert "is a live session: continue it with minigan live --resume" in capsys.readouterr().err


# --- the page, in a real browser -------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    """Headless Chromium that can reach 127.0.0.1 only (everything else goes to a dead proxy)."""
    yield from headless_chromium("live")


@pytest.fixture
def live(tmp_path):
    """A live session of the small config, served in this process, its training thread running."""
    run = str(tmp_path / "live")
    with contextlib.ExitStack() as stack:
        stack.enter_context(locked(run))
        app = Live(session_in(run), run, pause_at=None)
        app.stack = stack
        srv, url = serve(app, page.page)
        stop = threading.Event()
        thread = threading.Thread(target=app.run, args=(stop,), daemon=True)
        thread.start()
        app.url, app.port, app.token = url, srv.server_address[1], srv.token
        yield app
        stop.set()
        thread.join(30)
        srv.shutdown()
        srv.server_close()
        app.stack.close()


def request(app, path, body=None, token=True):
    """(status, JSON answer, headers) of a request to the live server."""
    heads = {"X-Minigan-Token": app.token} if token else {}
    if body is not None:
        heads["Content-Type"] = "application/json"
    req = urllib.request.Request(f"http://127.0.0.1:{app.port}{path}", headers=heads,
                                 data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.load(r), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e), dict(e.headers)


def until(check, timeout=10.0, show=None):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out{show and ': ' + show()}"
        time.sleep(0.02)


def severe(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_the_live_page_drives_the_trainer(browser, live):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    # a request without the token is refused, and changes nothing
    before = live.session.position()
    for path, body in (("/control", {"action": "play"}), ("/state", None), ("/frame", None)):
        status, answer, heads = request(live, path, body, token=False)
        assert status == 403 and not answer["ok"] and "Access-Control-Allow-Origin" not in heads
    assert live.session.position() == before and not live.playing

    browser.get(live.url)
    until(lambda: browser.execute_script("return window.LIVE && LIVE.version") >= 1)
    assert not severe(browser)
    local = f"http://127.0.0.1:{live.port}/"
    assert all(u.startswith(local) for u in browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)"))
    find = lambda id_: browser.find_element("id", id_)
    message = lambda: find("message").text

    # play, then pause: the step counter stops
    find("run").click()
    until(lambda: int(find("step").text) >= 20)
    find("run").click()
    until(lambda: not live.playing)
    time.sleep(0.15)
    shown, step = find("step").text, live.session.t.step
    time.sleep(0.15)
    assert find("step").text == shown and live.session.t.step == step

    # one D update: D's optimizer one update further, G untouched
    t = live.session.t
    opt_t, d_count = (t.opt_d.t, t.opt_g.t), live.session.d
    G, D = {k: v.copy() for k, v in t.G.params.items()}, {k: v.copy() for k, v in t.D.params.items()}
    find("one-d").click()
    until(lambda: message() == "one D update")
    assert (t.opt_d.t, t.opt_g.t) == (opt_t[0] + 1, opt_t[1]) and live.session.d == d_count + 1
    assert all(np.array_equal(G[k], v) for k, v in t.G.params.items())
    assert not all(np.array_equal(D[k], v) for k, v in t.D.params.items())
    until(lambda: find("d-count").text == str(d_count + 1))

    # the learning rate: refused when bad (nothing changes), else from the next update, logged
    lr = find("set-lr_d")

    def type_in(text):
        lr.click()
        lr.send_keys(Keys.CONTROL, "a")
        lr.send_keys(text, Keys.TAB)
    type_in("-3")
    until(lambda: "lr_d: must be a finite number > 0" in message())
    assert t.cfg.lr_d == 2e-4
    until(lambda: lr.get_attribute("value") == "0.0002")     # the page shows the value in force
    type_in("0.0005")
    until(lambda: message().startswith("changed from the next update: lr_d = 0.0005"), 3, message)
    decay = 0.5 ** (t.step / t.cfg.lr_half_life)
    assert t.cfg.lr_d == 5e-4 and t.opt_d.lr == 5e-4 * decay
    events = read_events(live.session.run_dir)
    assert events[-1]["event"] == "set" and events[-1]["changes"] == {"lr_d": 5e-4}
    first = live.session.run_dir

    # one G update under a joint rule is refused in the page
    browser.execute_script("const s = document.getElementById('set-update'); s.value = 'simultaneous';"
                           "s.dispatchEvent(new Event('change'));")
    until(lambda: t.cfg.update == "simultaneous")
    find("one-g").click()
    until(lambda: "not a step of --update simultaneous" in message())

    # draw points: they become the run's data, as --data points.csv
    find("draw").click()
    canvas = find("view")
    ActionChains(browser).move_to_element_with_offset(canvas, -60, -40).click_and_hold() \
        .move_by_offset(40, 10).move_by_offset(40, 30).release().perform()
    drawn = browser.execute_script("return LIVE.points")
    assert len(drawn) >= 6
    find("use").click()
    until(lambda: live.run_id == 2)
    data = live.session.t.data
    assert isinstance(data, Points) and np.array_equal(data.x, np.array(drawn))
    assert os.path.exists(os.path.join(live.session.run_dir, "data.csv"))
    until(lambda: browser.execute_script("return window.LIVE && LIVE.run") == 2)   # reloaded
    assert not severe(browser)

    # the first run's session, replayed from its log: its history.csv byte for byte
    again = os.path.join(os.path.dirname(first), "again")
    assert main(["live", "--replay", first, "--out", again]) == 0
    assert filecmp.cmp(os.path.join(first, "history.csv"), os.path.join(again, "history.csv"),
                       shallow=False)


def test_a_live_frame_reads_the_trainer_and_says_its_own_colour_scale():
    """A frame draws no random numbers and does not reset the loss window (it never evaluates),
    and its field caption does not claim the replay's one scale for the whole run."""
    from minigan.live.app import make_frame
    from minigan.train import Trainer
    t = Trainer(TrainConfig(**{**SMALL, "loss": "wgan"}))
    t.train_step()
    rng, window = t.rng.bit_generator.state, dict(t.window)
    frame = make_frame(t, [], {})
    assert t.rng.bit_generator.state == rng and t.window == window
    field = next(text for key, _, text in frame["layers"] if key == "field")
    assert "whole replay" not in field and "this frame's own" in field
