r"""GAN losses in logit space, each with its gradient with respect to the logits.

D's output is a logit t (D(x) = σ(t)) for the ``gan``/``nsgan`` losses and a raw score for
``wgan``, ``lsgan`` and ``hinge``. Every loss here is a quantity its player *minimises*.
Working with logits and the stable primitives

    log σ(t) = −softplus(−t),   log(1 − σ(t)) = −softplus(t),   softplus(t) = logaddexp(0, t)

keeps values and gradients finite for |t| up to 1e4 in float32 and float64 (no log(σ + 1e-8)).

Discriminator losses take (real, fake) logits and return ``DLoss(value, d_real, d_fake)``;
generator losses take fake logits and return ``GLoss(value, d_fake)``. Named fields, so a
caller cannot swap the gradients by unpacking in the wrong order. Logits: (N, 1) or (N,);
each gradient has the shape of its input; means are over the batch N.
"""
from dataclasses import dataclass

import numpy as np

from .layers import sigmoid


@dataclass(frozen=True)
class DLoss:
    value: float           # the loss D minimises
    d_real: np.ndarray     # ∂value/∂(real logits)
    d_fake: np.ndarray     # ∂value/∂(fake logits)


@dataclass(frozen=True)
class GLoss:
    value: float           # the loss G minimises
    d_fake: np.ndarray     # ∂value/∂(fake logits)


def softplus(t):
    r"""softplus(t) = log(1 + eᵗ), stable for any t."""
    return np.logaddexp(0, t)


def _mean(x):
    return float(np.mean(x, dtype=np.float64))


# --- the minimax game (Goodfellow et al. 2014, Eq. 1) --------------------------------------

def d_gan(real, fake):
    r"""−V(D, G) = −E log D(x) − E log(1 − D(G(z))) = E softplus(−t_r) + E softplus(t_f).

    ∂/∂t_r = (σ(t_r) − 1)/N = −σ(−t_r)/N,   ∂/∂t_f = σ(t_f)/N.   (Minimising −V is D's ascent on V.)
    The form −σ(−t) keeps full relative precision where σ(t) rounds to 1 (t ≳ 17 in float32).
    """
    Nr, Nf = len(real), len(fake)
    value = _mean(softplus(-real)) + _mean(softplus(fake))
    return DLoss(value, -sigmoid(-real) / Nr, sigmoid(fake) / Nf)


def g_saturating(fake):
    r"""E log(1 − D(G(z))) = −E softplus(t_f)   (Eq. 1, the G player's side of V).

    ∂/∂t_f = −σ(t_f)/N. When D confidently rejects fakes (t_f ≪ 0) this gradient → 0:
    the saturation that the non-saturating loss avoids.
    """
    return GLoss(-_mean(softplus(fake)), -sigmoid(fake) / len(fake))


def g_nonsaturating(fake):
    r"""−E log D(G(z)) = E softplus(−t_f)   (Goodfellow et al. 2014, §3).

    ∂/∂t_f = (σ(t_f) − 1)/N = −σ(−t_f)/N: close to −1/N exactly when D rejects the fakes.
    """
    return GLoss(_mean(softplus(-fake)), -sigmoid(-fake) / len(fake))


# --- Wasserstein (Arjovsky et al. 2017, Algorithm 1) -----------------------------------------

def d_wgan(real, fake):
    r"""Critic loss E f(G(z)) − E f(x) (the negative of the W1 estimate).

    ∂/∂f_r = −1/N,   ∂/∂f_f = +1/N.
    """
    Nr, Nf = len(real), len(fake)
    return DLoss(_mean(fake) - _mean(real),
                 np.full_like(real, -1.0 / Nr), np.full_like(fake, 1.0 / Nf))


def g_wgan(fake):
    r"""−E f(G(z));   ∂/∂f_f = −1/N."""
    return GLoss(-_mean(fake), np.full_like(fake, -1.0 / len(fake)))


# --- least squares (Mao et al. 2017, a = 0, b = c = 1) ---------------------------------------

def d_lsgan(real, fake):
    r"""½E(D(x) − 1)² + ½E D(G(z))²;   ∂/∂D(x) = (D(x) − 1)/N,   ∂/∂D(G(z)) = D(G(z))/N."""
    Nr, Nf = len(real), len(fake)
    return DLoss(0.5 * _mean((real - 1) ** 2) + 0.5 * _mean(fake ** 2), (real - 1) / Nr, fake / Nf)


def g_lsgan(fake):
    r"""½E(D(G(z)) − 1)²;   ∂/∂D(G(z)) = (D(G(z)) − 1)/N."""
    return GLoss(0.5 * _mean((fake - 1) ** 2), (fake - 1) / len(fake))


# --- hinge (Lim & Ye 2017; Miyato et al. 2018) -----------------------------------------------

def d_hinge(real, fake):
    r"""E max(0, 1 − D(x)) + E max(0, 1 + D(G(z))).

    ∂/∂D(x) = −1[D(x) < 1]/N,   ∂/∂D(G(z)) = 1[D(G(z)) > −1]/N.
    """
    Nr, Nf = len(real), len(fake)
    value = _mean(np.maximum(0, 1 - real)) + _mean(np.maximum(0, 1 + fake))
    return DLoss(value, -(real < 1).astype(real.dtype) / Nr, (fake > -1).astype(fake.dtype) / Nf)


def g_hinge(fake):
    r"""−E D(G(z)) (the generator side of the hinge game);   ∂/∂D(G(z)) = −1/N."""
    return g_wgan(fake)


# name -> (discriminator loss, generator loss); wgan-gp adds a penalty to d_wgan in the trainer
LOSSES = {
    "gan": (d_gan, g_saturating),
    "nsgan": (d_gan, g_nonsaturating),
    "lsgan": (d_lsgan, g_lsgan),
    "hinge": (d_hinge, g_hinge),
    "wgan": (d_wgan, g_wgan),
    "wgan-gp": (d_wgan, g_wgan),
}
