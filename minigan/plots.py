r"""The pictures a run leaves behind: samples over D's heat map, training curves, an animation.

    samples_figure(trainer, path)     samples.png: real and generated samples over D, the D = ½
                                      line, and (2D) the push of G's loss on each fake as arrows
    history_figure(hist, path, ...)   history.png: the curves of history.csv, with the values they
                                      reach at equilibrium drawn in (``reference_lines``)
    animation(trainer, frames, path)  training.gif: the samples over D step by step, from step 0,
                                      on axes fixed for the whole animation (``frame_limits``)

Matplotlib is imported inside the functions (``Figure`` objects, no pyplot state), so importing
minigan stays fast and nothing here switches the backend of a user's session.
"""
import math

import numpy as np

GRID = 120        # heat-map resolution per axis
BINS = 80         # histogram bins over the plotting box (1D)
PROB_LOSSES = ("gan", "nsgan")      # D(x) = σ(logit), a probability; a raw score for the others
LOG2 = math.log(2)

# what the push of G's loss on a fake, −∇ₓℓ_G(x), is for each loss (t = D's logit; f = D's score)
PUSH = {"gan": "= D·∇ₓt: uphill on D, weak where D ≈ 0", "nsgan": "= (1 − D)·∇ₓt: uphill on D",
        "lsgan": "= (1 − D)·∇ₓD: toward D = 1", "hinge": "= ∇ₓD: uphill on D",
        "wgan": "= ∇ₓf: uphill on the critic", "wgan-gp": "= ∇ₓf: uphill on the critic"}


def figure(width, height):
    """A matplotlib Figure of width × height inches, not attached to pyplot (no backend switch,
    no GUI), laid out with constrained layout. Save it with ``fig.savefig(path)``."""
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def d_surface(trainer, n=GRID):
    """D over the plotting box: 2D -> (xs, ys, values (n, n)); 1D -> (xs, values (n,)).

    For a conditional run D(x | k) is averaged over the classes k.
    """
    data, K = trainer.data, trainer.n_classes
    if data.dim == 1:
        pts = np.linspace(*data.bounds, 400)[:, None]
        axes = (pts[:, 0],)
    else:
        xlo, xhi, ylo, yhi = data.bounds
        xs, ys = np.linspace(xlo, xhi, n), np.linspace(ylo, yhi, n)
        gx, gy = np.meshgrid(xs, ys)
        pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
        axes = (xs, ys)
    pts = pts.astype(trainer.dtype)
    if K:
        vals = np.mean([trainer.d_prob(trainer.D(trainer.with_label(pts, trainer.onehot(np.full(len(pts), k)))))
                        for k in range(K)], axis=0)
    else:
        vals = trainer.d_prob(trainer.D(pts))
    vals = vals[:, 0]
    return (*axes, vals if data.dim == 1 else vals.reshape(n, n))


def push(trainer, x, labels=None):
    r"""The push of G's loss on each fake, −∇ₓℓ_G(x): (N, dim).

    G minimises the batch mean of ℓ_G(t(x)), t = D's output; losses.py gives ∂mean/∂t = ℓ_G′(t)/N,
    so N times that, back-propagated through D, is ∇ₓℓ_G at each fake — the direction and size of
    the gradient that flows into G from that point. Wherever ℓ_G′ < 0 it points along ∇ₓD (PUSH).
    """
    y = trainer.onehot(labels)
    logits, cache = trainer.D.forward(trainer.with_label(x.astype(trainer.dtype), y))
    dl = trainer.g_loss(logits).d_fake * len(x)                       # ℓ_G′(t) at each fake
    dx, _ = trainer.D.backward(dl.astype(trainer.dtype), cache, need_params=False)
    return -dx[:, :trainer.data.dim]


def d_level(loss):
    """The level of D to compare with, (value, label), or None (wgan: f is defined up to a constant).

    gan/nsgan and lsgan (a = 0, b = 1): the optimal D is p_data/(p_data + p_g), ½ once they match.
    """
    if loss in PROB_LOSSES + ("lsgan",):
        return 0.5, "D = ½: D cannot tell real from fake (the equilibrium value)"
    if loss == "hinge":
        return 0.0, "D = 0: the hinge D's boundary, 'real' above, 'fake' below"
    return None


def d_label(loss):
    """The name of D's output on an axis or a colour bar."""
    if loss in PROB_LOSSES:
        return "D(x): probability that x is real"
    if loss == "lsgan":
        return "D(x) (LSGAN target: 1 real, 0 fake)"
    if loss == "hinge":
        return "D(x) (hinge score)"
    return "critic f(x) (only differences matter)"


