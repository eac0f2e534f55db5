r"""The pictures a run leaves behind: samples over D's heat map, training curves, an animation.

Matplotlib is imported inside the functions (``Figure`` objects, no pyplot state), so importing
minigan stays fast and nothing here switches the backend of a user's session.
"""
import numpy as np

GRID = 120        # heat-map resolution per axis


def _figure(w, h):
    from matplotlib.figure import Figure
    return Figure(figsize=(w, h), dpi=100, layout="constrained")


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


def d_gradient(trainer, x, labels=None):
    r"""∇ₓD(x) at the points x (the direction the G step pushes a fake): (N, dim)."""
    y = trainer.onehot(labels)
    _, cache = trainer.D.forward(trainer.with_label(x.astype(trainer.dtype), y))
    dx, _ = trainer.D.backward(np.ones((len(x), 1), dtype=trainer.dtype), cache, need_params=False)
    return dx[:, :trainer.data.dim]


def class_colors(K):
    """(K, 4) RGBA: tab10 for up to 10 classes, evenly spaced hues beyond."""
    from matplotlib import colormaps
    if K <= 10:
        return np.array(colormaps["tab10"].colors)[:K]
    return colormaps["hsv"](np.arange(K) / K)


def _d_label(trainer):
    return "D(x)" if trainer.cfg.loss in ("gan", "nsgan") else "critic f(x)"


def draw_samples(ax, trainer, x_gen, labels=None, arrows=True, surface=None, title=None):
    """One panel: real vs generated over D (2D heat map + ∇ₓD arrows, or 1D Figure-1 style)."""
    data, rng = trainer.data, np.random.default_rng(0)      # subsets for display only
    show = rng.permutation(len(x_gen))[:1000]
    surface = d_surface(trainer) if surface is None else surface
    if data.dim == 1:
        xs, dv = surface
        if data.has_density:
            ax.plot(xs, data.pdf(xs), "k:", lw=2, label="p_data")
        if labels is None:
            ax.hist(x_gen[:, 0], bins=80, range=data.bounds, density=True, color="tab:green",
                    alpha=0.5, label="p_g (histogram)")
        else:
            K = trainer.n_classes
            ax.hist([x_gen[labels == k, 0] for k in range(K)], bins=80, range=data.bounds,
                    density=True, stacked=True, alpha=0.6, color=class_colors(K),
                    label=[f"p_g(x | class {k})" for k in range(K)])
        ax2 = ax.twinx() if trainer.cfg.loss not in ("gan", "nsgan") else ax
        ax2.plot(xs, dv, "--", color="tab:blue", lw=2, label=_d_label(trainer))
        if ax2 is ax:
            ax.axhline(0.5, color="tab:blue", lw=0.5, alpha=0.5)
        ax.set_xlim(*data.bounds)
        ax.legend(loc="upper left", fontsize=8)
    else:
        xs, ys, dv = surface
        im = ax.imshow(dv, origin="lower", extent=data.bounds, cmap="RdBu_r", aspect="equal",
                       alpha=0.85)
        ax.figure.colorbar(im, ax=ax, shrink=0.8, label=_d_label(trainer))
        real = trainer.x_eval[show]
        ax.scatter(real[:, 0], real[:, 1], s=3, c="k", alpha=0.3, label="real")
        if labels is None:
            ax.scatter(x_gen[show, 0], x_gen[show, 1], s=4, c="tab:orange", alpha=0.7, label="generated")
        else:
            ax.scatter(x_gen[show, 0], x_gen[show, 1], s=4, c=class_colors(trainer.n_classes)[labels[show]],
                       alpha=0.8, label="generated (colour = class asked)")
        if arrows:
            sub = show[:80]
            g = d_gradient(trainer, x_gen[sub], None if labels is None else labels[sub])
            g = g / (np.linalg.norm(g, axis=1, keepdims=True) + 1e-12)
            ax.quiver(x_gen[sub, 0], x_gen[sub, 1], g[:, 0], g[:, 1], color="k", width=0.004,
                      scale=25, alpha=0.8)
        ax.set_xlim(*data.bounds[:2])
        ax.set_ylim(*data.bounds[2:])
        ax.legend(loc="upper right", fontsize=7, markerscale=3)
    ax.set_title(title or f"{trainer.cfg.data} · {trainer.cfg.loss} · step {trainer.step}", fontsize=10)


