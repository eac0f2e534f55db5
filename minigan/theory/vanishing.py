r"""Claim 4 — the saturating G loss loses its gradient as D improves (Arjovsky & Bottou 2017).

Hold G fixed and train D for more and more steps. With p_data and p_g (almost) disjoint a
near-perfect D exists, D(G(z)) → 0, and the three generator losses behave differently:

    saturating      L = E log(1 − D(G(z)))    ∂L/∂t = −σ(t)/N      → 0 as D(G(z)) → 0
    non-saturating  L = −E log D(G(z))        ∂L/∂t = (σ(t) − 1)/N → −1/N: no vanishing
    WGAN            L = −E f(G(z))            ∂L/∂f = −1/N, f a weight-clipped critic

(t = D's logit; the G gradient is Σ ∂L/∂t_i · ∂t_i/∂θ_G.) Arjovsky & Bottou bound the saturating
gradient by M·ε/(1 − ε) when ‖D − D*‖ < ε; the non-saturating gradient does not vanish (it
grows as D's logits sharpen); the WGAN critic's gradient settles at a value set by the clipping.

Setup: p_data = N(4, 0.5²); G = MLP([1, 32, 32, 1], relu) at its random
initialisation (one network, seeded by --seed), z ~ N(0, 1): G's samples sit near 0, far from
the data. For each seed, D (MLP [1, 64, 64, 1], relu, Adam 1e-3, β = (0.5, 0.999), d_gan) and a
WGAN critic (same shape, RMSProp 5e-5, clip 0.01: WGAN Algorithm 1 defaults, d_wgan) train on
batches of 64; at log-spaced checkpoints we measure ‖∇θ_G L‖ on a fixed batch of 1024 z.
"""
from dataclasses import dataclass

import numpy as np

from ..data import Gaussian1D
from ..layers import sigmoid
from ..losses import d_wgan, g_nonsaturating, g_saturating, g_wgan
from ..mlp import MLP
from ..optim import Adam, RMSProp, clip_weights, global_norm
from ..pictures.plots import figure
from .report import run_label, seed_check
from .steps import d_step, g_grad

CLAIM, TITLE = 4, "Vanishing gradients of the saturating generator loss"
LOSSES = {"saturating": g_saturating, "non-saturating": g_nonsaturating, "WGAN": g_wgan}


@dataclass(frozen=True)
class Settings:
    steps: int = 10000      # D (and critic) updates; checkpoints log-spaced in [1, steps]
    batch: int = 64         # real and fake samples per D update (WGAN Algorithm 1: m = 64)
    n_eval: int = 1024      # fixed z batch on which ‖∇θ_G‖ is measured
    n_checkpoints: int = 17
    seeds: int = 5
    sat_tol: float = 0.05   # saturating: ‖∇‖(steps)/‖∇‖(1) must fall below this
    clip: float = 0.01      # WGAN weight clipping c
    critic_lr: float = 5e-5


QUICK = Settings(steps=1000, n_checkpoints=10, seeds=3)


def checkpoints(steps, n):
    """Log-spaced integers 1 … steps (duplicates removed)."""
    return np.unique(np.round(np.logspace(0, np.log10(steps), n)).astype(int))


def measure(G, nets, z):
    r"""‖∇θ_G‖ of each generator loss (saturating/NS through D, WGAN through the critic)."""
    D, critic = nets
    return [global_norm(g_grad(G, critic if name == "WGAN" else D, z, loss)[1])
            for name, loss in LOSSES.items()]


def run_seed(G, data, z, cfg, rng):
    r"""Train D and a critic against the fixed G.

    Returns checkpoints (C,), ‖∇θ_G‖ (C, 3), mean D(G(z)) (C,), mean D(x) (C,), D, critic.
    """
    D = MLP([1, 64, 64, 1], "relu", rng=rng)
    critic = MLP([1, 64, 64, 1], "relu", rng=rng)
    opt_d = Adam(D.params, lr=1e-3, betas=(0.5, 0.999))
    opt_c = RMSProp(critic.params, lr=cfg.critic_lr)
    clip_weights(critic.params, cfg.clip)
    marks = set(checkpoints(cfg.steps, cfg.n_checkpoints).tolist())
    x_eval, _ = data.sample(cfg.n_eval, rng)
    g_eval = G(z)
    norms, d_fake, d_real = [], [], []
    for k in range(1, cfg.steps + 1):
        x_real, _ = data.sample(cfg.batch, rng)                  # (N, 1)
        x_fake = G(rng.standard_normal((cfg.batch, 1)))           # (N, 1), G is not updated
        d_step(D, opt_d, x_real, x_fake)                          # ascent on V
        d_step(critic, opt_c, x_real, x_fake, loss=d_wgan)        # ascent on E f(x) − E f(G(z))
        clip_weights(critic.params, cfg.clip)
        if k in marks:
            norms.append(measure(G, (D, critic), z))
            d_fake.append(float(np.mean(sigmoid(D(g_eval)))))
            d_real.append(float(np.mean(sigmoid(D(x_eval)))))
    return np.array(sorted(marks)), np.array(norms), np.array(d_fake), np.array(d_real), D, critic


@dataclass
class Result:
    checks: list
    quick: bool
    seeds: list
    steps: np.ndarray          # (C,) checkpoints
    norms: np.ndarray          # (S, C, 3) ‖∇θ_G‖ for saturating, non-saturating, WGAN
    d_fake: np.ndarray         # (S, C) mean D(G(z))
    d_real: np.ndarray         # (S, C) mean D(x)
    x_grid: np.ndarray
    data_pdf: np.ndarray
    g_samples: np.ndarray
    d_curves: np.ndarray       # (S, G) final D(x) on x_grid
    f_curves: np.ndarray       # (S, G) final critic f(x) on x_grid