def class_colors(K):
    """(K, 4) RGBA: tab10 for up to 10 classes, evenly spaced hues beyond."""
    from matplotlib import colormaps
    if K <= 10:
        return np.array(colormaps["tab10"].colors)[:K]
    return colormaps["hsv"](np.arange(K) / K)


def hist_density(x, bounds):
    """p_g's histogram over the box as a density of *all* N samples: mass outside the box is
    missing from the bars, not spread over them (BINS bars)."""
    counts, _ = np.histogram(x, bins=BINS, range=bounds)
    return counts * BINS / (len(x) * (bounds[1] - bounds[0]))


def frame_limits(trainer, frames):
    """Axis limits shared by all frames (samples.png is one frame): 2D {"v": heat-map colour
    range}; 1D {"y": density axis (with D for gan/nsgan)} and, for the other losses, "y2": D's own
    axis. Bars taller than 3× p_data's peak are cut, so that one spike does not flatten the rest."""
    data, loss = trainer.data, trainer.cfg.loss
    vals = np.concatenate([np.ravel(f["surface"][-1]) for f in frames])
    vals = vals[np.isfinite(vals)]
    lo, hi = (0.0, 1.0) if loss in PROB_LOSSES or not len(vals) else (vals.min(), vals.max())
    level = d_level(loss)
    if level:
        lo, hi = min(lo, level[0]), max(hi, level[0])
    if data.dim == 2:
        return {"v": (float(lo), float(hi))}
    top = max(hist_density(f["x"][:, 0], data.bounds).max() for f in frames)
    if data.has_density:
        peak = data.pdf(np.linspace(*data.bounds, 400)).max()
        top = min(max(top, peak), 3 * peak)
    if loss in PROB_LOSSES:
        return {"y": (0.0, 1.05 * max(top, 1.0))}
    pad = 0.05 * (hi - lo) or 0.05
    return {"y": (0.0, 1.05 * top), "y2": (float(lo - pad), float(hi + pad))}


def _draw_1d(ax, trainer, x_gen, labels, surface, limits):
    data, loss, K = trainer.data, trainer.cfg.loss, trainer.n_classes
    (xs, dv), (lo, hi), x = surface, data.bounds, x_gen[:, 0]
    w = np.full(len(x), BINS / (len(x) * (hi - lo)))           # bars: a density of all samples
    outside = np.mean((x < lo) | (x > hi))
    note = f"; {100 * outside:.0f} % of samples outside this x-range" if outside >= 0.005 else ""
    if hist_density(x, data.bounds).max() > limits["y"][1]:
        note += "; bars cut at the top"
    if data.has_density:
        ax.plot(xs, data.pdf(xs), "k:", lw=2, label="p_data")
    if labels is None:
        ax.hist(x, bins=BINS, range=data.bounds, weights=w, color="tab:green", alpha=0.5,
                label=f"p_g (histogram{note})")
    else:
        ax.hist([x[labels == k] for k in range(K)], bins=BINS, range=data.bounds, stacked=True,
                weights=[w[labels == k] for k in range(K)], alpha=0.6, color=class_colors(K),
                label=[f"p_g(x | class {k})" + (f" ({note[2:]})" if note and k == K - 1 else "")
                       for k in range(K)])
    ax2 = ax if loss in PROB_LOSSES else ax.twinx()
    ax2.plot(xs, dv, "--", color="tab:blue", lw=2, label=d_label(loss))
    level = d_level(loss)
    if level:
        ax2.axhline(level[0], color="tab:blue", lw=1, ls="-.", label=level[1])
    ax.set_xlim(lo, hi)
    ax.set_ylim(*limits["y"])
    ax.set_xlabel("x (data units)")
    ax.set_ylabel("density (per data unit)" + (" · D(x) (probability)" if ax2 is ax else ""))
    handles, names = ax.get_legend_handles_labels()
    if ax2 is not ax:
        ax2.set_ylim(*limits["y2"])
        ax2.set_ylabel(d_label(loss), color="tab:blue")
        more = ax2.get_legend_handles_labels()
        handles, names = handles + more[0], names + more[1]
    ax.legend(handles, names, loc="upper left", fontsize=7)


