# %% [markdown]
# # Lesson 7 — Conditional GANs: asking for a class
#
# **The question.** A plain GAN draws a sample of *some* class — you cannot choose which, and
# as lesson 5 showed, it may never draw some classes at all. How do you ask a GAN for a
# particular class, and why does asking make mode dropping go away on these mixtures?
#
# **The idea** (Mirza & Osindero 2014, `docs/references.md` §4): give the class label $y$ to
# *both* players. G gets $(z, y)$ and must produce a sample of class $y$; D gets $(x, y)$ and
# must tell whether $x$ is a real sample *of class $y$*. The game becomes
#
# $$\min_G \max_D \; \mathbb{E}_{(x, y) \sim p_\text{data}} \log D(x \mid y)
#   + \mathbb{E}_{z \sim p_z,\, y \sim p(y)} \log\bigl(1 - D(G(z \mid y) \mid y)\bigr).$$
#
# minigan feeds $y$ the simplest way: the one-hot label is concatenated to $z$ at G's input and
# to $x$ at D's input (`TrainConfig(conditional=True)`), for every loss. Training draws the
# labels of G's batches from the data's class prior; fakes in a D step carry the labels of the
# real batch beside them. To ask for a class afterwards: `Trainer.generate(z, labels)`.

# %%
import math
import os

import numpy as np

from minigan.config import TrainConfig
from minigan.metrics import mode_coverage
from minigan.pictures.plots import class_colors, figure
from minigan.train import Trainer, fit

FAST = os.environ.get("MINIGAN_FAST") == "1"     # the test suite's smoke run: tiny networks
OUT = os.environ.get("MINIGAN_OUT", "lesson_figures")
os.makedirs(OUT, exist_ok=True)
DPI = 50 if FAST else 100                        # fast mode: smaller PNGs, quicker to write

# %% [markdown]
# ## 1. The same data and settings, with and without labels
#
# Two generators on `ring8`, with the same settings and seed — one plain, one conditional.
# The settings are smaller than `minigan train`'s defaults (64 units instead of 128, batch 256,
# 6,000 steps with the learning rates halved every 2,000), so that both train in well under a
# minute. Change `DATA` to `"grid25"`, `"bimodal"` or `"mixture1d"` to try another labelled
# mixture (grid25 wants `minigan train`'s full defaults, `SETTINGS = dict(data=DATA)`, and then
# each network trains as long as the README's default run, about a minute).

# %%
DATA = "ring8"
SETTINGS = dict(data=DATA, hidden=64, batch=256, steps=6000, lr_half_life=2000, seed=0)
if FAST:
    SETTINGS.update(hidden=16, depth=2, batch=64, steps=150, eval_samples=500)


def train(cfg):
    """A Trainer for cfg, trained for cfg.steps steps of Algorithm 1."""
    t = Trainer(cfg)
    fit(t, t.cfg.steps, evaluate_first=False)
    return t


plain = train(TrainConfig(**SETTINGS))
cond = train(TrainConfig(**SETTINGS, conditional=True))

# %% [markdown]
# Asking for classes: the conditional trainer's fixed evaluation labels (`labels_eval`) hold
# every class in the data's proportions, so `cond.generate(cond.z_eval, cond.labels_eval)` asks
# for each class about equally often here. The *per-class accuracy* of class $k$
# (`Trainer.class_accuracy`) is the share of the samples asked for $k$ that land as
# high-quality samples at mode $k$ — within 3 std of its centre. A perfect sampler scores
# $1 - e^{-9/2} = 98.9\,\%$ in 2-D (99.7 % in 1-D).

# %%
data, K = cond.data, cond.n_classes
PERFECT = 1 - math.exp(-4.5) if data.dim == 2 else 0.9973
x_plain = plain.generate(plain.z_eval)                       # (N, dim): a random class each
x_cond = cond.generate(cond.z_eval, cond.labels_eval)         # (N, dim): the class asked for
acc = np.array(cond.class_accuracy(x_cond))                  # (K,)
m_plain = plain.sample_metrics(x_plain)
print(f"{DATA}, seed {SETTINGS['seed']}, {cond.step} steps")
print(f"  plain GAN:       modes {m_plain['modes_captured']}/{m_plain['modes_total']}, "
      f"high quality {m_plain['high_quality_frac']:.3f} (no way to ask for a class)")
