r"""Toy distributions for GAN experiments: 1-D densities and 2-D Gaussian mixtures.

Every dataset has ``sample(n, rng) -> (x, labels)``: x (N, D) float64 — always 2-D, (N, 1) for
the 1-D sets — and labels (N,) int64, the mixture component (the class for the conditional GAN;
all zeros for unlabelled sets). Where a closed form exists (``has_density``), ``pdf(x)`` and
``log_pdf(x)`` give the exact density; mixtures expose ``centers`` (K, D) and ``std``.
``bounds`` is a plotting box: (lo, hi) in 1-D, (xlo, xhi, ylo, yhi) in 2-D.
Look datasets up by name with :func:`get_dataset` (the CLI's ``--data``). Defaults::

    gauss      N(1, 0.5²): G's N(0, 1) noise must be both shifted and squeezed
    bimodal    ½N(−2, 0.25²) + ½N(2, 0.25²): 16 std apart. The smallest mode-collapse demo, but
               only with a D 10× faster than G (lesson 5: --loss gan --z-dim 1 --hidden 32
               --depth 2 --batch 64 --lr-d 5e-3 --lr-g 5e-4 --lr-half-life 0 --steps 2000 keeps
               one mode on 13 of seeds 0–19, against 1 of 20 with --lr-d 5e-4; under
               `minigan train`'s defaults both modes are covered at 97–99 % high quality)
    uniform    U[−1, 1]: flat with hard edges, which a smooth G can only approximate
    mixture1d  0.2·N(−3, 0.4²) + 0.5·N(0, 0.4²) + 0.3·N(3, 0.4²): unequal weights
    ring8      8 Gaussians at 2·(cos 2πk/8, sin 2πk/8), k = 0..7, std 0.02
    grid25     25 Gaussians at (2i, 2j), i, j ∈ {−2..2} (i.e. {−4, −2, 0, 2, 4}²), std 0.05
    swissroll  gan_toy.py's swiss roll: noise 0.25, columns (x, z), divided by 7.5
    moons      two interleaving half circles of radius 1, labels 0/1, noise 0.05, centred
    digits     real data: 8 × 8 handwritten digits (UCI, Alpaydin & Kaynak 1998; 1,797 images,
               labels 0–9), pixels scaled from 0–16 to [−1, 1]; G trains on a fixed stratified
               80 % (``digits()``), the other 20 % (``digits("held_out")``) is for judging

How ring8 and grid25 relate to the published code (docs/references.md §3, §5):

- WGAN-GP's gan_toy.py draws the same ring (radius 2, std 0.02) and then divides every point by
  1.414: radius ≈ 1.414, std ≈ 0.0141. Its grid is ours divided by 2.828: spacing ≈ 0.707,
  std ≈ 0.0177.
- PacGAN's ring has radius 1 and std 0.01 — the same ratio std/radius = 0.01 as ours — and its
  grid is exactly ours.
The mode-coverage metric (3 std around each centre) does not change when data, centres and std
are rescaled together, but training does (weight init, noise scale, learning rates), so
numbers from the papers carry over only with that caveat.
"""
import hashlib
import inspect
import os

import numpy as np

_LOG_2PI = np.log(2 * np.pi)


def _logsumexp(a, axis):
    r"""log Σ_k exp(a_k) = m + log Σ_k exp(a_k − m), m = max_k a_k (rows of −inf stay −inf)."""
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(a - m), axis=axis)) + np.squeeze(m, axis=axis)


def _check_sample_args(n, rng):
    """n as an int > 0 (else ValueError); rng must be a np.random.Generator (else TypeError)."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a np.random.Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__}")
    return int(n)


def _number(value, name, low=0.0, allow_equal=False):
    """A finite float > low (≥ low if allow_equal), else ValueError naming the allowed range."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = np.nan
    if not np.isfinite(v) or v < low or (v == low and not allow_equal):
        rel = "" if low == -np.inf else (" ≥ " if allow_equal else " > ") + f"{low:g}"
        raise ValueError(f"{name} must be a finite number{rel}, got {value!r}")
    return v


