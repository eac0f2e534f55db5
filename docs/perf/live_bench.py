"""Training speed with the live page open, against minigan train: steps per second on the default
run, and the page's redraws per second. Writes docs/perf/live.json.

    python docs/perf/live_bench.py [--steps 1500] [--repeats 2] [--threads N] [--out docs/perf/live.json]

Each repeat runs `minigan train --steps S` and `minigan live --play --steps S` (the page open in
headless Chromium via selenium, drawing every frame it gets) one after the other, on the default
config; the rate is taken over steps 200..S (after start-up and the first evaluations), the best
repeat of each is kept. A benchmark, not a test: it takes a minute or two.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

FROM = 200


def train_rate(steps, threads, work):
    """Steps/s of minigan train between step FROM and the end (its progress lines, non-tty)."""
    out = os.path.join(work, f"train-{time.time_ns()}")
    cmd = [sys.executable, "-m", "minigan", "train", "--steps", str(steps), "--out", out] + threads
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    marks = {}
    for line in proc.stderr:                      # "step 250/1500 | …" at each evaluation
        m = re.match(r"step (\d+)/", line)
        if m:
            marks[int(m[1])] = time.perf_counter() - t0
    proc.wait()
    first = min(s for s in marks if s >= FROM)
    last = max(marks)
    return (last - first) / (marks[last] - marks[first])


def live_rate(steps, threads, work, driver):
    """Steps/s of minigan live --play with the page open, over the same steps; redraws/s."""
    out = os.path.join(work, f"live-{time.time_ns()}")
    cmd = [sys.executable, "-m", "minigan", "live", "--play", "--no-browser", "--steps", str(steps),
           "--out", out] + threads
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = re.search(r"(http://\S+)", proc.stdout.readline())[1]
    driver.get(url)
    token, port = url.split("token=")[1], url.split(":")[2].split("/")[0]

    def position():
        req = urllib.request.Request(f"http://127.0.0.1:{port}/state", headers={"X-Minigan-Token": token})
        with urllib.request.urlopen(req) as r:
            state = json.load(r)
        return state["position"]["step"], state["playing"], time.perf_counter()

    marks = []
    while True:
        step, playing, t = position()
        marks.append((step, t, driver.execute_script("return LIVE.total")))
        if not playing and step >= steps:
            break
        time.sleep(0.25)
    start = next(m for m in marks if m[0] >= FROM)
    end = next(m for m in marks if m[0] >= steps)
    driver.execute_script("document.getElementById('end').click()")
    proc.wait(120)
    return (end[0] - start[0]) / (end[1] - start[1]), (end[2] - start[2]) / (end[1] - start[1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--threads", type=int, default=0, help="BLAS threads of both (0: their own choice)")
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "live.json"))
    a = p.parse_args()
    threads = ["--threads", str(a.threads)] if a.threads else []
    o = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1100",
                "--proxy-server=127.0.0.1:9"):
        o.add_argument(arg)
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=o)
    train, live, redraws = [], [], []
    try:
        with tempfile.TemporaryDirectory() as work:
            for _ in range(a.repeats):
                train.append(train_rate(a.steps, threads, work))
                rate, fps = live_rate(a.steps, threads, work, driver)
                live.append(rate)
                redraws.append(fps)
                print(f"train {train[-1]:.1f} steps/s, live {rate:.1f} steps/s, {fps:.1f} redraws/s")
    finally:
        driver.quit()
    result = {"what": "default run, steps/s over steps %d..%d, best of %d" % (FROM, a.steps, a.repeats),
              "train_steps_per_s": round(max(train), 1), "live_steps_per_s": round(max(live), 1),
              "ratio": round(max(live) / max(train), 3),
              "redraws_per_s": round(redraws[live.index(max(live))], 1),
              "all": {"train": [round(v, 1) for v in train], "live": [round(v, 1) for v in live],
                      "redraws": [round(v, 1) for v in redraws]},
              "threads": a.threads or "minigan's choice", "cpus": os.cpu_count(),
              "date": time.strftime("%Y-%m-%d")}
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
