r"""Claim 2 — discriminative vs generative classifiers, and D* as a Bayes posterior (source §1).

A *generative* classifier models the joint P(x, y) = P(y)·p(x | y) — here a Gaussian per class
(mean and covariance by maximum likelihood) and the class frequencies as the prior — and gets
the posterior by Bayes' rule:

    P(y | x) = P(x, y) / P(x),   P(x) = Σ_y P(x, y).

A *discriminative* classifier models P(y | x) directly: here an MLP D(x) = σ(t(x)) trained with
the very loss a GAN discriminator minimises, losses.d_gan(t(x_real), t(x_fake)). With equal
numbers of "real" (y = 1) and "fake" (y = 0) points, d_gan = 2 × the binary cross-entropy of
that classifier, so D is logistic regression with a learned feature map, and Prop. 1's
D*(x) = p_real/(p_real + p_fake) is the Bayes posterior P(real | x) with prior ½.

Unequal priors make that a claim that can fail. Draw real and fake points in the ratio π : 1 − π
(π = 0.8 here). The cross-entropy of the pooled set is −V_π(D), with
V_π(D) = π E_p log D + (1 − π) E_q log(1 − D), and Prop. 1's pointwise argument (a = πp,
b = (1 − π)q) gives its maximiser

    D*_π(x) = π p(x) / (π p(x) + (1 − π) q(x)),

which should be the Bayes posterior P(real | x) of data drawn that way. Both sides are reached
without the formula: the generative classifier's posterior (Gaussians fitted to the samples,
prior = the class frequency) estimates P(real | x), and an MLP trained on the pooled
cross-entropy estimates the maximiser; each is compared with D*_π on test points drawn in the
same ratio. Were the maximiser p/(p + q) whatever the priors, both rows would see
E|D*_½ − D*_π| ≈ 0.096, against tolerances 0.04. Measured, quick run, 25 seeds:
E|P̂ − D*_π| ≤ 0.019 (generative), E|D̂ − D*_π| ≤ 0.024 (discriminative); full run, 6 seeds:
≤ 0.008 and ≤ 0.013.

Two toy sets:
  gauss2   real ~ N(μ₁, Σ₁), fake ~ N(μ₀, Σ₀): the generative model is *correct* (QDA), the true
           posterior is known, and both classifiers approach it; the generative one needs
           fewer samples.
  moons    data.Moons labels 1/0: a Gaussian per class is the *wrong* model; its quadratic
           boundary cuts through the moons while the MLP follows them.
"""
from dataclasses import dataclass

import numpy as np

from ..data import get_dataset
from ..layers import sigmoid
from ..losses import DLoss, d_gan, softplus
from ..mlp import MLP
from ..optim import Adam
from ..pictures.plots import figure
from .report import Check, run_label, seed_check
from .steps import d_step

CLAIM, TITLE = 2, "Discriminative vs generative; D* is the Bayes posterior P(real | x)"
MU_REAL, COV_REAL = np.array([-0.6, 0.3]), np.array([[0.8, 0.45], [0.45, 0.6]])
MU_FAKE, COV_FAKE = np.array([0.8, -0.2]), np.array([[0.25, 0.0], [0.0, 1.0]])
BOX = (-3.5, 3.0, -3.0, 3.0)          # plotting box for gauss2


@dataclass(frozen=True)
class Settings:
    n_train: int = 2000     # training points per class (balanced, as a GAN's D sees them)
    n_test: int = 20000     # test points per class (accuracy, E|P̂ − P*|)
    steps: int = 1500       # full-batch Adam steps of the discriminative MLP
    lr: float = 3e-3
    width: int = 16         # MLP([2, width, width, 1], tanh)
    seeds: int = 5
    prior_real: float = 0.8  # π of the unbalanced set: real : fake = π : 1 − π


QUICK = Settings(n_train=500, steps=500, n_test=10000, seeds=3)


def gauss_logpdf(x, mu, cov):
    r"""log N(x; μ, Σ) = −½(x − μ)ᵀΣ⁻¹(x − μ) − ½ log det Σ − log 2π.   x: (N, 2) -> (N,)."""
    d = x - mu                                                     # (N, 2)
    sol = np.linalg.solve(cov, d.T).T                              # Σ⁻¹(x − μ), (N, 2)
    return -0.5 * np.sum(d * sol, axis=1) - 0.5 * np.log(np.linalg.det(cov)) - np.log(2 * np.pi)


def sample_gauss2(n, rng, n_fake=None):
    """n real and n_fake (default n) fake points: (x_real (n, 2), x_fake (n_fake, 2))."""
    return (rng.multivariate_normal(MU_REAL, COV_REAL, n),
            rng.multivariate_normal(MU_FAKE, COV_FAKE, n if n_fake is None else n_fake))


