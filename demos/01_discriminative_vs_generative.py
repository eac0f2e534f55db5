# %% [markdown]
# # Lesson 1 — Discriminative and generative models
#
# **The question.** To sort points into two classes, should a model learn $P(y \mid x)$
# directly, or learn how the data are made, $P(x, y) = P(x \mid y)\,P(y)$, and turn that around
# with Bayes' rule? And which of the two kinds is a GAN's discriminator, which its generator?
#
# The two classes here are "real" points ($y = 1$) and "fake" points ($y = 0$) in the plane:
# the two piles a GAN's discriminator has to sort.
#
# - A **discriminative** model learns the map $x \mapsto P(y = 1 \mid x)$ directly (or only a
#   decision rule $y = f(x)$). Ours is a small MLP $D(x) = \sigma(t(x))$ trained with the very
#   loss a GAN discriminator minimises, `losses.d_gan`.
# - A **generative** model learns the joint law $P(x, y) = P(x \mid y)\,P(y)$ — ours fits one
#   Gaussian per class and takes the class frequencies as the prior $P(y)$ — and gets the
#   posterior from it by Bayes' rule:
#
# $$P(y = 1 \mid x) = \frac{P(x \mid 1)\,P(1)}{P(x \mid 1)\,P(1) + P(x \mid 0)\,P(0)}.$$
#
# Both models, and the true posterior they are compared with, live in
# `minigan/theory/generative.py`; this lesson calls them. Set `MINIGAN_FAST=1` for a short run
# (the numbers quoted below are from the full run).

# %%
import os

import numpy as np
from matplotlib.lines import Line2D

from minigan.data import get_dataset
from minigan.layers import sigmoid
from minigan.losses import d_gan
from minigan.pictures.plots import figure
from minigan.theory import generative

FAST = os.environ.get("MINIGAN_FAST") == "1"          # the test suite's short run
OUT = os.environ.get("MINIGAN_OUT", "lesson_figures")  # where the figures go
os.makedirs(OUT, exist_ok=True)

# training points per class, test points per class, full-batch Adam steps of the MLP
cfg = generative.Settings(n_train=2000, n_test=20000, steps=1500)
if FAST:
    cfg = generative.Settings(n_train=300, n_test=2000, steps=100)
rng = np.random.default_rng(0)
print(cfg)

# %% [markdown]
# ## 1. When the generative model is the right one
#
# Real points come from one Gaussian and fake points from another, so "one Gaussian per class"
# is exactly how these data are made. Because we drew them, we also know the true posterior
# $P(\text{real} \mid x)$ (`generative.true_posterior`): the best any classifier can do.

# %%
x_real, x_fake = generative.sample_gauss2(cfg.n_train, rng)        # (N, 2) each
t_real, t_fake = generative.sample_gauss2(cfg.n_test, rng)         # fresh test points
x_test = np.concatenate([t_real, t_fake])                           # (2N, 2)
y_test = np.r_[np.ones(cfg.n_test), np.zeros(cfg.n_test)]

gen = generative.GenerativeClassifier.fit(x_real, x_fake)          # P(x | y), P(y), then Bayes
D = generative.train_discriminative(x_real, x_fake, cfg, rng)       # MLP trained with d_gan

post = {"true posterior (Bayes)": generative.true_posterior(x_test),
        "generative": gen.posterior(x_test),
        "discriminative D(x)": sigmoid(D(x_test)[:, 0])}
for name, p in post.items():
    err = np.mean(np.abs(p - post["true posterior (Bayes)"]))
    print(f"{name:24s} test accuracy {np.mean((p > 0.5) == y_test):.4f}   "
          f"E|P̂(real|x) − P(real|x)| = {err:.4f}")

# %% [markdown]
# Both routes land close to the Bayes posterior, and both score close to the Bayes accuracy.
# The generative one gets there with 11 numbers (two means, two covariances, one prior); the
# MLP has 337 weights to fit. When its model of the data is right, the generative route
# needs fewer examples.
#
# It can also do something the discriminative one cannot: **make new points**. Having learned
# $P(x \mid \text{real})$, it can sample from it.

# %%
new_real = rng.multivariate_normal(gen.mu[1], gen.cov[1], 5)       # five new "real" points
print("five points drawn from the fitted P(x | real):\n", np.round(new_real, 2))

# %% [markdown]
# ## 2. The prior is part of the answer
#
# Suppose real and fake points come in the ratio $\pi : 1 - \pi$ with $\pi = 0.8$. Bayes'
# rule multiplies each class density by its prior, and so does the best classifier of the
# pooled cross-entropy (the argument of lesson 3, with $a = \pi p$, $b = (1 - \pi) q$):
#
# $$D^*_\pi(x) = \frac{\pi\, p(x)}{\pi\, p(x) + (1 - \pi)\, q(x)},$$
#
# with $p$ the real and $q$ the fake density. The generative model finds the prior as an
# explicit factor, the class frequency; the discriminative one absorbs it from how often each
# label appears in its loss (`generative.pooled_bce`, where every point weighs the same).

