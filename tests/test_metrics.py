"""Metrics against closed forms and hand-computed cases (no SciPy), plus hypothesis properties."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from minigan.data import get_dataset
from minigan.metrics import (_w1_columns, class_accuracy, jsd, kl, mode_coverage,
                             nearest_mode, normalise_density, sliced_w, trapezoid_weights, w1,
                             w1_density)

LOG2 = np.log(2)
PROPS = settings(max_examples=50, deadline=None)
samples = arrays(np.float64, st.integers(1, 50), elements=st.floats(-100, 100))
shift = st.floats(-100, 100)


def normal_pdf(x, mu=0.0, sigma=1.0):
    return np.exp(-(x - mu) ** 2 / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))


# --- W1 between samples ---------------------------------------------------------------------

def test_w1_reference_values():
    assert w1([0, 1, 3], [5, 6, 8]) == pytest.approx(5.0, abs=1e-12)             # docs/references.md §7
    assert w1([0, 1], [0, 1], [3, 1], [2, 2]) == pytest.approx(0.25, abs=1e-12)  # docs/references.md §7
    assert w1([0.0], [0.0, 1.0]) == pytest.approx(0.5, abs=1e-12)                # unequal sizes
    assert w1([0.0, 2.0], [1.0]) == pytest.approx(1.0, abs=1e-12)
    assert w1(np.array([[0.0], [1.0], [3.0]]), [5, 6, 8]) == pytest.approx(5.0, abs=1e-12)


@pytest.mark.parametrize("args", [([], [1.0]), ([[0, 1], [2, 3]], [1.0]), ([np.nan], [0.0]),
                                  ([0, 1], [0, 1], [1, -1], None), ([0, 1], [0, 1], [0, 0]),
                                  ([0, 1], [0, 1], [1, 2, 3])])
def test_w1_bad_input(args):
    with pytest.raises(ValueError, match="must"):
        w1(*args)


@PROPS
@given(samples, samples)
def test_w1_symmetric_and_zero_on_identical(x, y):
    assert w1(x, y) == pytest.approx(w1(y, x), rel=1e-12, abs=1e-12)
    assert w1(x, x) == 0.0
    assert w1(x, y) >= 0.0


@PROPS
@given(samples, samples, samples)
def test_w1_triangle_inequality(x, y, z):
    assert w1(x, z) <= w1(x, y) + w1(y, z) + 1e-9


@PROPS
@given(samples, samples, shift)
def test_w1_translation(x, y, c):
    assert w1(x, x + c) == pytest.approx(abs(c), rel=1e-9, abs=1e-9)
    assert w1(x + c, y + c) == pytest.approx(w1(x, y), rel=1e-9, abs=1e-9)


@PROPS
@given(arrays(np.float64, st.integers(1, 50), elements=st.floats(-100, 100)), st.data())
def test_w1_equal_sizes_is_mean_of_sorted_differences(x, data):
    y = data.draw(arrays(np.float64, x.size, elements=st.floats(-100, 100)))
    assert w1(x, y) == pytest.approx(np.mean(np.abs(np.sort(x) - np.sort(y))), rel=1e-9, abs=1e-9)


@PROPS
@given(samples, samples, st.data())
def test_w1_integer_weights_are_repetitions(x, y, data):
    k = np.array(data.draw(st.lists(st.integers(1, 4), min_size=x.size, max_size=x.size)))
    assert w1(x, y, x_weights=k) == pytest.approx(w1(np.repeat(x, k), y), rel=1e-9, abs=1e-9)


@PROPS
@given(samples, samples)
def test_quantile_form_matches_cdf_form(x, y):
    assert _w1_columns(x[:, None], y[:, None])[0] == pytest.approx(w1(x, y), rel=1e-9, abs=1e-9)


# --- sliced Wasserstein ----------------------------------------------------------------------

def test_sliced_w_of_translated_cloud():
    x = np.random.default_rng(0).standard_normal((300, 2))
    c = np.array([3.0, -4.0])                                     # ‖c‖ = 5
    sw = sliced_w(x, x + c, 4000, np.random.default_rng(1))
    assert sw == pytest.approx(2 * 5.0 / np.pi, rel=0.03)         # E|θ·c| = 2‖c‖/π in 2-D
    # each slice is exactly |θ·c|: the same directions reproduce the estimate to rounding
    theta = np.random.default_rng(1).standard_normal((2, 4000))
    theta /= np.linalg.norm(theta, axis=0)
    assert sw == pytest.approx(np.mean(np.abs(c @ theta)), rel=1e-9)


def test_sliced_w_basic_properties():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 2)), rng.standard_normal((70, 2)) + 1.0
    assert sliced_w(x, x, 50, np.random.default_rng(2)) == 0.0
    assert sliced_w(x, y, 50, np.random.default_rng(2)) == pytest.approx(
        sliced_w(y, x, 50, np.random.default_rng(2)), rel=1e-12)
    # in 1-D the directions are ±1, so SW_1 = W1
    assert sliced_w(x[:, :1], y[:, :1], 5, rng) == pytest.approx(w1(x[:, 0], y[:, 0]), rel=1e-12)
    proj = rng.standard_normal((40, 3)), rng.standard_normal((70, 3))
    expected = [w1(proj[0][:, l], proj[1][:, l]) for l in range(3)]
    np.testing.assert_allclose(_w1_columns(*proj), expected, rtol=1e-12)


def test_sliced_w_bad_input():
    x = np.zeros((5, 2))
    with pytest.raises(ValueError, match=r"\(N, 2\).*\(5, 3\)"):
        sliced_w(x, np.zeros((5, 3)), 10, np.random.default_rng(0))
    with pytest.raises(ValueError, match="n_projections"):
        sliced_w(x, x, 0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        sliced_w(x, x, 10, 0)


# --- densities on a grid ----------------------------------------------------------------------

def test_trapezoid_weights_and_normalise_density():
    grid = np.array([0.0, 1.0, 3.0])
    np.testing.assert_allclose(trapezoid_weights(grid), [0.5, 1.5, 1.0], rtol=1e-15)
    np.testing.assert_allclose(normalise_density([2.0, 2.0, 2.0], grid), np.full(3, 1 / 3))
    # subnormal tail values keep their mass; huge values do not overflow the integral
    g = np.linspace(-4, 4, 8001)
    f = normal_pdf(g, 0, 0.1)
    tail = (f > 0) & (f < 2.2e-308)
    assert tail.any()
    p = normalise_density(f, g)
    assert np.all(p[tail] > 0) and trapezoid_weights(g) @ p == pytest.approx(1.0, abs=1e-14)
    big = normalise_density([1e308, 8e307, 1e308], grid)          # w·f overflows unrescaled
    np.testing.assert_allclose(big, np.array([1.0, 0.8, 1.0]) / 2.7, rtol=1e-15)
    for bad in ([1.0, 1.0], [0.0, 0.0, 0.0], [1.0, -1.0, 1.0]):
        with pytest.raises(ValueError, match="must"):
            normalise_density(bad, grid)
    with pytest.raises(ValueError, match="grid"):
        trapezoid_weights([0.0, 0.0, 1.0])


@pytest.mark.parametrize("mu", [-2.5, -0.3, 0.0, 1.0, 4.0])
def test_w1_density_of_shifted_normals_is_shift(mu):
    grid = np.linspace(-12, 12, 4801)
    assert w1_density(normal_pdf(grid), normal_pdf(grid, mu), grid) == pytest.approx(
        abs(mu), abs=1e-6)


def test_w1_density_of_scaled_normals():
    grid = np.linspace(-20, 20, 8001)              # quantile coupling: |σ1 − σ2|·E|Z|
    value = w1_density(normal_pdf(grid, 0, 1), normal_pdf(grid, 0, 2.5), grid)
    assert value == pytest.approx(1.5 * np.sqrt(2 / np.pi), abs=1e-5)


def test_kl_of_normals_closed_form():
    grid = np.linspace(-20, 20, 8001)
    m1, s1, m2, s2 = 0.5, 1.0, -1.0, 2.0
    closed = np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
    assert kl(normal_pdf(grid, m1, s1), normal_pdf(grid, m2, s2), grid) == pytest.approx(
        closed, abs=1e-9)
    p = normal_pdf(grid)
    assert kl(p, p, grid) == 0.0


def test_kl_with_zeros():
    grid = np.linspace(0, 4, 401)
    narrow = ((grid >= 1) & (grid <= 2)).astype(float)           # U[1, 2]
    wide = ((grid >= 0) & (grid <= 4)).astype(float)             # U[0, 4]
    assert kl(narrow, wide, grid) == pytest.approx(np.log(4), abs=0.02)   # 0·log 0 = 0
    assert kl(wide, narrow, grid) == np.inf                      # p > 0 where q = 0


def test_jsd_goodfellow_test_value():
    grid = np.linspace(-40, 40, 80001)          # C(G) = −log 4 + 2 JSD (docs/references.md §1)
    value = -np.log(4) + 2 * jsd(normal_pdf(grid, 0, 1), normal_pdf(grid, 1, 2), grid)
    assert value == pytest.approx(-1.1299444150, abs=1e-9)


def test_jsd_disjoint_identical_symmetric():
    grid = np.linspace(0, 3, 301)
    a = ((grid >= 0) & (grid <= 1)).astype(float)
    b = ((grid >= 2) & (grid <= 3)).astype(float)
    assert jsd(a, b, grid) == pytest.approx(LOG2, abs=1e-12)
    assert jsd(a, a, grid) == 0.0
    g = np.linspace(-10, 10, 2001)
    p, q = normal_pdf(g, 0, 1), normal_pdf(g, 1.5, 0.7)
    assert jsd(p, q, g) == pytest.approx(jsd(q, p, g), rel=1e-12)
    assert 0 < jsd(p, q, g) < LOG2


@pytest.mark.parametrize("args", [([1, 1], [1, 1], [0, 0]), ([1, 1], [1, 1], [1, 0]),
                                  ([1, 1], [1], [0, 1]), ([-1, 1], [1, 1], [0, 1]),
                                  ([0, 0], [1, 1], [0, 1]), ([np.inf, 1], [1, 1], [0, 1])])
def test_density_metrics_bad_input(args):
    for f in (kl, jsd, w1_density):
        with pytest.raises(ValueError, match="must"):
            f(*args)


positive_mass = arrays(np.float64, 12, elements=st.floats(0, 10)).filter(lambda a: a.sum() > 0)


@PROPS
@given(positive_mass, positive_mass, arrays(np.float64, 12, elements=st.floats(0.01, 3)))
def test_jsd_symmetric_and_bounded(p, q, steps):
    grid = np.cumsum(steps)
    value = jsd(p, q, grid)
    assert 0.0 <= value <= LOG2
    assert value == pytest.approx(jsd(q, p, grid), rel=1e-12, abs=1e-15)
    assert jsd(p, p, grid) == 0.0


# --- mode coverage and class accuracy ---------------------------------------------------------

RING = get_dataset("ring8")


def test_nearest_mode_by_hand():
    centers = np.array([[0.0, 0.0], [10.0, 0.0]])
    idx, dist = nearest_mode([[1.0, 0.0], [9.0, 3.0], [4.0, 3.0]], centers)
    np.testing.assert_array_equal(idx, [0, 1, 0])
    np.testing.assert_allclose(dist, [1.0, np.sqrt(10.0), 5.0])


def test_mode_coverage_all_modes():
    x = np.repeat(RING.centers, 10, axis=0)
    m = mode_coverage(x, RING.centers, RING.std)
    assert (m["modes_captured"], m["modes_total"], m["high_quality_frac"]) == (8, 8, 1.0)
    np.testing.assert_array_equal(m["counts"], np.full(8, 10))
    assert m["mode_kl"] == pytest.approx(0.0, abs=1e-15)


def test_mode_coverage_one_mode():
    x = RING.centers[3] + np.array([[0.05, 0.0], [0.0, -0.05], [0.0, 0.0]])   # 2.5σ, 2.5σ, 0
    m = mode_coverage(x, RING.centers, RING.std)
    assert (m["modes_captured"], m["high_quality_frac"]) == (1, 1.0)
    np.testing.assert_array_equal(m["counts"], [0, 0, 0, 3, 0, 0, 0, 0])
    assert m["mode_kl"] == pytest.approx(np.log(8), rel=1e-12)


def test_mode_coverage_between_modes():
    x = np.array([[0.0, 0.0], [1.0, 1.0], RING.centers[0] + [3.1 * 0.02, 0.0]])   # 3.1σ off
    m = mode_coverage(x, RING.centers, RING.std)
    assert (m["modes_captured"], m["high_quality_frac"]) == (0, 0.0)
    np.testing.assert_array_equal(m["counts"], np.zeros(8))
    assert m["mode_kl"] == pytest.approx(np.log(8))            # no HQ samples: total collapse


def test_mode_coverage_mixed_by_hand():
    c = RING.centers
    x = np.vstack([np.repeat(c[:1], 3, axis=0), c[1:2] + [0.0, 0.058], np.zeros((4, 2))])
    m = mode_coverage(x, c, RING.std)
    assert (m["modes_captured"], m["high_quality_frac"]) == (2, 0.5)
    np.testing.assert_array_equal(m["counts"], [3, 1, 0, 0, 0, 0, 0, 0])
    expected = 0.75 * np.log(0.75 * 8) + 0.25 * np.log(0.25 * 8)
    assert m["mode_kl"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name,hq", [("ring8", 1 - np.exp(-4.5)), ("grid25", 1 - np.exp(-4.5)),
                                     ("bimodal", 0.9973)])
def test_mode_coverage_of_true_samples(name, hq):
    d = get_dataset(name)
    x, _ = d.sample(2500, np.random.default_rng(0))
    m = mode_coverage(x, d.centers, d.std)
    assert m["modes_captured"] == d.n_classes
    assert m["high_quality_frac"] == pytest.approx(hq, abs=0.01)
    assert 0 <= m["mode_kl"] < 0.02


MIX = get_dataset("mixture1d")                                     # weights 0.2, 0.5, 0.3


def test_mode_kl_is_kl_to_the_given_weights_by_hand():
    c, w = [[0.0], [5.0], [10.0]], [2.0, 5.0, 3.0]                  # normalised to .2, .5, .3
    x = np.array([0.0, 0.0, 0.0, 5.0, 20.0])                        # counts 3, 1, 0; one not HQ
    m = mode_coverage(x, c, 0.1, weights=w)
    np.testing.assert_array_equal(m["counts"], [3, 1, 0])
    assert m["mode_kl"] == pytest.approx(0.75 * np.log(0.75 / 0.2) + 0.25 * np.log(0.25 / 0.5),
                                         rel=1e-12)
    assert mode_coverage(x, c, 0.1, weights=[1, 1, 1])["mode_kl"] == pytest.approx(
        mode_coverage(x, c, 0.1)["mode_kl"], rel=1e-12)             # equal weights = uniform
    # no HQ sample: log(1/min w), the worst collapse (onto the lightest mode)
    assert mode_coverage([20.0], c, 0.1, weights=w)["mode_kl"] == pytest.approx(np.log(5))


@pytest.mark.parametrize("name", ["mixture1d", "ring8"])
def test_mode_kl_of_a_perfect_sampler_is_zero(name):
    """Samples of the data itself, N = 20000: 2 N·KL ≈ χ²_{K−1}, mean (K − 1)/(2N) ≈ 5e-5 (K = 3)
    and 1.8e-4 (K = 8); measured over seeds 0–199 the worst was 2.2e-4 and 4.3e-4."""
    d = get_dataset(name)
    x, _ = d.sample(20000, np.random.default_rng(0))
    assert 0 <= mode_coverage(x, d.centers, d.std, weights=getattr(d, "weights", None))[
        "mode_kl"] < 1e-3


def test_mode_kl_sees_wrong_weights():
    even, _ = get_dataset("mixture1d", weights=(1, 1, 1)).sample(20000, np.random.default_rng(1))
    assert mode_coverage(even, MIX.centers, MIX.std, weights=MIX.weights)["mode_kl"] > 0.05
    # without the weights, mode_kl measures KL(p ‖ U_K): even the data itself scores KL(w ‖ U_3)
    x, _ = MIX.sample(20000, np.random.default_rng(2))
    kl_w_u = float(np.sum(MIX.weights * np.log(3 * MIX.weights)))            # 0.0689
    assert mode_coverage(x, MIX.centers, MIX.std)["mode_kl"] == pytest.approx(kl_w_u, abs=0.005)


@pytest.mark.parametrize("weights", [[1.0, 2.0], [1.0, 0.0, 1.0], [1.0, -1.0, 1.0],
                                     [1.0, np.nan, 1.0], [[1.0, 1.0, 1.0]]])
def test_mode_coverage_bad_weights(weights):
    with pytest.raises(ValueError, match="weights"):
        mode_coverage([0.0], MIX.centers, MIX.std, weights=weights)


def test_class_accuracy_by_hand():
    c = RING.centers
    x = np.vstack([c[0], c[0], c[1], c[2], c[1] + [0.1, 0.0]])
    m = class_accuracy(x, [0, 0, 1, 1, 1], c, RING.std)      # class 1: one right, two wrong
    np.testing.assert_allclose(m["per_class"][:2], [1.0, 1 / 3])
    assert np.all(np.isnan(m["per_class"][2:]))                # never requested
    assert m["mean"] == pytest.approx(2 / 3)


def test_class_accuracy_of_true_samples():
    x, labels = RING.sample(2000, np.random.default_rng(0))
    m = class_accuracy(x, labels, RING.centers, RING.std)
    assert m["per_class"].shape == (8,) and m["mean"] > 0.97


def test_mode_metrics_bad_input():
    c = RING.centers
    with pytest.raises(ValueError, match=r"\(N, 2\).*\(4, 3\)"):
        mode_coverage(np.zeros((4, 3)), c, 0.02)
    with pytest.raises(ValueError, match="std"):
        mode_coverage(np.zeros((4, 2)), c, 0.0)
    with pytest.raises(ValueError, match="requested"):
        class_accuracy(np.zeros((4, 2)), [0, 1, 2], c, 0.02)
    with pytest.raises(ValueError, match=r"\[0, 8\)"):
        class_accuracy(np.zeros((2, 2)), [0, 8], c, 0.02)
    assert mode_coverage(np.zeros(3), [[0.0], [5.0]], 1.0)["counts"].tolist() == [3, 0]
