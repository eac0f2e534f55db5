"""`python -m minigan.remedies` ran the remedies study in 0.3; it is `minigan remedies` now.
This alias goes away in 0.5."""
from ..runs.cli import alias_main

raise SystemExit(alias_main("remedies"))
