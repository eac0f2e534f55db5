"""Hypothesis in CI: the same examples on every run (``derandomize``), so that a landing does not
depend on which random corner one run happened to draw; on a developer's machine each run draws
new examples and a failure found there becomes a fixed test case. HYPOTHESIS_PROFILE=explore
draws new examples in CI too."""
import os
import shutil
import tempfile

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "explore"))


# --- headless Chromium, for the pages' browser tests (test_lab.py, test_live.py) ----------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def headless_chromium(prefix, *flags, offline=False):
    """Yield one headless Chromium (1300 × 1000, its console log kept, a fresh profile), then
    quit it; skip, saying why, where selenium, Chromium or its driver is missing. Every request
    goes to a dead proxy (127.0.0.1:9), except loopback unless ``flags`` says otherwise;
    offline=True cuts the network altogether (a file:// page must load nothing)."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed "
                                    "(pip install -e '.[test]')")
    for path, package in ((CHROMIUM, "chromium"), (DRIVER, "chromium-driver")):
        if not os.path.exists(path):
            pytest.skip(f"no {path}: install Debian's {package} package to run the browser test")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix=f"{prefix}-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 "--proxy-server=127.0.0.1:9", "--window-size=1300,1000", *flags):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    if offline:
        driver.set_network_conditions(offline=True, latency=0, throughput=0)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
