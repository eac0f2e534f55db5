# %% [markdown]
# # Lesson 2 — The minimax game and Algorithm 1
#
# **The question.** What game do G and D play, how does Algorithm 1 play it, and what does a
# run look like when it works — in the pictures of Goodfellow et al.'s Figure 1, and in the
# numbers a training log prints?
#
# D is a classifier (lesson 1): $D(x)$ is the probability that $x$ is real. G turns noise
# $z \sim p_z$ into samples $x = G(z)$, whose law we call $p_g$. Both play for one number,
# the value (Goodfellow et al. 2014, Eq. 1):
#
# $$\min_G \max_D \; V(D, G) = \mathbb{E}_{x \sim p_\text{data}} \log D(x)
#   + \mathbb{E}_{z \sim p_z} \log\bigl(1 - D(G(z))\bigr).$$
#
# D raises $V$ by saying 1 on data and 0 on fakes; G lowers it by making $D(G(z))$ large.
# **Algorithm 1** alternates: $k$ steps of gradient *ascent* on $V$ for D, each on a fresh batch
# of data and noise, then one step for G on fresh noise. In minigan D descends $-V$
# (`losses.d_gan`) and G uses the non-saturating loss $-\mathbb{E}\log D(G(z))$
# (`losses.g_nonsaturating`), which the paper recommends in practice; lesson 4 shows why.
#
# The set-up is as small as the paper's cartoon: $p_\text{data} = N(1, 0.5^2)$ (`data="gauss"`)
# and one-dimensional noise $z \sim N(0, 1)$, so G is a map from a line to a line and can be
# drawn as arrows.

# %%
import os

import numpy as np

from minigan import metrics
from minigan.config import TrainConfig
from minigan.layers import sigmoid
from minigan.losses import d_gan
from minigan.pictures.curves import history_figure
from minigan.pictures.plots import figure
from minigan.train import Trainer, fit

FAST = os.environ.get("MINIGAN_FAST") == "1"          # the test suite's short run
OUT = os.environ.get("MINIGAN_OUT", "lesson_figures")  # where the figures go
os.makedirs(OUT, exist_ok=True)

cfg = TrainConfig(data="gauss", loss="nsgan",
                  z_dim=1,                        # z ∈ ℝ: G is a map ℝ → ℝ we can draw
                  hidden=64, depth=2,             # small G and D: 1-D needs no more
                  batch=256,
                  steps=150 if FAST else 2000,    # G updates (each after k = 1 D update)
                  eval_every=25, seed=0)
D_ONLY_STEPS = 100 if FAST else 1000              # panel (b): D trained alone on a frozen G
SNAPSHOTS = (25, 100)                             # the steps of panels (a) and (c)

# %% [markdown]
# ## Playing the game
#
# `Trainer.train_step()` is one iteration of Algorithm 1 (read it in `minigan/train.py`: the
# stanzas `# 1) discriminator: k steps` and `# 2) generator: one step`); `fit` repeats it —
# the outer loop every run uses. We also keep copies of the two players at a few steps, to draw
# them later, and the log row `Trainer.evaluate()` writes every 25 steps. Its last column,
# *W1 to data*, is a distance between G's samples and held-out real data that lesson 6 is
# about: in data units, how far the generated points must move, on average, to land on the
# real ones (in 1-D: pair the i-th smallest fake with the i-th smallest real point) — 0 only
# when the two sets coincide.
#
# *Try it live*: `minigan live --data gauss --loss gan` opens this game in your browser on the
# same trainer. Pause, press "step one D update" and watch D's curve move while G stays put;
# then "step one G update" and watch the samples follow D's slope — Algorithm 1 one step at a
# time (the session is kept as a run folder that `minigan lab` replays; docs/guide.md).

# %%
def snapshot(trainer):
    """An independent copy of G, D, their optimizers and the random state."""
    copy = Trainer(trainer.cfg)
    copy.load_state(trainer.state())
    return copy


def keep(trainer):                                # called by fit after every step
    if trainer.step in SNAPSHOTS:
        snaps[trainer.step] = snapshot(trainer)


trainer = Trainer(cfg)
snaps = {}
# fit: train_step() cfg.steps times (1) k D steps, 2) one G step), and every cfg.eval_every
# steps the row of Trainer.evaluate(): the losses averaged since the last row, W1
history = fit(trainer, cfg.steps, on_step=keep, evaluate_first=False)

