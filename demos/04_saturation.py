# %% [markdown]
# # Lesson 4 — Why the saturating loss stalls and the non-saturating one does not
#
# **The question.** In the minimax game G minimises $\mathbb{E}\log(1 - D(G(z)))$. Goodfellow
# et al. (§3) advise it to maximise $\mathbb{E}\log D(G(z))$ instead. Why does the first loss stop
# teaching G exactly when G most needs it — when G is bad and D is good — and why does the second
# not?
#
# ## 1. Two losses with the same goal
#
# Write D's output through its logit, $D(x) = \sigma(t(x))$, and $t = t(G(z))$ on a fake. Using
# $\log \sigma(t) = -\mathrm{softplus}(-t)$ and $\log(1 - \sigma(t)) = -\mathrm{softplus}(t)$
# (`minigan/losses.py` works in logits for exactly this reason):
#
# | G loss | formula | in logits | `losses.py` |
# |---|---|---|---|
# | saturating | $\mathbb{E}\log\bigl(1 - D(G(z))\bigr)$ | $-\mathbb{E}\,\mathrm{softplus}(t)$ | `g_saturating` |
# | non-saturating | $-\mathbb{E}\log D(G(z))$ | $\mathbb{E}\,\mathrm{softplus}(-t)$ | `g_nonsaturating` |
#
# Both fall as $D(G(z))$ rises, so they push G the same way and have the same fixed point. They
# differ in *how hard* they push.
#
# ## 2. The gradient in logit space
#
# By the chain rule the gradient reaching G's weights is
#
# $$\nabla_{\theta_G} L = \frac1N \sum_i \ell'(t_i)\; \nabla_{\theta_G}\, t\bigl(G(z_i)\bigr),$$
#
# and the two losses differ *only* in the scalar factor $\ell'(t)$:
#
# $$\ell'_\text{sat}(t) = -\sigma(t) = -D(G(z)), \qquad
#   \ell'_\text{ns}(t) = -\sigma(-t) = -\bigl(1 - D(G(z))\bigr).$$
#
# Their ratio is $\sigma(t)/\sigma(-t) = e^t = D/(1 - D)$. When D rejects the fakes,
# $D(G(z)) \to 0$ and $t \to -\infty$: the saturating factor goes to 0 with it, the
# non-saturating one goes to its largest size, 1.
#
# **Which axis is flat.** Plotted against $D = D(G(z))$ itself (panel (a) below), the
# saturating loss is *not* flat near $D = 0$: $\frac{d}{dD}\log(1 - D) = -\frac{1}{1 - D}$ is
# $-1$ there, while $\frac{d}{dD}(-\log D) = -\frac1D$ runs off to $-\infty$. But G never sets
# $D$ directly; it moves the logit $t$, and $\frac{dD}{dt} = \sigma(t)\bigl(1 - \sigma(t)\bigr)
# = D(1 - D)$ vanishes as $D \to 0$. The products are the factors above:
# $-\frac{1}{1 - D} \cdot D(1 - D) = -D$ and $-\frac1D \cdot D(1 - D) = -(1 - D)$. So it is
# against the **logit** (panel (b)) that the saturating loss goes flat for $t \ll 0$ — and that
# is the slope G's gradient is made of.

# %%
import os

import numpy as np

from minigan.data import Gaussian1D
from minigan.gradcheck import numeric_grad, rel_error
from minigan.layers import sigmoid
from minigan.losses import g_nonsaturating, g_saturating, softplus
from minigan.mlp import MLP
from minigan.pictures.plots import figure
from minigan.theory import vanishing

FAST = os.environ.get("MINIGAN_FAST") == "1"          # the test suite's short run
OUT = os.environ.get("MINIGAN_OUT", "lesson_figures")  # where the figures go
os.makedirs(OUT, exist_ok=True)

# §3: D steps against a frozen G (checkpoints log-spaced), seeds
cfg = vanishing.Settings(steps=10000, seeds=2)
if FAST:
    cfg = vanishing.Settings(steps=200, n_checkpoints=6, seeds=1)

# %% [markdown]
# The factors, read off `losses.py` (each loss returns $\partial L/\partial t_i$ of the batch
# mean, so N times it is $\ell'(t_i)$):

# %%
t = np.array([[2.0], [0.0], [-2.0], [-5.0], [-10.0], [-30.0]])        # logits of 6 fakes, (N, 1)
N = len(t)
sat, ns = N * g_saturating(t).d_fake[:, 0], N * g_nonsaturating(t).d_fake[:, 0]
print("   t      D(G(z))     ℓ'_sat = −σ(t)   ℓ'_ns = −σ(−t)   ratio   e^t")
for ti, di, a, b in zip(t[:, 0], sigmoid(t[:, 0]), sat, ns):
    print(f"{ti:5.0f}   {di:10.3e}   {a:12.3e}    {b:12.3e}   {a / b:9.3e}  {np.exp(ti):9.3e}")
