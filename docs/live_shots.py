"""Screenshots of the live page (headless Chromium via selenium), 1,400 and 1,000 px wide.

    python docs/live_shots.py OUT_DIR       # OUT_DIR/live.png (1,400 px), OUT_DIR/live-narrow.png

Starts `minigan live --play --steps 2000` on the default run (run folder OUT_DIR/run), waits for
play to pause at step 2000, shoots the page at each width, and ends the session.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

STEPS = 2000


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "minigan", "live", "--play", "--no-browser",
                             "--steps", str(STEPS), "--out", os.path.join(a.out, "run"), "--force"],
                            stdout=subprocess.PIPE, text=True)
    url = re.search(r"(http://\S+)", proc.stdout.readline())[1]
    token, port = url.split("token=")[1], url.split(":")[2].split("/")[0]
    state = urllib.request.Request(f"http://127.0.0.1:{port}/state", headers={"X-Minigan-Token": token})
    while json.load(urllib.request.urlopen(state))["playing"]:
        time.sleep(0.5)
    o = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9"):
        o.add_argument(arg)
    d = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")),
                         options=o)
    try:
        for name, width in (("live", 1400), ("live-narrow", 1000)):
            d.set_window_size(width, 1150)
            d.get(url)
            time.sleep(1.5)
            d.save_screenshot(os.path.join(a.out, f"{name}.png"))
        d.execute_script("document.getElementById('end').click()")
    finally:
        d.quit()
        proc.wait(120)


if __name__ == "__main__":
    main()
