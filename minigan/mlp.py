r"""A multilayer perceptron: Linear → f → Linear → f → … → Linear, with a hand-written backward.

    G = MLP([2, 128, 128, 2], rng=rng)      # noise (N, 2) -> samples (N, 2)
    D = MLP([2, 128, 128, 1], rng=rng)      # samples (N, 2) -> logits (N, 1)

The output layer is linear: D returns logits (or critic values), G returns raw samples.

The generator step back-propagates *through* D into G without touching D's parameters:

    y, cache = D.forward(G_out)
    dx, _ = D.backward(dlogits, cache, need_params=False)   # ∂loss/∂G_out only

and the discriminator step needs D's parameter gradients but not ∂loss/∂x:

    _, grads = D.backward(dlogits, cache, need_dx=False)

A layer that is neither Linear nor an activation can be put between two hidden layers with
``extra={l: layer}`` (after hidden layer l's activation): the minibatch-std layer of
remedies/mbstd.py is one. It follows the layer contract (forward → (out, cache), backward →
(dx, {})), has no parameters, and says how many features it appends (``layer.width``).
"""
import numpy as np

from .layers import ACTIVATIONS, Activation, Linear, as_dtype

HE_INIT = ("relu", "leaky_relu", "softplus")   # ReLU-family: He init (Glorot for the rest)


class MLP:
    r"""MLP(sizes, activation, rng, dtype): sizes = [D, H₁, …, H_{L−1}, out].

    Forward: h₀ = x, a_l = h_{l−1}·W_l + b_l, h_l = f(a_l) for l < L, y = a_L.
    Backward: δ_L = dy, dW_l = h_{l−1}ᵀ·δ_l, db_l = Σ_n δ_l, δ_{l−1} = (δ_l·W_lᵀ) ⊙ f′(a_{l−1}).

    ``params`` is a dict W1, b1, …, WL, bL of the live arrays (an optimizer that updates them
    in place updates the network); they are views into one flat vector ``theta`` (θ), in that
    order. Inputs are cast to the network's dtype. ``extra``: {l: layer} inserted after hidden
    layer l (1 ≤ l < L), which widens the input of Linear l + 1 by ``layer.width``.
    """

    def __init__(self, sizes, activation="relu", rng=None, dtype=np.float64, slope=0.2, extra=None):
        if rng is None:
            raise ValueError("MLP needs rng=np.random.default_rng(seed): randomness is passed in")
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least 2 positive widths, got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        self.sizes, self.activation, self.dtype = sizes, activation, as_dtype(dtype)
        hidden_init = "he" if activation in HE_INIT else "glorot"
        extra = extra or {}
        n_linear = len(sizes) - 1
        if not set(extra) <= set(range(1, n_linear)):
            raise ValueError(f"extra layers go after hidden layers 1 to {n_linear - 1}, got {sorted(extra)}")
        self.layers, self.params = [], {}
        for l in range(1, n_linear + 1):
            last = l == n_linear
            fan_in = sizes[l - 1] + (extra[l - 1].width if l - 1 in extra else 0)
            lin = Linear(fan_in, sizes[l], rng, "glorot" if last else hidden_init, self.dtype)
            self.layers.append(lin)
            self.params[f"W{l}"], self.params[f"b{l}"] = lin.params["W"], lin.params["b"]
            if not last:
                act = ACTIVATIONS[activation]
                self.layers.append(act(slope) if activation == "leaky_relu" else act())
                if l in extra:
                    self.layers.append(extra[l])
        self.flatten()

    def flatten(self):
        """θ: every parameter in one flat vector (the θ_d or θ_g of the papers), with W1, b1, …
        as views into it, in that order."""
        self.theta = np.empty(sum(p.size for p in self.params.values()), self.dtype)
        i = 0
        for l, lin in enumerate(self.linears, start=1):
            for key in ("W", "b"):
                p = lin.params[key]
                view = self.theta[i:i + p.size].reshape(p.shape)
                view[...] = p
                lin.params[key] = self.params[f"{key}{l}"] = view
                i += p.size

    @property
    def linears(self):
        """The Linear layers, in order (layer l of the docstring is linears[l − 1])."""
        return [layer for layer in self.layers if isinstance(layer, Linear)]

    @property
    def activations(self):
        """The activation layers, in order (activations[l − 1] follows linears[l − 1])."""
        return [layer for layer in self.layers if isinstance(layer, Activation)]

    def _check_input(self, x):
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"MLP expects input of shape (N, {self.sizes[0]}), got {x.shape}")
        return x.astype(self.dtype, copy=False)

    def forward(self, x):
        r"""x: (N, D) -> y: (N, out), cache: one entry per layer (aligned with ``layers``)."""
        h = self._check_input(x)
        cache = []
        for layer in self.layers:
            h, c = layer.forward(h)
            cache.append(c)
        return h, cache

    def __call__(self, x):
        """y = MLP(x), no cache kept: for sampling and plotting."""
        return self.forward(x)[0]

    def backward(self, dy, cache, need_params=True, need_dx=True):
        r"""dy: (N, out) -> (dx (N, D) or None, grads keyed like params or {}).

        need_params=False skips every dW, db (the G step's pass through D);
        need_dx=False skips the last product δ₁·W₁ᵀ (the D step's own update).
        """
        N = cache[0].shape[0]
        if dy.shape != (N, self.sizes[-1]):
            raise ValueError(f"MLP.backward expects dy of shape ({N}, {self.sizes[-1]}), "
                             f"got {dy.shape}")
        grads, d, l = {}, dy, len(self.sizes) - 1          # l: the Linear layer reached, L down to 1
        for i in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[i]
            if isinstance(layer, Linear):
                if need_params:
                    g = layer.param_grads(d, cache[i])
                    grads[f"W{l}"], grads[f"b{l}"] = g["W"], g["b"]
                if i == 0 and not need_dx:
                    return None, grads
                d = layer.input_grad(d)
                l -= 1
            else:
                d, _ = layer.backward(d, cache[i])
        return d, grads

    def load_params(self, values):
        """Copy arrays into the live params (shapes must match). values: dict like params."""
        for k, p in self.params.items():
            if k not in values:
                raise ValueError(f"missing parameter {k!r}")
            v = np.asarray(values[k])
            if v.shape != p.shape:
                raise ValueError(f"parameter {k}: expected shape {p.shape}, got {v.shape}")
            p[...] = v

    def n_params(self):
        return sum(p.size for p in self.params.values())
