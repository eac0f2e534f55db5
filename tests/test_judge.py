"""The digit judge (judge.py) and the Fréchet distance (metrics.py): gradients against finite
differences, the judge's accuracy and determinism, known answers of every digit metric on real
images, copies, one-digit samplers and shuffled labels, and the matrix square root against an
independent Newton–Schulz iteration. The judge trains once for the whole file (module fixture)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from minigan import judge as J
from minigan.data import digits
from minigan.gradcheck import grad_close, numeric_grad, rel_error
from minigan.metrics import feature_stats, frechet_distance, frechet_from_stats, sqrtm_psd
from minigan.mlp import MLP

KEYS = {"digits_covered", "digits_total", "confident_frac", "digit_kl", "frechet", "nn_train",
        "copied_frac"}


@pytest.fixture(scope="module")
def judge():
    return J.digit_judge()


@pytest.fixture(scope="module")
def train():
    return digits("train")


@pytest.fixture(scope="module")
def held():
    return digits("held_out")


# --- the loss and its gradient ---------------------------------------------------------------

def test_cross_entropy_by_hand_and_stable():
    loss, _ = J.softmax_cross_entropy(np.zeros((3, 4)), [0, 1, 3])
    assert loss == pytest.approx(np.log(4), rel=1e-15)                  # uniform p: log K
    a = np.array([[2.0, 0.0, -1.0]])
    expected = np.log(np.exp(2.0) + 1 + np.exp(-1.0)) - 0.0              # y = 1: lse − a_1
    assert J.softmax_cross_entropy(a, [1])[0] == pytest.approx(expected, rel=1e-14)
    # log-sum-exp: logits of ±1000 overflow exp, not the loss
    big = np.array([[1000.0, 0.0], [0.0, 1000.0]])
    loss, (p, _) = J.softmax_cross_entropy(big, [1, 1])
    assert loss == pytest.approx(500.0, rel=1e-14) and np.all(np.isfinite(p))
    assert J.softmax_cross_entropy(a + 1e4, [1])[0] == pytest.approx(expected, rel=1e-9)


def test_cross_entropy_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    a = 3 * rng.standard_normal((7, 10))
    y = rng.integers(10, size=7)
    loss, cache = J.softmax_cross_entropy(a, y)
    d = J.softmax_cross_entropy_backward(cache)
    num = numeric_grad(lambda: J.softmax_cross_entropy(a, y)[0], a)
    assert rel_error(d, num) < 1e-8
    np.testing.assert_allclose(d.sum(axis=1), 0.0, atol=1e-16)          # rows sum to 0


def test_judge_loss_backward_through_the_mlp(held):
    """judge_loss (what train_judge descends) against central differences, for every parameter of
    a small 64 → 6 → 10 ReLU net with biases off zero and an L2 penalty, on real digits."""
    rng = np.random.default_rng(1)
    net = MLP([64, 6, 10], "relu", rng=rng)
    for k, p in net.params.items():
        if k.startswith("b"):
            p[...] = 0.1 * rng.standard_normal(p.shape)
    x, y = held.x[:9], held.labels[:9]
    pre = net.linears[0].forward(x)[0]
    assert np.abs(pre).min() > 1e-3          # no ReLU kink within the finite difference's reach
    loss, grads = J.judge_loss(net, x, y, l2=0.05)
    assert set(grads) == set(net.params)
    for k, p in net.params.items():
        num = numeric_grad(lambda: J.judge_loss(net, x, y, l2=0.05)[0], p)
        assert grad_close(grads[k], num, loss), k


def test_trained_judge_gradient_by_random_directions(judge, train):
    """At the trained judge's weights (a copy): ⟨v, ∂J/∂θ⟩ against (J(θ + hv) − J(θ − hv))/2h
    along random directions v of all 4,810 parameters (one wrong entry of the gradient shows in
    almost every direction)."""
    net = MLP(judge.net.sizes, "relu", rng=np.random.default_rng(0))
    net.load_params(judge.net.params)
    # 20 images with every pre-activation ≥ 1e-4 from the ReLU's kink (h·v moves them < 1e-5)
    far = np.abs(net.linears[0].forward(train.x)[0]).min(axis=1) > 1e-4
    x, y = train.x[far][:20], train.labels[far][:20]
    assert len(x) == 20
    _, grads = J.judge_loss(net, x, y)
    g = np.concatenate([grads[k].ravel() for k in net.params])     # θ's order
    theta, rng, h = net.theta.copy(), np.random.default_rng(1), 1e-6
    for _ in range(5):
        v = rng.standard_normal(theta.shape) / np.sqrt(theta.size)
        net.theta[:] = theta + h * v
        up = J.judge_loss(net, x, y)[0]
        net.theta[:] = theta - h * v
        down = J.judge_loss(net, x, y)[0]
        assert rel_error(g @ v, (up - down) / (2 * h)) < 1e-6


# --- the judge -------------------------------------------------------------------------------

def test_judge_architecture_and_outputs(judge, held):
    assert judge.net.sizes == [64, J.HIDDEN, 10] and judge.net.activation == "relu"
    p, h = judge.forward(held.x)
    assert p.shape == (359, 10) and h.shape == (359, J.HIDDEN)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_array_equal(judge.probs(held.x), p)
    np.testing.assert_array_equal(judge.features(held.x), h)
    assert np.all(h >= 0)                                                # ReLU activations
    # the features are the hidden layer: the logits are h·W₂ + b₂
    logits = h @ judge.net.params["W2"] + judge.net.params["b2"]
    np.testing.assert_allclose(np.exp(logits) / np.exp(logits).sum(1, keepdims=True), p,
                               rtol=1e-12)
    np.testing.assert_array_equal(judge.predict(held.x), p.argmax(axis=1))


def test_held_out_accuracy(judge, held):
    assert judge.accuracy(held.x, held.labels) >= 0.95


def test_training_is_deterministic(judge, train):
    again = J.train_judge(train.x, train.labels)
    for k, p in judge.net.params.items():
        np.testing.assert_array_equal(again.net.params[k], p)
    other = J.train_judge(train.x[:200], train.labels[:200], epochs=1, seed=1)
    assert not np.array_equal(other.net.params["W1"], judge.net.params["W1"])


# --- digit metrics on known samplers ---------------------------------------------------------

def test_the_held_out_split_scores_the_documented_values(judge, held):
    m = J.digit_metrics(held.x, judge)
    assert set(m) == KEYS
    assert (m["digits_covered"], m["digits_total"]) == (10, 10)
    assert m["confident_frac"] == pytest.approx(J.PERFECT_CONFIDENT, abs=0.001)
    assert 0 <= m["digit_kl"] < 0.005
    assert m["frechet"] == pytest.approx(0.0, abs=1e-6)                # the reference itself
    assert m["copied_frac"] == pytest.approx(4 / 359)                  # the 1st percentile
    assert m["nn_train"] == pytest.approx(2.03, abs=0.01)


@pytest.mark.parametrize("n", [500, 1000, 2500])
def test_real_images_cover_every_digit(judge, n):
    """A perfect sampler at G's sample sizes: 10/10 covered, the documented confident share,
    the real-vs-real Fréchet value (300 seeds per n when MIN_SHARE was calibrated; one here)."""
    m = J.real_reference(n, n, judge)
    assert m["digits_covered"] == 10
    assert m["confident_frac"] == pytest.approx(J.PERFECT_CONFIDENT, abs=0.05)
    assert 0 <= m["digit_kl"] < 0.04
    assert m["copied_frac"] < 0.04
    mean, sd = J.REAL_FRECHET[n]
    assert abs(m["frechet"] - mean) < 5 * sd


def test_real_reference_frechet_is_train_against_held_out(judge, train, held):
    m = J.real_reference(1000, 7, judge)
    rng = np.random.default_rng(7)
    held.sample(1000, rng)                                             # the held-out draw first
    x_train = train.sample(1000, rng)[0]
    f_held = judge.features(held.x)
    assert m["frechet"] == pytest.approx(frechet_distance(judge.features(x_train), f_held),
                                         rel=1e-9)
    assert m["frechet"] > 0.2                                          # not a set against itself


@pytest.mark.parametrize("k", range(10))
def test_a_one_digit_sampler_covers_one(judge, train, k):
    x = train.x[train.labels == k]
    x = x[np.random.default_rng(k).integers(len(x), size=1000)]
    m = J.digit_metrics(x, judge)
    assert m["digits_covered"] == 1
    hist = J.digit_histogram(x, judge)
    assert np.argmax(hist["confident"]) == k and hist["all"].sum() == 1000
    assert np.all(hist["confident"] <= hist["all"])
    w = train.weights
    assert m["digit_kl"] == pytest.approx(np.log(1 / w[k]), abs=0.05)   # all mass on one digit


def test_noise_covers_nothing(judge):
    x = np.random.default_rng(0).uniform(-1, 1, (1000, 64))
    m = J.digit_metrics(x, judge)
    assert m["digits_covered"] == 0 and m["confident_frac"] < 0.02
    assert m["frechet"] > 10 and m["copied_frac"] == 0.0


def test_copies_of_training_images(judge, train):
    rng = np.random.default_rng(0)
    x = train.x[rng.integers(len(train.x), size=500)]
    m = J.digit_metrics(x, judge)
    assert (m["copied_frac"], m["nn_train"]) == (1.0, 0.0)
    near = J.nearest_train(x)
    np.testing.assert_array_equal(train.x[near.idx], x)
    # 0.01 off in every pixel: ‖δ‖ = 0.08, still far inside the copy radius (≈ 1.08)
    m = J.digit_metrics(x + 0.01, judge)
    assert m["copied_frac"] == 1.0 and m["nn_train"] == pytest.approx(0.08, rel=1e-9)
    assert J.copy_radius() == pytest.approx(1.078, abs=0.001)


def test_nearest_train_matches_brute_force(train, held):
    x = np.vstack([held.x[:20], held.x[:5] + 0.5])
    near = J.nearest_train(x, chunk=7)
    d = np.linalg.norm(x[:, None, :] - train.x[None], axis=-1)              # (25, 1438)
    np.testing.assert_array_equal(near.idx, d.argmin(axis=1))
    np.testing.assert_allclose(near.dist, d.min(axis=1), rtol=1e-13)


def test_class_accuracy_true_and_shuffled_labels(judge, held):
    rng = np.random.default_rng(0)
    idx = rng.integers(len(held.x), size=2000)
    x, y = held.x[idx], held.labels[idx]
    acc = J.class_accuracy(x, y, judge)
    assert acc.shape == (10,) and np.mean(acc) >= 0.95 and acc.min() >= 0.9
    shuffled = J.class_accuracy(x, rng.permutation(y), judge)
    assert np.mean(shuffled) == pytest.approx(0.1, abs=0.02)           # chance
    assert shuffled.max() < 0.2
    # a digit never asked for is NaN, the others are counted as before
    asked = y != 3
    part = J.class_accuracy(x[asked], y[asked], judge)
    assert np.isnan(part[3]) and np.allclose(np.delete(part, 3), np.delete(acc, 3))


def test_digit_histogram_by_hand(judge, held):
    x = held.x[:50]
    p = judge.probs(x)
    h = J.digit_histogram(x, judge)
    sure = p.max(axis=1) >= J.CONFIDENT
    for k in range(10):
        assert h["all"][k] == np.sum(p.argmax(1) == k)
        assert h["confident"][k] == np.sum((p.argmax(1) == k) & sure)


def test_bad_input_is_a_clear_error(judge):
    with pytest.raises(ValueError, match=r"\(N, 64\)"):
        J.digit_metrics(np.zeros((5, 63)), judge)
    with pytest.raises(ValueError, match="NaN"):
        J.digit_metrics(np.full((5, 64), np.nan), judge)
    with pytest.raises(ValueError, match="at least 2"):
        J.digit_metrics(np.zeros((1, 64)), judge)
    with pytest.raises(ValueError, match=r"\[0, 10\)"):
        J.class_accuracy(np.zeros((2, 64)), [0, 10], judge)
    with pytest.raises(ValueError, match="labels"):
        J.softmax_cross_entropy(np.zeros((2, 3)), [0.5, 1])


# --- the matrix square root and the Fréchet distance ----------------------------------------

def newton_schulz_sqrt(A, iters=100):
    r"""A^½ by the coupled Newton–Schulz iteration (Higham 2008, eq. 6.35): with A/c, c = ‖A‖_F,
    Y₀ = A/c, Z₀ = I, T = (3I − Z Y)/2, Y ← Y T, Z ← T Z: Y → (A/c)^½, Z → (A/c)^{−½}, using
    only matrix products (no eigendecomposition). Works for any A with eigenvalues in (0, c]."""
    c = np.linalg.norm(A)
    Y, Z, I = A / c, np.eye(len(A)), np.eye(len(A))
    for _ in range(iters):
        T = 0.5 * (3 * I - Z @ Y)
        Y, Z = Y @ T, T @ Z
    return Y * np.sqrt(c)


def random_spd(rng, H, rank=None, ridge=0.0):
    B = rng.standard_normal((H, rank or H + 2))
    return B @ B.T / H + ridge * np.eye(H)


@pytest.mark.parametrize("H,rank", [(1, None), (3, None), (10, None), (30, None), (10, 4)])
def test_sqrtm_psd_matches_newton_schulz(H, rank):
    """Rank 4 of 10 plus 1e-10·I: six eigenvalues 1e-10, so the square root's small directions are
    checked too (exactly singular, round-off makes some eigenvalues −1e-17, which Newton–Schulz
    cannot take: see the clipping test)."""
    rng = np.random.default_rng(H)
    A = random_spd(rng, H, rank, ridge=1e-10 if rank else 0.0)
    S = sqrtm_psd(A)
    assert rel_error(S, newton_schulz_sqrt(A)) < 1e-9
    np.testing.assert_allclose(S, S.T, atol=1e-14)
    assert np.linalg.eigvalsh(S).min() > -1e-12
    assert rel_error(S @ S, A) < 1e-13


def test_sqrtm_psd_on_the_judges_feature_covariances(judge, held, train):
    for x in (held.x, train.x):
        cov = feature_stats(judge.features(x))[1]
        assert rel_error(sqrtm_psd(cov), newton_schulz_sqrt(cov)) < 1e-9


def test_sqrtm_psd_clips_round_off_negatives():
    V = np.linalg.qr(np.random.default_rng(0).standard_normal((3, 3)))[0]
    A = (V * [4.0, 1.0, -1e-13]) @ V.T
    np.testing.assert_allclose(sqrtm_psd(A), (V * [2.0, 1.0, 0.0]) @ V.T, atol=1e-14)


def test_frechet_known_answers():
    rng = np.random.default_rng(0)
    cov = random_spd(rng, 5)
    mu = rng.standard_normal(5)
    assert frechet_from_stats(mu, cov, mu, cov) == pytest.approx(0.0, abs=1e-12)
    delta = np.array([1.0, -2.0, 0.5, 0.0, 3.0])
    assert frechet_from_stats(mu, cov, mu + delta, cov) == pytest.approx(delta @ delta, rel=1e-10)
    # 1-D: (μ_a − μ_b)² + (σ_a − σ_b)²;  commuting (diagonal) Σ: Σ_i (√a_i − √b_i)²
    assert frechet_from_stats([1.0], [[4.0]], [3.0], [[9.0]]) == pytest.approx(4 + 1, rel=1e-14)
    a, b = np.array([1.0, 4.0, 0.0]), np.array([9.0, 1.0, 2.0])
    assert frechet_from_stats(np.zeros(3), np.diag(a), np.zeros(3), np.diag(b)) == \
        pytest.approx(np.sum((np.sqrt(a) - np.sqrt(b)) ** 2), rel=1e-14)


def test_frechet_trace_identity_against_newton_schulz():
    """Tr (Σ_a Σ_b)^½ of the non-symmetric product, by Newton–Schulz (its eigenvalues are those of
    the SPD Σ_a^½ Σ_b Σ_a^½, so the iteration converges), against the docstring's Tr M^½."""
    rng = np.random.default_rng(3)
    A, B = random_spd(rng, 6), random_spd(rng, 6)
    mu_a, mu_b = rng.standard_normal(6), rng.standard_normal(6)
    direct = (np.sum((mu_a - mu_b) ** 2) + np.trace(A) + np.trace(B)
              - 2 * np.trace(newton_schulz_sqrt(A @ B)))
    assert frechet_from_stats(mu_a, A, mu_b, B) == pytest.approx(direct, rel=1e-9)