def _draw_2d(ax, trainer, x_gen, labels, surface, limits, arrows):
    from matplotlib.colors import Normalize, TwoSlopeNorm
    from matplotlib.lines import Line2D
    data, loss, K = trainer.data, trainer.cfg.loss, trainer.n_classes
    xs, ys, dv = surface
    vmin, vmax = limits["v"]
    level = d_level(loss)
    norm = (TwoSlopeNorm(level[0], vmin, vmax) if level and vmin < level[0] < vmax
            else Normalize(vmin, vmax))
    im = ax.imshow(dv, origin="lower", extent=data.bounds, cmap="RdBu_r", norm=norm, aspect="equal",
                   alpha=0.85)
    bar = ax.figure.colorbar(im, ax=ax, shrink=0.8, label=d_label(loss))
    show = np.random.default_rng(0).permutation(len(x_gen))[:1000]     # a subset, for display only
    colour = "tab:orange" if labels is None else class_colors(K)[labels[show]]
    ax.scatter(x_gen[show, 0], x_gen[show, 1], s=5, c=colour, alpha=0.7, lw=0)
    real = trainer.x_eval[:1000]                # drawn on top, white with an edge: never hidden
    ax.scatter(real[:, 0], real[:, 1], s=7, c="white", edgecolors="k", linewidths=0.4, zorder=3)
    extra = []
    if level:
        bar.ax.axhline(level[0], color="k", ls="--", lw=1.2)
        inside = np.nanmin(dv) < level[0] < np.nanmax(dv)
        if inside:
            ax.contour(xs, ys, dv, levels=[level[0]], colors="k", linestyles="--", linewidths=1)
        extra.append(Line2D([], [], color="k", ls="--", lw=1,
                            label=level[1] + ("" if inside else " — nowhere in this box")))
    if arrows:
        sub = show[:80]
        g = push(trainer, x_gen[sub], None if labels is None else labels[sub])
        size = np.linalg.norm(g, axis=1)
        ref = float(np.percentile(size, 95)) if np.isfinite(size).all() else 0.0
        if ref > 0:      # one scale for every arrow: the 95th-percentile push is 1/10 of the box
            q = ax.quiver(x_gen[sub, 0], x_gen[sub, 1], g[:, 0], g[:, 1], angles="xy",
                          scale_units="xy", scale=ref / (0.1 * (data.bounds[1] - data.bounds[0])),
                          color="k", width=0.004, zorder=4)
            key = 10 ** math.floor(math.log10(ref))
            key *= 5 if ref >= 5 * key else 2 if ref >= 2 * key else 1
            qk = ax.quiverkey(q, 0.04, 0.04, key, f"‖push‖ = {key:g}", labelpos="E",
                              coordinates="axes", fontproperties={"size": 7})
            qk.text.set_bbox({"facecolor": "white", "alpha": 0.8, "lw": 0, "pad": 1})
            extra.append(Line2D([], [], color="k", marker=r"$\rightarrow$", ls="none", ms=9,
                                label=f"push of G's loss on a fake, −∇ₓ(G loss) {PUSH[loss]}; "
                                      f"length ∝ size"))
    ax.set_xlim(*data.bounds[:2])
    ax.set_ylim(*data.bounds[2:])
    ax.set_xlabel("x₁ (data units)")
    ax.set_ylabel("x₂ (data units)")
    dots = [Line2D([], [], ls="none", marker="o", ms=5, mew=0, color="tab:orange" if labels is None
                   else "0.5", label="generated, G(z)" + ("" if labels is None else " (colour = class)")),
            Line2D([], [], ls="none", marker="o", ms=5, mfc="white", mec="k", mew=0.6,
                   label="real (data)")]
    ax.figure.legend(handles=dots + extra, loc="outside lower center", ncol=2, fontsize=7,
                     frameon=False)


def samples_title(trainer, step, arrows):
    """Two lines: what the panel shows, and which run at which step."""
    data, loss = trainer.data, trainer.cfg.loss
    level = d_level(loss)
    if data.dim == 1:
        point = "p_g (green) should come to cover p_data (dotted)"
        if level and level[0] == 0.5:
            point += ", and D → ½ where they match"
        elif loss not in PROB_LOSSES + ("lsgan",):
            point += f"; G moves mass uphill on the {'critic' if 'wgan' in loss else 'D'}"
    else:
        point = "Generated (orange) against real (white) samples over D"
        if arrows:
            toward = "where D says 'real'" if level else "high critic values"
            point = f"G's loss pushes each fake (arrows) toward {toward} (red)"
    return f"{point}\n{trainer.cfg.data} · {loss} · step {step}"