def split(n, prior_real):
    """n points in the ratio π : 1 − π: (n_real, n_fake), n_real = round(π n)."""
    n_real = int(round(prior_real * n))
    return n_real, n - n_real


def true_posterior(x, prior_real=0.5):
    r"""D*_π(x) = π p_real/(π p_real + (1 − π) p_fake): the maximiser of V_π (Prop. 1 with
    a = π p_real, b = (1 − π) p_fake), from the true densities; π = ½ is Goodfellow's D*.
    x: (N, 2) -> (N,)."""
    p = prior_real * np.exp(gauss_logpdf(x, MU_REAL, COV_REAL))
    q = (1 - prior_real) * np.exp(gauss_logpdf(x, MU_FAKE, COV_FAKE))
    return p / (p + q)


@dataclass
class GenerativeClassifier:
    r"""Class-conditional Gaussians plus a prior, fitted by maximum likelihood (QDA).

    fit: π = n₁/(n₁ + n₀), μ_y = mean, Σ_y = (1/n_y) Σ (x − μ_y)(x − μ_y)ᵀ.
    posterior(x) = P(x, 1)/(P(x, 1) + P(x, 0)).
    """
    prior: float
    mu: tuple
    cov: tuple

    @classmethod
    def fit(cls, x_real, x_fake):
        n1, n0 = len(x_real), len(x_fake)
        return cls(n1 / (n1 + n0), (x_fake.mean(0), x_real.mean(0)),
                   (np.cov(x_fake.T, bias=True), np.cov(x_real.T, bias=True)))

    def posterior(self, x):
        lj1 = np.log(self.prior) + gauss_logpdf(x, self.mu[1], self.cov[1])
        lj0 = np.log(1 - self.prior) + gauss_logpdf(x, self.mu[0], self.cov[0])
        return np.exp(lj1 - np.logaddexp(lj1, lj0))


def train_discriminative(x_real, x_fake, cfg, rng, loss=d_gan):
    r"""MLP D trained with ``loss`` (default d_gan; full batch) on the labelled set: returns D."""
    D = MLP([2, cfg.width, cfg.width, 1], "tanh", rng=rng)
    opt = Adam(D.params, lr=cfg.lr, betas=(0.5, 0.999))
    for _ in range(cfg.steps):
        d_step(D, opt, x_real, x_fake, loss=loss)
    return D


def bce(logits, y):
    r"""Binary cross-entropy −mean[y log σ(t) + (1 − y) log(1 − σ(t))], written out on its own."""
    log_p1 = -np.logaddexp(0, -logits)            # log σ(t)
    log_p0 = -np.logaddexp(0, logits)             # log(1 − σ(t))
    return float(-np.mean(y * log_p1 + (1 - y) * log_p0))


def pooled_bce(real, fake):
    r"""The cross-entropy of the pooled set, real labelled 1 and fake 0, as a D loss:

        L = [Σ_real softplus(−t) + Σ_fake softplus(t)] / (N_r + N_f) = −V_π̂(D),
        π̂ = N_r/(N_r + N_f).

    Unlike d_gan, which averages each batch on its own (weights ½ : ½ whatever the sizes), each
    point weighs 1/(N_r + N_f), so the classes weigh by their frequencies.
    ∂L/∂t_r = (σ(t_r) − 1)/(N_r + N_f), ∂L/∂t_f = σ(t_f)/(N_r + N_f).
    real: (N_r, 1), fake: (N_f, 1). Returns DLoss.
    """
    n = len(real) + len(fake)
    value = (np.sum(softplus(-real)) + np.sum(softplus(fake))) / n
    return DLoss(float(value), (sigmoid(real) - 1) / n, sigmoid(fake) / n)


def grid_points(box, n=150):
    xs, ys = np.linspace(box[0], box[1], n), np.linspace(box[2], box[3], n)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.stack([gx.ravel(), gy.ravel()], axis=1)     # (n², 2)


def unequal_priors(cfg, rng):
    r"""Both classifiers on a set drawn in the ratio π : 1 − π, against D*_π (module docstring).

    2·n_train training and 2·n_test test points, split by π = cfg.prior_real. Returns
    (E|P̂ − D*_π| of the generative classifier, E|D̂ − D*_π| of the MLP trained on pooled_bce,
    E|D*_½ − D*_π|: what ignoring the prior would cost), expectations over the test points.
    """
    prior = cfg.prior_real
    (n1, n0), (m1, m0) = split(2 * cfg.n_train, prior), split(2 * cfg.n_test, prior)
    x1, x0 = sample_gauss2(n1, rng, n_fake=n0)
    t1, t0 = sample_gauss2(m1, rng, n_fake=m0)
    x_test = np.concatenate([t1, t0])
    target = true_posterior(x_test, prior)
    gen = GenerativeClassifier.fit(x1, x0)                  # its prior: the class frequency
    D = train_discriminative(x1, x0, cfg, rng, loss=pooled_bce)
    return (np.mean(np.abs(gen.posterior(x_test) - target)),
            np.mean(np.abs(sigmoid(D(x_test)[:, 0]) - target)),
            np.mean(np.abs(true_posterior(x_test) - target)))


