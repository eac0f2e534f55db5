r"""The mode-collapse remedies study (docs/remedies/): named configurations on the sweep's machinery.

    python -m minigan.remedies screen --jobs 2 --out remedies     # every remedy: ring8, seeds 0–2
    python -m minigan.remedies report --remedies ttur pacgan4 --out remedies   # held-out seeds 5–9,
                                                                               # ring8 and grid25

Each remedy is a named set of options on top of the mode-collapse study's settings
(``sweep.SWEEP_DEFAULTS``): the nsgan family starts from the study's nsgan run — which already
is the two-time-scale rule (TTUR: D's learning rate 5× G's), so TTUR is the baseline here, not a
remedy of its own — and the WGAN family from its wgan-gp run (n_critic 1).

Equal gradient evaluations, so that a remedy that spends more gradients per iteration is not
favoured: every run gets BUDGET gradient evaluations (one gradient of one player's loss on one
batch). An iteration of Algorithm 1 with k = 1 costs 2; extragradient 4 (a look-ahead and a real
step for each player); first-order unrolling with K steps 2 + K. A run's steps are BUDGET / cost,
and its learning-rate half-life shrinks in the same ratio. Packing, minibatch std and spectral
norm cost one evaluation per player too (on wider or normalised networks): their extra seconds
are in the tables. The stages and how many configurations were tried: docs/remedies/README.md.

Like ``minigan sweep``, the study resumes: a finished run is skipped, an unfinished one continues
from its checkpoint; the tables are rewritten from the run folders after every stage.
"""
import argparse
import csv
import math
import os
import sys

from .config import ConfigError, TrainConfig
from .errors import UsageError
from .runfiles import read_json
from .study import grid_figures, modes_figure
from .summary import mean_se
from .sweep import SWEEP_DEFAULTS, finished, parse_seeds, run_all, train_all, train_one

BUDGET = 40_000          # gradient evaluations per run (nsgan: the study's 20,000 steps)
STAGES = {"screen": (["ring8"], "0-2"), "tune": (["ring8", "grid25"], "0-4"),
          "report": (["ring8", "grid25"], "5-9")}
# name -> (family, options on top of the family's study settings)
REMEDIES = {
    "ttur": ("nsgan", {}),
    "pacgan2": ("nsgan", {"pack": 2}),
    "pacgan4": ("nsgan", {"pack": 4}),
    "mbstd": ("nsgan", {"mbstd_layer": 2}),
    "spectral": ("nsgan", {"spectral_norm": True}),
    "extragradient": ("nsgan", {"update": "extragradient"}),
    "optimistic": ("nsgan", {"update": "optimistic"}),
    "unrolled5": ("nsgan", {"unroll": 5}),
    "r1": ("nsgan", {"r1": 0.1}),
    "wgan-gp": ("wgan-gp", {}),
    "wgan-gp+pacgan4": ("wgan-gp", {"pack": 4}),
    "wgan-gp+spectral": ("wgan-gp", {"spectral_norm": True}),
}
# the papers' numbers (modes / % high quality), 2,500 samples and the same 3-std rule
PUBLISHED = [("GAN (PacGAN's)", "6.3 ± 0.5 / 98.2 ± 0.2", "17.3 ± 0.8 / 94.8 ± 0.7"),
             ("PacGAN2", "7.9 ± 0.1 / 95.6 ± 2.0", "23.8 ± 0.7 / 91.3 ± 0.8"),
             ("PacGAN4", "7.8 ± 0.1 / 95.9 ± 1.4", "24.8 ± 0.2 / 93.6 ± 0.6"),
             ("GAN (VEEGAN's)", "1 / 99.3", "3.3 / 0.5"),
             ("Unrolled GAN (VEEGAN's)", "7.6 / 35.6", "23.6 / 16"),
             ("VEEGAN", "8 / 52.9", "24.6 / 40")]


def evals_per_step(cfg):
    """Gradient evaluations of one iteration: D's k plus G's 1, doubled by extragradient, plus
    the K extra D steps of an unrolled G step."""
    per = cfg["k"] + 1
    if cfg["update"] == "extragradient":
        per *= 2
    return per + cfg["unroll"]


def config(name, data, seed, extra=None):
    """The resolved config dict of one remedy on one dataset and seed, within BUDGET."""
    family, options = REMEDIES[name]
    base = dict(SWEEP_DEFAULTS[family])
    cfg = TrainConfig(**{**base, **options, **(extra or {}), "data": data, "loss": family,
                         "seed": seed}).resolved().to_dict()
    steps = BUDGET // evals_per_step(cfg)
    half = round(base["lr_half_life"] * steps / base["steps"]) if base["lr_half_life"] else 0
    return TrainConfig.from_dict({**cfg, "steps": steps, "lr_half_life": half}).resolved().to_dict()


