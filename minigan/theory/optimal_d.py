r"""Claim 1 — the optimal discriminator and C(G) = −log 4 + 2·JSD (Goodfellow et al. 2014).

Proposition 1: for a fixed G, V(D, G) = ∫ p_data log D + p_g log(1 − D) dx is maximised
pointwise (a log y + b log(1 − y) peaks at y = a/(a + b)), so

    D*(x) = p_data(x) / (p_data(x) + p_g(x)).

Theorem 1: C(G) = V(D*, G) = −log 4 + KL(p_data ‖ m) + KL(p_g ‖ m) = −log 4 + 2·JSD(p_data ‖ p_g),
m = (p_data + p_g)/2; the minimum −log 4 is reached iff p_g = p_data.

Analytic side. For 1-D densities on a grid we compute the two sides separately:
  left  = V(D*, G) by trapezoid quadrature, with log D* = log p − log(p + q) and
          log(1 − D*) = log q − log(p + q) (no 1 − D* cancellation), 0·log 0 = 0;
  right = −log 4 + 2·metrics.jsd(p, q, grid), which never forms D*.
Both use the same normalised grid values, so they agree to rounding (~1e-15): the theorem is an
identity of the discrete sums too. The absolute accuracy of the quadrature is checked against the
Our own quadrature value C(G) = −1.1299444150 for N(0, 1) vs N(1, 2²) (docs/references.md §1;
not a number printed in the GAN paper).

Learned side. An MLP discriminator trained with the minimax loss (losses.d_gan = −V) on fresh
samples of p_data = N(0, 1) and a fixed p_g = N(1, 2²) should approach D*: we report V(D̂, G) (by
the same quadrature, the exact expectation of the trained D̂) against C(G), and max |D̂ − D*|
where the densities have mass, over several seeds. V(D̂, G) ≤ C(G) holds for *every* D — the
gap is C(G) − V(D, G) = ∫ (p + q) KL(Bern(D*) ‖ Bern(D)) dx ≥ 0 — so checking it would prove
nothing. What training must show is that the gap *closes*: the row "gap at T / gap at T/10"
fails if D̂ stalls after the first tenth of its steps (ratio ≈ 1) or wanders off (ratio > 1).
Measured (seeds 0–19 quick, 0–9 full): the ratio is 0.03–0.10 quick, 0.06–0.11 full; the bound
0.2 is twice the worst seed.
"""
from dataclasses import dataclass

import numpy as np

from .. import metrics
from ..data import Gaussian1D, Mixture1D, Uniform1D, get_dataset
from ..layers import sigmoid
from ..mlp import MLP
from ..optim import Adam
from ..pictures.plots import figure
from .report import Check, run_label, seed_check
from .steps import d_step

CLAIM, TITLE = 1, "The optimal discriminator and C(G) = −log 4 + 2·JSD"
REFERENCE_C = -1.1299444150          # docs/references.md §1: our quadrature, N(0, 1) vs N(1, 2²), 10 digits
GRID = np.linspace(-30.0, 30.0, 6001)  # h = 0.01; N(1, 2²) is ~1e-46 at the ends


@dataclass(frozen=True)
class Settings:
    steps: int = 2000       # D updates
    batch: int = 512        # real and fake samples per update
    lr: float = 3e-3        # Adam (β = 0.5, 0.999), decayed linearly to 0 so that D̂ settles
    width: int = 32         # D = MLP([1, width, width, 1], tanh)
    seeds: int = 5
    eval_every: int = 50    # steps between two evaluations of V(D̂, G) for the figure
    gap_tol: float = 5e-3   # |V(D̂, G) − C(G)| allowed, nats
    d_tol: float = 0.1      # max |D̂ − D*| allowed where (p + q)/2 ≥ 5 % of its maximum
    shrink: float = 0.2     # (C − V(D̂)) after all steps / after a tenth of them must be ≤ this


QUICK = Settings(steps=300, batch=256, lr=1e-2, seeds=3, eval_every=10)


# --- the analytic side ----------------------------------------------------------------------

