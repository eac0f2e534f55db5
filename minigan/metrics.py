r"""How close is p_g to p_data? Mode coverage, Wasserstein distances, KL and JSD — in nats.

Sample-based (any generator):
    mode_coverage   modes captured / high-quality fraction / mode histogram (VEEGAN, PacGAN)
    class_accuracy  per-class hit rate of a conditional generator
    w1              exact 1-D W1 between (weighted) empirical samples
    sliced_w        sliced Wasserstein SW_1 in D dimensions (Bonneel et al. 2015)
    frechet_distance  Fréchet distance of feature means/covariances (FID's formula; sqrtm_psd,
                      frechet_from_stats, feature_stats)
Density-based (1-D, values on a grid — e.g. a dataset's pdf vs a KDE of G's samples):
    w1_density, kl, jsd
    trapezoid_weights, normalise_density   the quadrature they share (and the theory lab uses)

All arithmetic is float64 and vectorised over samples; see docs/references.md §5 and §7.
"""
import math
from typing import NamedTuple

import numpy as np

# The share of a perfect sampler's samples that are high quality (within 3σ of their mode):
# P(|ε| ≤ 3σ) in 1-D, P(‖ε‖ ≤ 3σ) = 1 − e^{−9/2} in 2-D (a χ² with 2 degrees of freedom).
PERFECT_HQ = {1: 0.9973, 2: 1 - math.exp(-4.5)}

# --- mixtures: which mode does a sample belong to? -----------------------------------------


class Nearest(NamedTuple):
    idx: np.ndarray     # (N,) int, index of the nearest centre
    dist: np.ndarray    # (N,) float, Euclidean distance to it


def _points(x, D, name="x"):
    """x as (N, D) float64 (a (N,) array is accepted when D == 1); ValueError otherwise."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1 and D == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] != D or x.shape[0] == 0:
        raise ValueError(f"{name} must have shape (N, {D}) with N ≥ 1, got {x.shape}")
    return x


def _rows(a, name, n="N"):
    """a as a (n, D) float64 array with n ≥ 1 rows and any D; ValueError otherwise."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] == 0:
        raise ValueError(f"{name} must have shape ({n}, D) with {n} ≥ 1, got {a.shape}")
    return a


def _centers_std(centers, std):
    centers = _rows(centers, "centers", "K")
    if std is None or not np.isfinite(std) or std <= 0:
        raise ValueError(f"std must be a finite number > 0, got {std!r}")
    return centers, float(std)


def nearest_mode(x, centers):
    r"""k(x) = argmin_k ‖x − c_k‖ for every row of x.

    x: (N, D) (or (N,) when D = 1); centers: (K, D). Returns Nearest(idx (N,), dist (N,)).
    """
    centers = _rows(centers, "centers", "K")
    x = _points(x, centers.shape[1])
    d2 = np.sum((x[:, None, :] - centers[None, :, :]) ** 2, axis=-1)           # (N, K)
    idx = np.argmin(d2, axis=1)                                                  # (N,)
    return Nearest(idx, np.sqrt(d2[np.arange(len(x)), idx]))


def _mode_weights(weights, K):
    """The data's mode weights w (K,), positive and normalised to sum 1; None -> uniform 1/K."""
    if weights is None:
        return np.full(K, 1.0 / K)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (K,) or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError(f"weights must be {K} finite positive numbers (one per centre), "
                         f"got {weights!r}")
    return w / w.sum()


