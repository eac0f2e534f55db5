r"""The training curves a run leaves behind: history.png, from history.csv.

    history_figure(hist, path, cfg=cfg)   the losses, D on real and fake, gradient norms and
                                          the sample metrics over training, with the values they
                                          reach at equilibrium drawn in (``reference_lines``)

Matplotlib is imported inside ``figure`` (no pyplot state), as in plots.py.
"""
import math

import numpy as np

from ..judge import PERFECT_CONFIDENT, REAL_FRECHET
from ..metrics import PERFECT_HQ
from .plots import CRITICS, PROB_LOSSES, figure

LOG2 = math.log(2)


def reference_lines(cfg):
    r"""What history.png's curves reach at the equilibrium p_g = p_data (with the optimal D), only
    those that hold for cfg's loss: {"loss": [(y, label, colour)], "d_out": [...]}.

    gan/nsgan: D loss −V = 2 log 2, G loss log 2 (nsgan) or −log 2 (gan), D(real) = D(fake) = ½.
    lsgan: D loss ¼, G loss ⅛, D = ½. hinge: D loss 2 (G's loss and D's level are not fixed).
    wgan/wgan-gp: the critic loss −(W1 estimate) → 0, nothing else (f is defined up to a constant).
    The logged D loss includes any penalty (gp, r1, r2): the label then says so.
    """
    pens = [name.upper() for name in ("gp", "r1", "r2") if getattr(cfg, name, 0)]
    plus = f" (the logged loss adds the {'/'.join(pens)} penalty)" if pens else ""
    d_at, g_at = "D loss at equilibrium: ", "G loss at equilibrium: "
    half = [(0.5, "equilibrium: D(real) = D(fake) = ½", "0.3")]
    if cfg.loss in PROB_LOSSES:
        g = ("log 2 ≈ 0.693", LOG2) if cfg.loss == "nsgan" else ("−log 2 ≈ −0.693", -LOG2)
        return {"loss": [(2 * LOG2, f"{d_at}2 log 2 ≈ 1.386{plus}", "C0"),
                         (g[1], g_at + g[0], "C1")], "d_out": half}
    if cfg.loss == "lsgan":
        return {"loss": [(0.25, f"{d_at}¼{plus}", "C0"), (0.125, g_at + "⅛", "C1")], "d_out": half}
    if cfg.loss == "hinge":
        return {"loss": [(2.0, f"{d_at}2{plus}", "C0")], "d_out": []}
    return {"loss": [(0.0, f"critic loss = −(W1 estimate) → 0 as p_g → p_data{plus}", "C0")],
            "d_out": []}


