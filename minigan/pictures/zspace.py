r"""G's manifold: where a regular grid of the noise space lands, and which mode each z reaches.

A generator is a map z ↦ G(z) from the noise space to the data space. Mode collapse is a
statement about that map: a whole region of z-space lands on one mode, and no z lands on the
others. This module lays a regular grid over z-space, pushes it through G and colours every grid
point by the mode its image reaches (the mode-coverage rule of metrics.py: within 3 std of the
nearest centre; −1 where it reaches none). The lab page draws the warped grid (``lab.py``), the
capacity study the coloured noise plane (``zspace_figure``).

    mode_map(trainer, n)         {"z": grid, "x": G(grid), "mode": index or −1}, one function for
                                 the lab page and the figures
    zspace_figure(maps, path)    the noise plane coloured by mode, one panel per recorded step

The grid: z ~ N(0, I), so each axis runs over [−R, R] with R = 3 (99.7 % of the mass per axis).
For z_dim = 1 it is a line of n_line points; for z_dim ≥ 2 an n × n grid over (z₁, z₂) with every
other coordinate 0 — a 2-D slice through the origin, not all of z-space (the pictures say so).
A conditional G is shown for class 0.
"""
import numpy as np

from ..metrics import nearest_mode

R = 3.0         # half-width of the z grid, in standard deviations of the noise
N_MESH = 33     # grid points per axis (z_dim ≥ 2)
N_LINE = 201    # grid points (z_dim = 1)


def z_grid(z_dim, n=N_MESH, n_line=N_LINE, dtype=np.float64):
    """The regular grid of noise vectors: (n_line, 1) for z_dim 1, else (n, n, z_dim) with
    z[i, j] = (u_j, u_i, 0, …, 0), u = linspace(−R, R): row i is z₂, column j is z₁."""
    if z_dim == 1:
        return np.linspace(-R, R, n_line, dtype=dtype)[:, None]
    u = np.linspace(-R, R, n, dtype=dtype)
    z = np.zeros((n, n, z_dim), dtype=dtype)
    z[:, :, 0], z[:, :, 1] = np.meshgrid(u, u)
    return z


def modes_of(x, data):
    """The mode each row of x (N, dim) reaches: the nearest centre's index if within 3 std, else −1.
    All −1 for data without modes (no centres)."""
    if data.centers is None or data.std is None:
        return np.full(len(x), -1, dtype=np.int8)
    idx, dist = nearest_mode(x.astype(np.float64), data.centers)
    return np.where(dist <= 3 * data.std, idx, -1).astype(np.int8)


def mode_map(trainer, n=N_MESH, n_line=N_LINE):
    """G's manifold on the z grid: {"z", "x", "mode"} with shapes (…, z_dim), (…, dim), (…).

    ``…`` is (n_line,) for z_dim 1 and (n, n) otherwise. Reads G only (no random draws): calling
    it never changes what is trained.
    """
    z = z_grid(trainer.cfg.z_dim, n, n_line, trainer.dtype)
    flat = z.reshape(-1, z.shape[-1])
    labels = np.zeros(len(flat), dtype=np.int64) if trainer.n_classes else None
    x = trainer.generate(flat, labels)                                        # (n·n, dim)
    shape = z.shape[:-1]
    return {"z": z, "x": x.reshape(*shape, -1), "mode": modes_of(x, trainer.data).reshape(shape)}


def mode_colors(K):
    """(K + 1, 3) RGB: row 0 is grey (no mode), row k + 1 the colour of mode k (a hue circle, so
    neighbouring modes of a ring get neighbouring colours)."""
    from matplotlib import colormaps
    hues = colormaps["hsv"](np.arange(K) / max(K, 1))[:, :3] * 0.85
    return np.vstack([[0.82, 0.82, 0.82], hues])


def draw_mode_plane(ax, mode, K, title=None):
    """One panel: the z grid (n, n) coloured by mode index (−1 grey)."""
    colors = mode_colors(K)
    ax.imshow(colors[mode.astype(int) + 1], origin="lower", extent=(-R, R, -R, R),
              interpolation="nearest")
    ax.set_xticks([-R, 0, R])
    ax.set_yticks([-R, 0, R])
    ax.tick_params(labelsize=7)
    if title:
        ax.set_title(title, fontsize=8)


def zspace_figure(maps, path, K, title="", centers=None):
    """The noise plane coloured by mode at a few steps: ``maps`` is [(step, mode (n, n), caption)].

    Grey: z lands on no mode. A mode that no colour covers is a dropped mode; one colour over most
    of the plane is collapse; a thin grey seam between two colours is where G's map tears from
    one mode to the next (it must cross the empty space between them). centers (K, 2): a last
    panel, the key — each mode's centre in the data plane, in its colour.
    """
    from .plots import figure
    key = centers is not None and np.shape(centers)[1:] == (2,)
    fig = figure(1.9 * (len(maps) + key) + 0.4, 2.8)
    axs = fig.subplots(1, len(maps) + key, squeeze=False)[0]
    for ax, (step, mode, caption) in zip(axs, maps):
        draw_mode_plane(ax, mode, K, f"step {step}" + (f"\n{caption}" if caption else ""))
    axs[0].set_ylabel("z2", fontsize=8)
    for ax in axs[:len(maps)]:
        ax.set_xlabel("z1", fontsize=8)
    if key:                                   # which colour is which mode
        ax = axs[-1]
        c = np.asarray(centers)
        ax.scatter(c[:, 0], c[:, 1], s=60, c=mode_colors(K)[1:], edgecolors="k", linewidths=0.5)
        for k, (x, y) in enumerate(c if K <= 10 else []):
            ax.annotate(str(k), (x, y), fontsize=6, ha="center", va="center")
        pad = 0.25 * float(np.ptp(c)) or 1.0
        ax.set(xlim=(c[:, 0].min() - pad, c[:, 0].max() + pad),
               ylim=(c[:, 1].min() - pad, c[:, 1].max() + pad), aspect="equal")
        ax.set_title("key: each mode's colour\nat its centre (x1, x2)", fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle(title or "the noise plane (z1, z2) coloured by the mode G(z) lands on; grey: none",
                 fontsize=9)
    fig.savefig(path)
