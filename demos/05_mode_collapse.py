# %% [markdown]
# # Lesson 5 — Mode collapse: how a GAN loses modes, and how often
#
# **The question.** The source text — the short introductory text on GANs whose claims this
# project checks, summarised in `docs/references.md` §0 — says (its item 4) that GAN training is
# unstable and that the generator tends to produce only one or a few kinds of sample (*mode
# collapse*). How often does that happen on the toy mixtures, what does it look like while it
# happens — and *why* does it happen at all, when the loss at equilibrium rewards covering every
# mode?
#
# The lesson has three parts:
#
# 1. the mode-collapse study (`minigan sweep`): long runs over seeds, read from its saved
#    outputs in `docs/study/` — the final modes of every run, and runs recorded step by step;
# 2. the mechanism, live: a short run on the ring, drawn while G and D chase each other;
# 3. a collapse you can reproduce in seconds: the same tiny GAN on two Gaussians, over seeds,
#    with D as fast as G and with D ten times faster.
#
# **The metric** (VEEGAN and PacGAN, `docs/references.md` §5): a generated sample is *high
# quality* (HQ) if it lies within 3 std of its nearest mode centre, and a mode is *captured* if
# at least one HQ sample is nearest to it. A perfect sampler captures every mode and scores
# $1 - e^{-9/2} = 98.9\,\%$ HQ in 2-D (99.7 % in 1-D), not 100 %.

# %%
import csv
import os
import re
import textwrap
from pathlib import Path

import numpy as np

from minigan.config import TrainConfig
from minigan.metrics import mode_coverage
from minigan.pictures.plots import draw_samples, figure
from minigan.studies.sweep import SWEEP_DEFAULTS
from minigan.train import Trainer, fit

FAST = os.environ.get("MINIGAN_FAST") == "1"     # the test suite's smoke run: fewer, shorter runs
OUT = os.environ.get("MINIGAN_OUT", "lesson_figures")
os.makedirs(OUT, exist_ok=True)
DPI = 50 if FAST else 100                        # fast mode: smaller PNGs, quicker to write

# the study's saved outputs, docs/study/ of this repository (found from the script, or from the
# notebook's folder when __file__ is not defined)
here = (Path(__file__).parent if "__file__" in globals() else Path.cwd()).resolve()
STUDY = next(d / "docs" / "study" for d in (here, *here.parents)
             if (d / "docs" / "study" / "runs.csv").exists())
PERFECT_2D = 1 - np.exp(-4.5)       # P(‖ε‖ ≤ 3σ) for a 2-D Gaussian: a perfect sampler's HQ
print("study outputs read from", STUDY)

# %% [markdown]
# ## 1. The study: every seed's final generator
#
# `docs/study/runs.csv` holds one row per run of
#
#     minigan sweep --out study
#
# (its defaults: `ring8` and `grid25`, losses `gan nsgan wgan wgan-gp`, seeds 0–4, two worker
# processes; the cell prints how long the saved runs took). Each run is an ordinary
# `minigan train` run with the study's pinned settings (`SWEEP_DEFAULTS` in
# `minigan/studies/sweep.py`). We read it as it is, and let the code write the sentences — the study
# is re-run when the code changes, and the numbers with it.

# %%
with open(STUDY / "runs.csv", newline="") as f:
    runs = list(csv.DictReader(f))
for r in runs:
    for k in ("seed", "steps", "modes_captured", "modes_total"):
        r[k] = int(r[k])
    r["high_quality_frac"], r["mode_kl"] = float(r["high_quality_frac"]), float(r["mode_kl"])
print(f"{len(runs)} runs, {sum(float(r['seconds']) for r in runs) / 60:.0f} minutes of training "
      f"in all (on 2 cores with --jobs 2: about half that on the clock)\n")
datasets = list(dict.fromkeys(r["data"] for r in runs))
losses = list(dict.fromkeys(r["loss"] for r in runs))


def rows(data, loss):
    return sorted((r for r in runs if r["data"] == data and r["loss"] == loss),
                  key=lambda r: r["seed"])


