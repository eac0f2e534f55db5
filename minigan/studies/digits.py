r"""The digits study (docs/digits.md): does a GAN drop digits, and what changes it?

    minigan digits default --jobs 2 --out digits-study    # four GANs at the digits' defaults, seeds 0–4
    minigan digits search --jobs 2 --out digits-study     # the planned search for a setting where
                                                          # the plain GAN drops digits (seeds 0–1)
    minigan digits collapse --jobs 2 --out digits-study   # the four GANs at the setting the search
                                                          # found, on fresh seeds 5–9
    minigan digits cgan --jobs 2 --out digits-study       # the conditional GAN, seeds 0–4
    minigan digits all --jobs 2 --out digits-study        # the four stages in turn

The four GANs (``GANS``): Goodfellow's minimax GAN (saturating G loss), the non-saturating GAN,
WGAN-GP and one remedy of the toy study, PacGAN with packs of 4 on top of the non-saturating GAN.
Every run takes the digits' defaults (config.DATA_DEFAULTS: 10,000 G steps, batch 128, z 16, two
layers of 256) and equal steps. WGAN-GP runs as in the toy study (docs/study/README.md): n_critic
1 with a critic 2× faster than G and the learning rates halved every 4,000 steps — its paper's
n_critic 5 costs 5× the CPU (measured: 52 ms a step against 4.5 ms for nsgan) — with the paper's
λ = 10, the value for images.

The search is planned here, before any of its results (``SEARCH``, tried in order, the plain GAN
on seeds 0–1): the first setting where the plain GAN covers at most ``COLLAPSED`` digits on
average is taken, and the collapse stage measures the four GANs there on seeds 5–9, which the
search never saw. Its tables say how many settings were tried.

Like ``minigan sweep`` the study resumes: a finished run is skipped, an unfinished one continues
from its checkpoint; the tables are rewritten from the run folders after every stage.
"""
import csv
import os

import numpy as np

from ..config import ConfigError, TrainConfig
from ..runs.errors import UsageError
from ..runs.folder import read_json, write_json
from .summary import mean_se
from .sweep import finished, parse_seeds, run_all, train_all

# name -> options of one GAN of the study (on top of the digits' defaults)
GANS = {
    "gan": dict(loss="gan"),
    "nsgan": dict(loss="nsgan"),
    "wgan-gp": dict(loss="wgan-gp", gp=10.0, k=1, lr_d=1e-3, lr_g=5e-4, lr_half_life=4000),
    "pacgan4": dict(loss="nsgan", pack=4),
}
# The search for a setting where the plain GAN drops digits, in the order it is tried (written
# down before the first search run): ways to train D faster than G, or to weaken G, each a lever
# the toys (lesson 5, the study's TTUR, the capacity study) showed to make a GAN collapse.
SEARCH = {
    "d5x": dict(lr_d=1e-3, lr_g=2e-4, lr_half_life=0),            # D 5× faster (TTUR's ratio)
    "d10x": dict(lr_d=2e-3, lr_g=2e-4, lr_half_life=0),           # D 10× faster (lesson 5)
    "k5": dict(k=5, lr_half_life=0),                              # 5 D updates per G update
    "z2": dict(z_dim=2),                                          # 2 noise dimensions for 10 digits
    "z2-d10x": dict(z_dim=2, lr_d=2e-3, lr_g=2e-4, lr_half_life=0),
    "narrow-g-d10x": dict(hidden_g=32, lr_d=2e-3, lr_g=2e-4, lr_half_life=0),   # a weaker G
}
COLLAPSED = 8.0          # the plain GAN covers ≤ 8 of 10 digits on average: it drops digits
# If no setting qualifies, the collapse stage measures the four GANs at the harshest setting tried
# (the lowest mean; the first in SEARCH order on a tie) — a rule added after the first three
# settings' results (d5x, d10x, k5: none qualified) and before the other three were trained.
STAGES = {"default": "0-4", "search": "0-1", "collapse": "5-9", "cgan": "0-4"}
METRICS = ("digits_covered", "digit_kl", "confident_frac", "frechet", "nn_train", "copied_frac",
           "seconds")