def mode_coverage(x, centers, std, weights=None):
    r"""Mode coverage of samples x from a mixture with centres c_k and common std σ.

    VEEGAN / PacGAN (docs/references.md §5): each sample goes to its nearest centre; it is *high quality*
    (HQ) if ‖x − c_k‖ ≤ 3σ; mode k is *captured* if at least one HQ sample is nearest to it.
    Note a perfect generator is not 100 % HQ: P(‖ε‖ ≤ 3σ) = 0.9973 in 1-D, 1 − e^{−9/2} = 0.9889
    in 2-D.

    Mode histogram divergence: with counts n_k of HQ samples at mode k, p_k = n_k / Σ_j n_j, and
    the data's own mode weights w_k (``weights``; None means uniform, w_k = 1/K),

        mode_kl = KL(p ‖ w) = Σ_k p_k log(p_k / w_k),   0·log 0 = 0,

    so an empty mode contributes 0 (no infinities) and 0 ≤ mode_kl ≤ log(1/min_k w_k): 0 when
    the histogram has the data's proportions, log(1/w_k) when all HQ samples sit in mode k
    (log K for every k when w is uniform: KL(p ‖ U_K) = Σ_k p_k log(K p_k)). A perfect sampler
    scores 0 up to sampling noise — about (K − 1)/(2 N_HQ), since 2 N_HQ · KL ≈ χ²_{K−1}.
    Pass the weights of a mixture with unequal weights (data ``mixture1d``): against the uniform
    default even the data itself scores KL(w ‖ U_K) > 0.
    With no HQ samples at all p is undefined; we then report log(1/min_k w_k), the largest value
    mode_kl can take (log K for uniform weights): no HQ sample is as bad as the worst collapse.

    x: (N, D) (or (N,) when D = 1); centers: (K, D); std: σ > 0; weights: (K,) positive (they
    are normalised here) or None.
    Returns dict: modes_captured (int), modes_total (int K), high_quality_frac (float),
    counts ((K,) int, HQ samples per mode), mode_kl (float, nats).
    """
    centers, std = _centers_std(centers, std)
    K = len(centers)
    w = _mode_weights(weights, K)                                               # (K,)
    idx, dist = nearest_mode(x, centers)
    hq = dist <= 3 * std                                                         # (N,)
    counts = np.bincount(idx[hq], minlength=K).astype(np.int64)                 # (K,)
    total = counts.sum()
    if total == 0:
        mode_kl = float(-np.log(w.min()))
    else:
        seen = counts > 0
        p = counts[seen] / total
        mode_kl = float(max(np.sum(p * (np.log(p) - np.log(w[seen]))), 0.0))
    return {"modes_captured": int(np.count_nonzero(counts)), "modes_total": K,
            "high_quality_frac": float(hq.mean()), "counts": counts, "mode_kl": mode_kl}


def class_accuracy(x, requested, centers, std):
    r"""Per-class accuracy of a conditional generator.

    A sample generated for class k is correct iff its nearest centre is c_k and
    ‖x − c_k‖ ≤ 3σ (high quality at mode k, as in :func:`mode_coverage`).
    acc_k = #correct for k / #requested k.

    x: (N, D) (or (N,) when D = 1); requested: (N,) ints in [0, K); centers: (K, D); std: σ.
    Returns dict: per_class ((K,) float; NaN for a class that was never requested) and
    mean (float, the mean of acc_k over the requested classes only).
    """
    centers, std = _centers_std(centers, std)
    K = len(centers)
    idx, dist = nearest_mode(x, centers)
    requested = np.asarray(requested)
    if requested.shape != idx.shape or not np.issubdtype(requested.dtype, np.integer):
        raise ValueError(f"requested must be integer labels of shape {idx.shape}, "
                         f"got {requested.dtype} {requested.shape}")
    if requested.min() < 0 or requested.max() >= K:
        raise ValueError(f"requested labels must lie in [0, {K}), got range "
                         f"[{requested.min()}, {requested.max()}]")
    correct = (idx == requested) & (dist <= 3 * std)                            # (N,)
    n_req = np.bincount(requested, minlength=K)                                 # (K,)
    n_ok = np.bincount(requested, weights=correct, minlength=K)                 # (K,)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.where(n_req > 0, n_ok / n_req, np.nan)
    return {"per_class": per_class, "mean": float(np.mean(per_class[n_req > 0]))}


# --- Wasserstein distances -----------------------------------------------------------------

def _samples_1d(x, name):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1 or x.size == 0 or not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must be finite samples of shape (N,) or (N, 1) with N ≥ 1, "
                         f"got shape {x.shape}")
    return x