print(f"  conditional GAN: per-class accuracy mean {acc.mean():.3f}, min {acc.min():.3f} "
      f"(class {int(np.argmin(acc))}); a perfect sampler: {PERFECT:.3f}")

# one class on demand: 5 samples of class 3
z = np.random.default_rng(1).standard_normal((5, cond.cfg.z_dim))
print("  five samples asked for class 3:\n", cond.generate(z, np.full(5, 3)).round(3))
print("  the centre of class 3:", data.centers[3])

# %% [markdown]
# Compare also the two high-quality shares printed above: with the same networks and steps the
# conditional samples are usually much sharper. One tight blob per label is a simpler function
# to learn than eight blobs carved out of one noise space.
#
# **How to read the figure.** Left: the plain GAN's samples (grey) — nothing says which class
# a sample is, and there is no way to ask. Middle: the conditional GAN's samples, coloured by
# the class *asked for*; the true centres are black crosses. Right: one small panel per
# requested class — the samples asked for class $k$ (colour) over all the centres (grey): a
# good conditional G puts every one of them on centre $k$. Each panel's title is that class's
# accuracy, to be compared with the perfect sampler's 98.9 %.

# %%
cols = math.ceil(math.sqrt(K))
rows = math.ceil(K / cols)
fig = figure(14, 6.2)
left, right = fig.subfigures(1, 2, width_ratios=[2, 1.1])
ax1, ax2 = left.subplots(1, 2)
colors = class_colors(K)
show = slice(0, 1500)
if data.dim == 2:
    ax1.scatter(*x_plain[show].T, s=3, c="gray", label="generated, random class")
    ax2.scatter(*x_cond[show].T, s=3, c=colors[cond.labels_eval[show]],
                label="generated, asked class")
    for ax in (ax1, ax2):
        ax.scatter(*data.centers.T, marker="x", c="k", s=25, label="true centres")
        ax.set_xlim(*data.bounds[:2])
        ax.set_ylim(*data.bounds[2:])
        ax.set_aspect("equal")
        ax.set_xlabel("x₁ (data units)")
        ax.set_ylabel("x₂ (data units)")
        ax.legend(fontsize=7, loc="upper right")
else:
    ax1.hist(x_plain[:, 0], bins=100, range=data.bounds, color="gray")
    ax2.hist([x_cond[cond.labels_eval == k, 0] for k in range(K)], bins=100,
             range=data.bounds, stacked=True, color=colors)
    for ax in (ax1, ax2):
        ax.set_xlabel("x (data units)")
        ax.set_ylabel("samples per bin")
ax1.set_title(f"plain GAN: a random class\n{m_plain['modes_captured']}/{K} modes, "
              f"{100 * m_plain['high_quality_frac']:.0f} % high quality", fontsize=10)
ax2.set_title(f"conditional GAN: colour = class asked for\nper-class accuracy {acc.mean():.3f} "
              f"(perfect: {PERFECT:.3f})", fontsize=10)
axs = np.atleast_1d(right.subplots(rows, cols)).ravel()
for k, ax in enumerate(axs):
    ax.set_xticks([])
    ax.set_yticks([])
    if k >= K:
        ax.set_visible(False)
        continue
    xk = x_cond[cond.labels_eval == k]
    if data.dim == 2:
        ax.scatter(*data.centers.T, c="lightgray", s=8)
        ax.scatter(*xk.T, s=2, color=colors[k])
        ax.set_xlim(*data.bounds[:2])
        ax.set_ylim(*data.bounds[2:])
        ax.set_aspect("equal")
    else:
        ax.hist(xk[:, 0], bins=60, range=data.bounds, color=colors[k])
    ax.set_title(f"class {k}: {acc[k]:.2f}", fontsize=8)
right.suptitle("asked for one class at a time\n(title: per-class accuracy)", fontsize=10)
fig.suptitle(f"{DATA}: ask a conditional GAN for class k and it draws mode k "
             f"(mean per-class accuracy {acc.mean():.3f}); the plain GAN cannot be asked "
             f"(seed {SETTINGS['seed']}, {cond.step} steps)")
fig.savefig(os.path.join(OUT, "07_conditional.png"), dpi=DPI)
fig