def config(name, seed, setting=None, conditional=False):
    """The resolved config dict of GAN `name` on the digits, at a SEARCH setting (or defaults)."""
    options = {**GANS[name], **(SEARCH[setting] if setting else {})}
    try:
        cfg = TrainConfig(data="digits", seed=seed, conditional=conditional, **options)
        return cfg.resolved().to_dict()
    except ConfigError as e:
        raise UsageError(f"{name} at {setting or 'the defaults'}: {e}") from None


def chosen_setting(out):
    """The search's choice (written by the search stage), or a one-line error."""
    path = os.path.join(out, "search", "choice.json")
    if not os.path.exists(path):
        raise UsageError(f"no {path}: run `minigan digits search --out {out}` first")
    return read_json(path)["setting"]


def plan(out, stage, seeds=None, setting=None):
    """[(run_dir, cfg, group)] of a stage, in table order; group names the table row."""
    seeds = parse_seeds(seeds or STAGES[stage])
    folder = os.path.join(out, stage, "runs")
    if stage == "search":
        pairs = [(s, "gan") for s in SEARCH]
    elif stage == "cgan":
        return [(os.path.join(folder, f"cgan-seed{seed}"), config("nsgan", seed, conditional=True),
                 "cgan (nsgan)") for seed in seeds]
    else:
        pairs = [(setting if stage == "collapse" else None, name) for name in GANS]
    return [(os.path.join(folder, f"{s or 'default'}-{name}-seed{seed}"), config(name, seed, s),
             f"{name} @ {s or 'defaults'}") for s, name in pairs for seed in seeds]


def table(jobs):
    """One row per group: runs, and mean ± se (and min–max) of each metric over its seeds."""
    groups = {}
    for run_dir, cfg, group in jobs:
        g = groups.setdefault(group, {"rows": [], "planned": 0, "cfg": cfg})
        g["planned"] += 1
        path = os.path.join(run_dir, "metrics.json")
        if os.path.exists(path):
            g["rows"].append(read_json(path))
    lines = []
    for group, g in groups.items():
        line = {"group": group, "runs": len(g["rows"]), "planned": g["planned"],
                "steps": g["cfg"]["steps"]}
        for k in METRICS + (("class_acc_mean",) if g["cfg"]["conditional"] else ()):
            vals = [r[k] for r in g["rows"]]
            line[k], line[k + "_se"] = mean_se(vals)
            line[k + "_min"], line[k + "_max"] = (min(vals), max(vals)) if vals else ("", "")
        if g["cfg"]["conditional"] and g["rows"]:      # per digit: the mean over seeds
            for d in range(10):
                line[f"acc_{d}"] = sum(r["class_acc"][d] for r in g["rows"]) / len(g["rows"])
        lines.append(line)
    return lines