def _weights(w, n, name):
    if w is None:
        return np.full(n, 1.0 / n)
    w = np.asarray(w, dtype=np.float64)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"{name} must be {n} finite non-negative numbers with a positive sum, "
                         f"got {w!r}")
    return w / w.sum()


def w1(x, y, x_weights=None, y_weights=None):
    r"""Exact W1 between two 1-D empirical distributions (docs/references.md §7), CDF form:

        W1(u, v) = ∫ |F_u(t) − F_v(t)| dt = Σ_i |F_u(z_i) − F_v(z_i)| (z_{i+1} − z_i),

    z = all points of x and y merged and sorted; both CDFs are constant on each gap [z_i, z_{i+1}).
    Sizes may differ; weights (default uniform) are normalised to sum 1.
    x: (N,) or (N, 1); y: (M,) or (M, 1); x_weights: (N,); y_weights: (M,). Returns a float.
    """
    x, y = _samples_1d(x, "x"), _samples_1d(y, "y")
    wx, wy = _weights(x_weights, x.size, "x_weights"), _weights(y_weights, y.size, "y_weights")
    sx, sy = np.argsort(x), np.argsort(y)
    z = np.sort(np.concatenate([x, y]))                                          # (N + M,)
    # F(z_i) = total weight of the points ≤ z_i: cumulative sums indexed by searchsorted
    Fx = np.concatenate([[0.0], np.cumsum(wx[sx])])[np.searchsorted(x[sx], z[:-1], "right")]
    Fy = np.concatenate([[0.0], np.cumsum(wy[sy])])[np.searchsorted(y[sy], z[:-1], "right")]
    return float(np.sum(np.abs(Fx - Fy) * np.diff(z)))


