r"""Mutation check of the training-loop tests (issue #13 §2). Run by hand; pytest does not collect it.

    python tests/mutants.py                          # every mutant, the whole suite against each
    python tests/mutants.py --tests tests/test_algorithm1.py tests/test_train.py   # faster
    python tests/mutants.py --only gp_at_real_points clip_skipped
    python tests/mutants.py --list

Each mutant is a mis-wiring of the training loop (or of a loss, a penalty, an optimizer, the
evaluation) written as exact text substitutions in minigan/. For every mutant the repository
(without .git) is copied to a temporary directory, the substitutions are applied to the copy —
each one must match exactly as often as stated, or the mutant is reported NOT APPLIED (a
refactor broke it: fix the mutant, do not count it as survived) — and

    python -m pytest -x -q -p no:cacheprovider <tests>

runs in the copy with PYTHONPATH pointing at it. The unmutated copy runs first and must pass.
The unmutated run does not stop at the first failure, so every already-failing test is listed
(``--deselect`` one, and say so, to judge mutants anyway). A mutant is *killed* when a test fails
(-x: the first failing test is shown), *survived* when the suite passes. Exit status: 0 if every mutant is killed, 1 if any survives or cannot be applied,
2 if the unmutated suite fails.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_CACHES = shutil.ignore_patterns(".git", ".hypothesis", ".pytest_cache", ".benchmarks",
                                 "__pycache__", "*.egg-info", "build", "dist")


def IGNORE(folder, names):
    """Caches anywhere; run output folders (runs/, run/) at the top only (minigan/runs/ is code)."""
    top = {"runs", "run"} & set(names) if os.path.abspath(folder) == REPO else set()
    return set(_CACHES(folder, names)) | top


@dataclass
class Mutant:
    name: str
    what: str
    subs: list          # (path in the repo, old text, new text, expected number of matches)


def sub(path, old, new, count=1):
    return (path, old, new, count)


T, L, O = "minigan/train.py", "minigan/losses.py", "minigan/optim.py"
C, P, CK = "minigan/config.py", "minigan/remedies/penalties.py", "minigan/runs/checkpoint.py"
SN, PK, MB, UP, UR, DS = ("minigan/remedies/spectral.py", "minigan/remedies/packing.py",
                          "minigan/remedies/mbstd.py", "minigan/remedies/updates.py",
                          "minigan/remedies/unroll.py", "minigan/remedies/discriminator.py")

D_LOOP = "            for _ in range(cfg.k):\n                d = self.d_step()\n"
FAKES = "        x_fake = self.with_label(self.G(self.with_label(self.noise(B), y)), y)"
REAL = "        x, labels = self.data.sample(B, self.rng)\n"
CLIP = "        if self.cfg.clip > 0:\n            self.clip_d()\n"
UPDATE_D = "        self.opt_d.step(d[\"grads\"])\n"
SCHEDULE = "self.opt_d.lr, self.opt_g.lr = cfg.lr_d * decay, cfg.lr_g * decay"
G_NOISE = "return self.noise(B), labels"
G_UPDATE = "        self.opt_g.step(g[\"grads\"])\n"
EVAL_GEN = "self.generate(self.z_eval, self.labels_eval)"

MUTANTS = [
    # --- the six of the review (issue #13 §2) ---------------------------------------------------
    Mutant("g_step_before_d_steps", "the G step runs before the k D steps",
           [sub(T, D_LOOP + "            # 2) generator: one step on fresh noise, through D into G\n"
                "            g = self.g_step()\n",
                "            g = self.g_step()\n" + D_LOOP)]),
    Mutant("gp_at_real_points", "the gradient penalty at the real points, not the interpolates",
           [sub(T, "gradient_penalty(net, interpolate(real, fake, self.rng),",
                "gradient_penalty(net, 0 * interpolate(real, fake, self.rng) + real,")]),
    Mutant("r1_r2_swapped", "R1 on the fakes, R2 on the real batch",
           [sub(T, "r1(net, real, cfg.r1", "r1(net, fake, cfg.r1"),
            sub(T, "r2(net, fake, cfg.r2", "r2(net, real, cfg.r2")]),
    Mutant("cond_fakes_wrong_labels", "D step: the fakes D sees carry other labels than G was given",
           [sub(T, FAKES, FAKES[:-2] + "None if y is None else y[::-1])")]),
    Mutant("schedule_on_d_only", "the learning-rate schedule applied to D only",
           [sub(T, SCHEDULE, "self.opt_d.lr = cfg.lr_d * decay")]),
    Mutant("one_real_batch_for_all_d_steps", "the k D steps of an iteration share one real batch",
           [sub(T, D_LOOP, "            self._batch = None\n" + D_LOOP),
            sub(T, REAL, "        if self._batch is None:\n"
                         "            self._batch = self.data.sample(B, self.rng)\n"
                         "        x, labels = self._batch\n")]),
    # --- Algorithm 1's loop -------------------------------------------------------------------
    Mutant("k_minus_one_d_steps", "one D step too few (at least one)",
           [sub(T, "for _ in range(cfg.k):", "for _ in range(max(1, cfg.k - 1)):")]),
    Mutant("one_noise_batch_for_all_d_steps", "the k D steps share one noise batch",
           [sub(T, D_LOOP, "            self._z = None\n" + D_LOOP),
            sub(T, FAKES, "        if self._z is None:\n            self._z = self.noise(B)\n"
                          + FAKES.replace("self.noise(B)", "self._z"))]),
    Mutant("g_step_reuses_d_noise", "the G step reuses the last D step's noise",
           [sub(T, FAKES, "        self._z = self.noise(B)\n" + FAKES.replace("self.noise(B)", "self._z")),
            sub(T, G_NOISE, "return self._z[:B], labels")]),
    Mutant("d_loss_sign_flipped", "D ascends its loss",
           [sub(T, "D.backward(np.concatenate([loss.d_real, loss.d_fake])",
                "D.backward(-np.concatenate([loss.d_real, loss.d_fake])")]),
    Mutant("d_real_fake_grads_swapped", "real and fake logit gradients swapped in D's backward",
           [sub(T, "np.concatenate([loss.d_real, loss.d_fake])",
                "np.concatenate([loss.d_fake, loss.d_real])")]),
    Mutant("g_step_updates_d", "the G step also descends G's loss in D's weights",
           [sub(T, "    dx, _ = D.backward(loss.d_fake, cache_d, need_params=False)",
                "    dx, _dg = D.backward(loss.d_fake, cache_d)\n"
                "    for _k, _p in D.params.items():\n        _p -= 1e-3 * _dg[_k]")]),
    Mutant("d_loss_gradient_halved", "D's loss averaged over the 2N stacked rows, not N each",
           [sub(T, "D.backward(np.concatenate([loss.d_real, loss.d_fake])",
                "D.backward(np.concatenate([loss.d_real, loss.d_fake]) / 2")]),
    Mutant("explicit_config_loses_to_defaults", "the loss's defaults override explicit settings",
           [sub(C, "for k, v in d.items() if getattr(self, k) is None}", "for k, v in d.items()}")]),
    # --- conditioning -------------------------------------------------------------------------
    Mutant("cond_fakes_generated_with_other_labels", "D step: G is given other labels than D sees",
           [sub(T, FAKES, FAKES.replace("self.noise(B), y)",
                                        "self.noise(B), None if y is None else np.roll(y, 1, 0))"))]),
    Mutant("g_labels_uniform", "G step: labels uniform instead of the class prior",
           [sub(T, "self.rng.choice(K, size=B, p=self.prior)", "self.rng.choice(K, size=B)")]),
    Mutant("g_step_d_sees_other_label", "G step: D judges the fake with another label",
           [sub(T, "np.concatenate([x_fake, label], axis=1)",
                "np.concatenate([x_fake, label[::-1]], axis=1)")]),
    Mutant("g_step_backprop_label_columns", "G step: G gets ∂/∂(label columns) instead of ∂/∂x",
           [sub(T, "dx[:, :x_fake.shape[1]]", "dx[:, -x_fake.shape[1]:]")]),
    Mutant("penalty_on_label_columns", "penalties also constrain D's slope in the label",
           [sub(T, "n_x=n_x))", "n_x=None))", count=3)]),
    # --- penalties ----------------------------------------------------------------------------
    Mutant("gp_at_fake_points", "the gradient penalty at the fakes",
           [sub(T, "gradient_penalty(net, interpolate(real, fake, self.rng),",
                "gradient_penalty(net, 0 * interpolate(real, fake, self.rng) + fake,")]),
    Mutant("gp_pairs_shuffled", "interpolates between a real point and another pair's fake",
           [sub(T, "interpolate(real, fake, self.rng)", "interpolate(real, fake[::-1], self.rng)")]),
    Mutant("gp_eps_per_coordinate", "one ε per coordinate instead of one per sample",
           [sub(P, "size=(x_real.shape[0], 1)", "size=x_real.shape")]),
    Mutant("gp_one_sided", "penalise only ‖∇D‖ > 1",
           [sub(P, "        dev = norm - 1\n", "        dev = np.maximum(norm - 1, 0)\n")]),
    Mutant("penalty_grads_dropped", "the penalty's value is added, its gradient is not",
           [sub(T, "            grads[name] += g\n", "            pass\n")]),
    Mutant("penalty_sign_flipped", "the penalty's gradient subtracted",
           [sub(T, "            grads[name] += g\n", "            grads[name] -= g\n")]),
    Mutant("gp_weight_halved", "the gradient penalty with λ/2",
           [sub(T, "self.rng), cfg.gp, n_x=n_x)", "self.rng), cfg.gp / 2, n_x=n_x)")]),
    Mutant("zero_centred_gradient_doubled", "R1/R2 gradient of γ·E‖g‖² against the value (γ/2)·E‖g‖²",
           [sub(P, "return value, g * (gamma / N)", "return value, g * (2 * gamma / N)")]),
    Mutant("penalty_in_g_step", "the penalty is (also) applied in the G step, to D",
           [sub(T, G_NOISE, "self._zy = self.noise(B), labels\n"
                "        return self._zy"),
            sub(T, G_UPDATE,
                G_UPDATE +
                "        if self.cfg.gp or self.cfg.r1 or self.cfg.r2:\n"
                "            _z, _y = self._zy[0], self.onehot(self._zy[1])\n"
                "            _x = self.with_label(self.G(self.with_label(_z, _y)), _y)\n"
                "            _pen = r2(self.D.network()[0], self.D.rows(_x), "
                "self.cfg.gp + self.cfg.r1 + self.cfg.r2, n_x=self.D.n_x)\n"
                "            self.opt_d.step(_pen.grads)\n")]),
    # --- WGAN's clipping ------------------------------------------------------------------------
    Mutant("clip_skipped", "no weight clipping", [sub(T, "if self.cfg.clip > 0:", "if self.cfg.clip < 0:")]),
    Mutant("clip_skipped_in_joint_rules", "no weight clipping after a joint update's D step",
           [sub(T, "Player(self.opt_d, self.clip_d if cfg.clip > 0 else None)", "Player(self.opt_d)")]),
    Mutant("clip_g_instead_of_d", "G's weights clipped instead of D's",
           [sub(T, "clip_weights(self.D.params, self.cfg.clip)", "clip_weights(self.G.params, self.cfg.clip)")]),
    Mutant("clip_g_too", "G's weights clipped as well as D's",
           [sub(T, "clip_weights(self.D.params, self.cfg.clip)",
                "clip_weights(self.D.params, self.cfg.clip); clip_weights(self.G.params, self.cfg.clip)")]),
    Mutant("clip_before_update", "clipping before D's update instead of after",
           [sub(T, UPDATE_D + CLIP, CLIP + UPDATE_D)]),
    Mutant("clip_once_per_iteration", "clipping once after the k D steps",
           [sub(T, CLIP, ""),
            sub(T, D_LOOP, D_LOOP + "            if cfg.clip > 0:\n                self.clip_d()\n")]),
    # --- the schedule and the optimizers ------------------------------------------------------------
    Mutant("schedule_on_g_only", "the learning-rate schedule applied to G only",
           [sub(T, SCHEDULE, "self.opt_g.lr = cfg.lr_g * decay")]),
    Mutant("schedule_off_by_one", "lr · 2^(−(step + 1)/half-life)",
           [sub(T, "0.5 ** (self.step / cfg.lr_half_life)", "0.5 ** ((self.step + 1) / cfg.lr_half_life)")]),
    Mutant("schedule_staircase", "lr · 2^(−⌊step/half-life⌋)",
           [sub(T, "0.5 ** (self.step / cfg.lr_half_life)", "0.5 ** (self.step // cfg.lr_half_life)")]),
    Mutant("schedule_compounding", "the decay multiplies the previous step's rate",
           [sub(T, SCHEDULE, "self.opt_d.lr, self.opt_g.lr = self.opt_d.lr * decay, self.opt_g.lr * decay")]),
    Mutant("schedule_counts_d_updates", "the schedule counts D's updates, not iterations",
           [sub(T, "0.5 ** (self.step / cfg.lr_half_life)", "0.5 ** (self.opt_d.t / cfg.lr_half_life)")]),
    Mutant("schedule_g_uses_lr_d", "G's scheduled rate starts from lr_d",
           [sub(T, "cfg.lr_g * decay", "cfg.lr_d * decay")]),
    Mutant("opt_g_built_with_lr_d", "G's optimizer built with lr_d",
           [sub(T, "make_optimizer(cfg, self.G.params, cfg.lr_g)", "make_optimizer(cfg, self.G.params, cfg.lr_d)")]),
    Mutant("betas_swapped", "Adam built with (β2, β1)",
           [sub(T, "betas=(cfg.beta1, cfg.beta2)", "betas=(cfg.beta2, cfg.beta1)")]),
    Mutant("sgd_momentum_ignored", "SGD built without momentum",
           [sub(T, "momentum=cfg.momentum", "momentum=0.0")]),
    Mutant("adam_no_bias_correction", "Adam without bias correction",
           [sub(O, "alpha_t = self.lr * c / (1 - self.b1 ** self.t)", "alpha_t = self.lr")]),
    Mutant("rmsprop_eps_inside_sqrt", "RMSProp's ε inside the square root",
           [sub(O, "return self.lr * g / (np.sqrt(v) + self.eps)", "return self.lr * g / np.sqrt(v + self.eps)")]),
    # --- the losses -----------------------------------------------------------------------------
    Mutant("nsgan_saturating", "nsgan's G uses the saturating loss",
           [sub(L, '"nsgan": (d_gan, g_nonsaturating)', '"nsgan": (d_gan, g_saturating)')]),
    Mutant("hinge_g_hinged", "hinge G loss E max(0, 1 − t_f) instead of −E t_f",
           [sub(L, "    return g_wgan(fake)\n",
                "    return GLoss(_mean(np.maximum(0, 1 - fake)), -(fake < 1).astype(fake.dtype) / len(fake))\n")]),
    Mutant("lsgan_targets_swapped", "lsgan's D with targets real → 0, fake → 1",
           [sub(L, "return DLoss(0.5 * _mean((real - 1) ** 2) + 0.5 * _mean(fake ** 2), (real - 1) / Nr, fake / Nf)",
                "return DLoss(0.5 * _mean(real ** 2) + 0.5 * _mean((fake - 1) ** 2), real / Nr, (fake - 1) / Nf)")]),
    # --- the evaluation's isolation ---------------------------------------------------------------
    Mutant("eval_noise_from_training_rng", "evaluate() draws its noise from the training generator",
           [sub(T, EVAL_GEN, "self.generate(self.noise(len(self.z_eval)), self.labels_eval)")]),
    Mutant("eval_projections_from_training_rng", "sliced W1's projections from the training generator",
           [sub(T, "np.random.default_rng(self.sw_seed)", "self.rng")]),
    Mutant("eval_fresh_noise_each_call", "evaluate() draws new noise (not from the training rng) each call",
           [sub(T, EVAL_GEN, "self.generate(np.random.default_rng().standard_normal(self.z_eval.shape), "
                             "self.labels_eval)")]),
    Mutant("eval_set_from_training_seed", "the evaluation set drawn from the training seed's stream",
           [sub(T, "ev = np.random.default_rng(eval_seq)", "ev = np.random.default_rng(train_seq)")]),
    Mutant("eval_labels_uniform", "conditional evaluation asks for equally many of every class",
           [sub(T, "self.labels_eval = labels if K else None",
                "self.labels_eval = np.arange(n) % K if K else None")]),
    Mutant("eval_resets_adam_step", "evaluate() resets G's optimizer step count",
           [sub(T, "        self.check_finite()\n        row.update(",
                "        self.check_finite()\n        self.opt_g.t = 0\n        row.update(")]),
    # --- the mode-collapse remedies (issue #17) ---------------------------------------------------
    Mutant("sn_gradient_without_sigma_term", "spectral norm: ∂L/∂W = G/σ̂, the term through σ̂ dropped",
           [sub(SN, "return (dW_bar - np.vdot(dW_bar, W_bar) * np.outer(u, v)) / sigma",
                "return dW_bar / sigma")]),
    Mutant("sn_grads_not_mapped", "spectral norm: D's update uses ∂L/∂W̄ as if it were ∂L/∂W",
           [sub(T, "grads = D.param_grads(d.grads, w)", "grads = d.grads")]),
    Mutant("sn_penalty_mapped_apart", "spectral norm: the penalties' gradients mapped to W apart "
                                      "from the loss's (not one map of their sum; rounding differs)",
           [sub(T, "        d = discriminator_grads(net, self.d_loss, real, fake, pens)\n"
                   "        grads = D.param_grads(d.grads, w)\n",
                "        d = discriminator_grads(net, self.d_loss, real, fake)\n"
                "        grads = D.param_grads(d.grads, w)\n"
                "        for _p in pens:\n"
                "            d.value += _p.value\n"
                "            for _k, _g in D.param_grads(_p.grads, w).items():\n"
                "                grads[_k] = grads[_k] + _g\n")]),
    Mutant("sn_iteration_in_g_step", "spectral norm: the G step's pass through D advances u, v",
           [sub(T, "        D = self.unrolled() if self.cfg.unroll else self.D\n",
                "        self.D.begin_update()\n"
                "        D = self.unrolled() if self.cfg.unroll else self.D\n")]),
    Mutant("sn_iteration_skipped_in_joint_rules", "spectral norm: no power iteration in a joint update",
           [sub(T, "            self.D.begin_update()\n            d, g = JOINT", "            d, g = JOINT")]),
    Mutant("sn_u_not_checkpointed", "spectral norm: u, v left out of the checkpoint",
           [sub(CK, "    out.update(state[\"D_state\"])", "    pass")]),
    Mutant("sn_u_drawn_before_d", "spectral norm: u drawn from the run's generator before D's weights",
           [sub(DS, "    mlp = MLP(sizes, cfg.activation, rng=rng, dtype=dtype, extra=extra)\n"
                    "    spectral = SpectralNorm(mlp, rng) if cfg.spectral_norm else None   # draws u if on\n",
                "    _u = rng.standard_normal(8) if cfg.spectral_norm else None\n"
                "    mlp = MLP(sizes, cfg.activation, rng=rng, dtype=dtype, extra=extra)\n"
                "    spectral = SpectralNorm(mlp, rng) if cfg.spectral_norm else None   # draws u if on\n")]),
    Mutant("pack_interleaved", "packing takes every (N/p)-th sample, unpacking consecutive ones",
           [sub(PK, "return x.reshape(N // p, p * D)   ",
                "return x.reshape(p, N // p, D).transpose(1, 0, 2).reshape(N // p, p * D)   ")]),
    Mutant("mbstd_strided_groups", "minibatch std over strided groups (rows i, i + N/4, …): "
                                   "real and fake mixed in D's stacked forward",
           [sub(MB, "hg = h.reshape(N // group, group, H) ",
                "hg = h.reshape(group, N // group, H).transpose(1, 0, 2) "),
            sub(MB, "col = np.repeat(s, group, axis=0).astype(h.dtype)",
                "col = np.tile(s, (group, 1)).astype(h.dtype)"),
            sub(MB, "ds = dout[:, H].reshape(P, G).sum(axis=1)", "ds = dout[:, H].reshape(G, P).sum(axis=0)"),
            sub(MB, "return dout[:, :H] + dh.reshape(P * G, H)",
                "return dout[:, :H] + dh.transpose(1, 0, 2).reshape(P * G, H)")]),
    Mutant("mbstd_no_backward", "minibatch std: the statistic's column dropped, not back-propagated",
           [sub(MB, "return minibatch_std_backward(dout, cache), {}", "return dout[:, :-1], {}")]),
    Mutant("mbstd_layer_misplaced", "minibatch std after the layer before the one asked for",
           [sub(DS, "extra = {cfg.mbstd_layer: MinibatchStd(MBSTD_GROUP)}",
                "extra = {max(1, cfg.mbstd_layer - 1): MinibatchStd(MBSTD_GROUP)}")]),
    Mutant("pack_penalty_eps_per_sample", "packing + gradient penalty: ε drawn per sample, not per pack",
           [sub(T, "pens.append(gradient_penalty(net, interpolate(real, fake, self.rng),",
                "pens.append(gradient_penalty(net, D.rows(interpolate(x_real, x_fake, self.rng)),")]),
    Mutant("extragradient_no_return", "extragradient: the real step taken from the look-ahead point",
           [sub(UP, "        player.opt.restore(s)\n", "")]),
    Mutant("extragradient_state_committed", "extragradient: the look-ahead advances Adam's state",
           [sub(UP, "        player.opt.restore(s)\n",
                "        player.opt.restore((s[0], player.opt.state_dict()))\n")]),
    Mutant("optimistic_plain", "optimistic: the plain step Δ_t, no correction",
           [sub(UP, "self.opt.params[name] -= 2 * delta - self.prev[name]", "self.opt.params[name] -= delta")]),
    Mutant("optimistic_prev_not_checkpointed", "optimistic: Δ_{t−1} left out of the checkpoint",
           [sub(T, 'if self.cfg.update == "optimistic" else {}}', 'if False else {}}')]),
    Mutant("unroll_changes_d", "unrolled GAN: D keeps the K unrolled updates",
           [sub(UR, "    opt.restore(saved[0])\n", "")]),
    Mutant("unroll_after_g_noise", "unrolled GAN: G's noise drawn before the K unrolled D steps",
           [sub(T, "        D = self.unrolled() if self.cfg.unroll else self.D\n"
                   "        g = self.g_grads(*self.g_batch(), D)\n",
                "        _zy = self.g_batch()\n"
                "        D = self.unrolled() if self.cfg.unroll else self.D\n"
                "        g = self.g_grads(*_zy, D)\n")]),
]


def apply(mutant, root):
    """Apply every substitution to the copy at root; return a list of problems (empty: applied)."""
    problems = []
    for path, old, new, count in mutant.subs:
        full = os.path.join(root, path)
        with open(full, encoding="utf-8") as f:
            text = f.read()
        found = text.count(old)
        if found != count:
            problems.append(f"{path}: expected {count} match(es), found {found}: {old[:60]!r}")
            continue
        with open(full, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))
    return problems


def run_suite(root, tests, timeout, extra=(), stop_first=True):
    """pytest (-x) in the copy at root; returns (returncode, failing tests, output tail)."""
    env = {**os.environ, "PYTHONPATH": root, "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run([sys.executable, "-c", "import minigan; print(minigan.__file__)"],
                           cwd=root, env=env, capture_output=True, text=True)
    if not where.stdout.strip().startswith(root):
        raise RuntimeError(f"the copy is not the imported package: {where.stdout}{where.stderr}")
    try:
        # -n 0: one process, in file order, so -x stops at the first failing test (with the
        # suite's parallel workers a killed mutant would wait for the whole suite)
        proc = subprocess.run([sys.executable, "-m", "pytest", *(["-x"] if stop_first else []),
                               "-q", "-n", "0", "-p", "no:cacheprovider", *extra, *tests],
                              cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "(timeout)", ""
    out = proc.stdout + proc.stderr
    failed = " ".join(re.findall(r"^(?:FAILED|ERROR) (\S+)", out, re.M))
    if proc.returncode not in (0, 1) and not failed:
        failed = f"(pytest exit {proc.returncode})"
    return proc.returncode, failed, "\n".join(out.splitlines()[-15:])


def in_copy(tmp, mutant, tests, timeout, extra=()):
    root = os.path.join(tmp, mutant.name if mutant else "unmutated")
    shutil.copytree(REPO, root, ignore=IGNORE)
    try:
        if mutant:
            problems = apply(mutant, root)
            if problems:
                return "NOT APPLIED", "; ".join(problems), 0.0, ""
        start = time.perf_counter()
        rc, first, tail = run_suite(root, tests, timeout, extra, stop_first=mutant is not None)
        seconds = time.perf_counter() - start
        status = "survived" if rc == 0 else "killed"
        return status, first, seconds, tail
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tests", nargs="+", default=["tests/"],
                    help="test paths, relative to the repository (default: the whole suite)")
    ap.add_argument("--only", nargs="+", help="run only these mutants")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per suite run")
    ap.add_argument("--deselect", action="append", default=[], metavar="NODEID",
                    help="pass --deselect NODEID to pytest (a test already failing unmutated)")
    args = ap.parse_args(argv)
    mutants = MUTANTS
    if args.only:
        unknown = set(args.only) - {m.name for m in MUTANTS}
        if unknown:
            ap.error(f"unknown mutant(s): {', '.join(sorted(unknown))}")
        mutants = [m for m in MUTANTS if m.name in args.only]
    if args.list:
        for m in mutants:
            print(f"{m.name:40s} {m.what}")
        return 0
    with tempfile.TemporaryDirectory(prefix="minigan-mutants-") as tmp:
        extra = [a for d in args.deselect for a in ("--deselect", d)]
        status, failed, seconds, tail = in_copy(tmp, None, args.tests, args.timeout, extra)
        print(f"unmutated suite ({' '.join(args.tests + extra)}): "
              f"{'passes' if status == 'survived' else 'FAILS'} in {seconds:.0f} s", flush=True)
        if status != "survived":
            print(f"failing without any mutant: {failed}\nmutants cannot be judged "
                  f"(fix those tests, or --deselect them and say so)\n{tail}")
            return 2
        rows = []
        for m in mutants:
            status, first, seconds, tail = in_copy(tmp, m, args.tests, args.timeout, extra)
            rows.append((m.name, status, first, seconds))
            print(f"{m.name:40s} {status:11s} {seconds:6.1f} s  {first}", flush=True)
    bad = [r for r in rows if r[1] != "killed"]
    print(f"\n| mutant | result | first failing test | s |\n|---|---|---|---|")
    for name, status, first, seconds in rows:
        print(f"| {name} | {status} | {first} | {seconds:.1f} |")
    print(f"\n{len(rows) - len(bad)}/{len(rows)} killed"
          + (f"; not killed: {', '.join(r[0] for r in bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
