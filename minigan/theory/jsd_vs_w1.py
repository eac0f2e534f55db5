r"""Claim 3 — why JSD fails and W1 does not (source §5; Arjovsky et al. 2017, Example 1).

Parallel lines: Z ~ U[0, 1], P_0 = law of (0, Z), P_θ = law of (θ, Z). Then
    W1(P_0, P_θ) = |θ|,   JSD(P_0, P_θ) = log 2 for θ ≠ 0 (0 at θ = 0),
so the JSD is flat — its θ-gradient is 0 — wherever the supports are disjoint, while W1 keeps
the gradient sign(θ) that tells the generator which way to move.

Both measures are μ_θ ⊗ U[0, 1] with μ_θ = δ_θ. The JSD reduces to the x-marginals (the density
ratio of P_0 and P_θ does not depend on z): we compute it with metrics.jsd on a 1-D grid of
spacing h where δ_θ is a unit mass split linearly between the two nearest grid nodes, so
JSD(θ) = log 2 exactly once |θ| ≥ h.

W1 we measure on 2-D samples, with z drawn independently for the two lines. (Their x-coordinates
alone would be constant arrays, 0 and θ: a W1 of |θ| between those cannot fail.) P_θ is P_0
translated by c = (θ, 0), and for a translate W1 = ‖c‖ (≥ ‖E x − E y‖ = ‖c‖, ≤ by the coupling
y = x + c). Each 1-D projection onto a unit u is a translate too, by u·c, so the sliced distance
of metrics.sliced_w is SW_1 = E_u |u·c| = ‖c‖ E|cos φ| = 2‖c‖/π in 2-D. The rows compare
(π/2)·SW_1 of the samples with |θ|: that fails if P_θ is not a translate of P_0 in law (say its z
had another spread) or if sliced_w is wrong. Its noise is mostly the L random directions:
sd(|cos φ|)/E|cos φ| /√L = 0.48/√L, 1.5 % for L = 1000; measured over 100 seeds at θ = 0.5 and
1.5 (n = 2000 per line): relative error sd 1.5 %, worst 3.8 %, for the value and for the
gradient alike, so the tolerance is 6 % of |θ| (4 sd). (For |θ| ≪ 1, the spread of z, the
sampling noise of z adds to it: at θ = 0.05 the worst of 50 seeds is 9 %.)

Narrow Gaussians: p = N(0, σ²), p_θ = N(θ, σ²), σ = 0.1. They overlap everywhere, but once
|θ| ≫ σ the JSD is log 2 to many digits and its gradient ~ e^{−θ²/8σ²}; W1 = |θ| exactly.
Gradients are central finite differences in θ (common random numbers for the sample-based W1).
"""
from dataclasses import dataclass

import numpy as np

from .. import metrics
from ..data import Gaussian1D
from ..pictures.plots import figure
from .report import Check, run_label

CLAIM, TITLE = 3, "Why JSD fails and W1 does not (WGAN Example 1)"
LINE_GRID = np.linspace(-3.0, 3.0, 601)      # h = 0.01 for the Dirac x-marginals of the lines
GAUSS_GRID = np.linspace(-4.0, 4.0, 8001)    # h = 0.001 for N(·, 0.1²)
SIGMA = 0.1
THETAS = np.linspace(-2.0, 2.0, 401)
THETA0, DELTA = 0.5, 1e-3                    # the rows' θ for the lines, and the FD step
THETA_G = 1.0                                # the rows' θ for the Gaussians (10 σ)
N_SAMPLES = 20000                            # 1-D Gaussian samples
N_LINE, N_PROJ, LINE_RTOL = 2000, 1000, 0.06  # 2-D samples per line, directions, tolerance/|θ|


def dirac_on_grid(theta, grid):
    r"""δ_θ as grid values: mass split linearly between the two nodes around θ (G,)."""
    f = np.zeros_like(grid)
    i = int(np.clip(np.searchsorted(grid, theta) - 1, 0, len(grid) - 2))
    a = (theta - grid[i]) / (grid[i + 1] - grid[i])
    f[i], f[i + 1] = 1 - a, a
    return f


