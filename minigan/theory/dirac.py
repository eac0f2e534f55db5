r"""Claim 5 — instability in a nutshell: the Dirac-GAN (Mescheder, Geiger, Nowozin 2018).

Data δ₀, generator p_θ = δ_θ, discriminator D_ψ(x) = ψ·x. With f(t) = −log(1 + e^{−t}),
    L(θ, ψ) = f(ψθ) + f(0),   f′(t) = σ(−t),   equilibrium θ = ψ = 0;
D ascends L in ψ, G descends it in θ. The gradient vector fields v = (v_θ, v_ψ) (docs/references.md §6):

    GAN       v_θ = −ψ f′(ψθ),    v_ψ = θ f′(ψθ)
    NS-GAN    v_θ = −ψ f′(−ψθ),   v_ψ = θ f′(ψθ)
    WGAN      v_θ = −ψ,           v_ψ = θ;   ψ clipped to [−c, c] after every step
    WGAN-GP   v_θ = −ψ,           v_ψ = θ − 2λ(|ψ| − 1)·sign ψ
    R1        v_θ = −ψ f′(ψθ),    v_ψ = θ f′(ψθ) − γψ

WGAN-GP here: ∇ₓD_ψ(x) = ψ for every x, so the penalty λ·E(‖∇ₓD‖ − 1)² is λ(|ψ| − 1)² and the
critic ascends ψθ − λ(|ψ| − 1)². Its ψ-derivative has a kink at ψ = 0 (sign 0 = 0 is used there),
so v has no Jacobian at the equilibrium and no eigenvalue row. R1 = (γ/2)E_data‖∇ₓD‖² = (γ/2)ψ².

Jacobian at 0: J = [[0, −f′(0)], [f′(0), −γ]] (γ = 0 without penalty), eigenvalues
−γ/2 ± √(γ²/4 − f′(0)²): ±i/2 for GAN and NS-GAN (f′(0) = ½), ±i for WGAN (f′ ≡ 1), and
−γ/2 ± √(γ²/4 − 1/4) with R1. We compute J by central differences of v and compare.

Steps of size h: simultaneous (θ, ψ) += h·v(θ, ψ); alternating θ += h·v_θ(θ, ψ), then
ψ += h·v_ψ(θ_new, ψ). What the runs from (θ, ψ) = (1, 1) should show, and why:
  GAN      the continuous flow conserves θ² + ψ² (d/dt = 2θψ(f′ − f′) = 0). Simultaneous steps
           multiply it by 1 + h²f′(ψθ)² each step: the orbit spirals out. Alternating steps circle.
  NS-GAN   d(θ² + ψ²)/dt = −2u·tanh(u/2), u = θψ: a weak pull inwards. Averaged over a turn
           (u² ≈ r⁴/8) it gives 1/r² = 1/r₀² + t/8: convergence, but only like 1/√t. Simultaneous
           steps add h·r²/4 per unit time; the two balance on a cycle of radius √(2h).
  WGAN     pure rotation inside the clip box; once ψ hits ±c the orbit slides along the box and
           rejoins the circle of radius c: a limit cycle, no convergence.
  WGAN-GP  λ = 0.1 (the WGAN-GP toy value): never settles. With λ ≥ 1 the orbit stops at
           (θ, ψ) = (∓2λ, 0): on ψ > 0 the field near (−2λ, 0) has Jacobian [[0, −1], [1, −2λ]]
           (stable, real eigenvalues for λ ≥ 1), so G stalls 2λ away from the data.
  R1       eigenvalues with negative real part: linear convergence to (0, 0).
"""
from dataclasses import dataclass

import numpy as np

from ..layers import sigmoid
from ..pictures.plots import figure
from .report import Check

CLAIM, TITLE = 5, "Instability in a nutshell: the Dirac-GAN"
METHODS = ("GAN", "NS-GAN", "WGAN", "WGAN-GP", "R1")
H, N_STEPS, START = 0.1, 2000, (1.0, 1.0)
CLIP, LAM, GAMMA = 1.0, 0.1, 0.3          # WGAN clip c, WGAN-GP λ, R1 γ


def fprime(t):
    r"""f′(t) = σ(−t) for f(t) = −log(1 + e^{−t})."""
    return sigmoid(-t)


