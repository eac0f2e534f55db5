"""Toy datasets: shapes, determinism, exact densities, the benchmark geometry, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from minigan.data import (DATASETS, Gaussian1D, Mixture1D, Mixture2D, Moons, SwissRoll,
                          Uniform1D, get_dataset)

NAMES = [n for n in DATASETS if n != "digits"]     # the toys (the digits: test_digits.py)
DENSITY_1D = ["gauss", "bimodal", "mixture1d"]


def trapezoid(f, x, axis=-1):
    f = np.moveaxis(f, axis, -1)
    return np.sum((f[..., 1:] + f[..., :-1]) / 2 * np.diff(x), axis=-1)


def test_registry_names():
    assert list(DATASETS) == ["gauss", "bimodal", "uniform", "mixture1d", "ring8", "grid25",
                              "swissroll", "moons", "digits"]


@pytest.mark.parametrize("name", NAMES)
def test_sample_shapes_dtypes_labels(name):
    d = get_dataset(name)
    x, labels = d.sample(2000, np.random.default_rng(0))
    assert d.name == name and d.dim in (1, 2)
    assert x.shape == (2000, d.dim) and x.dtype == np.float64
    assert labels.shape == (2000,) and labels.dtype == np.int64
    assert labels.min() >= 0 and labels.max() < d.n_classes
    assert len(np.unique(labels)) == d.n_classes          # every class shows up in 2000 draws
    if d.centers is not None:
        assert d.centers.shape == (d.n_classes, d.dim) and d.std > 0
    assert len(d.bounds) == 2 * d.dim
    lo, hi = np.array(d.bounds[0::2]), np.array(d.bounds[1::2])
    assert np.mean(np.all((x >= lo) & (x <= hi), axis=1)) > 0.99


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_samples(name):
    d = get_dataset(name)
    x1, l1 = d.sample(100, np.random.default_rng(7))
    x2, l2 = d.sample(100, np.random.default_rng(7))
    x3, _ = d.sample(100, np.random.default_rng(8))
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(l1, l2)
    assert not np.array_equal(x1, x3)


@pytest.mark.parametrize("name", DENSITY_1D)
def test_1d_pdf_integrates_to_one(name):
    d = get_dataset(name)
    lo, hi = d.bounds
    grid = np.linspace(lo - 10, hi + 10, 40001)
    assert trapezoid(d.pdf(grid), grid) == pytest.approx(1.0, abs=1e-6)


def test_uniform_density():
    d = Uniform1D(-1.0, 3.0)
    grid = np.linspace(-1.0, 3.0, 1001)
    assert trapezoid(d.pdf(grid), grid) == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_array_equal(d.pdf([-1.5, 0.0, 3.5]), [0.0, 0.25, 0.0])
    np.testing.assert_array_equal(d.log_pdf([-1.5, 3.5]), [-np.inf, -np.inf])
    x, _ = d.sample(1000, np.random.default_rng(0))
    assert x.min() >= -1.0 and x.max() <= 3.0


def test_mixture2d_pdf_integrates_to_one():
    angle = 2 * np.pi * np.arange(8) / 8
    d = Mixture2D(2 * np.stack([np.cos(angle), np.sin(angle)], axis=1), std=0.5)
    g = np.linspace(-6, 6, 481)
    X, Y = np.meshgrid(g, g, indexing="ij")
    p = d.pdf(np.stack([X.ravel(), Y.ravel()], axis=1)).reshape(X.shape)
    assert trapezoid(trapezoid(p, g), g) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("name", DENSITY_1D + ["uniform", "ring8", "grid25"])
def test_log_pdf_is_log_of_pdf(name):
    d = get_dataset(name)
    x, _ = d.sample(500, np.random.default_rng(1))
    x = x + 0.5 * np.random.default_rng(2).standard_normal(x.shape)   # also between modes
    p, logp = d.pdf(x), d.log_pdf(x)
    assert p.shape == (500,) and logp.shape == (500,)
    pos = p > 1e-300              # below that pdf is subnormal and log(pdf) loses digits
    assert pos.sum() > 100
    np.testing.assert_allclose(logp[pos], np.log(p[pos]), rtol=1e-12, atol=1e-12)


def test_log_pdf_finite_where_pdf_underflows():
    d = get_dataset("ring8")
    far = np.array([[100.0, 100.0], [0.0, 0.0]])
    assert d.pdf(far)[0] == 0.0
    assert np.all(np.isfinite(d.log_pdf(far)))
    # far out, log p ≈ −min_k ‖x − c_k‖²/(2σ²) − log K − log 2πσ² (one component dominates)
    d2 = np.min(np.sum((far[0] - d.centers) ** 2, axis=1))
    expected = -d2 / (2 * 0.02**2) - np.log(8) - np.log(2 * np.pi * 0.02**2)
    assert d.log_pdf(far)[0] == pytest.approx(expected, rel=1e-12)


def test_gaussian_closed_form_and_1d_input_shapes():
    d = Gaussian1D(mu=1.0, sigma=2.0)
    x = np.array([-1.0, 1.0, 4.0])
    expected = np.exp(-(x - 1) ** 2 / 8) / (2 * np.sqrt(2 * np.pi))
    np.testing.assert_allclose(d.pdf(x), expected, rtol=1e-13)
    np.testing.assert_array_equal(d.pdf(x[:, None]), d.pdf(x))
    with pytest.raises(ValueError, match=r"\(N, 1\) or \(N,\)"):
        d.pdf(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        get_dataset("ring8").pdf(np.zeros(3))


def test_gauss_sample_moments():
    d = get_dataset("gauss")
    x, _ = d.sample(20000, np.random.default_rng(0))
    assert x.mean() == pytest.approx(d.mu, abs=0.02)
    assert x.std() == pytest.approx(d.sigma, rel=0.03)


def test_mixture1d_weights_respected():
    d = get_dataset("mixture1d")
    _, labels = d.sample(20000, np.random.default_rng(0))
    np.testing.assert_allclose(np.bincount(labels) / 20000, d.weights, atol=0.015)
    assert d.std == 0.4 and Mixture1D([0, 1], [1, 2]).std is None


def test_ring8_and_grid25_geometry():
    ring, grid = get_dataset("ring8"), get_dataset("grid25")
    np.testing.assert_allclose(np.linalg.norm(ring.centers, axis=1), 2.0)
    angles = np.sort(np.mod(np.arctan2(ring.centers[:, 1], ring.centers[:, 0]), 2 * np.pi))
    np.testing.assert_allclose(angles, 2 * np.pi * np.arange(8) / 8, atol=1e-12)
    assert ring.std == 0.02 and grid.std == 0.05
    values = {-4.0, -2.0, 0.0, 2.0, 4.0}
    assert {tuple(c) for c in grid.centers} == {(a, b) for a in values for b in values}
    for d in (ring, grid):            # a sample's label is its component: it sits near that centre
        x, labels = d.sample(1000, np.random.default_rng(3))
        assert np.all(np.linalg.norm(x - d.centers[labels], axis=1) < 6 * d.std)


def test_swissroll_lies_on_the_spiral():
    x, labels = SwissRoll().sample(2000, np.random.default_rng(0))
    r = np.linalg.norm(x * 7.5, axis=1)             # ‖(t cos t, t sin t)‖ = t ∈ [1.5π, 4.5π]
    assert r.min() > 1.5 * np.pi - 1.5 and r.max() < 4.5 * np.pi + 1.5
    assert np.all(labels == 0)
    clean, _ = SwissRoll(noise=0.0).sample(200, np.random.default_rng(0))
    t = np.linalg.norm(clean * 7.5, axis=1)
    np.testing.assert_allclose(clean * 7.5, np.stack([t * np.cos(t), t * np.sin(t)], 1),
                               atol=1e-9)


def test_moons_are_two_centred_half_circles():
    x, labels = Moons(noise=0.0).sample(1000, np.random.default_rng(0))
    arc_centre = np.where(labels[:, None] == 0, [-0.5, -0.25], [0.5, 0.25])
    np.testing.assert_allclose(np.linalg.norm(x - arc_centre, axis=1), 1.0, atol=1e-12)
    assert np.all(x[labels == 0, 1] >= -0.25 - 1e-12) and np.all(x[labels == 1, 1] <= 0.25 + 1e-12)
    np.testing.assert_allclose([x[:, 0].min(), x[:, 0].max()], [-1.5, 1.5], atol=0.01)


@pytest.mark.parametrize("name", ["swissroll", "moons"])
def test_no_density(name):
    d = get_dataset(name)
    assert not d.has_density
    with pytest.raises(NotImplementedError, match="no closed-form density"):
        d.pdf(np.zeros((1, 2)))


def test_has_density_flags():
    assert all(get_dataset(n).has_density for n in DENSITY_1D + ["uniform", "ring8", "grid25"])


def test_unknown_dataset_lists_names():
    with pytest.raises(ValueError, match="unknown dataset 'nope'; choose one of: gauss, bimodal"):
        get_dataset("nope")
    with pytest.raises(ValueError, match="allowed: mu, sigma"):
        get_dataset("gauss", std=1.0)


@pytest.mark.parametrize("make", [
    lambda: get_dataset("gauss", sigma=0.0), lambda: get_dataset("gauss", sigma=-1.0),
    lambda: get_dataset("bimodal", sigma=-0.1), lambda: get_dataset("ring8", std=0.0),
    lambda: get_dataset("grid25", std=-1.0), lambda: get_dataset("uniform", lo=1.0, hi=1.0),
    lambda: Uniform1D(2.0, 1.0), lambda: Mixture1D([]), lambda: Mixture1D([0, 1], [1, 2, 3]),
    lambda: Mixture1D([0, 1], 1.0, weights=[1, -1]), lambda: Mixture2D(np.zeros((3, 3)), 1.0),
    lambda: Gaussian1D(sigma="wide"), lambda: Moons(noise=-0.1), lambda: Gaussian1D(mu=np.nan),
    lambda: get_dataset("bimodal", sigma="x"), lambda: Mixture2D([["a", "b"]], 1.0),
])
def test_bad_parameters_raise(make):
    with pytest.raises(ValueError, match="must|needs"):
        make()


@pytest.mark.parametrize("n", [0, -3, 2.5, "10", True, None])
def test_bad_n_raises(n):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        get_dataset("ring8").sample(n, np.random.default_rng(0))


def test_rng_must_be_a_generator():
    with pytest.raises(TypeError, match="np.random.Generator"):
        get_dataset("gauss").sample(10, 0)


@settings(max_examples=30, deadline=None)
@given(means=st.lists(st.floats(-10, 10), min_size=1, max_size=4),
       sigma=st.floats(0.1, 3.0), x=st.floats(-20, 20))
def test_mixture1d_density_matches_direct_sum(means, sigma, x):
    d = Mixture1D(means, sigma)
    direct = np.mean([np.exp(-(x - m) ** 2 / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))
                      for m in means])
    assert d.pdf([x])[0] == pytest.approx(direct, rel=1e-10, abs=1e-300)