@dataclass
class Result:
    checks: list
    quick: bool
    seeds: list
    train: dict              # dataset -> (x_real, x_fake) of the first seed
    maps: dict               # dataset -> {"xs", "ys", "gen", "disc", "true"} (n, n) arrays
    acc: dict                # dataset -> {"bayes", "gen", "disc"} lists over seeds


def run(quick=False, seed=0):
    cfg = QUICK if quick else Settings()
    seeds = list(range(seed, seed + cfg.seeds))
    moons = get_dataset("moons")
    xs, ys, pts = grid_points(BOX)
    mxs, mys, mpts = grid_points(moons.bounds)
    err_gen, err_disc, train, maps, bce_pair, unequal = [], [], {}, {}, None, []
    acc = {"gauss2": {"bayes": [], "gen": [], "disc": []}, "moons": {"gen": [], "disc": []}}
    for s in seeds:
        rng = np.random.default_rng([CLAIM, s])
        # gauss2: both classifiers against the true posterior D*
        x1, x0 = sample_gauss2(cfg.n_train, rng)
        t1, t0 = sample_gauss2(cfg.n_test, rng)
        x_test, y_test = np.concatenate([t1, t0]), np.r_[np.ones(cfg.n_test), np.zeros(cfg.n_test)]
        gen = GenerativeClassifier.fit(x1, x0)
        D = train_discriminative(x1, x0, cfg, rng)
        p_true = true_posterior(x_test)
        p_gen, p_disc = gen.posterior(x_test), sigmoid(D(x_test)[:, 0])
        err_gen.append(np.mean(np.abs(p_gen - p_true)))     # E over m = ½(p_real + p_fake)
        err_disc.append(np.mean(np.abs(p_disc - p_true)))
        for name, post in (("bayes", p_true), ("gen", p_gen), ("disc", p_disc)):
            acc["gauss2"][name].append(np.mean((post > 0.5) == y_test))
        if bce_pair is None:
            t_real, t_fake = D(x1), D(x0)
            bce_pair = (d_gan(t_real, t_fake).value,
                        2 * bce(np.r_[t_real[:, 0], t_fake[:, 0]], np.r_[np.ones(len(x1)),
                                                                         np.zeros(len(x0))]))
            train["gauss2"] = (x1, x0)
            maps["gauss2"] = {"xs": xs, "ys": ys, "gen": gen.posterior(pts),
                              "disc": sigmoid(D(pts)[:, 0]), "true": true_posterior(pts)}
        # moons: the generative model is misspecified
        xm, lm = moons.sample(2 * cfg.n_train, rng)
        gen_m = GenerativeClassifier.fit(xm[lm == 1], xm[lm == 0])
        D_m = train_discriminative(xm[lm == 1], xm[lm == 0], cfg, rng)
        xt, lt = moons.sample(2 * cfg.n_test, rng)
        acc["moons"]["gen"].append(np.mean((gen_m.posterior(xt) > 0.5) == lt))
        acc["moons"]["disc"].append(np.mean((sigmoid(D_m(xt)[:, 0]) > 0.5) == lt))
        if "moons" not in train:
            train["moons"] = (xm[lm == 1], xm[lm == 0])
            maps["moons"] = {"xs": mxs, "ys": mys, "gen": gen_m.posterior(mpts),
                             "disc": sigmoid(D_m(mpts)[:, 0])}
        unequal.append(unequal_priors(cfg, rng))
    a, unequal, pi = acc["gauss2"], np.array(unequal), cfg.prior_real        # unequal: (S, 3)
    n_real, n_fake = split(2 * cfg.n_train, pi)
    contrast = f"E|D*_½ − D*_π| = {np.min(unequal[:, 2]):.3f} (least over seeds)"
    checks = [
        Check(CLAIM, "D's loss d_gan = 2·BCE of a balanced classifier", bce_pair[0], bce_pair[1],
              tol=1e-12, note="logits of the trained D on its training set"),
        seed_check(CLAIM, f"π={pi:g}: Bayes P̂(real|x) (generative) vs D*_π = πp/(πp+(1−π)q)",
                   unequal[:, 0], 0.0, tol=0.04,
                   note=f"E|·| over test points; {n_real} real : {n_fake} fake; {contrast}"),
        seed_check(CLAIM, f"π={pi:g}: D̂ maximising pooled BCE = −V_π vs D*_π", unequal[:, 1],
                   0.0, tol=0.04, note="E|·| over test points"),
        seed_check(CLAIM, "gauss2: generative E|P̂(real|x) − D*(x)|", err_gen, 0.0, tol=0.03,
                   note=f"{cfg.n_train} points per class"),
        seed_check(CLAIM, "gauss2: discriminative E|D̂(x) − D*(x)|", err_disc, 0.0, tol=0.06),
        seed_check(CLAIM, "gauss2: generative accuracy = Bayes accuracy", a["gen"],
                   float(np.mean(a["bayes"])), tol=0.01),
        seed_check(CLAIM, "gauss2: discriminative accuracy = Bayes accuracy", a["disc"],
                   float(np.mean(a["bayes"])), tol=0.015),
        seed_check(CLAIM, "moons: acc(discriminative) − acc(generative)",
                   np.subtract(acc["moons"]["disc"], acc["moons"]["gen"]), 0.05, relation=">=",
                   note=f"acc gen {np.mean(acc['moons']['gen']):.3f}, "
                        f"disc {np.mean(acc['moons']['disc']):.3f}"),
    ]
    return Result(checks, quick, seeds, train, maps, acc)