def samples_figure(trainer, path):
    x_gen = trainer.generate(trainer.z_eval, trainer.labels_eval)
    fig = _figure(7, 6) if trainer.data.dim == 2 else _figure(8, 4.5)
    ax = fig.add_subplot()
    draw_samples(ax, trainer, x_gen, trainer.labels_eval)
    if trainer.data.dim == 2:
        ax.text(0.01, 0.01, "arrows: direction of ∇ₓD at generated points", transform=ax.transAxes,
                fontsize=7)
    fig.savefig(path)


def read_history(path):
    """history.csv -> dict column -> np.ndarray (floats)."""
    import csv
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return {}
    return {k: np.array([float(r[k]) if r[k] != "" else np.nan for r in rows]) for k in rows[0]}


def history_figure(hist, path, title=""):
    """Losses, D's outputs, gradient norms and the dataset's metric against the step."""
    fig = _figure(11, 7)
    axs = fig.subplots(2, 2)
    s = hist.get("step", np.array([]))
    axs[0, 0].plot(s, hist["d_loss"], label="D loss")
    axs[0, 0].plot(s, hist["g_loss"], label="G loss")
    axs[0, 0].set_title("losses (mean since the previous row)")
    axs[0, 1].plot(s, hist["d_real"], label="D(real)")
    axs[0, 1].plot(s, hist["d_fake"], label="D(fake)")
    axs[0, 1].set_title("mean D output on real and on fake")
    axs[1, 0].semilogy(s, hist["grad_norm_d"], label="‖∇θ_D‖")
    axs[1, 0].semilogy(s, hist["grad_norm_g"], label="‖∇θ_G‖")
    axs[1, 0].set_title("gradient norms")
    ax = axs[1, 1]
    if "modes_captured" in hist:
        ax.plot(s, hist["modes_captured"] / hist["modes_total"], label="modes captured (fraction)")
        ax.plot(s, hist["high_quality_frac"], label="high-quality fraction")
        if "class_acc_mean" in hist:
            ax.plot(s, hist["class_acc_mean"], label="per-class accuracy")
        ax.set_ylim(-0.02, 1.02)
    key = "w1" if "w1" in hist else "sliced_w"
    if key in hist:
        axw = ax.twinx() if "modes_captured" in hist else ax
        axw.semilogy(s, hist[key], "k--", label=key)
        axw.legend(loc="lower right", fontsize=8)
    ax.set_title("sample quality on the fixed noise batch")
    for a in axs.flat:
        a.set_xlabel("step")
        a.legend(loc="upper left", fontsize=8)
    fig.suptitle(title)
    fig.savefig(path)


def frame(trainer):
    """What one animation frame needs, computed now (cheap: a coarse grid, 1000 samples)."""
    x_gen = trainer.generate(trainer.z_eval[:1000],
                             None if trainer.labels_eval is None else trainer.labels_eval[:1000])
    return {"step": trainer.step, "x": x_gen, "surface": d_surface(trainer, n=60)}


def animation(trainer, frames, path, fps=8):
    """GIF of the recorded frames (samples over D's heat map, step by step)."""
    from matplotlib.animation import FuncAnimation, PillowWriter
    fig = _figure(6, 5.2)
    ax = fig.add_subplot()
    labels = None if trainer.labels_eval is None else trainer.labels_eval[:1000]

    def draw(i):
        f = frames[i]
        fig.clear()
        a = fig.add_subplot()
        draw_samples(a, trainer, f["x"], labels, arrows=False, surface=f["surface"],
                     title=f"{trainer.cfg.data} · {trainer.cfg.loss} · step {f['step']}")
    del ax
    anim = FuncAnimation(fig, draw, frames=len(frames))
    anim.save(path, writer=PillowWriter(fps=fps))