# %% [markdown]
# ## 2. Why conditioning removes mode dropping here
#
# In our mixtures every class is **one Gaussian**. A plain G must carve the noise space into
# $K$ pieces and send each piece to a different mode — and lesson 5 showed how the chase with
# D makes it lose some of them. A conditional G never has to: for each label it needs to learn
# *one* mode, a single blob at a fixed place. And a conditional D does not let it cheat:
# $D(x \mid k)$ has seen real samples of class $k$ only at mode $k$, so a sample asked for
# class $k$ that lands on another mode is as "fake" as one that lands nowhere. Dropping mode
# $k$ would mean ignoring the label $k$, which D punishes directly. The labels also fix the
# proportions: G is asked for each class as often as the data holds it.
#
# The sharpest test is lesson 5's collapse: two Gaussians, Goodfellow's saturating loss,
# 1-D noise and a discriminator ten times faster than G — the setting that sent most seeds to a
# single mode. We train it over seeds again, plain and conditional.

# %%
COLLAPSE = dict(data="bimodal", loss="gan", z_dim=1, batch=64, hidden=32, depth=2, lr_d=5e-3,
                lr_g=5e-4, lr_half_life=0, steps=300 if FAST else 2000)
SEEDS = range(3 if FAST else 10)
shares = {"plain": [], "conditional": []}          # share of samples at the mode x = +2
one_mode = {"plain": [], "conditional": []}        # captured only one of the two modes?
for seed in SEEDS:
    for kind in shares:
        t = train(TrainConfig(**COLLAPSE, seed=seed, conditional=kind == "conditional"))
        x = t.generate(t.z_eval, t.labels_eval)
        mc = mode_coverage(x, t.data.centers, t.data.std)
        shares[kind].append(float(np.mean(x[:, 0] > 0)))
        one_mode[kind].append(mc["modes_captured"] < 2)
for kind in shares:
    print(f"{kind:11s}: one mode only on {sum(one_mode[kind])} of {len(SEEDS)} seeds; "
          f"share at x = +2 per seed {np.round(shares[kind], 2).tolist()}")

# %% [markdown]
# **How to read the figure.** One dot per seed: the share of the samples that lie at the
# right-hand mode. The data holds ½ there (dotted). A dot at 0 or 1 is a generator that draws
# one mode only (filled dots: it captured only one mode). The conditional G is asked for each
# class half of the time, so its dots sit at ½ when it obeys.

# %%
fig = figure(8, 4.6)
ax = fig.subplots()
for i, kind in enumerate(shares):
    ax.scatter(np.array(SEEDS) + (i - 0.5) * 0.25, shares[kind], s=60, color=f"C{i}", lw=1.5,
               facecolors=[f"C{i}" if o else "none" for o in one_mode[kind]],
               label=f"{kind}: one mode only on {sum(one_mode[kind])}/{len(SEEDS)} seeds")
ax.axhline(0.5, color="k", ls=":", lw=1.2, label="the data: ½ at each mode")
ax.set_ylim(-0.08, 1.25)
ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
ax.set_xticks(list(SEEDS))
ax.set_xlabel("seed")
ax.set_ylabel("share of G's samples at the mode x = +2")
ax.legend(fontsize=8, loc="upper center")
fig.suptitle(f"Lesson 5's collapse setting (bimodal, D 10× faster than G): one mode only on "
             f"{sum(one_mode['plain'])}/{len(SEEDS)} seeds plain, "
             f"{sum(one_mode['conditional'])}/{len(SEEDS)} conditional", fontsize=10)
fig.savefig(os.path.join(OUT, "07_bimodal_seeds.png"), dpi=DPI)
fig

# %% [markdown]
# **What conditioning does not do.** It removes dropping *between* classes, because the label
# names the mode. A class that is itself a mixture — several clusters under one label, or no
# labels at all — is a small plain GAN again, and can drop modes inside it. And it needs the
# labels: conditioning is a cure only where the data comes labelled.
#
# To run it yourself: `minigan train --data ring8 --conditional --out runs/ring8-cond` (any
# `--loss`), then `minigan sample --run runs/ring8-cond --class 3 -n 100` draws class 3 from
# the trained generator.
#
# ## What you should now be able to say
#
# A conditional GAN feeds the class label to both G and D, so you can ask G for class $k$ with
# `generate(z, labels)`; on mixtures where each class is one Gaussian this removes mode
# dropping, because G only has to learn one mode per label and D rejects a sample that ignores
# its label.