# %%
prior = cfg.prior_real                                                   # π = 0.8
n1, n0 = generative.split(2 * cfg.n_train, prior)                        # 4 : 1
x1, x0 = generative.sample_gauss2(n1, rng, n_fake=n0)
m1, m0 = generative.split(2 * cfg.n_test, prior)
u_real, u_fake = generative.sample_gauss2(m1, rng, n_fake=m0)
u_test = np.concatenate([u_real, u_fake])
target = generative.true_posterior(u_test, prior)                        # D*_π
gen_pi = generative.GenerativeClassifier.fit(x1, x0)                     # its prior: n1/(n1 + n0)
D_pi = generative.train_discriminative(x1, x0, cfg, rng, loss=generative.pooled_bce)
print(f"{n1} real : {n0} fake; the generative model's prior P(real) = {gen_pi.prior:.3f}")
for name, p in (("generative", gen_pi.posterior(u_test)),
                ("discriminative (pooled BCE)", sigmoid(D_pi(u_test)[:, 0])),
                ("ignoring the prior, D*_½", generative.true_posterior(u_test))):
    print(f"{name:28s} E|· − D*_π| = {np.mean(np.abs(p - target)):.4f}")

# %% [markdown]
# Both estimates are close to $D^*_\pi$; the posterior that ignores the prior is 8 times or more
# further off (in our run: docs/results/lessons/ keeps what each lesson prints). A GAN's discriminator sees real and fake batches of equal size, so for it
# $\pi = \tfrac12$ and the prior cancels: $D^*(x) = p(x)/(p(x) + q(x))$.
#
# The figure shows the three posteriors as maps; the yellow dashed line is the Bayes boundary
# each learned boundary (black) should follow.

# %%
def posterior_map(ax, box, values, points, title, reference=None):
    """P(real | x) as colours over the box, its ½-contour in black, the training points."""
    xs, ys, _ = generative.grid_points(box)
    v = values.reshape(len(ys), len(xs))
    cs = ax.contourf(xs, ys, v, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.75)
    ax.contour(xs, ys, v, levels=[0.5], colors="k", linewidths=2)
    if reference is not None:
        ax.contour(xs, ys, reference.reshape(len(ys), len(xs)), levels=[0.5], colors="yellow",
                   linewidths=1.5, linestyles="--")
    real, fake = points
    ax.scatter(real[:300, 0], real[:300, 1], s=4, c="darkred", label="real (y = 1)")
    ax.scatter(fake[:300, 0], fake[:300, 1], s=4, c="navy", label="fake (y = 0)")
    ax.set(xlabel="x₁", ylabel="x₂", aspect="equal", xlim=box[:2], ylim=box[2:])
    ax.set_title(title, fontsize=9)
    return cs


def accuracy(p, y):
    return np.mean((p > 0.5) == y)


box = generative.BOX
xs, ys, grid = generative.grid_points(box)                     # (150², 2) points over the box
fig = figure(15, 5)
axes = fig.subplots(1, 3)
bayes = generative.true_posterior(grid)
posterior_map(axes[0], box, gen.posterior(grid), (x_real, x_fake), reference=bayes,
              title=f"generative: Gaussians fitted per class, then Bayes\n"
                    f"accuracy {accuracy(post['generative'], y_test):.4f}")
posterior_map(axes[1], box, sigmoid(D(grid)[:, 0]), (x_real, x_fake), reference=bayes,
              title=f"discriminative: MLP D(x) trained with d_gan\n"
                    f"accuracy {accuracy(post['discriminative D(x)'], y_test):.4f} "
                    f"(Bayes {accuracy(post['true posterior (Bayes)'], y_test):.4f})")
cs = posterior_map(axes[2], box, gen_pi.posterior(grid), (x1, x0),
                   reference=generative.true_posterior(grid, prior),
                   title=f"real : fake = {prior:g} : {1 - prior:g} (generative fit)\n"
                         "the prior moves the boundary toward the rarer class")
axes[2].contour(xs, ys, bayes.reshape(len(ys), len(xs)), levels=[0.5], colors="0.35",
                linewidths=2, linestyles="-.")
axes[0].legend(loc="lower left", fontsize=7, markerscale=3)
axes[2].legend(handles=[Line2D([], [], color="k", lw=2, label="learned P̂ = ½"),
                        Line2D([], [], color="yellow", ls="--", lw=1.5, label="Bayes, D*_π = ½"),
                        Line2D([], [], color="0.35", ls="-.", lw=2,
                               label="ignoring the prior, D*_½ = ½")],
               loc="lower left", fontsize=7, facecolor="0.85")
