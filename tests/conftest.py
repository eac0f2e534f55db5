"""Hypothesis in CI: the same examples on every run (``derandomize``), so that a landing does not
depend on which random corner one run happened to draw; on a developer's machine each run draws
new examples and a failure found there becomes a fixed test case. HYPOTHESIS_PROFILE=explore
draws new examples in CI too."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "explore"))
