r"""One row per check: two sides computed independently, their difference, a tolerance, pass/fail.

    Check(claim=1, name="C(G) = −log 4 + 2·JSD", left=v_quad, right=-np.log(4) + 2 * jsd, tol=1e-9)

A check is one of
    "="   |left − right| ≤ tol    (an identity, or a learned quantity against its target)
    "<="  left ≤ right            (a bound: e.g. a gap that must shrink below a fraction)
    ">="  left ≥ right
Where chance matters (a trained network) ``per_seed`` holds the left side of every seed:
``left`` is then their mean, |diff| is the *worst* seed's, and the row passes only if every
seed passes. The table prints the mean, the standard deviation and the number of seeds.
"""
from dataclasses import dataclass

import numpy as np

RELATIONS = ("=", "<=", ">=")


@dataclass(frozen=True)
class Check:
    claim: int
    name: str
    left: complex               # one side of the identity (the mean over seeds if per_seed)
    right: complex              # the other side, computed independently (or the bound)
    tol: float | None = None    # |left − right| ≤ tol, for relation "="
    relation: str = "="
    per_seed: tuple = ()        # left side of every seed, when the check involves chance
    note: str = ""

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, got {self.relation!r}")
        if self.relation == "=" and (self.tol is None or not self.tol >= 0):
            raise ValueError(f"check {self.name!r}: an '=' check needs a tolerance ≥ 0")

    @property
    def values(self):
        """Every value of the left side that must pass: one per seed, or just ``left``."""
        return self.per_seed if len(self.per_seed) else (self.left,)

    @property
    def diff(self):
        """|left − right|, for the worst seed when there are several."""
        return max(abs(v - self.right) for v in self.values)

    @property
    def passed(self):
        def ok(v):
            if not np.all(np.isfinite(v)):
                return False
            if self.relation == "=":
                return abs(v - self.right) <= self.tol
            return v <= self.right if self.relation == "<=" else v >= self.right
        return all(ok(v) for v in self.values)


def seed_check(claim, name, per_seed, right, **kw):
    """A Check whose left side is measured once per seed; left = the mean over seeds."""
    per_seed = tuple(float(v) for v in per_seed)
    return Check(claim, name, float(np.mean(per_seed)), right, per_seed=per_seed, **kw)


# --- the table ------------------------------------------------------------------------------

def fmt(x, digits=6):
    """A number for the table: complex as a+bi, tiny exponents kept short."""
    if isinstance(x, str):
        return x
    if isinstance(x, complex) or np.iscomplexobj(x):
        x = complex(x)
        if x.imag == 0:
            return fmt(x.real, digits)
        return f"{x.real + 0.0:.{digits}g}{x.imag + 0.0:+.{digits}g}i"     # + 0.0: no "-0"
    return f"{float(x) + 0.0:.{digits}g}"


def _cells(c):
    exact = c.relation == "=" and c.tol < 1e-6         # identities: show enough digits to see it
    d = 12 if exact else 5
    if c.relation == "=":
        right, diff, tol = fmt(c.right, d), f"{c.diff:.1e}", f"{c.tol:.2g}"
    else:
        right, diff, tol = ("≤ " if c.relation == "<=" else "≥ ") + fmt(c.right, d), "", ""
    notes = [c.note] if c.note else []
    if len(c.per_seed) > 1:
        notes.insert(0, f"{len(c.per_seed)} seeds: sd {np.std(c.per_seed, ddof=1):.1e}")
    return [str(c.claim), c.name, fmt(c.left, d), right, diff, tol,
            "ok" if c.passed else "FAIL", "; ".join(notes)]


HEADER = ["claim", "check", "left", "right", "|diff|", "tol", "pass", "spread over seeds; notes"]


def format_table(checks):
    """Plain-text table, one line per check, columns as in HEADER."""
    rows = [HEADER] + [_cells(c) for c in checks]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = []
    for k, r in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- figures (matplotlib imported only when a figure is drawn) ------------------------------



def run_label(quick, seeds):
    """Caption for a figure: which run it comes from."""
    mode = "quick run (--quick)" if quick else "full run"
    return f"{mode}, seeds {list(seeds)}" if len(seeds) else mode