print(" step   D loss   G loss   D(real)  D(fake)   W1 to data")
for row in history[:4] + history[-2:]:
    print(f"{row['step']:5d}   {row['d_loss']:.3f}    {row['g_loss']:.3f}    "
          f"{row['d_real']:.3f}    {row['d_fake']:.3f}     {row['w1']:.3f}")

# %% [markdown]
# ## Goodfellow et al.'s Figure 1, measured
#
# The paper's Figure 1 is a cartoon of four moments; here they are from the run above. In each
# panel: $p_\text{data}$ (black dotted), a histogram of $p_g$ (green), $D(x)$ (blue dashed) and
# the level $D = \tfrac12$; below, the map $x = G(z)$ as arrows from the $z$ line to the $x$
# line. The arrows start at equally likely values of $z$, so where they bunch up, $p_g$ is high.
#
# - **(a)** early on: $p_g$ sits in the wrong place and D has begun to slope toward the data;
# - **(b)** the same G, with D trained alone: D moves toward the best response of lesson 3,
#   $D^*(x) = p_\text{data}(x)/(p_\text{data}(x) + p_g(x))$, drawn from $p_\text{data}$ and a
#   kernel density estimate of $p_g$ — how far it gets depends on how many steps it is given
#   (the panel's title and the printout give its D loss and D*'s);
# - **(c)** a little later: G has moved its samples up D's slope, toward the data;
# - **(d)** the end of the run: G has brought its samples onto the data, but $p_g$ is not
#   $p_\text{data}$ yet — its mean and spread, in the title and printed below the figure,
#   differ from the data's 1 and 0.5 (in the full run it is narrower; in the fast one it is
#   cut off at 0, with a long tail to the right).
#   D is close to ½ wherever the samples are, so *there* it can no longer tell real from fake;
#   off to the left, where there are no samples of either kind, nothing trains D and it stays
#   well below ½. $D = \tfrac12$ at *every* $x$ is the equilibrium of lesson 3, which needs
#   $p_g = p_\text{data}$ exactly; the last section tests how far the run is from it.

# %%
def kde(samples, xs):
    """Gaussian kernel density estimate of 1-D samples on the points xs (Silverman's bandwidth)."""
    h = 1.06 * samples.std() * len(samples) ** (-1 / 5)
    u = (xs[:, None] - samples[None, :]) / h                     # (X, N)
    return np.exp(-0.5 * u ** 2).sum(axis=1) / (len(samples) * h * np.sqrt(2 * np.pi))


def d_star(trainer, xs):
    """D* = p_data/(p_data + p_g) on xs, with p_g estimated from G's samples on the fixed noise."""
    p = trainer.data.pdf(xs)
    q = kde(trainer.generate(trainer.z_eval)[:, 0].astype(np.float64), xs)
    return p / (p + q), p, q


def d_loss(trainer):
    """−V(D, G) by Monte Carlo on the fixed evaluation set (2,500 real, 2,500 fake points)."""
    real = trainer.D(trainer.x_eval.astype(trainer.dtype))
    fake = trainer.D(trainer.generate(trainer.z_eval))
    return d_gan(real, fake).value


early = SNAPSHOTS[0]
trained = snapshot(snaps[early])                  # panel (b): the G of that step, frozen
for _ in range(D_ONLY_STEPS):
    trained.d_step()
xs = np.linspace(-3, 4, 701)
dstar, p, q = d_star(trained, xs)
best = np.log(4) - 2 * metrics.jsd(p, q, xs)             # the D loss of D* (p_g by KDE)
for label, value in ((f"step {early}: D loss −V(D, G) of the run's D", d_loss(snaps[early])),
                     (f"  after {D_ONLY_STEPS} more steps of D alone", d_loss(trained)),
                     ("  the best D's: log 4 − 2·JSD(p_data ‖ p_g)", best)):
    print(f"{label:46s} {value:.3f}")
closed = (d_loss(snaps[early]) - d_loss(trained)) / (d_loss(snaps[early]) - best)
print(f"  D alone closed {100 * closed:.0f} % of the gap to the best D in {D_ONLY_STEPS} steps"
      + (" (fast mode: the full lesson trains it 1,000)" if FAST else ""))

# %%
XLIM, YTOP, BINS = (-2.3, 3.0), 1.3, 80