def densities(p_dist, q_dist, grid=GRID):
    r"""p, q on the grid, normalised so that Σ w p = Σ w q = 1 (metrics.normalise_density, as
    metrics.jsd does), and the trapezoid weights w. Subnormal tail values are kept: nothing
    below forms (p + q)/2, and log D* = log p − log(p + q) is finite wherever p > 0.
    Returns p, q, w: (G,) each.
    """
    p, q = (metrics.normalise_density(d.pdf(grid), grid, name) for d, name in
            ((p_dist, "p_data"), (q_dist, "p_g")))
    return p, q, metrics.trapezoid_weights(grid)


def optimal_d(p, q):
    r"""D*(x) = p/(p + q) (Prop. 1); ½ where p = q = 0 (no mass there: any value is optimal)."""
    s = p + q
    return np.divide(p, s, out=np.full_like(s, 0.5), where=s > 0)


def _xlogy_ratio(a, s):
    r"""a · log(a/s) with 0·log 0 = 0 (s ≥ a ≥ 0)."""
    out = np.zeros_like(a)
    m = a > 0
    out[m] = a[m] * (np.log(a[m]) - np.log(s[m]))
    return out


def value_at_optimum(p, q, w):
    r"""V(D*, G) = Σ_i w_i [p_i log D*_i + q_i log(1 − D*_i)]   (Eq. 1 at D = D*)."""
    s = p + q
    return float(w @ _xlogy_ratio(p, s) + w @ _xlogy_ratio(q, s))


def value_of_logits(p, q, w, t):
    r"""V(D, G) for D = σ(t): Σ w [p log σ(t) + q log(1 − σ(t))] = −Σ w [p sp(−t) + q sp(t)]."""
    return float(-(w @ (p * np.logaddexp(0, -t))) - w @ (q * np.logaddexp(0, t)))


def c_from_jsd(p, q, grid=GRID):
    r"""The other side: −log 4 + 2·JSD(p ‖ q), JSD from minigan.metrics (the KL form)."""
    return -np.log(4) + 2 * metrics.jsd(p, q, grid)


def family():
    r"""(group, label, p_data, p_g) pairs: Gaussians, mixtures, disjoint supports, identical."""
    std = Gaussian1D(0, 1)
    pairs = [("gaussian", f"N({mu:g}, {s:g}²)", std, Gaussian1D(mu, s))
             for s in (0.5, 1.0, 2.0) for mu in np.arange(-3.0, 3.01, 0.5)]
    mix = get_dataset("mixture1d")
    pairs += [("mixture", "mixture1d vs " + name, mix, q) for name, q in [
        ("N(0, 1)", std), ("N(0, 3²)", Gaussian1D(0, 3)), ("bimodal", get_dataset("bimodal")),
        ("½N(−3,.4²)+½N(3,.4²)", Mixture1D([-3, 3], 0.4)), ("N(5, 1)", Gaussian1D(5, 1))]]
    pairs += [("disjoint", "U[−3, −1] vs U[1, 3]", Uniform1D(-3, -1), Uniform1D(1, 3)),
              ("disjoint", "U[−1, 0] vs U[0.5, 4]", Uniform1D(-1, 0), Uniform1D(0.5, 4))]
    pairs += [("identical", "N(0, 1) vs N(0, 1)", std, Gaussian1D(0, 1)),
              ("identical", "mixture1d vs mixture1d", mix, get_dataset("mixture1d"))]
    return pairs


# --- the learned side -----------------------------------------------------------------------

def train_discriminator(p_dist, q_dist, cfg, rng, p, q, w, grid=GRID):
    r"""Train D̂ with d_gan on fresh samples.

    Returns (logits of D̂ on the grid (G,), evaluation steps (E,), V(D̂, G) at those steps (E,)).
    """
    D = MLP([1, cfg.width, cfg.width, 1], "tanh", rng=rng)
    opt = Adam(D.params, lr=cfg.lr, betas=(0.5, 0.999))
    steps, values = [0], [value_of_logits(p, q, w, D(grid[:, None])[:, 0])]
    for k in range(1, cfg.steps + 1):
        opt.lr = cfg.lr * (1 - (k - 1) / cfg.steps)          # linear decay to 0
        x_real, _ = p_dist.sample(cfg.batch, rng)            # (N, 1)
        x_fake, _ = q_dist.sample(cfg.batch, rng)            # (N, 1)
        d_step(D, opt, x_real, x_fake)
        if k % cfg.eval_every == 0 or k == cfg.steps:
            steps.append(k)
            values.append(value_of_logits(p, q, w, D(grid[:, None])[:, 0]))
    return D(grid[:, None])[:, 0], np.array(steps), np.array(values)


