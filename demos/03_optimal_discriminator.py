# %% [markdown]
# # Lesson 3 — The optimal discriminator and what G minimises
#
# **The question.** For a fixed generator, what is the best discriminator $D^*$, and what is
# left for G to minimise once D plays it? (Goodfellow et al. 2014, Proposition 1 and
# Theorem 1; the answer: $D^* = p_\text{data}/(p_\text{data} + p_g)$ and
# $C(G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)$.)
#
# The whole derivation first, in four steps; then the numbers, computed by
# `minigan/theory/optimal_d.py`; then a trained D watched as it approaches $D^*$.
#
# ## 1. From noise to an integral over $x$
#
# $$V(D, G) = \mathbb{E}_{x \sim p_\text{data}} \log D(x)
#   + \mathbb{E}_{z \sim p_z} \log\bigl(1 - D(G(z))\bigr).$$
#
# The second expectation is over the noise $z$. But $x = G(z)$ is a random variable whose law
# is, by definition, $p_g$; so the expectation of any function of $G(z)$ is the expectation of
# that function under $p_g$ (a change of variables, sometimes called the law of the
# unconscious statistician):
#
# $$\mathbb{E}_{z \sim p_z} \log\bigl(1 - D(G(z))\bigr) = \mathbb{E}_{x \sim p_g} \log(1 - D(x))
#   = \int p_g(x) \log(1 - D(x))\, dx,$$
#
# $$V(D, G) = \int \Bigl[\, p_\text{data}(x) \log D(x)
#   + p_g(x) \log\bigl(1 - D(x)\bigr) \Bigr]\, dx.$$
#
# G now appears only through its density $p_g$, and D only through its value at each $x$.
#
# ## 2. The best D, one point at a time
#
# Since the integrand at $x$ involves $D(x)$ alone, D can maximise it at every $x$ separately.
# Write $a = p_\text{data}(x) \ge 0$, $b = p_g(x) \ge 0$ (not both 0) and $y = D(x) \in (0, 1)$:
#
# $$f(y) = a \log y + b \log(1 - y), \qquad f'(y) = \frac{a}{y} - \frac{b}{1 - y} = 0
#   \iff a(1 - y) = b\,y \iff y = \frac{a}{a + b},$$
#
# and $f''(y) = -a/y^2 - b/(1 - y)^2 < 0$, so $f$ is concave and this is its maximum. Hence
#
# $$D^*_G(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}.$$
#
# (Where $a = b = 0$ nothing depends on $D(x)$: no point is ever drawn there.)
#
# ## 3. Two divergences
#
# The **Kullback–Leibler divergence**
# $\mathrm{KL}(p \,\|\, q) = \int p(x) \log \frac{p(x)}{q(x)}\, dx$ is $\ge 0$, and $= 0$
# only when $p = q$ (by Jensen's inequality,
# $-\mathrm{KL} = \int p \log \frac{q}{p} \le \log \int p\,\frac{q}{p} \le \log 1 = 0$).
# It is not symmetric, and it is infinite when $q = 0$ where $p > 0$. The
# **Jensen–Shannon divergence** compares both densities with their average
# $m = \tfrac12(p + q)$:
#
# $$\mathrm{JSD}(p \,\|\, q) = \tfrac12 \mathrm{KL}(p \,\|\, m)
#   + \tfrac12 \mathrm{KL}(q \,\|\, m).$$
#
# It is symmetric, always finite, $\ge 0$ with equality only at $p = q$, and $\le \log 2$
# (because $\mathrm{KL}(p \,\|\, m) = \int p \log \frac{2p}{p + q} \le \int p \log 2 = \log 2$).
#
# ## 4. What G is left to minimise
#
# Put $D^*$ back into $V$:
#
# $$C(G) = \max_D V(D, G)
#   = \mathbb{E}_{p_\text{data}} \log \frac{p_\text{data}}{p_\text{data} + p_g}
#   + \mathbb{E}_{p_g} \log \frac{p_g}{p_\text{data} + p_g}.$$
#
# Split off $\log 2$:
# $\frac{p_\text{data}}{p_\text{data} + p_g} = \frac12 \cdot \frac{p_\text{data}}{m}$
# with $m = \tfrac12(p_\text{data} + p_g)$, and the same for $p_g$. Each expectation of the
# constant $\log\tfrac12$ is $-\log 2$, so
#
# $$C(G) = -\log 4 + \mathrm{KL}(p_\text{data} \,\|\, m) + \mathrm{KL}(p_g \,\|\, m)
#   = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g).$$
#
# Since $\mathrm{JSD} \ge 0$ with equality only at $p_g = p_\text{data}$, the smallest value of
# $C(G)$ is $-\log 4$, reached exactly when G reproduces the data, where $D^* = \tfrac12$
# (Theorem 1). Since $\mathrm{JSD} \le \log 2$, $C(G) \le 0$.

