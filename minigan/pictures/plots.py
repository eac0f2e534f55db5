r"""The pictures of the samples a run leaves behind: samples over D's heat map, an animation.

(The training curves, history.png, are drawn by curves.py.)

    samples_figure(trainer, path)     samples.png: real and generated samples over D, the D = ½
                                      line, and (2D) the push of G's loss on each fake as arrows
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
CRITICS = ("wgan", "wgan-gp")       # f is defined up to a constant: drawn as its shape (shown_d)
HALF = (0.5, "D = ½: D cannot tell real from fake (the equilibrium value)")
# the level of D to compare with; gan/nsgan and lsgan (a = 0, b = 1): D* = p_data/(p_data + p_g)
LEVEL = {"gan": HALF, "nsgan": HALF, "lsgan": HALF,
         "hinge": (0.0, "D = 0: the hinge D's boundary, 'real' above, 'fake' below")}
D_NAME = {"gan": "D(x): probability that x is real", "nsgan": "D(x): probability that x is real",
          "lsgan": "D(x) (LSGAN target: 1 real, 0 fake)", "hinge": "D(x) (hinge score)"}
# the push of G's loss on a fake, −∇ₓℓ_G(x), for each loss (t = D's logit; f = the critic)
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

    For a conditional run D(x | k) is averaged over the classes k. D at a point is
    ``Discriminator.at_points`` (remedies/discriminator.py): plain D(x), or for a packed or
    minibatch-std D its verdict on x packed with copies of itself, with spectral norm's W̄.
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
    at = lambda rows: trainer.d_prob(trainer.D.at_points(rows))   # packed/mbstd D: see there
    if K:
        vals = np.mean([at(trainer.with_label(pts, trainer.onehot(np.full(len(pts), k))))
                        for k in range(K)], axis=0)
    else:
        vals = at(pts)
    vals = vals[:, 0]
    return (*axes, vals if data.dim == 1 else vals.reshape(n, n))


def push(trainer, x, labels=None):
    r"""The push of G's loss on each fake, −∇ₓℓ_G(x): (N, dim).

    G minimises the batch mean of ℓ_G(t(x)), t = D's output; losses.py gives ∂mean/∂t = ℓ_G′(t)/N,
    so N times that, back-propagated through D, is ∇ₓℓ_G at each fake — the direction and size of
    the gradient that flows into G from that point. Wherever ℓ_G′ < 0 it points along ∇ₓD (PUSH).
    """
    rows = trainer.with_label(x.astype(trainer.dtype), trainer.onehot(labels))
    # D at each point as at_points defines it (packs of copies, groups); ℓ_G′(t) at each fake
    _, dx = trainer.D.grad_at_points(rows, lambda t: trainer.g_loss(t).d_fake * len(x))
    return -dx[:, :trainer.data.dim]


def shown_d(loss, dv):
    """What is drawn of D, and its name: D itself, or for wgan/wgan-gp the critic's shape, f − its
    mean over the box in units of its largest |·| (f is defined up to a constant, and clipping
    shrinks its scale 100-fold after step 0: raw values would flatten every later frame)."""
    if loss not in CRITICS:
        return dv, D_NAME[loss]
    c = dv - np.nanmean(dv)
    unit = float(np.nanmax(np.abs(c)))
    return (c / unit if unit > 0 else c), f"critic f(x) − its mean, in units of {unit:.2g}"


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
    data, loss, level = trainer.data, trainer.cfg.loss, LEVEL.get(trainer.cfg.loss)
    vals = np.concatenate([np.ravel(f["surface"][-1]) for f in frames])
    vals = vals[np.isfinite(vals)]
    lo, hi = (vals.min(), vals.max()) if len(vals) else (0.0, 1.0)
    lo, hi = (0.0, 1.0) if loss in PROB_LOSSES else (-1.0, 1.0) if loss in CRITICS else (lo, hi)
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
    (xs, dv), (lo, hi), x, level = surface, data.bounds, x_gen[:, 0], LEVEL.get(loss)
    dv, name = shown_d(loss, dv)
    w = np.full(len(x), BINS / (len(x) * (hi - lo)))           # bars: a density of all samples
    outside = np.mean((x < lo) | (x > hi))
    note = f"{100 * outside:.0f} % of samples outside this x-range" if outside >= 0.005 else ""
    if hist_density(x, data.bounds).max() > limits["y"][1]:
        note += ("; " if note else "") + "bars cut at the top"
    if data.has_density:
        ax.plot(xs, data.pdf(xs), "k:", lw=2, label="p_data")
    if labels is None:
        ax.hist(x, bins=BINS, range=data.bounds, weights=w, color="tab:green", alpha=0.5,
                label="p_g (histogram" + (f"; {note})" if note else ")"))
    else:
        ax.hist([x[labels == k] for k in range(K)], bins=BINS, range=data.bounds, stacked=True,
                weights=[w[labels == k] for k in range(K)], alpha=0.6, color=class_colors(K),
                label=[f"p_g(x | class {k})" + (f" ({note})" if note and k == K - 1 else "")
                       for k in range(K)])
    ax2 = ax if loss in PROB_LOSSES else ax.twinx()
    ax2.plot(xs, dv, "--", color="tab:blue", lw=2, label=name)
    if level:
        ax2.axhline(level[0], color="tab:blue", lw=1, ls="-.", label=level[1])
    ax.set(xlim=(lo, hi), ylim=limits["y"], xlabel="x (data units)",
           ylabel="density (per data unit)" + (" · D(x) (probability)" if ax2 is ax else ""))
    handles, names = ax.get_legend_handles_labels()
    if ax2 is not ax:
        ax2.set_ylim(*limits["y2"])
        ax2.set_ylabel(name, color="tab:blue")
        handles, names = [a + b for a, b in zip((handles, names), ax2.get_legend_handles_labels())]
    ax.legend(handles, names, loc="upper left", fontsize=7)


def _draw_2d(ax, trainer, x_gen, labels, surface, limits, arrows):
    from matplotlib.colors import Normalize, TwoSlopeNorm
    from matplotlib.lines import Line2D
    data, loss, K = trainer.data, trainer.cfg.loss, trainer.n_classes
    (xs, ys, dv), level = surface, LEVEL.get(loss)
    dv, name = shown_d(loss, dv)
    (vmin, vmax), c = limits["v"], level[0] if level else None
    norm = TwoSlopeNorm(c, vmin, vmax) if level and vmin < c < vmax else Normalize(vmin, vmax)
    im = ax.imshow(dv, origin="lower", extent=data.bounds, cmap="RdBu_r", norm=norm, aspect="equal",
                   alpha=0.85)
    bar = ax.figure.colorbar(im, ax=ax, shrink=0.8, label=name)
    show = np.random.default_rng(0).permutation(len(x_gen))[:1000]     # a subset, for display only
    colour = "tab:orange" if labels is None else class_colors(K)[labels[show]]
    ax.scatter(x_gen[show, 0], x_gen[show, 1], s=5, c=colour, alpha=0.7, lw=0)
    real = trainer.x_eval[:1000]                # drawn on top, white with an edge: never hidden
    ax.scatter(real[:, 0], real[:, 1], s=7, c="white", edgecolors="k", linewidths=0.4, zorder=3)
    gen = "generated, G(z)" if labels is None else "generated (colour: the class asked)"
    keys = [Line2D([], [], ls="none", marker="o", ms=5, mew=0, label=gen,
                   color="tab:orange" if labels is None else "0.5"),
            Line2D([], [], ls="none", marker="o", ms=5, mfc="white", mec="k", mew=0.6,
                   label="real (data)")]
    if level:
        bar.ax.axhline(c, color="k", ls="--", lw=1.2)
        inside = np.nanmin(dv) < c < np.nanmax(dv)
        if inside:            # above the samples: at a trained D the contour hugs the modes
            ax.contour(xs, ys, dv, levels=[c], colors="k", linestyles="--", linewidths=1.3,
                       zorder=5)
        keys.append(Line2D([], [], color="k", ls="--", lw=1,
                           label=level[1] + ("" if inside else " — nowhere in this box")))
    note = None
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
            keys.append(Line2D([], [], color="k", marker=r"$\rightarrow$", ls="none", ms=9,
                               label=f"push of G's loss on a fake, −∇ₓ(G loss) {PUSH[loss]}; "
                                     "length ∝ size"))
            lr = trainer.opt_g.lr
            note = (f"G's step is its learning rate × the push: {lr:.2g} × {ref:.2g} ≈ "
                    f"{lr * ref:.1g} data units for the 95th-percentile arrow, far shorter than "
                    "drawn.\nA long arrow on a fake that sits on a mode: D is steep around each "
                    "mode, and the push follows D's slope.")
    ax.set(xlim=data.bounds[:2], ylim=data.bounds[2:], xlabel="x₁ (data units)",
           ylabel="x₂ (data units)")
    if not ax.figure.legends:           # one key per figure, however many panels draw samples
        ax.figure.legend(handles=keys, loc="outside lower center", ncol=2, fontsize=7,
                         frameon=False, title=note, title_fontsize=6.5)


def samples_title(trainer, step, arrows, dmax=None):
    """Two lines: what the panel shows, and which run at which step."""
    loss = trainer.cfg.loss
    if trainer.data.dim == 1:
        point = "p_g (bars) should come to cover p_data (dotted)" + (
            ", and D → ½ where they match" if LEVEL.get(loss) is HALF else
            f"; G moves mass uphill on {'the critic' if loss in CRITICS else 'D'}")
    elif arrows:
        point = (f"Samples over {'the critic' if loss in CRITICS else 'D'}; arrows: the push of G's "
                 f"loss on some fakes, uphill on {'the critic' if loss in CRITICS else 'D'}")
        if dmax is not None and loss in PROB_LOSSES:
            point += (f"\nD < ½ everywhere (at most {dmax:.2f}): no place looks real" if dmax < 0.5
                      else f"\nD at most {dmax:.2f}, barely above ½ (white) even on the modes, "
                      "as near equilibrium" if dmax < 0.65 else
                      f"\nred: where D says real (up to {dmax:.2f})")
    else:
        point = (f"Generated ({'coloured by class' if trainer.n_classes else 'orange'}) against "
                 "real (white) samples over D")
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
    dmax = float(np.nanmax(surface[-1])) if trainer.data.dim == 2 else None
    ax.set_title(title or samples_title(trainer, step, arrows, dmax), fontsize=9)


def samples_figure(trainer, path):
    x_gen = trainer.generate(trainer.z_eval, trainer.labels_eval)
    fig = figure(7.6, 7) if trainer.data.dim == 2 else figure(8, 4.8)
    draw_samples(fig.add_subplot(), trainer, x_gen, trainer.labels_eval)
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
