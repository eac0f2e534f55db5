r"""Update rules of the game, both players from the same point (docs/references.md §6, §9).

Write θ = (θ_D, θ_G) for both players' parameters and F(θ) = (∇_{θ_D} L_D, ∇_{θ_G} L_G) for
the joint gradient field each player descends. ``minigan train --update`` chooses:

    alternating    Algorithm 1 (train.py, the default): k D steps, then one G step that already
                   sees the new D.
    simultaneous   θ_{t+1} = θ_t − η·F(θ_t): both gradients at the same point, then both steps.
    extragradient  θ_{t+½} = θ_t − η·F(θ_t);  θ_{t+1} = θ_t − η·F(θ_{t+½})
                   (Korpelevich 1976; Gidel et al. 2019): a joint look-ahead step, then the real
                   step *from θ_t* with the gradients at the look-ahead point.
    optimistic     θ_{t+1} = θ_t − 2η·F(θ_t) + η·F(θ_{t−1})   (Daskalakis et al. 2018).

η·F above is each player's *optimizer step* Δ (for SGD without momentum Δ = η·g exactly; for
Adam it is Adam's step, as in Gidel et al.'s extragradient Adam and Daskalakis et al.'s
optimistic Adam). Our choices where the papers leave room:

- extragradient: the look-ahead takes the optimizer's step from its current state, and then the
  state is put back (parameters, moments, step count): only the real step, with the gradient at
  the look-ahead point, advances Adam's moments. WGAN's clipping (a projection) follows both steps.
  Each gradient is evaluated on fresh batches (stochastic extragradient).
- optimistic: θ_{t+1} = θ_t − (2Δ_t − Δ_{t−1}), Δ_t the optimizer's step for this iteration's
  gradient and Δ₀ = 0 (the first step is doubled). Δ_{t−1} is kept per player (``Player.prev``)
  and goes in the checkpoint. Under a learning-rate schedule, Δ_{t−1} was taken at η_{t−1}.
- k D steps per G step belong to the alternating order; the joint rules take one step of each
  player per iteration (config.py refuses --k > 1 with them).

Linearised Dirac-GAN (docs/references.md §6), a = η/2: a simultaneous step multiplies the distance
to the equilibrium by √(1 + a²) (outward spiral), an extragradient step by √(1 − a² + a⁴) (inward);
tests/test_remedies_updates.py runs these very functions on that toy game.
"""
import numpy as np

from ..config import UPDATES


class Player:
    r"""One player's optimizer, the projection after each of its steps (WGAN's clipping, or None),
    and its previous step Δ_{t−1} (for the optimistic rule), keyed like its params."""

    def __init__(self, opt, project=None):
        self.opt, self.project = opt, project
        self.prev = {k: np.zeros_like(p) for k, p in opt.params.items()}

    def step(self, grads):
        """θ ← θ − Δ(grads): the optimizer's own step, then the projection."""
        self.opt.step(grads)
        if self.project:
            self.project()

    def optimistic_step(self, grads):
        r"""θ ← θ − (2Δ_t − Δ_{t−1}); Δ_t = the optimizer's step for grads (its state advances)."""
        for name, delta in self.opt.deltas(grads).items():
            self.opt.params[name] -= 2 * delta - self.prev[name]
            self.prev[name][...] = delta
        if self.project:
            self.project()


def simultaneous_step(players, grads_at):
    r"""θ_{t+1} = θ_t − Δ(F(θ_t)). grads_at() -> one dict per player, each with "grads"."""
    now = grads_at()
    for player, g in zip(players, now):
        player.step(g["grads"])
    return now


def extragradient_step(players, grads_at):
    r"""θ_{t+½} = θ_t − Δ(F(θ_t)) (state not committed);  θ_{t+1} = θ_t − Δ(F(θ_{t+½}))."""
    saved = [player.opt.save() for player in players]
    now = grads_at()
    for player, g in zip(players, now):                 # look-ahead, jointly
        player.step(g["grads"])
    ahead = grads_at()
    for player, s, g in zip(players, saved, ahead):    # back to θ_t, then the real step
        player.opt.restore(s)
        player.step(g["grads"])
    return now


def optimistic_step(players, grads_at):
    r"""θ_{t+1} = θ_t − (2Δ_t − Δ_{t−1}), Δ_t = Δ(F(θ_t))."""
    now = grads_at()
    for player, g in zip(players, now):
        player.optimistic_step(g["grads"])
    return now


JOINT = {"simultaneous": simultaneous_step, "extragradient": extragradient_step,
         "optimistic": optimistic_step}
assert ("alternating", *JOINT) == UPDATES        # the names config.py validates --update against