for data in datasets:
    for loss in losses:
        rs = rows(data, loss)
        if not rs:
            continue
        K = rs[0]["modes_total"]
        modes = [r["modes_captured"] for r in rs]
        hq = [100 * r["high_quality_frac"] for r in rs]
        kl = [r["mode_kl"] for r in rs]
        print(f"{data:7s} {loss:8s} {rs[0]['steps']:6d} steps: all {K} modes on "
              f"{sum(m == K for m in modes)} of {len(rs)} seeds (fewest: {min(modes)}); "
              f"final HQ {min(hq):.1f}–{max(hq):.1f} %; mode KL {min(kl):.3f}–{max(kl):.3f}")
kept_all = {loss: (sum(r["modes_captured"] == r["modes_total"] for r in runs if r["loss"] == loss),
                   sum(r["loss"] == loss for r in runs)) for loss in losses}
fewest = min(runs, key=lambda r: r["modes_captured"] / r["modes_total"])
print("\nRuns that ended with every mode: "
      + ", ".join(f"{loss} {k} of {n}" for loss, (k, n) in kept_all.items()) + ".")
print(f"The fewest modes any run kept: {fewest['modes_captured']} of {fewest['modes_total']} "
      f"({fewest['data']}, {fewest['loss']}, seed {fewest['seed']}, "
      f"{100 * fewest['high_quality_frac']:.1f} % HQ).")
for data in datasets:
    spread = {loss: np.ptp([r["high_quality_frac"] for r in rows(data, loss)]) for loss in losses
              if rows(data, loss)}
    worst = max(spread, key=spread.get)
    print(f"On {data} the final HQ depends most on the seed for {worst}: its seeds span "
          f"{100 * spread[worst]:.1f} percentage points.")

# %% [markdown]
# **How to read the figure.** One column per dataset, one row per quantity; across each panel,
# the four losses; each dot is one seed's *final* generator (slightly spread sideways so equal
# values stay visible). Dashed lines are what a perfect sampler scores: every mode, 98.9 % HQ,
# and a mode KL of 0. The *mode KL* (bottom row, `minigan.metrics.mode_coverage`) is
# $\mathrm{KL}(p \,\|\, \text{uniform})$ of the histogram $p$ of HQ samples over the modes:
# 0 when they are spread evenly, $\log K$ (dotted) when they all sit in one mode — it sees the
# lopsided generator that still touches every mode. Dots below the top line are dropped
# modes; a wide vertical spread of dots is instability — the same settings ending in
# different places depending on the seed.

# %%
fig = figure(13, 10.5)
axs = fig.subplots(3, len(datasets), squeeze=False)
jitter = np.linspace(-0.15, 0.15, max(len(rows(d, l)) for d in datasets for l in losses))
for j, data in enumerate(datasets):
    K = next(r["modes_total"] for r in runs if r["data"] == data)
    for i, (key, scale, ref, what) in enumerate((
            ("modes_captured", 1, K, f"all {K} modes"),
            ("high_quality_frac", 100, 100 * PERFECT_2D, "a perfect sampler: 98.9 %"),
            ("mode_kl", 1, 0.0, "a perfect sampler: 0 (evenly spread)"))):
        ax = axs[i, j]
        for x, loss in enumerate(losses):
            rs = rows(data, loss)
            ax.scatter(x + jitter[:len(rs)], [scale * r[key] for r in rs], s=30, zorder=3,
                       color=f"C{x}", edgecolor="k", lw=0.5)
        ax.axhline(ref, color="k", ls="--", lw=1, label=what)
        if key == "mode_kl":
            ax.axhline(np.log(K), color="k", ls=":", lw=1, label=f"log {K}: all in one mode")
        ax.set_xticks(range(len(losses)), losses)
        ax.set_xlim(-0.5, len(losses) - 0.5)
        ax.set_xlabel("loss (each dot: one seed's final generator)")
        ax.set_ylabel(("modes captured", "high-quality samples (%)", "mode KL (nats)")[i])
        ax.set_ylim(((-0.5, K + 0.8), (-3, 105), (-0.1, 1.25 * np.log(K)))[i])
        ax.set_title(f"{data}: " + ("modes captured", "share of high-quality samples",
                                    "how unevenly the HQ samples spread")[i] + " at the end",
                     fontsize=10)
        ax.legend(fontsize=8, loc="upper right" if key == "mode_kl" else "lower right")
fig.suptitle("The mode-collapse study (docs/study/runs.csv), runs that kept every mode: "
             + ", ".join(f"{loss} {k}/{n}" for loss, (k, n) in kept_all.items()))
fig.savefig(os.path.join(OUT, "05_study_seeds.png"), dpi=DPI)
fig