def _w1_columns(u, v):
    r"""W1 between the columns of u (N, L) and v (M, L), uniform weights, quantile form:

        W1 = ∫₀¹ |F_u⁻¹(t) − F_v⁻¹(t)| dt.

    The quantile functions are steps with breaks at t = i/N and j/M; in units of 1/(NM) these
    are the integers iM and jN, so the break points (shared by all L columns) are exact.
    On the piece (a, b] the quantiles are u_(⌈b/M⌉) and v_(⌈b/N⌉) (1-based order statistics).
    Returns (L,).
    """
    N, M = len(u), len(v)
    breaks = np.union1d(np.arange(N + 1) * M, np.arange(M + 1) * N)            # (P + 1,) ints
    b = breaks[1:]                                                               # (P,)
    iu, iv = -(-b // M) - 1, -(-b // N) - 1                                     # 0-based indices
    us, vs = np.sort(u, axis=0), np.sort(v, axis=0)
    width = np.diff(breaks) / (N * M)                                            # (P,)
    return width @ np.abs(us[iu] - vs[iv])                                      # (L,)


def sliced_w(x, y, n_projections, rng):
    r"""Monte Carlo sliced Wasserstein-1 (Bonneel et al. 2015; docs/references.md §7 with p = 1):

        SW_1(μ, ν) = E_{θ~U(S^{D−1})} W1(θ·μ, θ·ν) ≈ (1/L) Σ_l W1(θ_l·x, θ_l·y),

    θ_l = g_l/‖g_l‖ with g_l ~ N(0, I_D) drawn from ``rng`` (uniform on the sphere); each 1-D
    problem is solved exactly by sorting. For a translate y = x + c every slice gives |θ·c|,
    so SW_1 = ‖c‖ E|θ₁| = 2‖c‖/π in 2-D.
    x: (N, D); y: (M, D); n_projections: L ≥ 1; rng: np.random.Generator. Returns a float.
    """
    if isinstance(n_projections, bool) or not isinstance(n_projections, (int, np.integer)) \
            or n_projections <= 0:
        raise ValueError(f"n_projections must be a positive integer, got {n_projections!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a np.random.Generator, got {type(rng).__name__}")
    x = _rows(x, "x")
    y = _points(y, x.shape[1], "y")
    theta = rng.standard_normal((x.shape[1], int(n_projections)))               # (D, L)
    theta /= np.linalg.norm(theta, axis=0, keepdims=True)
    return float(np.mean(_w1_columns(x @ theta, y @ theta)))


# --- densities on a 1-D grid ----------------------------------------------------------------

def _grid(grid):
    grid = np.asarray(grid, dtype=np.float64)
    if grid.ndim != 1 or grid.size < 2 or not np.all(np.diff(grid) > 0):
        raise ValueError(f"grid must be a strictly increasing 1-D array of ≥ 2 points, "
                         f"got shape {grid.shape}")
    return grid


def trapezoid_weights(grid):
    r"""w with Σ_i w_i f_i = trapezoid ∫ f dx on a strictly increasing grid g (G,) -> (G,):

        w_0 = (g_1 − g_0)/2,   w_i = (g_{i+1} − g_{i−1})/2,   w_{G−1} = (g_{G−1} − g_{G−2})/2.
    """
    h = np.diff(_grid(grid))
    return np.concatenate([[0.0], h]) / 2 + np.concatenate([h, [0.0]]) / 2


def normalise_density(f, grid, name="f"):
    r"""Density values f on the grid, scaled so that their trapezoid integral Σ_i w_i f_i is 1.

    f is divided by its maximum first, so the integral is formed from values ≤ 1 whatever the
    scale of f (an array of tiny or huge numbers cannot underflow or overflow w·f). Tail values
    that are subnormal (< 2.2e-308, e.g. those of N(0, 0.1²) beyond |x| ≈ 3.8) are kept, not set
    to 0: kl, jsd and the theory lab handle them (see jsd), so no caller needs a floor of its own.
    f, grid: (G,). Returns (G,); ValueError unless f is finite, ≥ 0 with positive mass.
    """
    grid = _grid(grid)
    w = trapezoid_weights(grid)
    f = np.asarray(f, dtype=np.float64)
    if f.shape == grid.shape and np.all(np.isfinite(f)) and f.max(initial=0) > 0:
        f = f / f.max()
    if f.shape != grid.shape or not np.all(np.isfinite(f)) or np.any(f < 0) or w @ f <= 0:
        raise ValueError(f"{name} must be finite, non-negative density values of shape "
                         f"{grid.shape} (the grid's) with positive mass, got shape {f.shape}")
    return f / (w @ f)


def _densities(p, q, grid):
    """Validate, and return p, q normalised to trapezoid-integrate to 1, the weights and grid."""
    grid = _grid(grid)
    return (normalise_density(p, grid, "p"), normalise_density(q, grid, "q"),
            trapezoid_weights(grid), grid)


def w1_density(p, q, grid):
    r"""W1 between two 1-D densities given on an increasing grid: ∫ |F_p(t) − F_q(t)| dt.

    p, q are first normalised so their trapezoid integrals are 1; F is their cumulative
    trapezoid integral, F(g_i) = Σ_{j<i} ½(f_j + f_{j+1})(g_{j+1} − g_j); the outer integral is
    again by trapezoid. p, q, grid: (G,). Returns a float.
    """
    p, q, w, grid = _densities(p, q, grid)
    h = np.diff(grid)
    Fp = np.concatenate([[0.0], np.cumsum(h * (p[:-1] + p[1:]) / 2)])          # (G,)
    Fq = np.concatenate([[0.0], np.cumsum(h * (q[:-1] + q[1:]) / 2)])
    return float(w @ np.abs(Fp - Fq))


def _kl_terms(p, q):
    r"""p log(p/q) pointwise with 0·log(0/q) = 0 and p·log(p/0) = +inf for p > 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)


def kl(p, q, grid):
    r"""KL(p ‖ q) = ∫ p log(p/q) dx in nats, by trapezoid quadrature on the grid.

    p and q are normalised first (trapezoid integral 1 each). 0·log(0/q) = 0, so points where
    p = 0 add nothing; if q = 0 at a grid point where p > 0 (mass of p that q cannot explain)
    the result is +inf. The sum is the KL of the discrete P_i = w_i p_i, Q_i = w_i q_i, so it is
    ≥ 0 up to rounding, which is clipped. p, q, grid: (G,). Returns a float ≥ 0 (or inf).
    """
    p, q, w, _ = _densities(p, q, grid)
    return float(max(w @ _kl_terms(p, q), 0.0))


def jsd(p, q, grid):
    r"""JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, in nats (docs/references.md §7).

    Trapezoid quadrature after normalising p and q. m > 0 wherever p or q is, so JSD is always
    finite; 0·log 0 = 0. With P_i = w_i p_i (w the trapezoid weights) the sum is exactly the JSD
    of two discrete distributions, so 0 ≤ JSD ≤ log 2 holds up to rounding; the result is
    clipped to [0, log 2] only to remove that rounding (of order 1e-16). JSD = log 2 iff p and q
    are never both positive at a grid point. p, q, grid: (G,). Returns a float.
    """
    p, q, w, _ = _densities(p, q, grid)
    # log m = log(p + q) − log 2, not log((p + q)/2): halving two subnormal densities can
    # underflow m to 0 where p > 0, which would turn a finite term into an infinity
    with np.errstate(divide="ignore", invalid="ignore"):
        m = 0.5 * (p + q)
        log_m = np.where(m > 0, np.log(m), np.log(p + q) - np.log(2))
        tp = np.where(p > 0, p * (np.log(p) - log_m), 0.0)
        tq = np.where(q > 0, q * (np.log(q) - log_m), 0.0)
    value = 0.5 * (w @ tp) + 0.5 * (w @ tq)
    return float(np.clip(value, 0.0, np.log(2)))


def describe(m):
    """The metrics of a history row or of metrics.json, as short phrases (progress lines, pages)."""
    parts = []
    if "modes_captured" in m:
        parts.append(f"modes {m['modes_captured']}/{m['modes_total']}, "
                     f"high quality {100 * m['high_quality_frac']:.1f} %")
    if "digits_covered" in m:
        parts.append(f"digits {m['digits_covered']}/{m['digits_total']}, judged surely "
                     f"{100 * m['confident_frac']:.1f} %, Fréchet {m['frechet']:.3g}")
    if "class_acc_mean" in m:
        parts.append(f"per-class accuracy {m['class_acc_mean']:.3f}")
    parts += [f"{k} {m[k]:.4f}" for k in ("w1", "sliced_w") if k in m]
    return parts


# --- Fréchet distance between feature statistics ---------------------------------------------

def feature_stats(f):
    r"""Mean and covariance of features f (N, H), N ≥ 2 -> (μ (H,), Σ (H, H)).

    μ = (1/N) Σ_n f_n,   Σ = (1/(N − 1)) Σ_n (f_n − μ)(f_n − μ)ᵀ   (unbiased, as FID's np.cov).
    """
    f = _rows(f, "f")
    if len(f) < 2 or not np.all(np.isfinite(f)):
        raise ValueError(f"f must hold at least 2 rows of finite features, got shape {f.shape}")
    mu = f.mean(axis=0)
    fc = f - mu
    return mu, fc.T @ fc / (len(f) - 1)


def sqrtm_psd(A):
    r"""The symmetric PSD square root S of a symmetric PSD matrix A: S = Sᵀ, S ⪰ 0, S·S = A.

    A = V diag(λ) Vᵀ (np.linalg.eigh), S = V diag(√λ) Vᵀ. A covariance computed in floating point
    can have eigenvalues of −1e-16·‖A‖ where the exact one is 0: they are clipped to 0 first.
    Only the lower triangle of A is read (eigh's convention); A must be symmetric.
    A: (H, H). Returns (H, H).
    """
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.all(np.isfinite(A)):
        raise ValueError(f"A must be a finite square matrix, got shape {A.shape}")
    lam, V = np.linalg.eigh(A)
    return (V * np.sqrt(np.maximum(lam, 0.0))) @ V.T


def frechet_from_stats(mu_a, cov_a, mu_b, cov_b):
    r"""Fréchet distance between N(μ_a, Σ_a) and N(μ_b, Σ_b) (Dowson & Landau 1982; FID's formula):

        d² = ‖μ_a − μ_b‖² + Tr(Σ_a + Σ_b − 2 (Σ_a Σ_b)^½)
           = ‖μ_a − μ_b‖² + Tr Σ_a + Tr Σ_b − 2 Tr (Σ_a^½ Σ_b Σ_a^½)^½.

    It is the squared 2-Wasserstein distance between the two Gaussians, so it is ≥ 0, symmetric,
    and 0 only for equal statistics; a pure mean shift δ gives ‖δ‖², and in 1-D it is
    (μ_a − μ_b)² + (σ_a − σ_b)².

    Why the two traces agree (no SciPy, no square root of a non-symmetric matrix): let
    M = Σ_a^½ Σ_b Σ_a^½, symmetric PSD. If Σ_a is invertible,
    Σ_a Σ_b = Σ_a^½ (Σ_a^½ Σ_b Σ_a^½) Σ_a^{−½} = Σ_a^½ M Σ_a^{−½}, so Σ_a Σ_b is similar to M and
    has its eigenvalues λ_i ≥ 0; its principal square root is Σ_a^½ M^½ Σ_a^{−½} (square it), with
    eigenvalues √λ_i, hence Tr (Σ_a Σ_b)^½ = Σ_i √λ_i = Tr M^½. For a singular Σ_a apply this to
    Σ_a + εI and let ε → 0 (eigenvalues depend continuously on the matrix). So one symmetric
    square root (``sqrtm_psd``) and one symmetric eigenvalue problem suffice; eigenvalues of M
    below 0 by round-off are clipped to 0, and so is a total below 0 by round-off.

    mu_a, mu_b: (H,); cov_a, cov_b: (H, H) symmetric PSD. Returns a float ≥ 0.
    """
    mu_a, mu_b = np.asarray(mu_a, np.float64), np.asarray(mu_b, np.float64)
    cov_a, cov_b = np.asarray(cov_a, np.float64), np.asarray(cov_b, np.float64)
    H = mu_a.shape[0] if mu_a.ndim == 1 else -1
    if mu_a.ndim != 1 or mu_b.shape != (H,) or cov_a.shape != (H, H) or cov_b.shape != (H, H):
        raise ValueError(f"need means (H,) and covariances (H, H) of one H, got {mu_a.shape}, "
                         f"{cov_a.shape}, {mu_b.shape}, {cov_b.shape}")
    s = sqrtm_psd(cov_a)                                                         # Σ_a^½
    lam = np.linalg.eigvalsh(s @ cov_b @ s)                                      # eig of M
    tr_sqrt = np.sum(np.sqrt(np.maximum(lam, 0.0)))                              # Tr M^½
    d2 = np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2 * tr_sqrt
    return float(max(d2, 0.0))


def frechet_distance(f_a, f_b):
    r"""Fréchet distance between the Gaussians fitted to two feature sets (the "FID" recipe on
    any feature map φ; Heusel et al. 2017): ``frechet_from_stats`` of their ``feature_stats``.

    It compares means and covariances only, and is biased upwards at small N, M: the estimated
    means give E‖μ̂_a − μ̂_b‖² = ‖μ_a − μ_b‖² + Tr Σ_a/N + Tr Σ_b/M, and Tr (Σ_a^½ Σ_b Σ_a^½)^½ is
    concave in Σ_b (and in Σ_a), so unbiased noisy covariances lower it on average (Jensen) while
    leaving Tr Σ_a + Tr Σ_b unbiased. Quote it next to the value two real sets of the same sizes
    get, and only against values from the same features.
    f_a: (N, H), f_b: (M, H), N, M ≥ 2. Returns a float ≥ 0.
    """
    f_a = _rows(f_a, "f_a")
    f_b = _points(f_b, f_a.shape[1], "f_b")
    return frechet_from_stats(*feature_stats(f_a), *feature_stats(f_b))