def jsd_lines(theta):
    """JSD(P_0, P_θ) for the parallel lines, via their x-marginals on LINE_GRID."""
    return metrics.jsd(dirac_on_grid(0.0, LINE_GRID), dirac_on_grid(theta, LINE_GRID), LINE_GRID)


def sample_lines(theta, n, rng):
    """n samples (x, z) of P_θ: (n, 2)."""
    return np.stack([np.full(n, float(theta)), rng.random(n)], axis=1)


def w1_lines(n, n_proj, rng):
    r"""θ ↦ (π/2)·SW_1(P_0, P_θ) on 2-D samples: the estimate of W1(P_0, P_θ) = |θ|.

    Draws once, from ``rng``: n points (0, z) of P_0, n values z′ for P_θ = law of (θ, z′)
    (independent of z), and the seed of the n_proj directions. The returned function rebuilds
    the samples of P_θ for its θ and reuses all of these (common random numbers), so its finite
    differences in θ are not swamped by resampling. Returns a function float -> float.
    """
    x0 = sample_lines(0.0, n, rng)                               # (n, 2)
    z1 = rng.random(n)                                           # (n,)
    seed = int(rng.integers(2**63))

    def estimate(theta):
        x1 = np.stack([np.full(n, float(theta)), z1], axis=1)    # (n, 2)
        return np.pi / 2 * metrics.sliced_w(x0, x1, n_proj, np.random.default_rng(seed))

    return estimate


def _gauss(mu):
    return Gaussian1D(mu, SIGMA).pdf(GAUSS_GRID)   # subnormal tails are fine: see metrics.jsd


def jsd_gauss(theta):
    return metrics.jsd(_gauss(0.0), _gauss(theta), GAUSS_GRID)


def w1_gauss_density(theta):
    return metrics.w1_density(_gauss(0.0), _gauss(theta), GAUSS_GRID)


def fd(f, theta, delta=DELTA):
    r"""Central difference (f(θ + δ) − f(θ − δ)) / 2δ."""
    return (f(theta + delta) - f(theta - delta)) / (2 * delta)


@dataclass
class Result:
    checks: list
    quick: bool
    thetas: np.ndarray
    curves: dict              # name -> (values over THETAS, FD gradients over THETAS)


def run(quick=False, seed=0):
    rng = np.random.default_rng([CLAIM, seed])
    # the rows: lines at θ = 0.5, Gaussians at θ = 1
    n = N_SAMPLES // 4 if quick else N_SAMPLES
    eps = rng.standard_normal((2, n))                          # common random numbers
    x0 = SIGMA * eps[0]

    def w1_samples(theta):
        return metrics.w1(x0, theta + SIGMA * eps[1])

    w1_line = w1_lines(N_LINE, N_PROJ, rng)
    line_note = f"(π/2)·sliced_w, {N_LINE} 2-D samples per line, {N_PROJ} directions"
    checks = [
        Check(CLAIM, f"lines: JSD(P_0, P_θ) = log 2 at θ = {THETA0}", jsd_lines(THETA0), np.log(2),
              tol=1e-12, note=f"x-grid h = {LINE_GRID[1] - LINE_GRID[0]:.2g}"),
        Check(CLAIM, f"lines: ∂JSD/∂θ = 0 at θ = {THETA0}", fd(jsd_lines, THETA0), 0.0, tol=1e-9),
        Check(CLAIM, f"lines: W1(P_0, P_θ) = |θ| at θ = {THETA0}", w1_line(THETA0),
              abs(THETA0), tol=LINE_RTOL * abs(THETA0), note=line_note),
        Check(CLAIM, f"lines: ∂W1/∂θ = sign θ at θ = {THETA0}", fd(w1_line, THETA0), 1.0,
              tol=LINE_RTOL, note="the same samples and directions at θ ± δ"),
        Check(CLAIM, f"N(0,σ²) vs N(θ,σ²), σ={SIGMA}: JSD = log 2 at θ = {THETA_G:g}",
              jsd_gauss(THETA_G), np.log(2), tol=1e-5, note="metrics.jsd on a grid"),
        Check(CLAIM, f"Gaussians: ∂JSD/∂θ ≈ 0 at θ = {THETA_G:g}", fd(jsd_gauss, THETA_G), 0.0,
              tol=1e-4, note=f"for contrast, at θ = σ: {fd(jsd_gauss, SIGMA):.3f}"),
        Check(CLAIM, f"Gaussians: W1 = |θ| at θ = {THETA_G:g}", w1_samples(THETA_G), THETA_G,
              tol=0.01, note=f"metrics.w1 on {n} samples each"),
        Check(CLAIM, f"Gaussians: ∂W1/∂θ = sign θ at θ = {THETA_G:g}", fd(w1_samples, THETA_G),
              1.0, tol=1e-6, note="samples, common random numbers"),
    ]
    # the curves for the figure
    thetas = THETAS[::4] if quick else THETAS
    curves = {}
    for name, f in (("JSD lines", jsd_lines), ("JSD Gaussians", jsd_gauss),
                    ("W1 lines", w1_lines(200, 200, rng)),
                    ("W1 Gaussians", w1_gauss_density)):
        curves[name] = (np.array([f(t) for t in thetas]), np.array([fd(f, t) for t in thetas]))
    return Result(checks, quick, thetas, curves)