# %% [markdown]
# Two questions to ask of every dot pattern like this one. *Collapse or dropping?* The source
# text's picture is a generator with one or two kinds of sample; compare the fewest modes any
# run kept (printed above) with the total. *Instability?* A loss whose seeds end far apart
# (the spread printed above) is one whose result you cannot predict from its settings. The
# study's write-up, `docs/study/README.md`, discusses both against the published numbers.
#
# ## 2. Instability as it happens: runs recorded step by step
#
# A final number hides the path. `minigan hopping` retrains one configuration
# in-process and records, every 25 steps, how many of the fixed evaluation samples are HQ at
# each mode. The study keeps these traces as `docs/study/mode_trace_{data}_{loss}_seed{S}.csv`;
# the cell below reads whichever are there and prints the command that recreates each.

# %%
traces = []
for path in sorted(STUDY.glob("mode_trace_*.csv")):
    m = re.fullmatch(r"mode_trace_(\w+?)_([\w-]+)_seed(\d+)\.csv", path.name)
    if not m:
        continue
    a = np.loadtxt(path, delimiter=",", skiprows=1)              # step, hq, mode0 … mode{K−1}
    data, loss, seed = m.group(1), m.group(2), int(m.group(3))
    traces.append(dict(data=data, loss=loss, seed=seed, step=a[:, 0], hq=a[:, 1], counts=a[:, 2:]))
    settings = SWEEP_DEFAULTS.get(loss, {})          # the study's pinned settings for this loss
    flags = " ".join(f"--{k.replace('_', '-')} {v:g}" if isinstance(v, float)
                     else f"--{k.replace('_', '-')} {v}" for k, v in settings.items())
    print(f"{path.name}:\n  OPENBLAS_NUM_THREADS=1 minigan hopping --data {data} "
          f"--loss {loss} --seed {seed} {flags} --every 25 --out DIR")

if not traces:
    print(f"no mode_trace_*.csv in {STUDY}: the figure below stays empty")
N_EVAL = SWEEP_DEFAULTS["gan"]["eval_samples"]       # samples per record (2,500)
for t in traces:
    captured = (t["counts"] > 0).sum(axis=1)         # (T,) modes captured at each record
    K = t["counts"].shape[1]
    changes = int(np.sum(np.any((t["counts"][1:] > 0) != (t["counts"][:-1] > 0), axis=1)))
    last = t["counts"][-1].astype(int)
    late = t["step"] >= t["step"][-1] / 2
    print(f"\n{t['data']} · {t['loss']} · seed {t['seed']}: {captured[-1]} of {K} modes at the "
          f"end (between {captured.min()} and {captured.max()} along the way); the set of "
          f"captured modes changed between {changes} of {len(captured) - 1} consecutive records.")
    print(f"  final HQ {100 * t['hq'][-1]:.1f} %; in the second half of training it went as low "
          f"as {100 * t['hq'][late].min():.1f} % and as high as {100 * t['hq'][late].max():.1f} %.")
    print(f"  final HQ samples per mode: {last.tolist()} of {N_EVAL}")

# %% [markdown]
# **How to read the figure.** One column per recorded run. Top: time runs to the right, one row
# per mode; the colour is the share of the 2,500 samples sitting at that mode (log scale, black
# = none). A row that goes black has been dropped; a row that flickers is a mode G keeps losing
# and finding again. Bottom: modes captured (blue, left axis) and the HQ share (orange, right
# axis), with the perfect sampler's 98.9 % dashed. Sudden orange cliffs are the quality crashes
# of unstable training.

# %%
from matplotlib.colors import LogNorm  # noqa: E402  (matplotlib only where a figure is drawn)