fig.colorbar(cs, ax=axes, shrink=0.8, label="P(real | x)")
fig.suptitle("When the model of the data is right, both routes find the Bayes posterior "
             "(black: learned P = ½; yellow dashed: the Bayes boundary)")
fig.savefig(os.path.join(OUT, "01_gauss_posteriors.png"))
fig

# %% [markdown]
# ## 3. When the generative model is wrong
#
# Two interleaving half moons are not two Gaussians. The generative model still fits one
# Gaussian per class — the best it can — and its Bayes boundary is then the best answer to the
# wrong question. The MLP assumes nothing about how the points are made.

# %%
moons = get_dataset("moons")
xm, lm = moons.sample(2 * cfg.n_train, rng)                  # x (N, 2), labels 0/1
xt, lt = moons.sample(2 * cfg.n_test, rng)
gen_m = generative.GenerativeClassifier.fit(xm[lm == 1], xm[lm == 0])
D_m = generative.train_discriminative(xm[lm == 1], xm[lm == 0], cfg, rng)
acc_gen, acc_disc = accuracy(gen_m.posterior(xt), lt), accuracy(sigmoid(D_m(xt)[:, 0]), lt)
print(f"moons test accuracy: generative {acc_gen:.4f}, discriminative {acc_disc:.4f}")

# %% [markdown]
# Sampling from the fitted model shows what it believes the data look like: two blobs.

# %%
mbox = moons.bounds
_, _, mgrid = generative.grid_points(mbox)
fig = figure(15, 3.6)
axes = fig.subplots(1, 3)
posterior_map(axes[0], mbox, gen_m.posterior(mgrid), (xm[lm == 1], xm[lm == 0]),
              title=f"generative (one Gaussian per moon): accuracy {acc_gen:.3f}")
cs = posterior_map(axes[1], mbox, sigmoid(D_m(mgrid)[:, 0]), (xm[lm == 1], xm[lm == 0]),
                   title=f"discriminative MLP D(x): accuracy {acc_disc:.3f}")
fig.colorbar(cs, ax=axes[:2], shrink=0.8, label="P(real | x)")
ax = axes[2]
for y, colour in ((1, "darkred"), (0, "navy")):
    draws = rng.multivariate_normal(gen_m.mu[y], gen_m.cov[y], 300)
    ax.scatter(xm[lm == y][:300, 0], xm[lm == y][:300, 1], s=4, c=colour)
    ax.scatter(draws[:, 0], draws[:, 1], s=8, facecolors="none", edgecolors=colour, lw=0.6)
ax.scatter([], [], s=4, c="k", label="data (filled)")
ax.scatter([], [], s=8, facecolors="none", edgecolors="k", label="drawn from the fitted model")
ax.legend(loc="lower left", fontsize=7)
ax.set(xlabel="x₁", ylabel="x₂", aspect="equal", xlim=mbox[:2], ylim=mbox[2:])
ax.set_title("what the generative model believes: two blobs", fontsize=9)
fig.suptitle("When the generative model is wrong (moons), the discriminative one wins: "
             "black is each model's P = ½ boundary")
fig.savefig(os.path.join(OUT, "01_moons.png"))
fig

# %% [markdown]
# ## 4. Which kind are D and G?
#
# **D is a discriminative model.** It outputs $P(\text{real} \mid x)$ and is trained with
# `d_gan` = $-V(D, G)$. On balanced batches that is exactly twice the binary cross-entropy of
# a classifier with labels real = 1, fake = 0 — logistic regression on learned features:

# %%
t_r, t_f = D(x_real), D(x_fake)                                   # logits, (N, 1) each
labels = np.r_[np.ones(len(t_r)), np.zeros(len(t_f))]
print(f"d_gan = {d_gan(t_r, t_f).value:.12f}")
print(f"2·BCE = {2 * generative.bce(np.r_[t_r[:, 0], t_f[:, 0]], labels):.12f}")

# %% [markdown]
# Its best possible answer, $D^*(x) = p_\text{data}(x)/(p_\text{data}(x) + p_g(x))$ (lesson 3),
# is the Bayes posterior with prior ½ — what the *generative* route would compute if it knew
# both densities. D never learns the densities; it learns their ratio directly.
#
# **G is a generative model** of one class only: it learns $P(x)$ of the data. Unlike our fitted
# Gaussians it has no formula for its density $p_g(x)$; it only *samples* ($x = G(z)$, with
# noise $z$). Without a density it cannot be fitted by maximum likelihood, so it learns from
# the discriminative model's verdicts instead. That pairing is the GAN.
#
# **What you should now be able to say.** A discriminative model learns $P(y \mid x)$ directly,
# a generative one learns $P(x, y)$ and applies Bayes' rule (and can sample); the generative
# route wins when its model of the data is right and loses when it is wrong. In a GAN, D is the
# discriminative model, whose optimum is a Bayes posterior, and G is the generative one.