# --- the figure -----------------------------------------------------------------------------

def _panel(ax, m, key, train, title, true=None):
    cs = ax.contourf(m["xs"], m["ys"], m[key].reshape(len(m["ys"]), len(m["xs"])),
                     levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.75)
    ax.contour(m["xs"], m["ys"], m[key].reshape(len(m["ys"]), len(m["xs"])), levels=[0.5],
               colors="k", linewidths=2)
    if true is not None:
        ax.contour(m["xs"], m["ys"], true.reshape(len(m["ys"]), len(m["xs"])), levels=[0.5],
                   colors="yellow", linewidths=1.5, linestyles="--")
    x1, x0 = train
    ax.scatter(x1[:300, 0], x1[:300, 1], s=5, c="darkred", label="real (y = 1)")
    ax.scatter(x0[:300, 0], x0[:300, 1], s=5, c="navy", label="fake (y = 0)")
    ax.set_xlim(m["xs"][0], m["xs"][-1])
    ax.set_ylim(m["ys"][0], m["ys"][-1])
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal")
    return cs


def plot(res, path):
    fig = figure(15, 9.2)
    axes = fig.subplots(2, 3)
    g, mo = res.maps["gauss2"], res.maps["moons"]
    _panel(axes[0, 0], g, "gen", res.train["gauss2"],
           "gauss2: generative P̂(real|x) = P̂(x,1)/P̂(x)\n(black: P̂ = ½; yellow dashed: Bayes)",
           true=g["true"])
    _panel(axes[0, 1], g, "disc", res.train["gauss2"],
           "gauss2: discriminative D̂(x) trained with d_gan\n(black: D̂ = ½; yellow dashed: Bayes)",
           true=g["true"])
    cs = _panel(axes[0, 2], g, "true", res.train["gauss2"],
                "gauss2: D* = p_real/(p_real + p_fake)\n= Bayes posterior P(real|x), prior ½")
    axes[0, 2].legend(loc="lower right", fontsize=8, markerscale=3)
    _panel(axes[1, 0], mo, "gen", res.train["moons"],
           "moons: generative (one Gaussian per class)\nthe wrong model for two moons")
    _panel(axes[1, 1], mo, "disc", res.train["moons"], "moons: discriminative MLP D̂(x)")
    fig.colorbar(cs, ax=axes[0, :], shrink=0.8, label="P(real | x)")
    ax = axes[1, 2]
    labels, means, sds, colors = [], [], [], []
    long_name = {"bayes": "Bayes", "gen": "generative", "disc": "discrim."}
    for ds, names in (("gauss2", ("bayes", "gen", "disc")), ("moons", ("gen", "disc"))):
        for n in names:
            v = np.asarray(res.acc[ds][n])
            labels.append(f"{ds}\n{long_name[n]}")
            means.append(v.mean())
            sds.append(v.std(ddof=1) if len(v) > 1 else 0.0)
            colors.append({"bayes": "0.5", "gen": "tab:green", "disc": "tab:orange"}[n])
    ax.bar(range(len(labels)), means, yerr=sds, color=colors, capsize=4)
    for i, m in enumerate(means):
        ax.text(i, m + 0.005, f"{m:.3f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    ax.axhline(0.5, color="0.3", ls=":", lw=1, label="chance (½)")
    ax.set_ylim(0, 1.1)                     # bars start at 0: their heights compare honestly
    ax.legend(fontsize=8, loc="lower right")
    ax.set_ylabel("test accuracy (mean ± sd over seeds)")
    ax.set_title("accuracy: generative wins when its model is right,\n"
                 "discriminative when it is wrong", fontsize=10)
    fig.suptitle(f"Claim 2 — {TITLE}   [{run_label(res.quick, res.seeds)}; "
                 f"maps and points: seed {res.seeds[0]}]")
    fig.savefig(path)