# %%
import os

import numpy as np

from minigan import metrics
from minigan.data import Gaussian1D, Uniform1D
from minigan.layers import sigmoid
from minigan.pictures.plots import figure
from minigan.theory import optimal_d

FAST = os.environ.get("MINIGAN_FAST") == "1"          # the test suite's short run
OUT = os.environ.get("MINIGAN_OUT", "lesson_figures")  # where the figures go
os.makedirs(OUT, exist_ok=True)

# the trained D̂ of §6: D updates, batch, Adam lr (decayed to 0), seeds, steps between evaluations
train_cfg = optimal_d.Settings(seeds=3)
if FAST:
    train_cfg = optimal_d.Settings(steps=100, batch=128, lr=1e-2, seeds=1, eval_every=10)

# %% [markdown]
# ## 5. The numbers: $p_\text{data} = N(0, 1)$, $p_g = N(1, 2^2)$
#
# On a fine grid (`optimal_d.GRID`, $[-30, 30]$, step 0.01) we compute the two sides
# separately: the left one integrates $V(D^*, G)$ itself (`value_at_optimum`), the right one
# never forms $D^*$ and computes the JSD from its KL form (`metrics.jsd`). Both should give
# −1.1299444150, a value we computed for minigan by quadrature (docs/references.md §1; it is not
# printed in the paper).

# %%
p_dist, q_dist = Gaussian1D(0, 1), Gaussian1D(1, 2)
p, q, w = optimal_d.densities(p_dist, q_dist)          # on optimal_d.GRID, normalised; weights
x = optimal_d.GRID
d_star = optimal_d.optimal_d(p, q)                      # p / (p + q)
c_g = optimal_d.value_at_optimum(p, q, w)               # ∫ p log D* + q log(1 − D*)
print(f"D*(0)                   = {d_star[np.argmin(np.abs(x))]:.6f}")
print(f"V(D*, G) by quadrature  = {c_g:.10f}")
print(f"−log 4 + 2·JSD(p ‖ q)   = {optimal_d.c_from_jsd(p, q):.10f}")
print(f"recorded value (ours)   = {optimal_d.REFERENCE_C:.10f}")
m = (p + q) / 2                                         # the mixture of §4
print(f"KL(p ‖ m) + KL(q ‖ m)   = {metrics.kl(p, m, x) + metrics.kl(q, m, x):.10f}"
      f"  (= 2·JSD = {2 * metrics.jsd(p, q, x):.10f})")

# %% [markdown]
# The identity holds for any pair of densities, not just this one. `optimal_d.family()` holds 48
# pairs: Gaussians $N(0, 1)$ against $N(\mu, \sigma^2)$, mixtures, two pairs with disjoint
# supports and two identical pairs. Each should land on the line $-\log 4 + 2\,\mathrm{JSD}$.

# %%
family = []
for group, label, pd, qd in optimal_d.family():
    pp, qq, ww = optimal_d.densities(pd, qd)
    family.append((group, metrics.jsd(pp, qq, x), optimal_d.value_at_optimum(pp, qq, ww),
                   optimal_d.c_from_jsd(pp, qq)))
