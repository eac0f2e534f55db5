r"""PacGAN packing (Lin, Khetan, Fanti, Oh 2018; docs/references.md §9).

D judges m samples at once: m consecutive rows of a batch, all real or all generated, are
concatenated into one row of width m·D, and D returns one decision for the pack. G is unchanged.
A collapsed G makes packs of near-identical samples, which real packs never are; this is how
packing penalises mode collapse (through the product law of m samples, the paper's argument).

Packing is a reshape, so its backward is the inverse reshape:

    pack:    x (N, D) -> (N/m, m·D),   row r = [x_{rm}, x_{rm+1}, …, x_{rm+m−1}]
    unpack:  dx (N/m, m·D) -> (N, D)   (the gradient of each sample is its slice of its pack's)

m = 1 returns the array itself. The losses average over the N/m packs, so the batch must hold
a whole number of packs (config.py refuses a pack size that does not divide --batch).
"""


def pack(x, m):
    r"""x: (N, D) -> (N/m, m·D), m consecutive rows side by side; N must be divisible by m."""
    N, D = x.shape
    if N % m:
        raise ValueError(f"cannot pack {N} rows in packs of {m}")
    return x.reshape(N // m, m * D)                     # (N/m, m·D)


def unpack(dx, m):
    r"""The backward of ``pack``: dx (N/m, m·D) -> (N, D)."""
    P, mD = dx.shape
    return dx.reshape(P * m, mD // m)                   # (N, D)


def copies(x, m):
    r"""Each point packed with m − 1 copies of itself: x (N, D) -> (N, m·D).

    What "D(x) at a point" means for a packed D (Discriminator.at_points): the pack of a sample
    repeated m times, the pack a collapsed G at x would make.
    """
    N, D = x.shape
    return x.repeat(m, axis=0).reshape(N, m * D)        # (N, m·D)
