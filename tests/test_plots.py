"""The pictures' contents, not their pixels: the GIF's frames (step 0 first, one set of axes), the
equilibrium lines history.png draws per loss, the push arrows of samples.png, the study's shared
step axis."""
import csv
import math

import numpy as np
import pytest

from minigan.pictures import curves
from minigan.pictures import plots
from minigan.studies import figures as study
from minigan.runs.cli import main
from minigan.config import TrainConfig
from minigan.train import Trainer

TINY = ["--hidden", "8", "--depth", "1", "--batch", "32", "--eval-samples", "200", "--quiet"]


def train(out, *extra, steps=20, every=10):
    return main(["train", "--out", str(out), "--steps", str(steps), "--eval-every", str(every),
                 *TINY, *extra])


def test_gif_starts_at_step_0_and_leaves_training_unchanged(tmp_path, monkeypatch):
    seen = []
    real = plots.animation
    monkeypatch.setattr(plots, "animation", lambda t, frames, path: (seen.extend(frames),
                                                                    real(t, frames, path)))
    assert train(tmp_path / "gif", "--data", "gauss", "--gif", "--gif-every", "10") == 0
    assert [f["step"] for f in seen] == [0, 10, 20]
    assert (tmp_path / "gif" / "training.gif").stat().st_size > 0
    assert train(tmp_path / "plain", "--data", "gauss") == 0       # no frames recorded
    assert ((tmp_path / "gif" / "history.csv").read_bytes()
            == (tmp_path / "plain" / "history.csv").read_bytes())


@pytest.mark.parametrize("loss", ["nsgan", "wgan"])        # D on the density axis; on its own
def test_1d_gif_frames_share_their_y_limits(tmp_path, monkeypatch, loss):
    drawn = []
    real = plots.draw_frame

    def record(fig, trainer, f, limits):
        ax = real(fig, trainer, f, limits)
        drawn.append((f["step"], [a.get_ylim() for a in fig.axes]))
        return ax

    monkeypatch.setattr(plots, "draw_frame", record)
    assert train(tmp_path / "r", "--data", "gauss", "--loss", loss, "--gif", "--gif-every", "5") == 0
    assert {step for step, _ in drawn} == {0, 5, 10, 15, 20}
    assert all(len(lims) == (1 if loss == "nsgan" else 2) for _, lims in drawn)
    assert all(lims == drawn[0][1] for _, lims in drawn)


def equilibrium_values(cfg):
    lines = curves.reference_lines(TrainConfig(**cfg).resolved())
    return {round(y, 6) for y, _, _ in lines["loss"] + lines["d_out"]}, lines


def test_history_reference_lines_for_nsgan_and_not_for_wgan():
    values, lines = equilibrium_values({"loss": "nsgan"})
    assert values == {round(2 * math.log(2), 6), round(math.log(2), 6), 0.5}
    assert "penalty" not in " ".join(label for _, label, _ in lines["loss"])
    values, _ = equilibrium_values({"loss": "gan"})
    assert round(-math.log(2), 6) in values                 # the saturating G loss: −log 2
    for loss in ("wgan", "wgan-gp"):
        values, lines = equilibrium_values({"loss": loss})
        assert values == {0.0} and not lines["d_out"]      # only the critic loss → 0
    assert "GP penalty" in lines["loss"][0][1]              # wgan-gp logs its penalty in D's loss
    values, lines = equilibrium_values({"loss": "nsgan", "r1": 1.0})
    assert "R1 penalty" in lines["loss"][0][1]
    assert equilibrium_values({"loss": "lsgan"})[0] == {0.25, 0.125, 0.5}
    assert equilibrium_values({"loss": "hinge"})[0] == {2.0}


@pytest.mark.parametrize("loss", ["gan", "nsgan", "lsgan", "wgan"])
def test_push_is_minus_the_gradient_of_g_loss_per_fake(loss):
    """The arrows of samples.png: −∇ₓℓ_G(x) at each fake, against central differences."""
    t = Trainer(TrainConfig(loss=loss, hidden=8, depth=2, activation="tanh", dtype="float64"))
    x = np.random.default_rng(1).standard_normal((5, 2))

    def per_fake_loss(x):          # ℓ_G at each point: the batch mean times N, one point at a time
        return np.array([t.g_loss(t.D(x[i:i + 1])).value for i in range(len(x))])

    h, num = 1e-6, np.zeros_like(x)
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        num[:, j] = (per_fake_loss(x + e) - per_fake_loss(x - e)) / (2 * h)
    np.testing.assert_allclose(plots.push(t, x), -num, rtol=1e-5, atol=1e-9)


def test_study_modes_figure_shares_one_step_axis(tmp_path, monkeypatch):
    planned = []
    for loss, steps in (("nsgan", 300), ("wgan", 100)):
        run = tmp_path / loss
        run.mkdir()
        with open(run / "history.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["step", "modes_captured", "modes_total"])
            w.writerows([s, 3, 8] for s in range(0, steps + 1, 50))
        planned.append((str(run), {"data": "ring8", "loss": loss, "seed": 0}))
    figs = []
    monkeypatch.setattr(study, "figure", lambda *a: figs.append(plots.figure(*a)) or figs[-1])
    study.modes_figure(str(tmp_path), planned)
    assert [ax.get_xlim() for ax in figs[0].axes] == [(0.0, 300.0)] * 2
    assert "nsgan 300, wgan 100" in figs[0]._suptitle.get_text()


@pytest.mark.parametrize("extra", [dict(pack=2), dict(pack=3, loss="wgan-gp", k=1),
                                   dict(mbstd_layer=1), dict(spectral_norm=True, loss="hinge")])
def test_push_is_the_gradient_of_g_loss_at_d_at_points(extra):
    """The arrows (and the lab's push) for packed, minibatch-std and spectral-norm discriminators:
    −∂ℓ_G(t(x))/∂x with t = Discriminator.at_points, checked by central differences."""
    from minigan.config import TrainConfig
    from minigan.pictures.plots import push
    from minigan.train import Trainer
    t = Trainer(TrainConfig(**{"hidden": 12, "depth": 2, "batch": 24, "eval_samples": 8,
                               "dtype": "float64", "activation": "tanh", **extra}))
    for _ in range(3):
        t.train_step()                      # away from the initial weights (and σ̂ settled a bit)
    x = np.random.default_rng(0).normal(size=(5, 2))
    loss = lambda p: t.g_loss(t.D.at_points(p[None])).value          # ℓ_G at one point
    h, num = 1e-6, np.zeros_like(x)
    for i in range(len(x)):
        for j in range(2):
            e = np.zeros(2)
            e[j] = h
            num[i, j] = -(loss(x[i] + e) - loss(x[i] - e)) / (2 * h)
    np.testing.assert_allclose(push(t, x), num, rtol=1e-6, atol=1e-9)