fig = figure(6.5 * max(len(traces), 1), 6.5)
cols = fig.subplots(2, max(len(traces), 1), squeeze=False, height_ratios=[2, 1])
for j, t in enumerate(traces):
    top, bottom = cols[0, j], cols[1, j]
    K, s = t["counts"].shape[1], t["step"]
    share = np.maximum(t["counts"].T, 0.5) / N_EVAL              # (K, T); 0 drawn as ½ sample
    im = top.imshow(share, aspect="auto", origin="lower", cmap="magma", interpolation="nearest",
                    extent=[s[0], s[-1], -0.5, K - 0.5], norm=LogNorm(0.5 / N_EVAL, 1.0))
    fig.colorbar(im, ax=[top, bottom], label="share of samples at mode k (log; black: none)",
                 shrink=0.9)
    top.set_ylabel("mode k")
    top.set_xlabel("generator step")
    captured = (t["counts"] > 0).sum(axis=1)
    top.set_title(f"{t['data']} · {t['loss']} · seed {t['seed']}: {captured[-1]}/{K} modes at "
                  f"the end, {captured.min()}–{captured.max()} along the way", fontsize=10)
    bottom.step(s, (t["counts"] > 0).sum(axis=1), where="post", color="tab:blue", lw=0.8,
                label="modes captured (left)")
    bottom.axhline(K, color="tab:blue", ls=":", lw=1, label=f"all {K} modes")
    bottom.set_ylim(-0.3, K + 0.3)
    bottom.set_xlim(s[0], s[-1])
    bottom.set_ylabel("modes captured")
    bottom.set_xlabel("generator step")
    ax2 = bottom.twinx()
    ax2.plot(s, 100 * t["hq"], color="tab:orange", lw=0.6, label="% high quality (right)")
    ax2.axhline(100 * PERFECT_2D, color="tab:orange", ls="--", lw=1,
                label="a perfect sampler: 98.9 %")
    ax2.set_ylim(0, 105)
    ax2.set_ylabel("% high quality", color="tab:orange")
    h1, l1 = bottom.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    bottom.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.3),
                  ncol=2)
fig.suptitle("Training step by step (docs/study/mode_trace_*.csv): which modes G covers (top), "
             "how many, and how sharp its samples are (bottom)")
fig.savefig(os.path.join(OUT, "05_mode_traces.png"), dpi=DPI)
fig

# %% [markdown]
# ## 3. How mode collapse happens: a chase
#
# Nothing in G's loss says "cover every mode". G's gradient only says: *move each sample
# uphill on D* — towards where D currently says "real". D, in turn, only learns to separate
# today's real samples from today's fakes. Put together, this is a chase:
#
# 1. D says "real" wherever there are real samples and no fakes — in particular over every
#    mode G is *not* covering. There D ≈ 1.
# 2. G's gradient pushes its samples towards such a region. All samples near one spot see
#    the same D and get the same push, so they move *together*: mass is moved, not spread.
# 3. Once the fakes arrive, D learns that this region is now mostly fake and turns it down;
#    somewhere else now looks more "real" than here, and the chase repeats.
#
# If G moves faster than D can spread its judgement, or D is so sure that its surface is
# flat (saturated) between the fakes and the empty modes, the fakes never feel the pull of
# the far modes: those stay empty, and G circles among a few. This is the rotation of
# lesson 8 at the scale of a whole distribution.
#
# **How to read the picture below** (it is the picture `minigan train` leaves as
# `samples.png`): the colour is D(x), the probability D assigns to "x is real" — red ≈ 1,
# blue ≈ 0, white the D = ½ line (dashed) where D cannot tell. White dots are real data, orange
# dots G's samples, and the arrows the push of G's loss on a few samples (their length is the
# size of the gradient). Look for **red regions over modes with no orange dots**: that is D
# saying "real, and nothing of yours here"; the arrows point into them where D's slope reaches
# the fakes. To show the chase within seconds we use small settings: a one-dimensional noise
# (so G draws a curve you can follow), small networks, and D ten times faster than G.

# %%
CHASE = dict(data="ring8", loss="gan", z_dim=1, batch=64, hidden=64, depth=2, lr_d=5e-3,
             lr_g=5e-4, lr_half_life=0, eval_samples=1000, seed=0)
