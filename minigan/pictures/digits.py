r"""Pictures of image data (the digits): each row of x is an 8 × 8 image, drawn as a grid.

The toys' pictures draw points on a line or a plane with D's field under them. A digit is a point
in 64 dimensions: there is no plane to draw it on and no field to shade (D's input has 64
coordinates), so these pictures show the images themselves, and the judge (judge.py, a classifier
trained on the real digits) says which digit each one is.

    tiles(x, cols)              (N, 64) in [−1, 1] -> one (rows·9 − 1, cols·9 − 1) picture, 0–16
    fixed_grid(trainer)         what G draws for the first 100 fixed noise vectors (a CGAN: row r
                                asks for digit r, the same 10 noise vectors in every row)
    digits_figure(trainer, p)   samples.png: G's grid, real training images, the judge's counts
    latent_figure(trainer, p)   zspace.png: G's image at each cell of the noise plane (z1, z2)
    animation(frames, p)        training.gif: G's grid over training

Matplotlib is imported inside ``figure`` (plots.py), as in every picture module.
"""
import numpy as np

from ..data import to_pixels
from ..judge import CONFIDENT, MIN_SHARE, digit_histogram, digit_judge, digit_metrics
from .plots import figure

SIDE = 10          # the grids are 10 × 10 images
CMAP = "gray_r"    # ink dark on white paper, as the digits were written


