"""demos/gan_in_one_file.py, the whole GAN in one NumPy file, computes what the package computes.

The file is loaded from its path (it is a script, not part of minigan) and started from the
package Trainer's initial parameters; both are handed the same batches and noise (the test
draws them from a copy of the Trainer's random generator, in the Trainer's order), and after
200 steps their parameters agree to rounding. The file must not import minigan.
"""
import ast
import importlib.util
import os

import numpy as np
import pytest

from minigan.config import TrainConfig
from minigan.data import ring8
from minigan.metrics import mode_coverage
from minigan.train import Trainer

PATH = os.path.join(os.path.dirname(__file__), os.pardir, "demos", "gan_in_one_file.py")


@pytest.fixture(scope="module")
def gan():
    spec = importlib.util.spec_from_file_location("gan_in_one_file", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def layers(mlp):
    """An MLP's params as the file's [(W_1, b_1), …, (W_L, b_L)], copied."""
    L = len(mlp.linears)
    return [(mlp.params[f"W{l}"].copy(), mlp.params[f"b{l}"].copy()) for l in range(1, L + 1)]


def max_rel_diff(net, mlp):
    """max over the arrays of max|a − b| / max|b| (max|a − b| where b = 0, like initial biases)."""
    diffs = []
    for l, layer in enumerate(net, start=1):
        for key, a in zip("Wb", layer):
            b = mlp.params[f"{key}{l}"]
            diffs.append(np.abs(a - b).max() / (np.abs(b).max() or 1.0))
    return max(diffs)


def test_imports_nothing_from_minigan():
    with open(PATH, encoding="utf-8") as f:
        tree = ast.parse(f.read(), PATH)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import"
            names.add(node.module)
    assert {n.split(".")[0] for n in names} <= {"argparse", "math", "time", "numpy"}, names


CFG = TrainConfig(hidden=16, depth=2, batch=64, lr_d=1e-3, lr_g=1e-3, lr_half_life=50,
                  dtype="float64", seed=3, eval_samples=10)
STEPS = 200


def run_both(gan, half_life=CFG.lr_half_life):
    """(the file's G, D, the Trainer) after STEPS steps from the same start and the same draws."""
    tr = Trainer(CFG)
    G, D = layers(tr.G), layers(tr.D.mlp)
    rng = np.random.default_rng()
    rng.bit_generator.state = tr.rng.bit_generator.state      # a copy of the Trainer's stream
    B, z = tr.cfg.batch, tr.cfg.z_dim
    gan.train(G, D, lambda n: tr.data.sample(n, rng)[0],
              lambda n: rng.standard_normal((n, z), dtype=tr.dtype),
              STEPS, batch=B, k=tr.cfg.k, lr=CFG.lr_d, betas=(tr.cfg.beta1, tr.cfg.beta2),
              half_life=half_life)
    for _ in range(STEPS):
        tr.train_step()
    assert rng.bit_generator.state == tr.rng.bit_generator.state    # the very same draws
    return G, D, tr


def test_same_parameters_as_the_trainer_after_200_steps(gan):
    G, D, tr = run_both(gan)
    start = Trainer(CFG)
    moved = max(max_rel_diff(layers(start.G), tr.G), max_rel_diff(layers(start.D.mlp), tr.D.mlp))
    assert moved > 1e-2                        # training changed the parameters: not a vacuous test
    diff = max(max_rel_diff(G, tr.G), max_rel_diff(D, tr.D.mlp))
    print(f"max relative difference after {STEPS} steps: {diff:.2e}")
    assert diff < 1e-10
    assert all(p.dtype == np.float64 for layer in G + D for p in layer)


def test_the_lr_schedule_matters_here(gan):
    """Without the halving the file ends elsewhere: the comparison above checks the schedule."""
    G, D, tr = run_both(gan, half_life=0)
    assert max(max_rel_diff(G, tr.G), max_rel_diff(D, tr.D.mlp)) > 1e-3


def test_init_data_and_score_match_the_package(gan):
    tr = Trainer(CFG)                          # its G and D come first from its generator
    rng = np.random.default_rng(np.random.SeedSequence(CFG.seed).spawn(2)[0])
    cfg = tr.cfg                               # resolved: the dataset's defaults filled in
    sizes = [cfg.z_dim] + [cfg.hidden] * cfg.depth
    G = gan.init_mlp(sizes + [2], rng, np.float64)
    D = gan.init_mlp([2] + sizes[1:] + [1], rng, np.float64)
    assert max_rel_diff(G, tr.G) == 0 and max_rel_diff(D, tr.D.mlp) == 0
    np.testing.assert_array_equal(gan.ring8(100, np.random.default_rng(1)),
                                  ring8().sample(100, np.random.default_rng(1))[0])
    np.testing.assert_array_equal(gan.CENTERS, ring8().centers)
    x = np.concatenate([ring8().sample(300, np.random.default_rng(2))[0][:, ::-1] * [1, 1.02],
                        np.random.default_rng(3).normal(size=(200, 2))])
    mc = mode_coverage(x, ring8().centers, ring8().std)
    assert gan.modes(x) == (mc["modes_captured"], pytest.approx(mc["high_quality_frac"]))


def test_float32_stays_float32(gan):
    rng = np.random.default_rng(0)
    G, D = gan.init_mlp([2, 8, 2], rng), gan.init_mlp([2, 8, 1], rng)
    losses = []
    gan.train(G, D, lambda n: gan.ring8(n, rng),
              lambda n: rng.standard_normal((n, 2), dtype=np.float32), 3, batch=16,
              report=lambda t, ld, lg: losses.append((ld, lg)))
    assert all(p.dtype == np.float32 for layer in G + D for p in layer)
    assert len(losses) == 3 and np.isfinite(losses).all()