assert np.allclose(sat / ns, np.exp(t[:, 0]), rtol=1e-12)

# %%
tt = np.linspace(-10, 6, 401)[:, None]                 # logits of 401 fakes, (N, 1)
dd = sigmoid(tt[:, 0])                                 # D(G(z))
n = len(tt)
fig = figure(13, 4.4)
ax1, ax2 = fig.subplots(1, 2)
ax1.plot(dd, -softplus(tt[:, 0]), color="tab:red", lw=2, label="saturating: log(1 − D(G(z)))")
ax1.plot(dd, softplus(-tt[:, 0]), color="tab:blue", lw=2, label="non-saturating: −log D(G(z))")
ax1.plot([0, 0.4], [0, -0.4], "k--", lw=1, label="slope −1: the saturating loss at D(G(z)) = 0")
ax1.axvline(0.5, color="0.5", ls=":", lw=1, label="D(G(z)) = ½, the equilibrium")
ax1.set(xlabel="D(G(z)): how real D finds a fake", ylabel="G's loss on one fake (nats)",
        ylim=(-4, 6))
ax1.set_title("(a) against D(G(z)): both losses fall as it rises; at D(G(z)) = 0, where a\n"
              "new G starts, the saturating one has slope −1 (not flat), the other −∞",
              fontsize=10)
ax1.legend(fontsize=8)
ax2.plot(tt[:, 0], -n * g_saturating(tt).d_fake[:, 0], color="tab:red", lw=2,
         label="|ℓ'_sat(t)| = σ(t) = D(G(z))")
ax2.plot(tt[:, 0], -n * g_nonsaturating(tt).d_fake[:, 0], color="tab:blue", lw=2,
         label="|ℓ'_ns(t)| = σ(−t) = 1 − D(G(z))")
ax2.axhline(1, color="0.5", ls=":", lw=1, label="1: the largest factor either loss gives")
ax2.set(yscale="log", ylim=(1e-5, 2), xlabel="t: D's logit on a fake (t < 0: D says 'fake')",
        ylabel="|∂ loss / ∂t| on one fake")
ax2.set_title("(b) against D's logit t, which G moves: the saturating slope dies like e^t\n"
              "(that loss goes flat) as D grows confident; the non-saturating one tends to 1",
              fontsize=10)
ax2.legend(fontsize=8, loc="lower right")
fig.suptitle("The two G losses push the same way; only the factor ℓ'(t) differs, and the "
             "saturating one vanishes when D wins")
fig.savefig(os.path.join(OUT, "04_logit_gradients.png"))
fig

# %% [markdown]
# ## 3. Measured on a network: G far from the data, D getting better
#
# The factor is only half of the chain rule; the other half, $\nabla_{\theta_G} t$, could grow
# to make up for it. So we measure the whole gradient, as Arjovsky & Bottou (2017) did. The
# set-up of `minigan/theory/vanishing.py`: $p_\text{data} = N(4, 0.5^2)$; G is
# `MLP([1, 32, 32, 1])` at its random initialisation, so its samples sit near 0, far from the
# data, and G is **never updated**; D (`MLP([1, 64, 64, 1])`, Adam $10^{-3}$) trains against it
# for many steps, and at log-spaced checkpoints we measure $\|\nabla_{\theta_G} L\|$ of both
# losses on a fixed batch of 1,024 noise vectors (`vanishing.run_seed`).

# %%
data = Gaussian1D(4.0, 0.5)                                     # p_data
g_rng = np.random.default_rng([vanishing.CLAIM, 0])
G = MLP([1, 32, 32, 1], "relu", rng=g_rng)                     # held fixed throughout
z = g_rng.standard_normal((cfg.n_eval, 1))                      # (1024, 1)
runs = []
for seed in range(cfg.seeds):
    steps, norms, d_fake, d_real, D, _ = vanishing.run_seed(
        G, data, z, cfg, np.random.default_rng([vanishing.CLAIM, seed, 1]))
    runs.append((norms[:, :2], d_fake))                          # columns: saturating, NS
    print(f"seed {seed}: after {steps[-1]} D steps mean D(G(z)) = {d_fake[-1]:.1e}, "
          f"mean D(x) = {d_real[-1]:.4f};  ‖∇θ_G‖ saturating {norms[0, 0]:.3g} → "
          f"{norms[-1, 0]:.3g}, non-saturating {norms[0, 1]:.3g} → {norms[-1, 1]:.3g}")