def field(method, theta, psi, gamma=GAMMA, lam=LAM):
    r"""The vector field v(θ, ψ) = (v_θ, v_ψ) of a method (works elementwise on arrays)."""
    if method == "GAN":
        return -psi * fprime(psi * theta), theta * fprime(psi * theta)
    if method == "NS-GAN":
        return -psi * fprime(-psi * theta), theta * fprime(psi * theta)
    if method == "WGAN":
        return -psi, theta
    if method == "WGAN-GP":
        return -psi, theta - 2 * lam * (np.abs(psi) - 1) * np.sign(psi)
    if method == "R1":
        return -psi * fprime(psi * theta), theta * fprime(psi * theta) - gamma * psi
    raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def trajectory(method, mode, start=START, h=H, n=N_STEPS, **kw):
    r"""n steps of size h, mode "sim" or "alt". Returns the path (n + 1, 2) of (θ, ψ)."""
    if mode not in ("sim", "alt"):
        raise ValueError(f"mode must be 'sim' or 'alt', got {mode!r}")
    theta, psi = map(float, start)
    path = [(theta, psi)]
    for _ in range(n):
        if mode == "sim":
            v_theta, v_psi = field(method, theta, psi, **kw)
            theta, psi = theta + h * v_theta, psi + h * v_psi
        else:
            theta = theta + h * field(method, theta, psi, **kw)[0]
            psi = psi + h * field(method, theta, psi, **kw)[1]
        if method == "WGAN":
            psi = float(np.clip(psi, -CLIP, CLIP))
        path.append((theta, psi))
    return np.array(path)