def run(quick=False, seed=0):
    cfg = QUICK if quick else Settings()
    data = Gaussian1D(4.0, 0.5)
    g_rng = np.random.default_rng([CLAIM, seed])
    G = MLP([1, 32, 32, 1], "relu", rng=g_rng)                   # held fixed throughout
    z = g_rng.standard_normal((cfg.n_eval, 1))
    seeds = list(range(seed, seed + cfg.seeds))
    x_grid = np.linspace(-3, 7, 400)[:, None]
    out = {"norms": [], "d_fake": [], "d_real": [], "d": [], "f": []}
    for s in seeds:
        steps, norms, d_fake, d_real, D, critic = run_seed(G, data, z, cfg,
                                                          np.random.default_rng([CLAIM, s, 1]))
        out["norms"].append(norms)
        out["d_fake"].append(d_fake)
        out["d_real"].append(d_real)
        out["d"].append(sigmoid(D(x_grid)[:, 0]))
        out["f"].append(critic(x_grid)[:, 0])
    norms = np.array(out["norms"])                                # (S, C, 3)
    ratio = norms[:, -1, :] / norms[:, 0, :]                      # (S, 3) after T steps / after 1
    T = int(steps[-1])
    checks = [
        seed_check(CLAIM, f"D near-perfect: mean D(G(z)) after {T} D steps",
                   np.array(out["d_fake"])[:, -1], 0.0, tol=0.01,
                   note=f"mean D(x) on data: {np.mean(np.array(out['d_real'])[:, -1]):.4f}"),
        seed_check(CLAIM, f"saturating: ‖∇G‖ after {T} / after 1 D step → 0", ratio[:, 0], 0.0,
                   tol=cfg.sat_tol,
                   note=f"‖∇G‖ {np.mean(norms[:, 0, 0]):.3g} → {np.mean(norms[:, -1, 0]):.3g}"),
        seed_check(CLAIM, f"non-saturating: ‖∇G‖ after {T} / after 1 (no vanishing)",
                   ratio[:, 1], 1.0, relation=">=",
                   note=f"‖∇G‖ {np.mean(norms[:, 0, 1]):.3g} → {np.mean(norms[:, -1, 1]):.3g}"),
        seed_check(CLAIM, f"WGAN (clip {cfg.clip}): ‖∇G‖ after {T} / after 1 (no vanishing)",
                   ratio[:, 2], 1.0, relation=">=",
                   note=f"‖∇G‖ {np.mean(norms[:, 0, 2]):.3g} → {np.mean(norms[:, -1, 2]):.3g}"),
    ]
    return Result(checks, quick, seeds, steps, norms, np.array(out["d_fake"]),
                  np.array(out["d_real"]), x_grid[:, 0], data.pdf(x_grid), G(z)[:, 0],
                  np.array(out["d"]), np.array(out["f"]))


def plot(res, path):
    fig = figure(15, 4.8)
    ax1, ax2, ax3 = fig.subplots(1, 3)
    colors = {"saturating": "tab:red", "non-saturating": "tab:blue", "WGAN": "tab:green"}
    for j, name in enumerate(LOSSES):
        v = res.norms[:, :, j]                                     # (S, C)
        geo = np.exp(np.mean(np.log(v), axis=0))
        ax1.plot(res.steps, geo, color=colors[name], lw=2, label=f"{name} (geometric mean)")
        ax1.fill_between(res.steps, v.min(axis=0), v.max(axis=0), color=colors[name], alpha=0.2)
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.set_xlabel("D (critic) training steps, G fixed")
    ax1.set_ylabel("‖∇θ_G L_G‖")
    ax1.set_title(f"(a) generator gradient norm; band = min–max over {len(res.seeds)} seeds",
                  fontsize=10)
    ax1.legend(fontsize=8)
    for s in range(len(res.seeds)):
        ax2.plot(res.steps, res.d_fake[s], color="tab:red", lw=1,
                 label="mean D(G(z))" if s == 0 else None)
        ax2.plot(res.steps, 1 - res.d_real[s], color="k", lw=1, ls="--",
                 label="1 − mean D(x), x ~ p_data" if s == 0 else None)
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("D training steps")
    ax2.set_title("(b) D becomes perfect: D(G(z)) → 0, D(x) → 1\n"
                  "so ∂L_sat/∂t = −D(G(z))/N → 0", fontsize=10)
    ax2.legend(fontsize=8)
    ax3.plot(res.x_grid, res.data_pdf, "k:", lw=2, label="p_data = N(4, 0.5²)")
    ax3.hist(res.g_samples, bins=60, density=True, color="tab:green", alpha=0.4,
             label="p_g (fixed G)")
    for s in range(len(res.seeds)):
        ax3.plot(res.x_grid, res.d_curves[s], "b--", lw=1,
                 label=f"D(x) after {res.steps[-1]} steps" if s == 0 else None)
        f = res.f_curves[s]
        ax3.plot(res.x_grid, (f - f.min()) / (np.ptp(f) + 1e-300), color="tab:olive", lw=1,
                 label="critic f(x), rescaled to [0, 1]" if s == 0 else None)
    ax3.set_xlabel("x")
    ax3.set_title("(c) the setup: fixed G far from the data", fontsize=10)
    ax3.legend(fontsize=8, loc="upper left")
    fig.suptitle(f"Claim 4 — {TITLE}   [{run_label(res.quick, res.seeds)}]")
    fig.savefig(path)
