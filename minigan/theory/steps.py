r"""The two gradient steps the theory lab needs, written out once (Goodfellow et al. 2014, Alg. 1).

    d_step(D, opt, x_real, x_fake)        one update of D on a real and a fake batch
    g_grad(G, D, z, g_loss)               ∇θ_G of a generator loss, back-propagated through D

D is run twice per step (real batch, fake batch), each pass with its own cache; the two
parameter gradients are summed because the loss is a sum of a real and a fake term.
"""
import numpy as np

from ..losses import d_gan


def d_step(D, opt, x_real, x_fake, loss=d_gan):
    r"""One descent step of D on ``loss(D(x_real), D(x_fake))`` (default −V, i.e. ascent on V).

    x_real: (N, D); x_fake: (M, D). Returns the loss value before the step.
    """
    t_real, c_real = D.forward(x_real)                     # (N, 1)
    t_fake, c_fake = D.forward(x_fake)                     # (M, 1)
    L = loss(t_real, t_fake)
    _, g_real = D.backward(L.d_real, c_real, need_dx=False)
    _, g_fake = D.backward(L.d_fake, c_fake, need_dx=False)
    opt.step({k: g_real[k] + g_fake[k] for k in g_real})
    return L.value


def g_grad(G, D, z, g_loss):
    r"""Gradient of the generator loss g_loss(D(G(z))) with respect to G's parameters.

    Chain rule: ∂L/∂θ_G = (∂x/∂θ_G)ᵀ · ∇ₓ t(x) · ∂L/∂t at x = G(z). D's parameters are not
    touched (need_params=False), G's input gradient is not needed (need_dx=False).
    z: (N, Z). Returns (loss value, grads keyed like G.params, D's logits t (N, 1)).
    """
    x, c_G = G.forward(z)                                  # (N, D)
    t, c_D = D.forward(x)                                  # (N, 1)
    L = g_loss(t)
    dx, _ = D.backward(L.d_fake, c_D, need_params=False)   # (N, D)
    _, grads = G.backward(dx, c_G, need_dx=False)
    return L.value, grads, t


def global_norm(grads):
    r"""‖g‖ = √(Σ_k ‖g_k‖²) over every parameter array of a grads dict."""
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