def plot(res, path):
    fig = figure(15, 8.4)
    axes = fig.subplots(2, 3)
    th = res.thetas
    # setup pictures
    ax = axes[0, 0]
    ax.plot([0, 0], [0, 1], "k-", lw=3, label="P_0 = (0, Z)")
    ax.plot([1, 1], [0, 1], "g-", lw=3, label="P_θ = (θ, Z), θ = 1")
    ax.annotate("", xy=(1, 0.5), xytext=(0, 0.5), arrowprops=dict(arrowstyle="<->"))
    ax.text(0.5, 0.55, "W1 = |θ|", ha="center")
    ax.set_xlim(-1, 2)
    ax.set_ylim(-0.2, 1.3)
    ax.set_xlabel("x")
    ax.set_ylabel("z ~ U[0, 1]")
    ax.set_title("parallel lines (WGAN Example 1)")
    ax.legend(loc="upper right", fontsize=8)
    ax = axes[1, 0]
    xg = GAUSS_GRID[(GAUSS_GRID > -0.6) & (GAUSS_GRID < 1.6)]
    for mu, style, lab in ((0.0, "k:", "p = N(0, 0.1²)"), (0.3, "g-", "p_θ, θ = 0.3"),
                           (1.0, "g--", "p_θ, θ = 1")):
        ax.plot(xg, Gaussian1D(mu, SIGMA).pdf(xg), style, label=lab)
    ax.set_xlabel("x")
    ax.set_title(f"narrow Gaussians, σ = {SIGMA}")
    ax.legend(fontsize=8)
    for row, kind in ((0, "lines"), (1, "Gaussians")):
        jv, jg = res.curves[f"JSD {kind}"]
        wv, wg = res.curves[f"W1 {kind}"]
        ax = axes[row, 1]
        ax.plot(th, jv, "tab:red", lw=2, label="JSD(θ)  (metrics.jsd)")
        ax.plot(th, wv, "tab:blue", lw=2, label="W1(θ)  (" + ("(π/2)·metrics.sliced_w"
                if kind == "lines" else "metrics.w1_density") + ")")
        ax.axhline(np.log(2), color="tab:red", ls=":", lw=1, label="log 2")
        ax.set_xlabel("θ")
        ax.set_title(f"{kind}: distance between p_data and p_θ")
        ax.legend(fontsize=8, loc="upper center")
        ax = axes[row, 2]
        ax.plot(th, jg, "tab:red", lw=2, label="∂JSD/∂θ")
        ax.plot(th, wg, "tab:blue", lw=2, label="∂W1/∂θ")
        ax.axhline(0, color="k", lw=0.5)
        ax.set_ylim(-2.5, 2.5)
        ax.set_xlabel("θ")
        note = (f"∂JSD/∂θ peaks at ±{np.max(np.abs(jg)):.0f} off the axes: JS jumps at θ = 0"
                if kind == "lines" else "∂JSD/∂θ ≈ 0 once |θ| ≫ σ: no signal for G")
        ax.set_title(f"{kind}: θ-gradients (central differences)\n{note}", fontsize=10)
        ax.legend(fontsize=8, loc="lower right")
    fig.suptitle(f"Claim 3 — {TITLE}   [{run_label(res.quick, [])}]")
    fig.savefig(path)
