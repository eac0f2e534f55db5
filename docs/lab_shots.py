"""Screenshots of a lab page at its first and its last step (headless Chromium via selenium).

    python docs/lab_shots.py RUN/lab.html OUT_DIR [--width 1400]   # OUT_DIR/lab-first.png, lab-last.png
"""
import argparse
import os
import pathlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("page")
    p.add_argument("out")
    p.add_argument("--width", type=int, default=1400)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    o = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={a.width},1100"):
        o.add_argument(arg)
    d = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")),
                         options=o)
    try:
        d.get(pathlib.Path(a.page).resolve().as_uri())
        for name, where in (("lab-first", "0"), ("lab-last", "s.max")):
            d.execute_script(f"const s = document.getElementById('slider'); s.value = {where};"
                             "s.dispatchEvent(new Event('input'));")
            d.save_screenshot(os.path.join(a.out, f"{name}.png"))
    finally:
        d.quit()


if __name__ == "__main__":
    main()