def draw_players(ax, tr):
    """p_data, a histogram of p_g (a density of all samples), D(x) and the level D = ½."""
    x = tr.generate(tr.z_eval)[:, 0]
    ax.plot(xs, tr.data.pdf(xs), "k:", lw=2, label="p_data")
    ax.hist(x, bins=BINS, range=XLIM, weights=np.full(len(x), BINS / (len(x) * np.ptp(XLIM))),
            color="tab:green", alpha=0.5, label="p_g (histogram of G(z); bars cut at the top)")
    ax.plot(xs, sigmoid(tr.D(xs[:, None].astype(tr.dtype))[:, 0]), "--", color="tab:blue",
            lw=2, label="D(x): probability that x is real")
    ax.axhline(0.5, color="tab:blue", lw=1, ls="-.", label="D = ½, the equilibrium value")
    ax.set(xlim=XLIM, ylim=(0, YTOP), xlabel="x (data units)")


x_end = trainer.generate(trainer.z_eval)[:, 0].astype(np.float64)    # panel (d): G at the end
busy = np.quantile(np.concatenate([x_end, trainer.x_eval[:, 0]]), [0.01, 0.99])  # the samples
on = (xs >= busy[0]) & (xs <= busy[1])
d_end = sigmoid(trainer.D(xs[:, None].astype(trainer.dtype))[:, 0]).astype(np.float64)
left = XLIM[0] + 0.3                                                 # off the data, to the left
d_left = float(d_end[np.argmin(np.abs(xs - left))])
at_left = f"x = {left:g}".replace("-", "−")
panels = [(snaps[early], f"(a) step {early}: p_g is off;\nD starts to slope toward the data"),
          (trained, f"(b) the G of step {early}, D trained alone {D_ONLY_STEPS} steps:\n"
                    f"D moves toward D* (D loss {d_loss(trained):.2f}; D*'s {best:.2f})"),
          (snaps[SNAPSHOTS[1]], f"(c) step {SNAPSHOTS[1]}: G has moved its samples\n"
                                "up D's slope, toward the data"),
          (trainer, f"(d) step {trainer.step}: p_g has mean {x_end.mean():.2f}, std "
                    f"{x_end.std():.2f} (p_data: 1, 0.5);\nD = {d_end[on].min():.2f}…"
                    f"{d_end[on].max():.2f} where the samples are, {d_left:.2f} at {at_left}")]
fig = figure(18, 6.4)
grid = fig.add_gridspec(2, 4, height_ratios=[3, 1])
z_line = np.quantile(trainer.z_eval[:, 0], np.linspace(0.02, 0.98, 25))[:, None]
for i, (tr, title) in enumerate(panels):
    ax = fig.add_subplot(grid[0, i])
    draw_players(ax, tr)
    if tr is trained:
        ax.plot(xs, dstar, color="tab:red", lw=1.5, label="D* = p_data/(p_data + p_g), p_g by KDE")
    ax.set_title(title, fontsize=9)
    if i == 0:
        ax.set_ylabel("density (per data unit)  ·  D(x)")
    m = fig.add_subplot(grid[1, i], sharex=ax)    # the map z → x = G(z)
    x_line = tr.generate(z_line.astype(tr.dtype))[:, 0]
    for z0, x0 in zip(z_line[:, 0], x_line):
        m.annotate("", xy=(x0, 1), xytext=(z0, 0),
                   arrowprops=dict(arrowstyle="->", color="0.35", lw=0.8))
    m.axhline(0, color="k", lw=0.8)
    m.axhline(1, color="k", lw=0.8)
    m.set_ylim(-0.15, 1.15)
    m.set_yticks([0, 1], ["z", "x = G(z)"])
    m.set_xlabel("z (noise) and x (data units), one axis")
handles, labels = fig.axes[2].get_legend_handles_labels()     # panel (b) has every line
fig.legend(handles, labels, loc="outside lower center", ncol=5, fontsize=8, frameon=False)
fig.suptitle("Algorithm 1 on a 1-D Gaussian: D learns to separate, G follows D's slope toward "
             "the data, and D flattens to about ½ where the samples are", fontsize=12)