snaps = [30, 60, 100, 150] if FAST else [100, 300, 600, 1000, 3000]
trainer = Trainer(TrainConfig(**CHASE, steps=snaps[-1]))
ncol = -(-len(snaps) // 2)                                      # two rows of panels
fig = figure(4.5 * ncol, 9.2 if len(snaps) < 2 * ncol else 10.4)   # + the key below
axs = fig.subplots(2, ncol).ravel()
for ax, s in zip(axs, snaps):
    fit(trainer, s - trainer.step, evaluate_first=False)       # train on to step s
    x = trainer.generate(trainer.z_eval)
    mc = mode_coverage(x, trainer.data.centers, trainer.data.std)
    print(f"step {s:5d}: {mc['modes_captured']}/{mc['modes_total']} modes captured, "
          f"{100 * mc['high_quality_frac']:.0f} % HQ, HQ samples per mode {mc['counts'].tolist()}")
    draw_samples(ax, trainer, x)
    ax.set_title(f"step {s}: {mc['modes_captured']}/{mc['modes_total']} modes, "
                 f"{100 * mc['high_quality_frac']:.0f} % HQ", fontsize=13)
empty = mc["counts"] == 0                                       # modes G does not cover now
d_centres = trainer.d_prob(trainer.D(trainer.data.centers))[:, 0]
print(f"D at the centres of the {empty.sum()} modes G does not cover at step {s}: "
      f"{np.round(d_centres[empty], 2).tolist()}")
for a in fig.axes:                                              # larger text: panels, colour bars
    a.tick_params(labelsize=11)
    a.xaxis.label.set_fontsize(12)
    a.yaxis.label.set_fontsize(12)
    for artist in a.artists:                                    # the arrows' scale key
        if hasattr(artist, "text"):
            artist.text.set_fontsize(11)
key = fig.legends.pop()                                         # draw_samples' key, re-set larger
labels = [textwrap.fill(t.get_text(), 42) for t in key.get_texts()]
if len(snaps) < len(axs):                                       # a free panel: the key goes there
    axs[-1].set_axis_off()
    axs[-1].legend(key.legend_handles, labels, loc="center", fontsize=12, frameon=False,
                   markerscale=1.5)
else:
    fig.legend(key.legend_handles, labels, loc="outside lower center", ncol=2, fontsize=12,
               frameon=False, markerscale=1.5)
fig.suptitle(textwrap.fill("The chase: G's samples (orange) move where D says 'real' (red), and "
                           "D turns that place blue;", 36 * ncol) + "\n"
             + textwrap.fill(f"at step {s}, D > ½ over {np.sum(d_centres[empty] > 0.5)} of the "
                             f"{empty.sum()} modes G does not cover", 36 * ncol), fontsize=15)
fig.savefig(os.path.join(OUT, "05_chase.png"), dpi=DPI)
fig

# %% [markdown]
# ## 4. A collapse you can reproduce in seconds
#
# The source text blames two things for unstable training: the objective, and an imbalance in
# strength between G and D. The smallest place to see the second is `bimodal`,
# $\tfrac12 N(-2, 0.25^2) + \tfrac12 N(2, 0.25^2)$: two modes, 16 std apart. We train the same
# tiny GAN — Goodfellow's saturating loss (`gan`), 1-D noise, 2 × 32 ReLU units, batch 64,
# 2,000 steps — over several seeds, once with D and G at the same learning rate, once with D
# ten times faster. Each run takes about a second (measured 2026-12-07 on a 2-core machine). As a
# command, for one seed:
#
#     minigan train --data bimodal --loss gan --z-dim 1 --hidden 32 --depth 2 --batch 64 \
#         --lr-d 5e-3 --lr-g 5e-4 --lr-half-life 0 --steps 2000 --seed 0
#
# A run *collapses* when it captures one mode of the two: every HQ sample sits at one mode.

# %%
BIMODAL = dict(data="bimodal", loss="gan", z_dim=1, batch=64, hidden=32, depth=2,
               lr_half_life=0, steps=400 if FAST else 2000)
SETTINGS = {"D as fast as G (lr 5e-4 both)": dict(lr_d=5e-4, lr_g=5e-4),
            "D 10× faster (lr_D 5e-3, lr_G 5e-4)": dict(lr_d=5e-3, lr_g=5e-4)}
SEEDS = range(3 if FAST else 10)
results = {}                      # setting -> list of (seed, share at the right mode, metrics)
collapsed_example = None
for name, lrs in SETTINGS.items():
    results[name] = []
    for seed in SEEDS:
        t = Trainer(TrainConfig(**BIMODAL, **lrs, seed=seed))
        fit(t, t.cfg.steps, evaluate_first=False)
        x = t.generate(t.z_eval)
        mc = mode_coverage(x, t.data.centers, t.data.std)
        results[name].append((seed, float(np.mean(x[:, 0] > 0)), mc))
        if mc["modes_captured"] < 2 and collapsed_example is None and "faster" in name:
            collapsed_example = t
    n_coll = sum(mc["modes_captured"] < 2 for _, _, mc in results[name])
    print(f"{name}: collapsed to one mode on {n_coll} of {len(SEEDS)} seeds "
          f"({[s for s, _, mc in results[name] if mc['modes_captured'] < 2]}); HQ per seed "
          f"{[round(100 * mc['high_quality_frac']) for _, _, mc in results[name]]} %")

# %% [markdown]
# **How to read the figure.** Left: one dot per seed and setting — the share of G's samples at
# the right-hand mode. The data's own share is ½ (dotted); a dot at 0 or 1 is a generator
# that draws one mode only, and filled dots mark runs that captured only one mode. Right
# (when a run collapsed): Goodfellow's Figure 1 for one collapsed run — the data density
# (dotted), G's histogram (green), and D(x) (blue dashes) with D = ½ dash-dotted. Look at D
# over the mode G left empty (high: "real, and nothing of yours here") and at D *between* G's
# samples and that mode: it does not rise steadily towards the empty mode — it is flat, or dips.
# G's gradient only feels the local slope of D, so from where its samples are, uphill never
# leads across.

# %%
fig = figure(13, 4.8)
ax, ax_fig1 = fig.subplots(1, 2, width_ratios=[1, 1.3])
for i, (name, res) in enumerate(results.items()):
    seeds = [s for s, _, _ in res]
    share = [sh for _, sh, _ in res]
    one = [mc["modes_captured"] < 2 for _, _, mc in res]
    ax.scatter(np.array(seeds) + (i - 0.5) * 0.25, share, s=60, color=f"C{i}", lw=1.5,
               facecolors=[f"C{i}" if o else "none" for o in one],
               label=f"{name}: {sum(one)}/{len(res)} seeds collapsed")
ax.axhline(0.5, color="k", ls=":", lw=1.2, label="the data: ½ at each mode")
ax.set_ylim(-0.08, 1.25)
ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
ax.set_xticks(list(SEEDS))
ax.set_xlabel("seed")
ax.set_ylabel("share of G's samples at the mode x = +2")
ax.set_title("each seed's final generator (filled: captured only one mode)", fontsize=10)
ax.legend(fontsize=8, loc="upper center")
if collapsed_example is not None:
    t = collapsed_example
    x = t.generate(t.z_eval)
    counts = mode_coverage(x, t.data.centers, t.data.std)["counts"]
    c_empty = t.data.centers[np.argmin(counts)]                 # (1,) the centre G left empty
    d_empty = float(t.d_prob(t.D(c_empty[None, :]))[0, 0])
    draw_samples(ax_fig1, t, x, title=f"one collapsed run (seed {t.cfg.seed}): D = {d_empty:.2f} "
                                      f"over the empty mode at x = {c_empty[0]:+g}")
else:
    ax_fig1.set_axis_off()
    ax_fig1.set_title("no run collapsed with these seeds", fontsize=10)
n_fast = sum(mc["modes_captured"] < 2 for _, _, mc in results[list(SETTINGS)[1]])
n_same = sum(mc["modes_captured"] < 2 for _, _, mc in results[list(SETTINGS)[0]])
fig.suptitle(f"bimodal, Goodfellow's loss, {BIMODAL['steps']} steps: a 10× faster D collapses G "
             f"to one mode on {n_fast} of {len(SEEDS)} seeds; an even match on {n_same}")
fig.savefig(os.path.join(OUT, "05_bimodal_collapse.png"), dpi=DPI)
fig

# %% [markdown]
# The two settings differ in D's learning rate only: same data, networks, seeds and steps. A
# D that is ten times faster becomes confident early — low on G's samples, high on the data —
# while G's samples still sit together near where they started; they follow the nearest slope
# to one mode, D's surface settles around them, and nothing pulls them across to the other.
# (Goodfellow's saturating loss helps it along: its push on a sample is D(x)·∇ₓ(logit), weak
# wherever D ≈ 0.) Which mode wins depends on the seed (dots at 0 and at 1 in the figure),
# which is why collapse is counted over seeds, not judged from one run.
#
# To reproduce the study's runs and traces: `minigan sweep --out study` (the training time is
# printed in section 1; `docs/study/README.md` describes every setting), and the
# `minigan hopping` commands printed in section 2.
#
# ## What you should now be able to say
#
# Mode collapse is a chase: G moves its mass towards wherever D currently says "real", D
# adapts, and the modes G does not cover stay red but out of reach; it shows over seeds as
# dropped modes and sudden quality crashes, and it gets much worse when D is much stronger
# than G — on the two-Gaussian toy a 10× faster D collapses most seeds to a single mode.