# %%
fig = figure(13, 4.6)
ax1, ax2 = fig.subplots(1, 2)
for k, (norm, d_fake) in enumerate(runs):
    ax1.plot(steps, norm[:, 0], color="tab:red", lw=1.5,
             label="saturating, log(1 − D(G(z)))" if k == 0 else None)
    ax1.plot(steps, norm[:, 1], color="tab:blue", lw=1.5,
             label="non-saturating, −log D(G(z))" if k == 0 else None)
    ratio = norm[:, 0] / norm[:, 1]
    odds = d_fake / (1 - d_fake)
    ax2.loglog(odds, ratio, "o-", color="0.3", ms=4, lw=1,
               label=f"measured at each checkpoint ({cfg.seeds} seed{'s' * (cfg.seeds > 1)})"
               if k == 0 else None)
ax1.axhline(runs[0][0][0, 0], color="0.5", ls=":", lw=1,
            label="the saturating norm after 1 D step")
ax1.set(xscale="log", yscale="log", xlabel="D training steps against the frozen G",
        ylabel="‖∇θ_G L‖ (all of G's weights)")
ax1.set_title("(a) as D learns to reject the fakes, the saturating gradient\n"
              "collapses while the non-saturating one grows", fontsize=10)
ax1.legend(fontsize=8)
lim = np.array([1e-6, 3])
ax2.loglog(lim, lim, "k--", lw=1, label="ratio = D/(1 − D) = e^t, exact for one fake")
ax2.set(xlabel="D/(1 − D) at the mean D(G(z))", ylabel="‖∇ saturating‖ / ‖∇ non-saturating‖")
ax2.set_title("(b) the ratio of the two gradients follows D/(1 − D):\n"
              "the factor e^t of §2, seen through a whole network", fontsize=10)
ax2.legend(fontsize=8, loc="upper left")
fig.suptitle("G frozen far from the data, D trained: the saturating loss stops teaching G "
             "exactly when D wins")
fig.savefig(os.path.join(OUT, "04_vanishing_gradients.png"))
fig

# %% [markdown]
# This is why every non-WGAN loss in minigan defaults to the non-saturating G loss
# (`--loss nsgan`), and why `--loss gan` is there mainly to be compared with it.
#
# ## Exercise
#
# Derive $\partial/\partial t$ of the non-saturating loss of one fake, $\ell_\text{ns}(t) =
# -\log \sigma(t)$, and then of the batch mean $L = \frac1N \sum_i \ell_\text{ns}(t_i)$. Compare
# your answer with what `losses.g_nonsaturating` returns as `d_fake`.
#
# <details><summary>Solution</summary>
#
# $-\log\sigma(t) = \log(1 + e^{-t}) = \mathrm{softplus}(-t)$, so
#
# $$\ell'_\text{ns}(t) = \frac{-e^{-t}}{1 + e^{-t}} = -\frac{1}{e^{t} + 1} = -\sigma(-t)
#   = \sigma(t) - 1,$$
#
# and for the batch mean $\partial L/\partial t_i = -\sigma(-t_i)/N$, which is exactly
# `g_nonsaturating(t).d_fake`. The code writes $-\sigma(-t)$ rather than $\sigma(t) - 1$: both
# are the same number, but where $\sigma(t)$ rounds to 1 (large $t$) the second form loses all
# its digits, while $\sigma(-t)$ keeps full relative precision.
#
# </details>

# %%
rng = np.random.default_rng(4)
logits = 5 * rng.standard_normal((7, 1))                       # 7 fakes, float64, (N, 1)
mine = -sigmoid(-logits) / len(logits)                           # the derivation above
package = g_nonsaturating(logits).d_fake
numeric = numeric_grad(lambda: g_nonsaturating(logits).value, logits)   # central, h = 1e-5
print(f"rel_error(derivation, package)  = {rel_error(mine, package):.1e}")
print(f"rel_error(derivation, numeric)  = {rel_error(mine, numeric):.1e}   (expect < 1e-7)")
assert rel_error(mine, package) < 1e-12 and rel_error(mine, numeric) < 1e-7

# %% [markdown]
# **What you should now be able to say.** The two G losses push the same way and differ only in
# the logit-space factor: $-\sigma(t) = -D(G(z))$ for the saturating one, which vanishes as D
# confidently rejects the fakes, and $-\sigma(-t)$ for the non-saturating one, which is then
# close to $-1$ — so with the saturating loss G stops learning exactly when it is worst.
