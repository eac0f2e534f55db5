r"""The mode-collapse remedies study (docs/remedies/): named configurations on the sweep's machinery.

    minigan remedies all --jobs 2 --out remedies        # the whole study, as published
    minigan remedies screen --jobs 2 --out remedies     # every remedy: ring8, seeds 0–2
    minigan remedies report --remedies ttur pacgan4 --out remedies   # held-out seeds 5–9,
                                                                               # ring8 and grid25

Each remedy is a named set of options on top of the mode-collapse study's settings
(``SWEEP_DEFAULTS`` in config.py): the nsgan family starts from the study's nsgan run — which already
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
import csv
import math
import os

from ..config import SWEEP_DEFAULTS, ConfigError, TrainConfig
from ..metrics import PERFECT_HQ
from ..pictures.plots import figure
from ..runs.errors import UsageError
from ..runs.folder import read_history, read_json
from .figures import grid_figures, modes_figure
from .summary import mean_se
from .sweep import finished, parse_seeds, run_all, train_all

BUDGET = 40_000          # gradient evaluations per run (nsgan: the study's 20,000 steps)
STAGES = {"screen": (["ring8"], "0-2"), "tune": (["ring8", "grid25"], "0-4"),
          "report": (["ring8", "grid25"], "5-9"),
          "probe": (["ring8", "grid25"], "0"),       # beyond the budget: what more steps would do
          "confirm": (["grid25"], "5-9")}            # the probe's configuration, held-out seeds
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
# stage-2 variants, added after the screen (each one more configuration tried): the same remedy
# with n times the gradient evaluations — longer training, the lever the probe measured
LONGER = {"wgan-gp": (2, 4), "pacgan4": (2,), "spectral": (2,), "wgan-gp+pacgan4": (2,)}
TIMES = {f"{name}-x{n}": n for name, ns in LONGER.items() for n in ns}    # variant -> n
REMEDIES.update({variant: REMEDIES[variant.rpartition("-x")[0]] for variant in TIMES})
# the study's choices, made after each stage (docs/remedies/README.md says on what evidence):
# the screen takes every remedy; the tune its finalists and their variants; the report the best
CHOSEN = {"screen": [n for n in REMEDIES if "-x" not in n],
          "tune": ["wgan-gp", "pacgan4", "spectral", "r1", "wgan-gp+pacgan4", "wgan-gp-x2",
                   "spectral-x2"],
          "report": ["wgan-gp-x2", "spectral-x2"],
          "probe": ["wgan-gp-x4"], "confirm": ["wgan-gp-x4"]}
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


def budget(name):
    """Gradient evaluations of one run of a remedy: BUDGET, times n for a variant NAME-xN."""
    return BUDGET * TIMES.get(name, 1)


def config(name, data, seed, extra=None):
    """The resolved config dict of one remedy on one dataset and seed, within its budget."""
    family, options = REMEDIES[name]
    base = dict(SWEEP_DEFAULTS[family])
    cfg = TrainConfig(**{**base, **options, **(extra or {}), "data": data, "loss": family,
                         "seed": seed}).resolved().to_dict()
    steps = budget(name) // evals_per_step(cfg)
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
    head = ["data", "remedy", "family", "gradient evals", "steps", "runs", "all modes", "modes",
            "% high quality",
            "mode KL", "seconds"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in lines:
        runs = str(t["runs"]) if t["runs"] == t["planned"] else f"{t['runs']} of {t['planned']}"
        rows.append("| " + " | ".join([
            t["data"], t["remedy"], t["family"], f"{t['evals']:,}", str(t["steps"]), runs,
            f"{t['all_modes_runs']} of {t['runs']}",
            pm(t["modes_captured"], t["modes_captured_se"], 1) + f" / {t['modes_total']}",
            pm(t["high_quality_frac"], t["high_quality_frac_se"], 1, 100),
            pm(t["mode_kl"], t["mode_kl_se"], 3), pm(t["seconds"], t["seconds_se"], 0)]) + " |")
    return "\n".join(rows) + "\n"


def quality_figure(path, jobs):
    """% high quality against gradient evaluations (not steps: the remedies spend different
    numbers per step), a panel per data × remedy, a line per seed; dotted: a perfect sampler."""
    pairs = list(dict.fromkeys((c["data"], name) for _, c, name in jobs))
    datas = list(dict.fromkeys(data for data, _ in pairs))
    most = max(sum(d == data for d, _ in pairs) for data in datas)
    cols = min(4, most)
    per = -(-most // cols)                                  # rows of panels per dataset
    fig = figure(max(2.6 * cols, 5.6), 2.1 * per * len(datas) + 0.5)
    axs = fig.subplots(per * len(datas), cols, squeeze=False, sharex=True, sharey=True)
    for ax in axs.ravel():
        ax.set_axis_off()
    for data, name in pairs:
        j = [n for d, n in pairs if d == data].index(name)
        ax = axs[datas.index(data) * per + j // cols, j % cols]
        ax.set_axis_on()
        for run_dir, cfg, n in jobs:
            path_h = os.path.join(run_dir, "history.csv")
            if (cfg["data"], n) == (data, name) and os.path.exists(path_h):
                h = read_history(path_h)
                if len(h.get("step", [])):
                    ax.plot(h["step"] * evals_per_step(cfg), 100 * h["high_quality_frac"], lw=0.8,
                            label=f"seed {cfg['seed']}")
        ax.axhline(100 * PERFECT_HQ[2], color="0.3", ls=":", lw=1)
        ax.set_title(f"{data} · {name}", fontsize=8)
        ax.set_ylim(0, 100)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("gradient evaluations", fontsize=7)
        ax.set_ylabel("% high quality", fontsize=7)
    axs[0, 0].legend(fontsize=6, loc="lower right")
    fig.suptitle("Sample quality over training, every run\n(dotted: a perfect sampler, 98.9 %)",
                 fontsize=10)
    fig.savefig(path)


def comparison(lines):
    """Markdown: our configurations (mean ± se over the table's seeds) beside PUBLISHED."""
    ours = {}
    for t in lines:
        cell = (pm(t["modes_captured"], t["modes_captured_se"], 1) + " / "
                + pm(t["high_quality_frac"], t["high_quality_frac_se"], 1, 100))
        ours.setdefault(t["remedy"], {})[t["data"]] = cell
    rows = ["| method | ring8: modes / % HQ | grid25: modes / % HQ | source |", "|---|---|---|---|"]
    rows += [f"| {m} | {r} | {g} | {'PacGAN' if 'VEEGAN' not in m else 'VEEGAN'} Table 1 |"
             for m, r, g in PUBLISHED]
    rows += [f"| {name} | {c.get('ring8', '–')} | {c.get('grid25', '–')} | minigan, this table |"
             for name, c in ours.items()]
    return "\n".join(rows) + "\n"


def write_tables(out, stage, jobs):
    """OUT/STAGE.md and OUT/STAGE.csv from the run folders; the figures of the finished runs."""
    lines = table(jobs)
    md = markdown(lines)
    with open(os.path.join(out, f"{stage}.md"), "w") as f:
        f.write(f"Stage {stage}: mean ± standard error over the finished seeds; every run "
                f"{BUDGET:,} gradient evaluations, a variant NAME-xN N times that "
                f"(minigan/studies/remedies.py).\n\n" + md)
        if stage == "report":
            f.write("\nBeside the published numbers (their set-ups differ: docs/remedies/README.md)"
                    ":\n\n" + comparison(lines))
    with open(os.path.join(out, f"{stage}.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, list(lines[0]))
        w.writeheader()
        w.writerows(lines)
    done = [j for j in jobs if os.path.exists(os.path.join(j[0], "metrics.json"))]
    if done:
        labelled = [(d, {**c, "loss": name}) for d, c, name in done]   # row label: the remedy
        grid_figures(os.path.join(out, stage), labelled)
        modes_figure(os.path.join(out, stage), labelled)
        quality_figure(os.path.join(out, stage, "quality.png"), done)
    return md


def run_stage(out, stage, names, seeds, jobs):
    """Train a stage's unfinished runs, then write its tables and figures: an exit status."""
    plan_ = plan(out, stage, names, seeds)
    planned = [(d, c) for d, c, _ in plan_]
    todo = [(d, c) for d, c in planned if not finished(d, c)]
    workers = min(jobs, max(len(todo), 1))
    failed = train_all(os.path.join(out, stage), planned, todo, workers, f"{workers} worker(s)",
                       lambda report: run_all(todo, jobs, report))
    if failed is None:
        return 130
    print("\n" + write_tables(out, stage, plan_))
    return 1 if failed else 0


def add_remedies_arguments(p):
    p.add_argument("stage", choices=[*STAGES, "all"], help="screen: ring8 seeds 0–2; tune: both "
                   "datasets seeds 0–4; report: both datasets, held-out seeds 5–9; probe: seed 0, "
                   "beyond the budget; confirm: the probe on grid25's held-out seeds; all: the "
                   "five in turn, each with the study's own choice of remedies (CHOSEN)")
    p.add_argument("--remedies", nargs="+", choices=list(REMEDIES), metavar="NAME",
                   help=f"which ({', '.join(REMEDIES)}; default: the study's choice for the stage)")
    p.add_argument("--seeds", help="seeds: a range 0-4 or a list 0,2,5 (default: the stage's own)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="worker processes (default: one per CPU)")
    p.add_argument("--out", default="remedies", help="study folder (default: remedies)")


def run_remedies(a):
    if a.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {a.jobs}")
    if a.stage == "all" and (a.remedies or a.seeds):
        raise UsageError("'all' runs the study as published: --remedies and --seeds go with one stage")
    for stage in STAGES if a.stage == "all" else [a.stage]:
        code = run_stage(a.out, stage, a.remedies or CHOSEN[stage], a.seeds, a.jobs)
        if code:
            return code
    return 0