def test_frechet_distance_of_features():
    rng = np.random.default_rng(0)
    f = rng.standard_normal((200, 4)) @ rng.standard_normal((4, 4))
    assert frechet_distance(f, f) == pytest.approx(0.0, abs=1e-12)
    assert frechet_distance(f, f + [1.0, 2.0, 0.0, 0.0]) == pytest.approx(5.0, rel=1e-10)
    g = 2 * f                                                # Σ_g = 4Σ_f: d² = Tr Σ_f + 4Σ_f − 4Σ_f
    assert frechet_distance(f, g) == pytest.approx(
        np.sum(f.mean(0) ** 2) + np.trace(np.cov(f.T)), rel=1e-10)
    with pytest.raises(ValueError, match="2 rows"):
        frechet_distance(f[:1], f)


# three sets of 8 feature vectors of one width H = 1..4
feature_sets = st.integers(1, 4).flatmap(lambda H: st.tuples(
    *[arrays(np.float64, (8, H), elements=st.floats(-10, 10)) for _ in range(3)]))


@settings(max_examples=25, deadline=None)
@given(feature_sets)
def test_frechet_is_a_squared_metric(fs):
    """d² ≥ 0, symmetric, 0 on itself, and √d² obeys the triangle inequality (it is W₂ between
    the fitted Gaussians)."""
    a, b, c = fs
    dab, dba = frechet_distance(a, b), frechet_distance(b, a)
    scale = 1e-9 * (1 + np.sum(a ** 2) + np.sum(b ** 2) + np.sum(c ** 2))
    assert dab >= 0 and dab == pytest.approx(dba, rel=1e-7, abs=scale)
    assert frechet_distance(a, a) <= scale
    assert np.sqrt(frechet_distance(a, c)) <= np.sqrt(dab) + np.sqrt(frechet_distance(b, c)) \
        + np.sqrt(scale)