fig.savefig(os.path.join(OUT, "02_figure1.png"))
print(f"panel (d), step {trainer.step}: p_g mean {x_end.mean():.3f}, std {x_end.std():.3f} "
      f"(p_data: 1, 0.5); D from {d_end[on].min():.3f} to {d_end[on].max():.3f} on "
      f"[{busy[0]:.2f}, {busy[1]:.2f}], where 98 % of the samples are; D({left:g}) = {d_left:.3f}")
fig

# %% [markdown]
# ## The numbers in the log
#
# At the equilibrium $p_g = p_\text{data}$ the best D is $D^* = \tfrac12$ everywhere, so the
# logged quantities settle at
#
# - D loss $= -V = -\log\tfrac12 - \log\tfrac12 = 2\log 2 \approx 1.386$;
# - non-saturating G loss $= -\log D(G(z)) = \log 2 \approx 0.693$;
# - $D(\text{real}) = D(\text{fake}) = \tfrac12$.
#
# The figure below is the `history.png` that `minigan train` draws, for this run: dotted lines
# mark those values.

# %%
hist = {k: np.array([row[k] for row in history], dtype=float) for k in history[0]}
history_figure(hist, os.path.join(OUT, "02_equilibrium_logs.png"), cfg=trainer.cfg,
               title="The log reaches D loss 2 log 2, G loss log 2, D = ½ within a few dozen "
                     "steps — long before W1 (bottom right) says p_g ≈ p_data")
print(f"first row (step {history[0]['step']}): D loss {history[0]['d_loss']:.3f}, "
      f"W1 to data {history[0]['w1']:.3f};  last row: D loss {history[-1]['d_loss']:.3f}, "
      f"W1 {history[-1]['w1']:.3f}")

# %% [markdown]
# ## Why the D of a training run is not $D^*$
#
# The equilibrium values are *necessary*, not *sufficient*. Lesson 3 proves
# $V(D, G) \le C(G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)$ for every D, i.e.
#
# $$\text{D loss} = -V(D, G) \;\ge\; \log 4 - 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g),$$
#
# with equality only for $D = D^*$. A D loss of $2\log 2 = \log 4$ satisfies this bound whatever
# the JSD: it tells you D cannot separate the two piles, not that they are the same. And the D
# of a run is not $D^*$, for three reasons: it takes only $k = 1$ gradient step per G step, so it
# chases a target that moves every step; it sees finite batches; and it is a small network.
# Even an untrained D separates the piles poorly, so its loss starts near $2\log 2$ while G is
# nowhere near the data (below). At step 25 (printed above) the run's D loss was close to
# $2\log 2$, while a D trained alone on that same G drove its loss down toward
# $\log 4 - 2\,\mathrm{JSD}$: with the full lesson's 1,000 D-only steps nearly all the way
# (97 % of the gap in our run, docs/results/lessons/), with the fast mode's 100 (`MINIGAN_FAST=1`)
# only about a third — the printout says which you ran and how much of the gap it closed. Either way the
# loss of a D trained alone falls clearly below $2\log 2$, and that is what the check below
# uses.
#
# That gives a check you can run on any 1-D or 2-D GAN: **freeze G and train D alone.** If its
# loss falls well below $2\log 2$, G is not there yet. At step 0 and at the end of this run:

# %%
untrained = Trainer(cfg)                          # the same seed: the run's players at step 0
print(f"step 0: D loss {d_loss(untrained):.3f} (2 log 2 = {2 * np.log(2):.3f}) while W1 to the "
      f"data is {untrained.evaluate()['w1']:.2f}")
final = snapshot(trainer)
before = d_loss(final)
for _ in range(D_ONLY_STEPS):
    final.d_step()
_, p, q = d_star(final, xs)
print(f"step {trainer.step}: D loss {before:.4f} → {d_loss(final):.4f} after {D_ONLY_STEPS} "
      f"D-only steps; log 4 − 2·JSD = {np.log(4) - 2 * metrics.jsd(p, q, xs):.4f} "
      f"(2 log 2 = {2 * np.log(2):.4f})")

# %% [markdown]
# **What you should now be able to say.** D and G play $\min_G \max_D V(D, G)$, and Algorithm 1
# plays it by alternating $k$ ascent steps for D with one step for G, which moves $p_g$ up D's
# slope toward the data; at the equilibrium D = ½, the D loss is $2\log 2$ and the
# non-saturating G loss $\log 2$ — but those values only say that D cannot tell the two apart,
# because the D of a run is not the optimal $D^*$.