def plan(out, stage, names, seeds=None):
    """[(run_dir, cfg, remedy name)] of a stage, in table order."""
    datas, default_seeds = STAGES[stage]
    jobs = []
    for data in datas:
        for name in names:
            for seed in parse_seeds(seeds or default_seeds):
                try:
                    cfg = config(name, data, seed)
                except ConfigError as e:
                    raise UsageError(f"{name} on {data}: {e}") from None
                jobs.append((os.path.join(out, stage, "runs", f"{data}-{name}-seed{seed}"), cfg, name))
    return jobs


def table(jobs):
    """Per data × remedy: runs, steps, mean ± se of modes, % HQ, mode KL, seconds."""
    groups = {}
    for run_dir, cfg, name in jobs:
        g = groups.setdefault((cfg["data"], name), {"cfg": cfg, "rows": [], "planned": 0})
        g["planned"] += 1
        path = os.path.join(run_dir, "metrics.json")
        if os.path.exists(path):
            g["rows"].append(read_json(path))
    out = []
    for (data, name), g in groups.items():
        line = {"data": data, "remedy": name, "family": REMEDIES[name][0], "runs": len(g["rows"]),
                "planned": g["planned"], "steps": g["cfg"]["steps"],
                "evals": g["cfg"]["steps"] * evals_per_step(g["cfg"])}
        for k in ("modes_captured", "high_quality_frac", "mode_kl", "seconds"):
            line[k], line[k + "_se"] = mean_se([r[k] for r in g["rows"]])
        line["modes_total"] = g["rows"][0]["modes_total"] if g["rows"] else "–"
        line["all_modes_runs"] = sum(r["modes_captured"] == r["modes_total"] for r in g["rows"])
        out.append(line)
    return out


def pm(v, s, digits, scale=1.0):
    if math.isnan(v):
        return "–"
    return f"{v * scale:.{digits}f}" + ("" if math.isnan(s) else f" ± {s * scale:.{digits}f}")


def markdown(lines):
    head = ["data", "remedy", "family", "steps", "runs", "all modes", "modes", "% high quality",
            "mode KL", "seconds"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in lines:
        runs = str(t["runs"]) if t["runs"] == t["planned"] else f"{t['runs']} of {t['planned']}"
        rows.append("| " + " | ".join([
            t["data"], t["remedy"], t["family"], str(t["steps"]), runs,
            f"{t['all_modes_runs']} of {t['runs']}",
            pm(t["modes_captured"], t["modes_captured_se"], 1) + f" / {t['modes_total']}",
            pm(t["high_quality_frac"], t["high_quality_frac_se"], 1, 100),
            pm(t["mode_kl"], t["mode_kl_se"], 3), pm(t["seconds"], t["seconds_se"], 0)]) + " |")
    return "\n".join(rows) + "\n"


def write_tables(out, stage, jobs):
    """OUT/STAGE.md and OUT/STAGE.csv from the run folders; the figures of the finished runs."""
    lines = table(jobs)
    md = markdown(lines)
    with open(os.path.join(out, f"{stage}.md"), "w") as f:
        f.write(f"Stage {stage}: mean ± standard error over the finished seeds; every run "
                f"{BUDGET:,} gradient evaluations (minigan/remedies.py).\n\n" + md)
    with open(os.path.join(out, f"{stage}.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, list(lines[0]))
        w.writeheader()
        w.writerows(lines)
    done = [(d, {**c, "loss": name}) for d, c, name in jobs            # row label: the remedy
            if os.path.exists(os.path.join(d, "metrics.json"))]
    if done:
        grid_figures(os.path.join(out, stage), done)
        modes_figure(os.path.join(out, stage), done)
    return md


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m minigan.remedies", description=__doc__.split("\n")[0])
    p.add_argument("stage", choices=list(STAGES), help="screen: ring8 seeds 0–2; tune: both datasets "
                   "seeds 0–4; report: both datasets, held-out seeds 5–9")
    p.add_argument("--remedies", nargs="+", default=list(REMEDIES), choices=list(REMEDIES),
                   metavar="NAME", help=f"which ({', '.join(REMEDIES)}; default: all)")
    p.add_argument("--seeds", help="override the stage's seeds (a range 0-4, a list 0,2,5)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    p.add_argument("--out", default="remedies", help="study folder")
    a = p.parse_args(argv)
    try:
        jobs = plan(a.out, a.stage, a.remedies, a.seeds)
        planned = [(d, c) for d, c, _ in jobs]
        todo = [(d, c) for d, c in planned if not finished(d, c)]
    except UsageError as e:
        print(f"python -m minigan.remedies: error: {e}", file=sys.stderr)
        return 2
    workers = min(a.jobs, max(len(todo), 1))
    failed = train_all(os.path.join(a.out, a.stage), planned, todo, workers, f"{workers} worker(s)",
                       lambda report: run_all(todo, a.jobs, report))
    if failed is None:
        return 130
    print("\n" + write_tables(a.out, a.stage, jobs))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