def history_figure(hist, path, title="", cfg=None):
    """Losses, D's outputs, gradient norms and the dataset's metric against the step; given the
    run's config, the equilibrium values (reference_lines) as dotted lines."""
    fig = figure(12, 8)
    axs = fig.subplots(2, 2)
    s, loss = hist.get("step", np.array([])), getattr(cfg, "loss", None)
    ref = reference_lines(cfg) if cfg is not None else {"loss": [], "d_out": []}
    mk = dict(marker="o", ms=4) if len(s) <= 12 else {}     # a short run: each row a dot
    ax = axs[0, 0]
    ax.plot(s, hist["d_loss"], **mk, label="D loss")
    ax.plot(s, hist["g_loss"], **mk, label="G loss")
    ax.set_ylabel("loss (nats)" if loss in PROB_LOSSES else "loss")
    which = "their values" if len(ref["loss"]) > 1 else "the D loss"
    ax.set_title("Losses, mean since the previous row"
                 + (f"\ndotted: {which} at equilibrium" if ref["loss"] else ""), fontsize=10)
    ax = axs[0, 1]
    ax.plot(s, hist["d_real"], **mk, label="D(real)")
    ax.plot(s, hist["d_fake"], **mk, label="D(fake)")
    ax.set_ylabel("mean critic f(x)" if loss in CRITICS else
                  "mean D(x)" + (" (probability)" if loss in PROB_LOSSES else ""))
    ax.set_title(f"Mean {'critic' if loss in CRITICS else 'D'} output on real and on fake\n"
                 + ("they meet at ½ once D cannot tell them apart" if ref["d_out"]
                    else "the gap closes as p_g nears p_data"), fontsize=10)
    for key, a in (("loss", axs[0, 0]), ("d_out", axs[0, 1])):
        for y, label, colour in ref[key]:
            a.axhline(y, color=colour, ls=":", lw=1.5, label=label)
    ax = axs[1, 0]
    ax.semilogy(s, hist["grad_norm_d"], **mk, label="‖∇θ_D (D loss)‖")
    ax.semilogy(s, hist["grad_norm_g"], **mk, label="‖∇θ_G (G loss)‖")
    ax.set_ylabel("L2 norm over all parameters (log scale)")
    ax.set_title("Gradient norms of each player's loss\nhow hard it pulls on that player's weights",
                 fontsize=10)
    ax, key = axs[1, 1], "w1" if "w1" in hist else "sliced_w"
    mixture = "modes_captured" in hist
    if mixture:
        # a count: a step line, markers on about a dozen rows; a wide pale band, so that the
        # perfect sampler's level, a hair below 1, stays visible drawn on top of it
        ax.step(s, hist["modes_captured"] / hist["modes_total"], where="post", color="C0", lw=4,
                alpha=0.45, marker="s", ms=5, markevery=max(1, len(s) // 12),
                label="modes captured (fraction)")
        ax.plot(s, hist["high_quality_frac"], **mk, color="C1", label="high-quality fraction")
        if "class_acc_mean" in hist:
            ax.plot(s, hist["class_acc_mean"], **mk, color="C2", label="per-class accuracy")
        best = PERFECT_HQ[1 if "w1" in hist else 2]     # P(‖ε‖ ≤ 3σ), 1D / 2D
        ax.axhline(best, color="k", ls=":", lw=1.5, zorder=5,
                   label=f"a perfect sampler: {100 * best:.1f} % high quality")
        ax.text(0.99, 1.04, f"dotted, just under 1: a perfect sampler's {100 * best:.1f} % "
                "high quality", transform=ax.get_yaxis_transform(), ha="right", va="bottom",
                fontsize=7)                     # in the free band above 1, under the legend
        ax.set(ylim=(-0.02, 1.4), yticks=np.linspace(0, 1, 6), ylabel="fraction")  # top: legend
    if "digits_covered" in hist:
        _digits_panel(ax, s, hist, mk)
    elif key in hist:
        name, axw = "W1" if key == "w1" else "sliced W1", ax.twinx() if mixture else ax
        axw.semilogy(s, hist[key], "k--", **mk, label=f"{name} to real data" + " (right axis)" * mixture)
        axw.set_ylabel(f"{name} (data units, log scale)")
        w = np.log10(hist[key][np.isfinite(hist[key]) & (hist[key] > 0)])
        if mixture and len(w):                  # the same free top on the log axis, one legend
            lo, hi = w.min() - 0.05, w.max() + 0.05
            axw.set_ylim(10 ** lo, 10 ** (hi + 0.4 * (hi - lo)))
            handles = [a + b for a, b in zip(ax.get_legend_handles_labels(),
                                             axw.get_legend_handles_labels())]
            ax.legend(*handles, loc="upper center", ncol=2, fontsize=7)
    if "digits_covered" not in hist:
        ax.set_title("Sample quality on the fixed noise batch\n" + ("dotted: what a perfect "
                     "sampler scores" if mixture else "distance to the real data"), fontsize=10)
    pad = 0.02 * (s[-1] - s[0]) if len(s) > 1 else 0
    for a in axs.flat:
        a.set_xlabel("step (G updates)")
        if pad:                                   # every panel over the whole run
            a.set_xlim(s[0] - pad, s[-1] + pad)
        if a.get_legend() is None:
            a.legend(loc="best", fontsize=7)
    fig.suptitle(title)
    fig.savefig(path)


def _digits_panel(ax, s, hist, mk):
    """The sample-quality panel of an image run: the judge's verdicts (judge.py) and the Fréchet
    distance in its features, with what real held-out images score at the same sample size."""
    ax.step(s, hist["digits_covered"] / hist["digits_total"], where="post", color="C0", lw=4,
            alpha=0.45, marker="s", ms=5, markevery=max(1, len(s) // 12),
            label="digits covered (fraction of 10)")
    ax.plot(s, hist["confident_frac"], **mk, color="C1", label="judged surely (fraction)")
    if "class_acc_mean" in hist:
        ax.plot(s, hist["class_acc_mean"], **mk, color="C2", label="asked-for digit drawn (mean)")
    ax.axhline(PERFECT_CONFIDENT, color="C1", ls=":", lw=1.5,
               label=f"real held-out images: {100 * PERFECT_CONFIDENT:.1f} % judged surely")
    ax.set(ylim=(-0.02, 1.45), yticks=np.linspace(0, 1, 6), ylabel="fraction")
    axw = ax.twinx()
    axw.semilogy(s, hist["frechet"], "k--", **mk, label="Fréchet distance (right axis)")
    real, spread = REAL_FRECHET[1000]           # 1,000 real images against the held-out ones
    axw.axhline(real, color="k", ls=":", lw=1, label=f"real vs real, 1,000 images: {real:.2f} ± {spread:.2f}")
    axw.set_ylabel("Fréchet distance in the judge's features (log scale)")
    handles = [a + b for a, b in zip(ax.get_legend_handles_labels(), axw.get_legend_handles_labels())]
    ax.legend(*handles, loc="upper center", ncol=2, fontsize=7)
    ax.set_title("What the judge reads in G's samples (fixed noise)\ndotted: what real "
                 "images score", fontsize=10)
