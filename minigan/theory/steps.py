r"""The two gradient steps the theory lab needs: the trainer's own, on any D and G.

    d_step(D, opt, x_real, x_fake)        one update of D on a real and a fake batch
    g_grad(G, D, z, g_loss)               ∇θ_G of a generator loss, back-propagated through D

Both call the functions ``Trainer`` itself uses (train.py), so the lab checks the very code
that trains: there is one D step and one G gradient in minigan.
"""
from ..losses import d_gan
from ..train import discriminator_grads, generator_grads


def d_step(D, opt, x_real, x_fake, loss=d_gan):
    r"""One descent step of D on ``loss(D(x_real), D(x_fake))`` (default −V, i.e. ascent on V).

    x_real, x_fake: (N, D). Returns the loss value before the step.
    """
    d = discriminator_grads(D, loss, x_real, x_fake)
    opt.step(d.grads)
    return d.value


def g_grad(G, D, z, g_loss):
    r"""Gradient of the generator loss g_loss(D(G(z))) with respect to G's parameters.

    z: (N, Z). Returns (loss value, grads keyed like G.params, D's logits t (N, 1)).
    """
    g = generator_grads(G, D, g_loss, z)
    return g.value, g.grads, g.logits