@dataclass
class Result:
    checks: list
    quick: bool
    seeds: list
    grid: np.ndarray
    p: np.ndarray               # p_data = N(0, 1) on the grid
    q: np.ndarray               # p_g = N(1, 2²)
    d_star: np.ndarray
    d_hat: np.ndarray           # (S, G) σ(logits) of every seed's trained D̂
    c_g: float
    curve_steps: np.ndarray
    curves: np.ndarray          # (S, E) V(D̂, G) during training
    fam: list                   # (group, label, V(D*, G), −log 4 + 2·JSD, JSD)


def run(quick=False, seed=0):
    cfg = QUICK if quick else Settings()
    checks = []
    # 1) the identity on the test pair, and our recorded quadrature value
    p_dist, q_dist = Gaussian1D(0, 1), Gaussian1D(1, 2)
    p, q, w = densities(p_dist, q_dist)
    c_g = value_at_optimum(p, q, w)
    checks.append(Check(CLAIM, "V(D*,G) = −log4 + 2·JSD, N(0,1) vs N(1,2²)", c_g,
                        c_from_jsd(p, q), tol=1e-9))
    checks.append(Check(CLAIM, "V(D*,G) = recorded quadrature value", c_g, REFERENCE_C, tol=5e-11,
                        note="10 digits given: tolerance is half a unit in the last digit"))
    # 2) the family: worst pair per group
    fam = []
    for group, label, pd, qd in family():
        pp, qq, ww = densities(pd, qd)
        fam.append((group, label, value_at_optimum(pp, qq, ww), c_from_jsd(pp, qq),
                    metrics.jsd(pp, qq, GRID)))
    for group, text in (("gaussian", "Gaussians N(0,1) vs N(μ,σ²)"), ("mixture", "mixtures")):
        rows = [f for f in fam if f[0] == group]
        worst = max(rows, key=lambda f: abs(f[2] - f[3]))
        checks.append(Check(CLAIM, f"V(D*,G) = −log4 + 2·JSD, {len(rows)} {text}", worst[2],
                            worst[3], tol=1e-9, note=f"worst pair: {worst[1]}"))
    for group, target, text in (("disjoint", 0.0, "disjoint supports: C(G) = −log4 + 2log2 = 0"),
                                ("identical", -np.log(4), "identical densities: C(G) = −log 4")):
        rows = [f for f in fam if f[0] == group]
        worst = max(rows, key=lambda f: abs(f[2] - target))
        checks.append(Check(CLAIM, text, worst[2], target, tol=1e-9,
                            note=f"worst of {len(rows)}: {worst[1]}, JSD = {worst[4]:.12f}"))
    # 3) the learned D̂, several seeds
    seeds = list(range(seed, seed + cfg.seeds))
    d_star = optimal_d(p, q)
    m = (p + q) / 2
    mass = m >= 0.05 * m.max()
    d_hat, curves = [], []
    for s in seeds:
        t, curve_steps, values = train_discriminator(p_dist, q_dist, cfg,
                                                     np.random.default_rng([CLAIM, s]), p, q, w)
        d_hat.append(sigmoid(t))
        curves.append(values)
    d_hat, curves = np.array(d_hat), np.array(curves)
    gaps = c_g - curves                                              # (S, E), ≥ 0 for any D
    checks.append(seed_check(CLAIM, f"learned: V(D̂,G) → C(G) after {cfg.steps} D steps",
                             curves[:, -1], c_g, tol=cfg.gap_tol,
                             note=f"untrained D: C − V = {np.mean(gaps[:, 0]):.3f} (mean)"))
    early = int(np.searchsorted(curve_steps, cfg.steps // 10))      # first evaluation ≥ T/10
    checks.append(seed_check(CLAIM, f"learned: gap C − V(D̂) closes, step {cfg.steps} / step "
                                    f"{curve_steps[early]}", gaps[:, -1] / gaps[:, early],
                             cfg.shrink, relation="<=",
                             note=f"C − V = {np.mean(gaps[:, early]):.2g} → "
                                  f"{np.mean(gaps[:, -1]):.2g} (mean)"))
    err = np.abs(d_hat - d_star)[:, mass].max(axis=1)
    checks.append(seed_check(CLAIM, "learned: max|D̂ − D*| where p+q has mass", err, 0.0,
                             tol=cfg.d_tol,
                             note=f"x ∈ [{GRID[mass][0]:.2f}, {GRID[mass][-1]:.2f}]"))
    return Result(checks, quick, seeds, GRID, p, q, d_star, d_hat, c_g, curve_steps, curves, fam)


# --- the figure -----------------------------------------------------------------------------

def plot(res, path):
    fig = figure(15, 4.6)
    ax1, ax2, ax3 = fig.subplots(1, 3)
    # (a) Goodfellow et al. Figure 1: p_data dotted black, p_g green, D blue dashed
    x, sel = res.grid, (res.grid >= -6) & (res.grid <= 7)
    ax1.plot(x[sel], res.p[sel], "k:", lw=2, label="p_data = N(0, 1)")
    ax1.plot(x[sel], res.q[sel], "g-", lw=1.5, label="p_g = N(1, 2²)")
    ax1.plot(x[sel], res.d_star[sel], "b--", lw=2, label="D* = p_data/(p_data + p_g)")
    for k, dh in enumerate(res.d_hat):
        ax1.plot(x[sel], dh[sel], color="tab:orange", lw=1, alpha=0.8,
                 label=f"trained D̂ ({len(res.d_hat)} seeds)" if k == 0 else None)
    z = np.linspace(-2, 2, 9)                                   # z line and x = G(z) = 1 + 2z
    ax1.hlines([-0.12, -0.28], -6, 7, color="0.4", lw=0.8)
    for zi in z:
        ax1.annotate("", xy=(1 + 2 * zi, -0.12), xytext=(zi, -0.28),
                     arrowprops=dict(arrowstyle="->", color="0.4", lw=0.8))
    ax1.text(-5.8, -0.26, "z", color="0.3")
    ax1.text(-5.8, -0.10, "x = G(z)", color="0.3")
    ax1.set_ylim(-0.33, 1.05)
    ax1.set_xlabel("x")
    ax1.set_title("(a) D* and the trained D̂ (Goodfellow Fig. 1 style)")
    ax1.legend(loc="upper right", fontsize=8)
    # (b) C(G) against JSD over the family
    marks = {"gaussian": ("o", "tab:blue"), "mixture": ("s", "tab:purple"),
             "disjoint": ("^", "tab:red"), "identical": ("D", "tab:green")}
    js = np.linspace(0, np.log(2), 50)
    ax2.plot(js, -np.log(4) + 2 * js, "k-", lw=1, label="−log 4 + 2·JSD (metrics.jsd)")
    for group, (mk, col) in marks.items():
        pts = np.array([(f[4], f[2]) for f in res.fam if f[0] == group])
        ax2.plot(pts[:, 0], pts[:, 1], mk, color=col, ms=6, mfc="none",
                 label=f"V(D*, G) by quadrature: {group} ({len(pts)})")
    worst = max(abs(f[2] - f[3]) for f in res.fam)
    ax2.set_xlabel("JSD(p_data ‖ p_g)  [nats]")
    ax2.set_ylabel("C(G) = V(D*, G)")
    ax2.set_title(f"(b) C(G) vs JSD, {len(res.fam)} pairs: max |diff| = {worst:.1e}")
    ax2.legend(fontsize=8, loc="upper left")
    # (c) the learned side converging
    for k, curve in enumerate(res.curves):
        ax3.plot(res.curve_steps[1:], res.c_g - curve[1:], lw=1, label=f"seed {res.seeds[k]}")
    ax3.axhline(QUICK.gap_tol if res.quick else Settings().gap_tol, color="k", ls=":",
                label="tolerance")
    ax3.set_xscale("log")
    ax3.set_yscale("log")
    ax3.set_xlabel("D steps")
    ax3.set_ylabel("C(G) − V(D̂, G)  [nats, ≥ 0]")
    ax3.set_title("(c) V(D̂, G) → C(G) while D̂ trains")
    ax3.legend(fontsize=8)
    fig.suptitle(f"Claim 1 — {TITLE}   [{run_label(res.quick, res.seeds)}]")
    fig.savefig(path)