def draw_samples(ax, trainer, x_gen, labels=None, arrows=True, surface=None, title=None,
                 limits=None, step=None):
    """One panel: real and generated samples over D — the 2D heat map with the D = ½ contour and
    the push arrows, or Goodfellow's Figure 1 in 1D. ``limits``: from frame_limits (one frame's
    own by default); ``step``: for the title (default: the trainer's)."""
    surface = d_surface(trainer) if surface is None else surface
    limits = limits or frame_limits(trainer, [{"x": x_gen, "surface": surface}])
    if trainer.data.dim == 1:
        _draw_1d(ax, trainer, x_gen, labels, surface, limits)
    else:
        _draw_2d(ax, trainer, x_gen, labels, surface, limits, arrows)
    step = trainer.step if step is None else step
    ax.set_title(title or samples_title(trainer, step, arrows and trainer.data.dim == 2), fontsize=9)


def samples_figure(trainer, path):
    x_gen = trainer.generate(trainer.z_eval, trainer.labels_eval)
    fig = figure(7.6, 7) if trainer.data.dim == 2 else figure(8, 4.8)
    draw_samples(fig.add_subplot(), trainer, x_gen, trainer.labels_eval)
    fig.savefig(path)


def read_history(path):
    """history.csv -> dict column -> np.ndarray (floats)."""
    import csv
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return {}
    return {k: np.array([float(r[k]) if r[k] != "" else np.nan for r in rows]) for k in rows[0]}


def reference_lines(cfg):
    r"""The values history.png's curves reach at the equilibrium p_g = p_data with the optimal D:
    {"loss": [(y, label, colour)], "d_out": [...]}, only those that hold for cfg's loss.

    gan/nsgan: D loss −V = 2 log 2, G loss log 2 (nsgan) or −log 2 (gan), D(real) = D(fake) = ½.
    lsgan: D loss ¼, G loss ⅛, D = ½. hinge: D loss 2 (G's loss and D's level are not fixed).
    wgan/wgan-gp: the critic loss, −(W1 estimate), → 0; nothing else (f is defined up to a
    constant). A penalty (gp, r1, r2) is logged inside the D loss; the label then says so.
    """
    pens = [name for name in ("gp", "r1", "r2") if getattr(cfg, name, 0)]
    plus = f" + the {'/'.join(p.upper() for p in pens)} penalty logged with it" if pens else ""
    lines = {"loss": [], "d_out": []}
    if cfg.loss in PROB_LOSSES:
        lines["loss"].append((2 * LOG2, f"D loss at equilibrium: 2 log 2 ≈ 1.386{plus}", "C0"))
        g = LOG2 if cfg.loss == "nsgan" else -LOG2
        lines["loss"].append((g, f"G loss at equilibrium: {'' if g > 0 else '−'}log 2 ≈ {g:.3f}", "C1"))
        lines["d_out"].append((0.5, "equilibrium: D(real) = D(fake) = ½", "0.3"))
    elif cfg.loss == "lsgan":
        lines["loss"] += [(0.25, f"D loss at equilibrium: ¼{plus}", "C0"),
                          (0.125, "G loss at equilibrium: ⅛", "C1")]
        lines["d_out"].append((0.5, "equilibrium: D(real) = D(fake) = ½", "0.3"))
    elif cfg.loss == "hinge":
        lines["loss"].append((2.0, f"D loss at equilibrium: 2{plus}", "C0"))
    else:
        lines["loss"].append((0.0, f"critic loss = −(W1 estimate) → 0 as p_g → p_data{plus}", "C0"))
    return lines


