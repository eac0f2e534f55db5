r"""The theory lab: every claim of the source text checked by numbers, and drawn.

    minigan theory [--quick] [--out DIR] [--seed S] [--only N [N ...]] [--no-figures]

prints one row per check — the two sides of an identity computed independently, their
difference, the tolerance, pass/fail — and writes one figure per claim into DIR. The exit
status is 1 if any check fails.

    claim  module      what is checked
    1      optimal_d   D* = p_data/(p_data + p_g); C(G) = V(D*, G) = −log 4 + 2·JSD (Goodfellow
                       Prop. 1, Thm. 1), on a family of 1-D pairs and for a trained MLP D̂
    2      generative  generative (Bayes on a fitted P(x, y)) vs discriminative (BCE) classifiers;
                       D* is the Bayes posterior P(real | x): prior ½, and π = 0.8 with 4 : 1 data
    3      jsd_vs_w1   JSD saturates at log 2 with zero θ-gradient, W1 = |θ| does not (WGAN Ex. 1)
    4      vanishing   the saturating G loss loses its gradient as D improves (Arjovsky & Bottou)
    5      dirac       Dirac-GAN vector fields, trajectories and Jacobian eigenvalues (Mescheder)

From Python:

    from minigan.theory import run_all
    results = run_all(quick=True)          # [(claim, module, result, seconds)]
    results[0][2].checks                   # the rows of claim 1

``--quick`` shrinks only what is trained (steps, seeds); the analytic checks are the same.
Where a network is trained the row holds the mean over seeds, |diff| is the worst seed's, and
the row passes only if every seed does.
"""
import argparse
import importlib
import os
import sys
import time

from .report import format_table

CLAIMS = {1: "optimal_d", 2: "generative", 3: "jsd_vs_w1", 4: "vanishing", 5: "dirac"}


def claim_module(n):
    """The module of claim n (imported on demand: ``minigan --help`` stays fast)."""
    return importlib.import_module(f"{__name__}.{CLAIMS[n]}")


def figure_path(out, n):
    return os.path.join(out, f"claim{n}_{CLAIMS[n]}.png")


def run_all(quick=False, seed=0, only=None, out=None, stream=None):
    r"""Run the claims in ``only`` (default all); draw each figure into ``out`` if given.

    Each figure is drawn from the very result whose rows are returned. ``stream``: a file to
    print each claim's rows to as soon as they are ready. Returns [(n, module, result, seconds)].
    """
    results = []
    for n in sorted(only or CLAIMS):
        mod = claim_module(n)
        t0 = time.perf_counter()
        res = mod.run(quick=quick, seed=seed)
        seconds = time.perf_counter() - t0
        where = ""
        if out is not None:
            mod.plot(res, figure_path(out, n))
            where = f", figure {time.perf_counter() - t0 - seconds:.1f} s: {figure_path(out, n)}"
        results.append((n, mod, res, seconds))
        if stream is not None:
            print(f"\nclaim {n} — {mod.TITLE}   (checks {seconds:.1f} s{where})", file=stream)
            print(format_table(res.checks), file=stream, flush=True)
    return results


def _seed(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer ≥ 0, got {text!r}")
    return value


def add_theory_arguments(parser):
    parser.add_argument("--quick", action="store_true",
                        help="fewer training steps and seeds (a few seconds); "
                             "analytic checks unchanged")
    parser.add_argument("--out", default="theory_out", metavar="DIR",
                        help="folder for the figures (one PNG per claim) and checks.txt "
                             "(default: theory_out)")
    parser.add_argument("--seed", type=_seed, default=0,
                        help="first seed; trained checks use seeds S, S+1, … (default: 0)")
    parser.add_argument("--only", type=int, nargs="+", choices=sorted(CLAIMS), metavar="N",
                        help="run only these claims, 1–5 (default: all five)")
    parser.add_argument("--no-figures", action="store_true",
                        help="print the checks only; write no files")


def run_theory(args):
    out = None
    if not args.no_figures:
        out = args.out
        os.makedirs(out, exist_ok=True)
    mode = "quick" if args.quick else "full"
    print(f"minigan theory: {mode} run, seed {args.seed}")
    t0 = time.perf_counter()
    results = run_all(quick=args.quick, seed=args.seed, only=args.only, out=out, stream=sys.stdout)
    checks = [c for _, _, res, _ in results for c in res.checks]
    failed = [c for c in checks if not c.passed]
    summary = (f"{len(checks) - len(failed)}/{len(checks)} checks passed "
               f"({time.perf_counter() - t0:.1f} s)")
    print(f"\n{summary}")
    for c in failed:
        print(f"FAILED  claim {c.claim}: {c.name}")
    if out is not None:
        with open(os.path.join(out, "checks.txt"), "w", encoding="utf-8") as f:
            f.write(f"minigan theory: {mode} run, seed {args.seed}\n\n")
            f.write(format_table(checks) + f"\n\n{summary}\n")
    return 1 if failed else 0