def tiles(x, cols, shape=(8, 8)):
    """One picture of the images in x (N, h·w), cols to a row, a blank pixel between them.

    Returns (rows·(h+1) − 1, cols·(w+1) − 1) pixel intensities 0–16 (G's output clipped), NaN
    in the gaps (drawn as paper)."""
    h, w = shape
    x = to_pixels(x).reshape(-1, h, w)
    rows = -(-len(x) // cols)
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for i, img in enumerate(x):
        r, c = divmod(i, cols)
        out[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = img
    return out


def fixed_grid(trainer, side=SIDE):
    """(side², 64): G on fixed noise. Unconditional: the first side² evaluation noise vectors.
    Conditional: row r asks for class r, each column one of the first ``side`` noise vectors, so
    a row shows one digit in ten hands and a column one 'hand' writing every digit."""
    z = trainer.z_eval[:side * side]
    if not trainer.n_classes:
        return trainer.generate(z)
    K = trainer.n_classes
    z = np.tile(trainer.z_eval[:side], (K, 1))
    return trainer.generate(z, np.repeat(np.arange(K), side))


def draw_grid(ax, x, cols, title):
    ax.imshow(tiles(x, cols), cmap=CMAP, vmin=0, vmax=16, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)


def draw_counts(ax, x_gen, weights):
    """The judge's verdict on x_gen: how many samples it reads as each digit, confidently (dark)
    or not (light), against the real data's proportions (dots). Returns judge.digit_histogram."""
    counts = digit_histogram(x_gen)
    n, digits = len(x_gen), np.arange(10)
    conf, unsure = counts["confident"] / n, (counts["all"] - counts["confident"]) / n
    ax.bar(digits, conf, color="C0", label=f"judged with p ≥ {CONFIDENT:g}")
    ax.bar(digits, unsure, bottom=conf, color="C0", alpha=0.3, label="judged less surely")
    ax.plot(digits, weights, "k_", ms=18, mew=2, label="the real data's share")
    ax.axhline(MIN_SHARE, color="C3", ls="--", lw=1,
               label=f"a digit counts from {100 * MIN_SHARE:g} % judged surely")
    top = max(float((conf + unsure).max()), float(np.max(weights)))
    ax.set(xticks=digits, xlabel="digit the judge reads", ylabel="share of G's samples",
           ylim=(0, 1.35 * top))                  # the free band on top holds the legend
    ax.legend(fontsize=7, loc="upper center", ncol=2)
    return counts


def digits_figure(trainer, path):
    """samples.png of an image run: G's fixed grid, real training images, the judge's counts."""
    x_eval = trainer.generate(trainer.z_eval, trainer.labels_eval)
    m = digit_metrics(x_eval)
    fig = figure(13, 4.8)
    axs = fig.subplots(1, 3, gridspec_kw=dict(width_ratios=[1, 1, 1.25]))
    cond = trainer.n_classes > 0
    draw_grid(axs[0], fixed_grid(trainer), SIDE,
              f"G at step {trainer.step}: " + ("row r asks for digit r\n(columns: the same 10 "
                                               "noise vectors)" if cond else
                                               "100 fixed noise vectors\n(the same in every picture "
                                               "of this run)"))
    draw_grid(axs[1], trainer.data.x[:SIDE * SIDE], SIDE,
              "real: the first 100 training images\n(what G learns from; 8 × 8, 17 grey levels)")
    sure = draw_counts(axs[2], x_eval, trainer.data.weights)["confident"]
    missing = [str(k) for k in range(10) if sure[k] < max(1, MIN_SHARE * len(x_eval))]
    axs[2].set_title(f"what the judge reads in {len(x_eval)} samples: {m['digits_covered']}/10 "
                     f"digits covered" + (f" (not: {', '.join(missing)})" if missing else "")
                     + f",\n{100 * m['confident_frac']:.0f} % judged surely, Fréchet distance "
                     f"{m['frechet']:.3g}", fontsize=9)
    cfg = trainer.cfg
    fig.suptitle(f"{cfg.data} · {cfg.loss}{' · conditional' if cond else ''} · seed {cfg.seed}: "
                 f"each sample is a point in 64 dimensions, drawn as its 8 × 8 image", fontsize=10)
    fig.savefig(path)


def latent_figure(trainer, path, n=12, span=2.5):
    """zspace.png of an image run: G's image at each cell of an n × n grid of the noise plane
    (z1, z2) ∈ [−span, span]², the other noise coordinates 0; each tile's frame coloured by the
    digit the judge reads there. A CGAN draws the plane once for digit 0 and once for digit 5."""
    from matplotlib import colormaps
    from matplotlib.patches import Rectangle
    t = np.linspace(-span, span, n)
    z = np.zeros((n * n, trainer.cfg.z_dim), dtype=trainer.dtype)
    z[:, 0] = np.tile(t, n)
    if trainer.cfg.z_dim > 1:
        z[:, 1] = np.repeat(t[::-1], n)           # z2 grows upwards, as on a plot
    asked = [0, 5] if trainer.n_classes else [None]
    fig = figure(6.2 * len(asked), 6.6)
    colours = colormaps["tab10"](np.arange(10))      # one distinct colour per digit
    for i, label in enumerate(asked):
        ax = fig.add_subplot(1, len(asked), i + 1)
        x = trainer.generate(z, None if label is None else np.full(n * n, label))
        read = digit_judge().predict(x)
        draw_grid(ax, x, n, "G(z1, z2, 0, …)" + ("" if label is None else f" asked for digit {label}"))
        for k, d in enumerate(read):
            r, c = divmod(k, n)
            ax.add_patch(Rectangle((c * 9 - 0.5, r * 9 - 0.5), 8, 8, fill=False, lw=1.5,
                                   ec=colours[d]))
            ax.text(c * 9 + 7.4, r * 9 + 0.6, str(d), fontsize=6, color=colours[d],
                    ha="right", va="top", fontweight="bold")
        ax.set_xlabel(f"z1 from −{span} to {span} →")
        ax.set_ylabel(f"z2 from −{span} to {span} →")
    cfg = trainer.cfg
    fig.suptitle(f"{cfg.data} · {cfg.loss} · seed {cfg.seed} · step {trainer.step}\nthe noise plane "
                 f"(z1, z2), the other {cfg.z_dim - 2} noise coordinates 0: G's image at each cell, "
                 f"framed in the colour of the digit the judge reads (the digit in its corner)", fontsize=9)
    fig.savefig(path)


def frame(trainer):
    """One animation frame: G's fixed grid now (100 images)."""
    return {"step": trainer.step, "x": fixed_grid(trainer)}


def animation(frames, path, fps=8):
    """training.gif of an image run: G's fixed grid, frame by frame."""
    from matplotlib.animation import FuncAnimation, PillowWriter
    fig = figure(5, 5.3)
    ax = fig.add_subplot()

    def draw(i):
        ax.clear()
        draw_grid(ax, frames[i]["x"], SIDE, f"G on 100 fixed noise vectors, step {frames[i]['step']}")
    FuncAnimation(fig, draw, frames=len(frames)).save(path, writer=PillowWriter(fps=fps))