worst = max(abs(v - c) for _, _, v, c in family)
print(f"{len(family)} pairs: max |V(D*, G) − (−log 4 + 2·JSD)| = {worst:.1e}")

# %% [markdown]
# ## 6. A trained discriminator approaches $D^*$
#
# Proposition 1 is about the *best* D. A real D is an MLP trained by gradient steps on samples:
# here `MLP([1, 32, 32, 1])` trained with `losses.d_gan` $= -V$ on fresh batches from
# $p_\text{data}$ and from the fixed $p_g$ (`optimal_d.train_discriminator`), with $V(\hat D, G)$
# computed exactly on the grid from its logits as it trains. For *every* D,
#
# $$C(G) - V(D, G) = \int \bigl(p_\text{data} + p_g\bigr)\,
#   \mathrm{KL}\bigl(\mathrm{Bern}(D^*(x)) \,\|\, \mathrm{Bern}(D(x))\bigr)\, dx \;\ge\; 0$$
#
# (write $a = (a + b) D^*$, $b = (a + b)(1 - D^*)$ in the integrand), so $V(\hat D, G)$ can only
# approach $C(G)$ from below; what training must show is that the gap closes.

# %%
d_hat, curves = [], []
for seed in range(train_cfg.seeds):
    rng = np.random.default_rng([optimal_d.CLAIM, seed])
    logits, steps, values = optimal_d.train_discriminator(p_dist, q_dist, train_cfg, rng, p, q, w)
    d_hat.append(sigmoid(logits))
    curves.append(values)
mass = m >= 0.05 * m.max()                              # where the densities have mass
for seed, (dh, v) in enumerate(zip(d_hat, curves)):
    print(f"seed {seed}: C(G) − V(D̂, G) = {c_g - v[0]:.3f} untrained → {c_g - v[-1]:.2e} after "
          f"{steps[-1]} steps;  max |D̂ − D*| where p + q has mass: "
          f"{np.max(np.abs(dh - d_star)[mass]):.3f}")

# %%
fig = figure(16, 4.8)
ax1, ax2, ax3 = fig.subplots(1, 3)
sel = (x >= -6) & (x <= 7)
ax1.plot(x[sel], p[sel], "k:", lw=2, label="p_data = N(0, 1)")
ax1.plot(x[sel], q[sel], "g-", lw=1.5, label="p_g = N(1, 2²)")
ax1.plot(x[sel], d_star[sel], "b--", lw=2.5, label="D* = p_data/(p_data + p_g)")
for k, dh in enumerate(d_hat):
    ax1.plot(x[sel], dh[sel], color="tab:orange", lw=1,
             label=f"trained D̂ ({len(d_hat)} seeds)" if k == 0 else None)
ax1.axhline(0.5, color="0.5", lw=0.8, ls="-.", label="D = ½")
ax1.set(xlabel="x", ylabel="density  ·  D(x) (probability)", ylim=(0, 1.05))
ax1.set_title("(a) the trained D̂ lies on D* where the data are;\n"
              "off the data (no samples) it is unconstrained", fontsize=10)
ax1.legend(fontsize=8, loc="upper left")
for k, v in enumerate(curves):
    ax2.plot(steps[1:], v[1:], lw=1.2,
             label=f"V(D̂, G), seed {k}: gap {c_g - v[-1]:.1e} at the end")
ax2.axhline(c_g, color="k", ls="--", lw=1.5, label=f"C(G) = V(D*, G) = {c_g:.4f}")
ax2.set(xscale="log", xlabel="D steps (Adam, learning rate decayed to 0)",
        ylabel="V(D̂, G)  [nats; ≤ C(G) for every D]")
ax2.set_title("(b) V(D̂, G) climbs to C(G) from below\nas D̂ trains, and never above it",
              fontsize=10)