def _floats(values, name):
    """np.float64 array of values, or ValueError naming the parameter (e.g. for strings)."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {values!r}") from None


def _box(lo, hi, margin):
    """(xlo, xhi, ylo, yhi) around the corners lo, hi (2,), widened by margin."""
    return (float(lo[0] - margin), float(hi[0] + margin), float(lo[1] - margin),
            float(hi[1] + margin))


class Dataset:
    r"""Interface shared by all toy datasets (see the module docstring for the attributes)."""
    name: str = ""
    dim: int = 1
    n_classes: int = 1
    centers = None             # (K, D) mode centres of a Gaussian mixture, else None
    std = None                 # common component std of a mixture, else None
    bounds: tuple = ()
    has_density: bool = False
    image_shape = None         # (h, w) when each row is an image (digits), else None

    def sample(self, n, rng):
        raise NotImplementedError

    def log_pdf(self, x):
        raise NotImplementedError(f"dataset '{self.name}' has no closed-form density "
                                  f"(has_density is False)")

    def pdf(self, x):
        r"""p(x) = exp(log p(x)).  x: (N, D) or, for 1-D sets, (N,).  Returns (N,)."""
        return np.exp(self.log_pdf(x))

    def _points(self, x):
        x = np.asarray(x, dtype=np.float64)
        if self.dim == 1 and x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2 or x.shape[1] != self.dim:
            want = "(N, 1) or (N,)" if self.dim == 1 else f"(N, {self.dim})"
            raise ValueError(f"x for dataset '{self.name}' must have shape {want}, got {x.shape}")
        return x


class Mixture1D(Dataset):
    r"""p(x) = Σ_k w_k N(x; μ_k, σ_k²);  sampling: k ~ Cat(w), x = μ_k + σ_k ε, ε ~ N(0, 1).

    log p(x) = logsumexp_k [log w_k − (x − μ_k)²/(2σ_k²) − log σ_k − ½ log 2π].
    means: (K,); sigmas: scalar or (K,); weights: (K,) positive, normalised here (default equal).
    ``std`` is the common σ, or None when the σ_k differ (``sigmas`` always holds all K).
    """
    dim = 1
    has_density = True

    def __init__(self, means, sigmas=1.0, weights=None, name="mixture1d"):
        means = np.atleast_1d(_floats(means, "means"))
        if means.ndim != 1 or means.size == 0 or not np.all(np.isfinite(means)):
            raise ValueError(f"means must be a non-empty 1-D list of finite numbers, got {means!r}")
        K = means.size
        sigmas = np.atleast_1d(_floats(sigmas, "sigmas"))
        if sigmas.size == 1:
            sigmas = np.full(K, sigmas[0])
        if sigmas.shape != (K,) or not np.all(np.isfinite(sigmas)) or np.any(sigmas <= 0):
            raise ValueError(f"sigmas must be one number > 0 or {K} numbers > 0, got {sigmas!r}")
        if weights is None:
            weights = np.full(K, 1.0 / K)
        weights = _floats(weights, "weights")
        if weights.shape != (K,) or not np.all(np.isfinite(weights)) or np.any(weights <= 0):
            raise ValueError(f"weights must be {K} positive numbers, got {weights!r}")
        self.name, self.n_classes = name, K
        self.means, self.sigmas, self.weights = means, sigmas, weights / weights.sum()
        self.centers = means[:, None]                                      # (K, 1)
        self.std = float(sigmas[0]) if np.all(sigmas == sigmas[0]) else None
        span = means.max() - means.min()
        self.bounds = (float(np.min(means - 4 * sigmas) - 0.15 * span),
                       float(np.max(means + 4 * sigmas) + 0.15 * span))

    def sample(self, n, rng):
        n = _check_sample_args(n, rng)
        labels = rng.choice(self.n_classes, size=n, p=self.weights).astype(np.int64)   # (N,)
        x = self.means[labels] + self.sigmas[labels] * rng.standard_normal(n)          # (N,)
        return x[:, None], labels

    def log_pdf(self, x):
        x = self._points(x)[:, 0]                                          # (N,)
        z = (x[:, None] - self.means) / self.sigmas                        # (N, K)
        log_comp = np.log(self.weights) - 0.5 * z**2 - np.log(self.sigmas) - 0.5 * _LOG_2PI
        return _logsumexp(log_comp, axis=1)


class Gaussian1D(Mixture1D):
    r"""N(μ, σ²): p(x) = exp(−(x − μ)²/(2σ²)) / (σ√(2π)). A one-component mixture (K = 1)."""

    def __init__(self, mu=0.0, sigma=1.0, name="gauss"):
        self.mu = _number(mu, "mu", low=-np.inf)
        self.sigma = _number(sigma, "sigma")
        super().__init__([self.mu], self.sigma, name=name)


class Uniform1D(Dataset):
    r"""U[lo, hi]: p(x) = 1/(hi − lo) on [lo, hi], 0 outside (log p = −inf outside)."""
    dim = 1
    has_density = True

    def __init__(self, lo=-1.0, hi=1.0, name="uniform"):
        lo, hi = _number(lo, "lo", low=-np.inf), _number(hi, "hi", low=-np.inf)
        if not hi > lo:
            raise ValueError(f"uniform needs lo < hi, got lo={lo!r}, hi={hi!r}")
        self.name, self.lo, self.hi = name, lo, hi
        self.bounds = (lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))

    def sample(self, n, rng):
        n = _check_sample_args(n, rng)
        x = self.lo + (self.hi - self.lo) * rng.random((n, 1))
        return x, np.zeros(n, dtype=np.int64)

    def pdf(self, x):
        x = self._points(x)[:, 0]
        return ((x >= self.lo) & (x <= self.hi)) / (self.hi - self.lo)

    def log_pdf(self, x):
        with np.errstate(divide="ignore"):
            return np.log(self.pdf(x))


class Mixture2D(Dataset):
    r"""Equal-weight isotropic mixture p(x) = (1/K) Σ_k N(x; c_k, σ² I₂).

    log p(x) = logsumexp_k [−‖x − c_k‖²/(2σ²)] − log K − log(2πσ²).
    centers: (K, 2); std σ > 0. Label of a sample = index k of its component.
    """
    dim = 2
    has_density = True

    def __init__(self, centers, std, name="mixture2d"):
        centers = _floats(centers, "centers")
        if centers.ndim != 2 or centers.shape[0] == 0 or centers.shape[1] != 2 \
                or not np.all(np.isfinite(centers)):
            raise ValueError(f"centers must be a finite (K, 2) array with K ≥ 1, "
                             f"got shape {centers.shape}")
        self.name, self.centers, self.std = name, centers, _number(std, "std")
        self.n_classes = len(centers)
        lo, hi = centers.min(axis=0), centers.max(axis=0)
        self.bounds = _box(lo, hi, margin=4 * self.std + 0.15 * np.max(hi - lo))

    def sample(self, n, rng):
        n = _check_sample_args(n, rng)
        labels = rng.integers(self.n_classes, size=n, dtype=np.int64)            # (N,)
        x = self.centers[labels] + self.std * rng.standard_normal((n, 2))        # (N, 2)
        return x, labels

    def log_pdf(self, x):
        x = self._points(x)
        d2 = np.sum((x[:, None, :] - self.centers[None]) ** 2, axis=-1)          # (N, K)
        return (_logsumexp(-d2 / (2 * self.std**2), axis=1)
                - np.log(self.n_classes) - np.log(2 * np.pi * self.std**2))


class SwissRoll(Dataset):
    r"""The swiss roll of WGAN-GP's gan_toy.py (sklearn's make_swiss_roll, in NumPy).

    t = 1.5π(1 + 2u), u ~ U[0, 1];  (x, z) = (t cos t, t sin t) + noise·ε, ε ~ N(0, I₂);
    then divided by ``scale``. (sklearn's middle column y = 21u is dropped, as in gan_toy.py.)
    Unlabelled (labels all 0); no closed-form density.
    """
    dim = 2

    def __init__(self, noise=0.25, scale=7.5, name="swissroll"):
        self.name = name
        self.noise = _number(noise, "noise", allow_equal=True)
        self.scale = _number(scale, "scale")
        t = 1.5 * np.pi * (1 + 2 * np.linspace(0, 1, 2001))
        curve = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / self.scale   # (2001, 2)
        lo, hi = curve.min(axis=0), curve.max(axis=0)
        self.bounds = _box(lo, hi, margin=0.1 * np.max(hi - lo) + 4 * self.noise / self.scale)

    def sample(self, n, rng):
        n = _check_sample_args(n, rng)
        t = 1.5 * np.pi * (1 + 2 * rng.random(n))                                # (N,)
        x = np.stack([t * np.cos(t), t * np.sin(t)], axis=1)                     # (N, 2)
        x = (x + self.noise * rng.standard_normal((n, 2))) / self.scale
        return x, np.zeros(n, dtype=np.int64)


class Moons(Dataset):
    r"""Two interleaving half circles (sklearn's make_moons, with random angles), centred.

    θ ~ U[0, π]; label 0: (cos θ, sin θ); label 1: (1 − cos θ, ½ − sin θ); labels equally likely;
    then shifted by (−½, −¼) so the noiseless set's bounding box [−1.5, 1.5] × [−0.75, 0.75] is
    centred at 0, and N(0, noise² I₂) added. The arcs have centres (−½, −¼) and (½, ¼), radius 1.
    No closed-form density.
    """
    dim = 2
    n_classes = 2

    def __init__(self, noise=0.05, name="moons"):
        self.name, self.noise = name, _number(noise, "noise", allow_equal=True)
        m = 0.25 + 4 * self.noise
        self.bounds = (-1.5 - m, 1.5 + m, -0.75 - m, 0.75 + m)

    def sample(self, n, rng):
        n = _check_sample_args(n, rng)
        labels = rng.integers(2, size=n, dtype=np.int64)                         # (N,)
        theta = np.pi * rng.random(n)                                            # (N,)
        upper = np.stack([np.cos(theta), np.sin(theta)], axis=1)                 # (N, 2)
        lower = np.stack([1 - np.cos(theta), 0.5 - np.sin(theta)], axis=1)      # (N, 2)
        x = np.where(labels[:, None] == 0, upper, lower) - np.array([0.5, 0.25])
        return x + self.noise * rng.standard_normal((n, 2)), labels


# --- named datasets: factories whose defaults are the documented demos --------------------

def gauss(mu=1.0, sigma=0.5):
    """N(1, 0.5²). Not far from 0 on purpose: a ReLU net with zero biases is linear on each side
    of the origin at initialisation, so D can only bend where the data is after its biases have
    moved by about the data's distance from 0 — at Adam's 2e-4 per step, N(4, 0.5²) takes
    thousands of steps before D (and so G) starts to learn anything (measured: W1 still ≈ 1.2
    after 3,000 steps, against ≈ 0.1 after 1,000 steps here)."""
    return Gaussian1D(mu, sigma, name="gauss")


def bimodal(mean=2.0, sigma=0.25):
    """½N(−mean, σ²) + ½N(mean, σ²); labels 0 (left), 1 (right)."""
    m = _number(mean, "mean")
    return Mixture1D([-m, m], sigma, name="bimodal")


def uniform(lo=-1.0, hi=1.0):
    return Uniform1D(lo, hi, name="uniform")


def mixture1d(means=(-3.0, 0.0, 3.0), sigma=0.4, weights=(0.2, 0.5, 0.3)):
    return Mixture1D(means, sigma, weights, name="mixture1d")


def ring8(radius=2.0, std=0.02):
    """Centres radius·(cos 2πk/8, sin 2πk/8), k = 0..7; label k."""
    angle = 2 * np.pi * np.arange(8) / 8
    centers = _number(radius, "radius") * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return Mixture2D(centers, std, name="ring8")


def grid25(spacing=2.0, std=0.05):
    """Centres spacing·(i, j), i, j ∈ {−2..2}; label 5(i + 2) + (j + 2)."""
    i, j = np.meshgrid(np.arange(-2, 3), np.arange(-2, 3), indexing="ij")
    centers = _number(spacing, "spacing") * np.stack([i.ravel(), j.ravel()], axis=1)
    return Mixture2D(centers, std, name="grid25")


def swissroll(noise=0.25, scale=7.5):
    return SwissRoll(noise, scale, name="swissroll")


def moons(noise=0.05):
    return Moons(noise, name="moons")


# --- your own points -----------------------------------------------------------------------

SUFFIXES = (".csv", ".npy")      # a --data value ending so names a file (runs/points.py reads it)


def is_points_file(name):
    """True if --data names a file of points rather than a built-in dataset."""
    return isinstance(name, str) and name.lower().endswith(SUFFIXES)


class Points(Dataset):
    """The empirical distribution of N points x (N, D), D ∈ {1, 2}, with integer labels (N,).

    Your own data from Python: ``Trainer(cfg, data=Points(x))``; from a file, runs/points.py's
    ``load_points`` (what ``--data points.csv`` uses) builds one. Labels may be any integers:
    the classes are the distinct values, sorted (``classes``), and the trainer sees their
    indices 0…K−1 — labels {0, 5} are 2 classes, not 6."""
    has_density = False

    def __init__(self, x, labels=None, name="points"):
        self.x, self.name = np.asarray(x, np.float64), name
        self.dim = self.x.shape[1]
        if labels is None:
            self.classes, self.labels = np.zeros(1, np.int64), np.zeros(len(x), np.int64)
        else:
            self.classes, self.labels = np.unique(np.asarray(labels, np.int64), return_inverse=True)
        self.n_classes = len(self.classes)
        # the class prior: each class's share of the points (a conditional G is asked for these)
        self.weights = np.bincount(self.labels, minlength=self.n_classes) / len(self.labels)
        lo, hi = self.x.min(axis=0), self.x.max(axis=0)
        # a box around the points; for points that all coincide, one wide enough to be a box at
        # their magnitude (at 1e20, ±1 would round back to the same float)
        margin = 0.15 * float(np.max(hi - lo)) or max(1.0, 0.15 * float(np.max(np.abs(lo))))
        self.bounds = ((float(lo[0] - margin), float(hi[0] + margin)) if self.dim == 1
                       else _box(lo, hi, margin))

    def sample(self, n, rng):
        """n points drawn uniformly with replacement: (x (n, D), labels (n,))."""
        idx = rng.integers(len(self.x), size=n)
        return self.x[idx], self.labels[idx]


# --- real data: handwritten digits ----------------------------------------------------------
# minigan/datasets/digits.npz holds UCI's 1,797-image test part as scikit-learn ships it, unchanged
# (uint8 pixels 0–16, labels 0–9); minigan/datasets/NOTICE-digits.md has its source and licence.
DIGITS_FILE = os.path.join(os.path.dirname(__file__), "datasets", "digits.npz")
DIGITS_SHA256 = "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"
DIGITS_SPLIT_SEED = 1998       # fixes which images are held out, for every run and every test
HELD_OUT = 0.2                 # the share of each digit held out


def digits_arrays():
    """The shipped digits, unchanged: images (1797, 64) uint8 in 0–16, labels (1797,) int64."""
    with np.load(DIGITS_FILE) as f:
        images, labels = f["images"], f["labels"]
    if hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest() != DIGITS_SHA256:
        raise ValueError(f"{DIGITS_FILE} does not match its checksum; reinstall minigan")
    return images, labels.astype(np.int64)


def digits_split(labels):
    """(train, held_out): sorted row indices, HELD_OUT of each class held out, the same every time.

    Stratified so both parts keep the digits' proportions; the writers are not recorded in this
    copy of the data, so one writer's images can sit on both sides."""
    rng = np.random.default_rng(DIGITS_SPLIT_SEED)
    held = [rng.permutation(np.flatnonzero(labels == c))[:round(HELD_OUT * np.sum(labels == c))]
            for c in np.unique(labels)]
    held = np.sort(np.concatenate(held))
    return np.setdiff1d(np.arange(len(labels)), held), held


def scale_pixels(images):
    """Pixels 0–16 -> [−1, 1] (x/8 − 1): the range G's output is trained to."""
    return np.asarray(images, np.float64) / 8.0 - 1.0


def to_pixels(x):
    """[−1, 1] -> pixels 0–16, clipped (for pictures: G's output is not bounded)."""
    return np.clip((np.asarray(x, np.float64) + 1.0) * 8.0, 0.0, 16.0)


class Digits(Dataset):
    """8 × 8 digit images as points in 64 dimensions, x (N, 64) in [−1, 1], labels 0–9.

    split: "train" (80 %, what G learns), "held_out" (20 %, what the judge is tested on and the
    real reference of the metrics) or "all". Sampling draws rows uniformly with replacement.
    ``bounds`` is the range of every pixel, (−1, 1), not a plotting box: the pictures of an image
    run draw the images themselves (pictures/digits.py), never points on a plane."""
    image_shape = (8, 8)
    bounds = (-1.0, 1.0)

    def __init__(self, split="train"):
        images, labels = digits_arrays()
        train, held = digits_split(labels)
        rows = {"train": train, "held_out": held, "all": np.arange(len(labels))}
        if split not in rows:
            raise ValueError(f"split must be one of {', '.join(rows)}, got {split!r}")
        self.name, self.split = "digits", split
        self.x, self.labels = scale_pixels(images[rows[split]]), labels[rows[split]]
        self.dim, self.n_classes, self.classes = 64, 10, np.arange(10)
        self.weights = np.bincount(self.labels, minlength=10) / len(self.labels)

    def sample(self, n, rng):
        """n images drawn uniformly with replacement: (x (n, 64), labels (n,))."""
        _check_sample_args(n, rng)
        idx = rng.integers(len(self.x), size=n)
        return self.x[idx], self.labels[idx]


def digits(split="train"):
    return Digits(split)


DATASETS = {f.__name__: f for f in
            (gauss, bimodal, uniform, mixture1d, ring8, grid25, swissroll, moons, digits)}


def get_dataset(name, **params):
    """DATASETS[name](**params); ValueError listing the allowed names or parameters."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}")
    factory = DATASETS[name]
    allowed = list(inspect.signature(factory).parameters)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)} for dataset {name!r}; "
                         f"allowed: {', '.join(allowed) or '(none)'}")
    return factory(**params)