def numerical_jacobian(method, eps=1e-6, **kw):
    r"""J_ij = ∂v_i/∂x_j at (0, 0) by central differences, x = (θ, ψ): (2, 2)."""
    J = np.zeros((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = eps
        vp = np.array(field(method, *e, **kw))
        vm = np.array(field(method, *(-e), **kw))
        J[:, j] = (vp - vm) / (2 * eps)
    return J


def eigen_formula(fp0, gamma=0.0):
    r"""−γ/2 ± √(γ²/4 − f′(0)²) as (λ₊, λ₋), λ₊ the one with the larger imaginary/real part."""
    root = np.sqrt(complex(gamma**2 / 4 - fp0**2))
    return -gamma / 2 + root, -gamma / 2 - root


def eigen_numeric(method, **kw):
    """Eigenvalues of the numerical Jacobian, sorted like eigen_formula: (λ₊, λ₋)."""
    lam = np.linalg.eigvals(numerical_jacobian(method, **kw)).astype(complex)
    lam = sorted(lam, key=lambda z: (z.imag, z.real), reverse=True)
    return complex(lam[0]), complex(lam[1])


def distance(path):
    return np.hypot(path[:, 0], path[:, 1])


@dataclass
class Result:
    checks: list
    quick: bool
    paths: dict               # (method, mode) -> (N + 1, 2)


def run(quick=False, seed=0):
    r"""Analytic: identical in quick and full runs (it takes well under a second)."""
    checks = []
    # 1) eigenvalues of the Jacobian at the equilibrium
    for method, fp0, gamma, what in (("GAN", 0.5, 0.0, "±i/2"), ("NS-GAN", 0.5, 0.0, "±i/2"),
                                     ("WGAN", 1.0, 0.0, "±i"),
                                     ("R1", 0.5, GAMMA, f"γ={GAMMA}: −γ/2 ± √(γ²/4 − 1/4)"),
                                     ("R1", 0.5, 2.0, "γ=2: −γ/2 ± √(γ²/4 − 1/4)")):
        num, ref = eigen_numeric(method, gamma=gamma), eigen_formula(fp0, gamma)
        real_pair = abs(ref[0].imag) == 0
        for k in ((0, 1) if real_pair else (0,)):
            sign = "+" if k == 0 else "−"
            checks.append(Check(CLAIM, f"{method} Jacobian eigenvalue λ{sign}, {what}", num[k],
                                ref[k], tol=1e-8,
                                note="" if real_pair else "λ₋ = conj(λ₊): J is real"))
    # 2) trajectories from (1, 1)
    paths = {(m, mode): trajectory(m, mode) for m in METHODS for mode in ("sim", "alt")}
    d0 = float(np.hypot(*START))
    t = N_STEPS * H

    def d_end(m, mode):
        return float(distance(paths[(m, mode)])[-1])

    def d_min(m, mode):
        return float(distance(paths[(m, mode)]).min())

    def note(m, mode):
        d = distance(paths[(m, mode)])
        return f"d_end/d_0 = {d[-1] / d[0]:.3g}, d ∈ [{d.min():.3g}, {d.max():.3g}] on the way"

    N = N_STEPS
    checks += [
        Check(CLAIM, f"GAN simultaneous: spirals out, d_{N} ≥ d_0", d_end("GAN", "sim"), d0,
              relation=">=", note=note("GAN", "sim")),
        Check(CLAIM, f"GAN alternating: circles, d_{N} = d_0 ± 5%", d_end("GAN", "alt"), d0,
              tol=0.05 * d0, note=note("GAN", "alt")),
        Check(CLAIM, f"NS-GAN simultaneous: cycle of radius √(2h), h = {H}",
              d_end("NS-GAN", "sim"), np.sqrt(2 * H), tol=0.05 * np.sqrt(2 * H),
              note=note("NS-GAN", "sim")),
        Check(CLAIM, f"NS-GAN alternating: d = (1/d_0² + t/8)^(−1/2), t = {t:g}",
              d_end("NS-GAN", "alt"), (1 / d0**2 + t / 8) ** -0.5,
              tol=0.05 * (1 / d0**2 + t / 8) ** -0.5, note=note("NS-GAN", "alt") + ", 1/√t"),
        Check(CLAIM, f"WGAN simultaneous, clip c={CLIP:g}: cycle of radius c",
              d_end("WGAN", "sim"), CLIP, tol=0.1, note=note("WGAN", "sim")),
        Check(CLAIM, f"WGAN alternating, clip c={CLIP:g}: cycle of radius c",
              d_end("WGAN", "alt"), CLIP, tol=0.1, note=note("WGAN", "alt")),
        Check(CLAIM, f"WGAN-GP λ={LAM:g} simultaneous: never nears 0, min d ≥ d_0/2",
              d_min("WGAN-GP", "sim"), d0 / 2, relation=">=", note=note("WGAN-GP", "sim")),
        Check(CLAIM, f"WGAN-GP λ={LAM:g} alternating: never nears 0, min d ≥ d_0/2",
              d_min("WGAN-GP", "alt"), d0 / 2, relation=">=", note=note("WGAN-GP", "alt")),
        Check(CLAIM, "WGAN-GP λ=1 simultaneous: G stalls at |θ| = 2λ",
              float(abs(trajectory("WGAN-GP", "sim", lam=1.0)[-1, 0])), 2.0, tol=1e-6),
        Check(CLAIM, f"R1 γ={GAMMA} simultaneous: converges", d_end("R1", "sim"), 1e-6 * d0,
              relation="<=", note=note("R1", "sim")),
        Check(CLAIM, f"R1 γ={GAMMA} alternating: converges", d_end("R1", "alt"), 1e-6 * d0,
              relation="<=", note=note("R1", "alt")),
    ]
    # 3) the linear regime: simultaneous GAN steps multiply the radius by √(1 + h²/4)
    small = trajectory("GAN", "sim", start=(1e-3, 0.0))
    growth = 1e-3 * (1 + H**2 / 4) ** (N / 2)
    checks.append(Check(CLAIM, f"GAN simultaneous from d_0=1e-3: d_{N} = d_0(1+h²/4)^(N/2)",
                        float(distance(small)[-1]), growth, tol=1e-3 * growth,
                        note="linear regime: |1 + h·(±i/2)| per step"))
    return Result(checks, quick, paths)


def plot(res, path):
    fig = figure(15, 9.4)
    axes = fig.subplots(2, 3).ravel()
    lim = 3.0
    g = np.linspace(-lim, lim, 41)
    TH, PS = np.meshgrid(g, g)
    titles = {"GAN": "GAN", "NS-GAN": "NS-GAN", "WGAN": f"WGAN (ψ clipped to ±{CLIP:g})",
              "WGAN-GP": f"WGAN-GP (λ = {LAM:g})", "R1": f"GAN + R1 (γ = {GAMMA:g})"}
    colors = dict(zip(METHODS, ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange")))
    for ax, m in zip(axes, METHODS):
        vt, vp = field(m, TH, PS)
        ax.streamplot(g, g, vt, vp, color="0.75", density=0.9, linewidth=0.7, arrowsize=0.8)
        for mode, ls in (("sim", "-"), ("alt", "--")):
            p = res.paths[(m, mode)]
            ax.plot(p[:, 0], p[:, 1], ls, color=colors[m], lw=1.2,
                    label=f"{'simultaneous' if mode == 'sim' else 'alternating'}: "
                          f"d_end = {distance(p)[-1]:.3g}")
        ax.plot(*START, "ko", ms=5)
        ax.plot(0, 0, "k*", ms=12)
        if m == "WGAN":
            ax.axhline(CLIP, color="k", lw=0.6, ls=":")
            ax.axhline(-CLIP, color="k", lw=0.6, ls=":")
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("θ (generator)")
        ax.set_ylabel("ψ (discriminator)")
        ax.set_title(titles[m], fontsize=10)
        ax.legend(fontsize=7, loc="lower left")
    ax = axes[5]
    steps = np.arange(N_STEPS + 1)
    for m in METHODS:
        for mode, ls in (("sim", "-"), ("alt", "--")):
            ax.plot(steps, distance(res.paths[(m, mode)]), ls, color=colors[m], lw=1.2,
                    label=f"{m} {mode}")
    ax.set_yscale("log")
    ax.set_ylim(1e-14, 10)
    ax.set_xlabel(f"step (h = {H:g})")
    ax.set_ylabel("distance to equilibrium √(θ² + ψ²)")
    ax.set_title("grows / circles / shrinks", fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    fig.suptitle(f"Claim 5 — {TITLE}: vector fields, {N_STEPS} steps from (1, 1) "
                 "(solid: simultaneous, dashed: alternating)   [analytic; same in quick and full]")
    fig.savefig(path)