def history_figure(hist, path, title="", cfg=None):
    """Losses, D's outputs, gradient norms and the dataset's metric against the step; with the
    run's config, the equilibrium values (reference_lines) as dotted lines."""
    fig = figure(12, 8)
    axs = fig.subplots(2, 2)
    s = hist.get("step", np.array([]))
    loss = getattr(cfg, "loss", None)
    ref = reference_lines(cfg) if cfg is not None else {"loss": [], "d_out": []}
    prob = loss in PROB_LOSSES + ("lsgan",)
    ax = axs[0, 0]
    ax.plot(s, hist["d_loss"], label="D loss")
    ax.plot(s, hist["g_loss"], label="G loss")
    ax.set_ylabel("loss (nats)" if loss in PROB_LOSSES else "loss")
    ax.set_title("Losses, mean since the previous row" + ("\ndotted: their values at equilibrium"
                                                         if ref["loss"] else ""), fontsize=10)
    ax = axs[0, 1]
    ax.plot(s, hist["d_real"], label="D(real)")
    ax.plot(s, hist["d_fake"], label="D(fake)")
    ax.set_ylabel("mean D(x)" + (" (probability)" if loss in PROB_LOSSES else ""))
    ax.set_title("Mean D output on real and on fake\n" + ("they meet at ½ once D cannot tell them "
                 "apart" if prob else "the gap closes as p_g nears p_data"), fontsize=10)
    for key, a in (("loss", axs[0, 0]), ("d_out", axs[0, 1])):
        for y, label, color in ref[key]:
            a.axhline(y, color=color, ls=":", lw=1.5, label=label)
    ax = axs[1, 0]
    ax.semilogy(s, hist["grad_norm_d"], label="‖∇θ_D (D loss)‖")
    ax.semilogy(s, hist["grad_norm_g"], label="‖∇θ_G (G loss)‖")
    ax.set_ylabel("L2 norm over all parameters (log scale)")
    ax.set_title("Gradient norms of each player's loss\nhow hard it pulls on that player's weights",
                 fontsize=10)
    ax = axs[1, 1]
    if "modes_captured" in hist:
        ax.plot(s, hist["modes_captured"] / hist["modes_total"], label="modes captured (fraction)")
        ax.plot(s, hist["high_quality_frac"], label="high-quality fraction")
        if "class_acc_mean" in hist:
            ax.plot(s, hist["class_acc_mean"], label="per-class accuracy")
        best = 0.9973 if "w1" in hist else 1 - math.exp(-4.5)     # P(‖ε‖ ≤ 3σ), 1D / 2D
        ax.axhline(best, color="0.3", ls=":", lw=1.5,
                   label=f"a perfect sampler: {100 * best:.1f} % high quality")
        ax.set_ylim(-0.02, 1.4)                 # the top quarter left free for the legend
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_ylabel("fraction")
    key = "w1" if "w1" in hist else "sliced_w"
    if key in hist:
        name = "W1" if key == "w1" else "sliced W1"
        axw = ax.twinx() if "modes_captured" in hist else ax
        axw.semilogy(s, hist[key], "k--", label=f"{name} to real data (right axis)")
        axw.set_ylabel(f"{name} (data units, log scale)")
        w = hist[key][np.isfinite(hist[key]) & (hist[key] > 0)]
        if axw is not ax and len(w):            # the same free top quarter on the log axis
            lo, hi = np.log10(w.min()) - 0.05, np.log10(w.max()) + 0.05
            axw.set_ylim(10 ** lo, 10 ** (hi + 0.4 * (hi - lo)))
            h1, l1 = ax.get_legend_handles_labels()
            h2, l2 = axw.get_legend_handles_labels()
            ax.legend(h1 + h2, l1 + l2, loc="upper center", ncol=2, fontsize=7)
    ax.set_title("Sample quality on the fixed noise batch\n" + ("dotted: what a perfect sampler "
                 "scores" if "modes_captured" in hist else "distance to the real data"), fontsize=10)
    for a in axs.flat:
        a.set_xlabel("step (G updates)")
        if a.get_legend() is None:
            a.legend(loc="best", fontsize=7)
    fig.suptitle(title)
    fig.savefig(path)


def frame(trainer):
    """What one animation frame needs, computed now (cheap: a coarse grid, 1000 samples)."""
    x_gen = trainer.generate(trainer.z_eval[:1000],
                             None if trainer.labels_eval is None else trainer.labels_eval[:1000])
    return {"step": trainer.step, "x": x_gen, "surface": d_surface(trainer, n=60)}


def draw_frame(fig, trainer, f, limits):
    """Frame f of the animation on the cleared figure, with the shared ``limits``; its axes."""
    fig.clear()
    ax = fig.add_subplot()
    labels = None if trainer.labels_eval is None else trainer.labels_eval[:len(f["x"])]
    draw_samples(ax, trainer, f["x"], labels, arrows=False, surface=f["surface"], limits=limits,
                 step=f["step"])
    return ax


def animation(trainer, frames, path, fps=8):
    """GIF of the recorded frames (samples over D, step by step), every frame on the same axes."""
    from matplotlib.animation import FuncAnimation, PillowWriter
    fig = figure(6.4, 6.2) if trainer.data.dim == 2 else figure(7, 4.6)
    limits = frame_limits(trainer, frames)
    anim = FuncAnimation(fig, lambda i: draw_frame(fig, trainer, frames[i], limits),
                         frames=len(frames))
    anim.save(path, writer=PillowWriter(fps=fps))