ax2.legend(fontsize=8, loc="lower right")
marks = {"gaussian": "o", "mixture": "s", "disjoint": "^", "identical": "D"}
js = np.linspace(0, np.log(2), 50)
ax3.plot(js, -np.log(4) + 2 * js, "k-", lw=1, label="−log 4 + 2·JSD")
for group, mk in marks.items():
    pts = np.array([(j, v) for g, j, v, _ in family if g == group])
    ax3.plot(pts[:, 0], pts[:, 1], mk, mfc="none", ms=6, label=f"V(D*, G): {group} ({len(pts)})")
ax3.axhline(-np.log(4), color="0.5", lw=0.8, ls=":")
ax3.axhline(0, color="0.5", lw=0.8, ls=":")
ax3.text(0.05, -np.log(4) + 0.03, "−log 4: p_g = p_data", fontsize=8, color="0.3")
ax3.text(0.02, -0.06, "0: disjoint supports (JSD = log 2)", fontsize=8, color="0.3")
ax3.set(xlabel="JSD(p_data ‖ p_g)  [nats]", ylabel="C(G) = V(D*, G)  [nats]")
ax3.set_title(f"(c) C(G) = −log 4 + 2·JSD for all {len(family)} pairs\n"
              f"(max |difference| {worst:.0e})", fontsize=10)
ax3.legend(fontsize=8, loc="lower right")
fig.suptitle("The best discriminator is D* = p_data/(p_data + p_g), and against it "
             "G minimises C(G) = −log 4 + 2·JSD(p_data ‖ p_g)")
fig.savefig(os.path.join(OUT, "03_optimal_discriminator.png"))
fig

# %% [markdown]
# ## Exercise
#
# Let $p_\text{data} = U[-3, -1]$ and $p_g = U[1, 3]$: two uniform densities that do not
# overlap. **Predict $C(G)$** before you run the next cell. Would it change if $p_g$ moved to
# $U[20, 22]$?
#
# <details><summary>Solution</summary>
#
# Where $p_\text{data} > 0$, $p_g = 0$, so $D^* = 1$ and $\log D^* = 0$; where $p_g > 0$,
# $D^* = 0$ and $\log(1 - D^*) = 0$. Both integrands vanish: $C(G) = 0$. Through the JSD:
# on each support $m$ is half of the density there, so $\mathrm{KL}(p_\text{data} \,\|\, m) =
# \mathrm{KL}(p_g \,\|\, m) = \log 2$, $\mathrm{JSD} = \log 2$ (its maximum) and
# $C(G) = -\log 4 + 2\log 2 = 0$, the largest value $C$ can take. Moving $p_g$ to $U[20, 22]$
# changes nothing: the JSD of two disjoint densities is $\log 2$ however far apart they are,
# so it cannot tell G which way to move. That is the weakness the Wasserstein distance repairs.
#
# </details>

# %%
for lo, hi in ((1, 3), (20, 22)):
    pu, qu, wu = optimal_d.densities(Uniform1D(-3, -1), Uniform1D(lo, hi))
    c_u = optimal_d.value_at_optimum(pu, qu, wu)
    print(f"U[−3, −1] vs U[{lo}, {hi}]: V(D*, G) = {c_u:.2e}, "
          f"−log 4 + 2·JSD = {optimal_d.c_from_jsd(pu, qu):.2e}, "
          f"JSD = {metrics.jsd(pu, qu, x):.6f} (log 2 = {np.log(2):.6f})")
    assert abs(c_u) < 1e-9 and abs(optimal_d.c_from_jsd(pu, qu)) < 1e-9

# %% [markdown]
# **What you should now be able to say.** By a change of variables $V$ becomes one integral
# over $x$, maximised pointwise by $D^* = p_\text{data}/(p_\text{data} + p_g)$; putting $D^*$
# back gives $C(G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)$, smallest ($-\log 4$)
# exactly at $p_g = p_\text{data}$ — and since $C(G) = \max_D V(D, G)$, the value of a trained D,
# $V(\hat D, G)$, can only approach $C(G)$ from below, while $\hat D$ itself approaches $D^*$
# where the data are.