def write_tables(out, stage, jobs):
    """STAGE/summary.csv (every number of the docs' tables) and STAGE/runs.csv (one row a run)."""
    lines = table(jobs)
    folder = os.path.join(out, stage)
    os.makedirs(folder, exist_ok=True)
    keys = list(dict.fromkeys(k for line in lines for k in line))
    with open(os.path.join(folder, "summary.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, keys)
        w.writeheader()
        w.writerows(lines)
    with open(os.path.join(folder, "table.md"), "w") as f:
        f.write(markdown(lines))
    with open(os.path.join(folder, "runs.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["run", "group", "seed", *METRICS])
        for run_dir, cfg, group in jobs:
            path = os.path.join(run_dir, "metrics.json")
            if os.path.exists(path):
                m = read_json(path)
                w.writerow([os.path.basename(run_dir), group, cfg["seed"], *(m[k] for k in METRICS)])
    return lines


def pm(v, se, digits, scale=1.0):
    """'v ± se' at `digits` decimals (scaled), '–' for no runs."""
    if v == "" or v != v:
        return "–"
    return f"{v * scale:.{digits}f}" + ("" if se != se else f" ± {se * scale:.{digits}f}")


def markdown(lines):
    """A stage's table as docs/digits.md shows it: mean ± standard error over the seeds (and the
    range of digits covered); tests/test_prose_numbers.py checks the page against summary.csv."""
    conditional = any("class_acc_mean" in line for line in lines)
    head = ["GAN @ setting", "runs", "digits covered", "range", "digit KL", "% judged surely",
            "Fréchet", "% copies", "nn_train", "seconds"] + (["% asked-for digit"] * conditional)
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in lines:
        runs = str(t["runs"]) if t["runs"] == t["planned"] else f"{t['runs']} of {t['planned']}"
        cells = [t["group"], runs, pm(t["digits_covered"], t["digits_covered_se"], 1),
                 f"{t['digits_covered_min']:g}–{t['digits_covered_max']:g}" if t["runs"] else "–",
                 pm(t["digit_kl"], t["digit_kl_se"], 3),
                 pm(t["confident_frac"], t["confident_frac_se"], 1, 100),
                 pm(t["frechet"], t["frechet_se"], 2), pm(t["copied_frac"], t["copied_frac_se"], 1, 100),
                 pm(t["nn_train"], t["nn_train_se"], 2), pm(t["seconds"], t["seconds_se"], 0)]
        if conditional:
            cells.append(pm(t["class_acc_mean"], t["class_acc_mean_se"], 1, 100))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def read_summary(path):
    """summary.csv back as table() wrote it (numbers as floats, empty cells as '')."""
    with open(path) as f:
        out = []
        for row in csv.DictReader(f):
            out.append({k: (v if k == "group" or v == "" else int(v) if k in ("runs", "planned", "steps")
                            else float(v)) for k, v in row.items()})
    return out


def choose(out, lines):
    """The search's verdict: the first setting (SEARCH order) where the plain GAN covers ≤
    COLLAPSED digits on average; written to search/choice.json with how many were tried."""
    tried, by_group = [], {line["group"]: line for line in lines}
    for name in SEARCH:
        line = by_group.get(f"gan @ {name}")
        if line is None or not line["runs"]:
            break                               # not trained yet: the search stops here
        tried.append(name)
        if line["digits_covered"] <= COLLAPSED:
            return _write_choice(out, name, tried, line, collapsed=True)
    if len(tried) == len(SEARCH):      # none dropped digits: the harshest (first of the lowest)
        worst = min(tried, key=lambda n: by_group[f"gan @ {n}"]["digits_covered"])
        _write_choice(out, worst, tried, by_group[f"gan @ {worst}"], collapsed=False)
    return None


def _write_choice(out, name, tried, line, collapsed):
    choice = {"setting": name, "collapsed": collapsed, "tried": tried, "of": len(SEARCH),
              "digits_covered": line["digits_covered"]}
    os.makedirs(os.path.join(out, "search"), exist_ok=True)
    write_json(os.path.join(out, "search", "choice.json"), choice)
    return choice


def run_stage(out, stage, seeds, jobs):
    setting = chosen_setting(out) if stage == "collapse" else None
    plan_ = plan(out, stage, seeds, setting)
    if stage == "search":        # in SEARCH order, one setting at a time: stop at the first hit
        for name in SEARCH:
            part = [p for p in plan_ if p[2] == f"gan @ {name}"]
            code = _train(out, stage, part, jobs)
            if code:
                return code
            choice = choose(out, write_tables(out, stage, [p for p in plan_ if finished(p[0], p[1])]))
            if choice:
                print(f"minigan digits: the plain GAN drops digits at {name} "
                      f"({choice['digits_covered']:.1f} of 10 covered); tried {len(choice['tried'])} "
                      f"of {len(SEARCH)} settings")
                return 0
        worst = chosen_setting(out)
        print(f"minigan digits: no setting of the {len(SEARCH)} tried made the plain GAN drop digits "
              f"(≤ {COLLAPSED:g} of 10 on average); the collapse stage measures the four at the "
              f"harshest, {worst}")
        return 0
    code = _train(out, stage, plan_, jobs)
    lines = write_tables(out, stage, plan_)
    for line in lines:
        print(f"{line['group']}: {line['runs']} runs, digits {line['digits_covered']:.1f}, "
              f"judged surely {100 * line['confident_frac']:.1f} %, Fréchet {line['frechet']:.2f}")
    return code


def figures(out):
    """The study's pictures, from whatever stages have finished, into OUT/figures/: seeds.png
    (seeds_figure) and cgan_grid.png (cgan_grid). Returns the names written."""
    folder = os.path.join(out, "figures")
    os.makedirs(folder, exist_ok=True)
    made = []
    stages = [s for s in ("default", "collapse") if os.path.exists(os.path.join(out, s, "runs.csv"))]
    if stages:
        seeds_figure(out, stages, os.path.join(folder, "seeds.png"))
        made.append("seeds.png")
    run = os.path.join(out, "cgan", "runs", "cgan-seed0")
    if os.path.exists(os.path.join(run, "metrics.json")):
        cgan_grid(run, os.path.join(folder, "cgan_grid.png"))
        made.append("cgan_grid.png")
    return made


def seeds_figure(out, stages, path):
    """One panel per stage: digits covered (dots, left axis) and the share judged surely
    (squares, right axis) of every run, grouped by GAN."""
    from ..pictures.plots import figure
    fig = figure(6 * len(stages), 5.6)
    for i, stage in enumerate(stages):
        with open(os.path.join(out, stage, "runs.csv")) as f:
            rows = list(csv.DictReader(f))
        groups = list(dict.fromkeys(r["group"] for r in rows))
        ax = fig.add_subplot(1, len(stages), i + 1)
        ax2 = ax.twinx()
        for j, g in enumerate(groups):
            mine = [r for r in rows if r["group"] == g]
            jitter = (np.arange(len(mine)) - (len(mine) - 1) / 2) * 0.06
            ax.scatter(j + jitter, [float(r["digits_covered"]) for r in mine], color="C0", s=30,
                       label="digits covered (left)" * (j == 0))
            ax2.scatter(j + 0.35 + jitter, [float(r["confident_frac"]) for r in mine], color="C1",
                        marker="s", s=22, label="share judged surely (right)" * (j == 0))
        ax.set(xticks=range(len(groups)), ylim=(-0.3, 10.6), ylabel="digits covered, of 10",
               title=f"{stage}: one dot per seed")
        ax.set_xticklabels([g.replace(" @ ", "\n@ ") for g in groups], fontsize=8)
        ax2.set(ylim=(0, 1.06), ylabel="share of samples judged surely")
        h = [a + b for a, b in zip(ax.get_legend_handles_labels(), ax2.get_legend_handles_labels())]
        ax.legend(*h, loc="lower left", fontsize=7)
    fig.suptitle("The digits study: which digits four GANs keep, over seeds (docs/digits.md)",
                 fontsize=10)
    fig.savefig(path)


def cgan_grid(run, path, cols=12):
    """The conditional G of a run folder: one row per digit asked for, `cols` noise vectors (the
    same in every row)."""
    from ..pictures.digits import draw_grid
    from ..pictures.plots import figure
    from ..runs.folder import open_run
    trainer, _ = open_run(run)
    z = np.tile(trainer.z_eval[:cols], (10, 1))
    x = trainer.generate(z, np.repeat(np.arange(10), cols))
    fig = figure(6.4, 5.9)
    draw_grid(fig.add_subplot(), x, cols, f"conditional nsgan, seed {trainer.cfg.seed}, step "
              f"{trainer.step}: row r asks for digit r;\neach column one noise vector z (the same "
              f"in every row)")
    fig.savefig(path)


def _train(out, stage, plan_, jobs):
    planned = [(d, c) for d, c, _ in plan_]
    todo = [(d, c) for d, c in planned if not finished(d, c)]
    workers = min(jobs, max(len(todo), 1))
    failed = train_all(os.path.join(out, stage), planned, todo, workers, f"{workers} worker(s)",
                       lambda report: run_all(todo, jobs, report))
    return 130 if failed is None else (1 if failed else 0)


def add_digits_arguments(p):
    p.add_argument("stage", choices=[*STAGES, "all"],
                   help="default: gan, nsgan, wgan-gp, pacgan4 at the digits' defaults, seeds 0–4; "
                        "search: the planned settings in turn, plain GAN, seeds 0–1, until one drops "
                        "digits; collapse: the four at that setting, seeds 5–9; cgan: the conditional "
                        "GAN, seeds 0–4; all: the four stages in turn")
    p.add_argument("--seeds", help="seeds: a range 0-4 or a list 0,2,5 (default: the stage's own)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="worker processes (default: one per CPU)")
    p.add_argument("--out", default="digits-study", help="study folder (default: digits-study)")


def run_digits(a):
    if a.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {a.jobs}")
    if a.stage == "all" and a.seeds:
        raise UsageError("'all' runs the study as published: --seeds goes with one stage")
    for stage in STAGES if a.stage == "all" else [a.stage]:
        code = run_stage(a.out, stage, a.seeds, a.jobs)
        if code:
            return code
    made = figures(a.out)
    print(f"figures: {', '.join(made) or 'none yet'} in {os.path.join(a.out, 'figures')}")
    return 0
