r"""PacGAN packing (Lin, Khetan, Fanti, Oh 2018; docs/references.md §9).

D judges p samples at once (p, the pack size, is PacGAN's m; here m stays Algorithm 1's batch):
p consecutive rows of a batch, all real or all generated, are concatenated into one row of
width p·D, and D returns one decision for the pack. G is unchanged.
A collapsed G makes packs of near-identical samples, which real packs never are; this is how
packing penalises mode collapse (through the product law of p samples, the paper's argument).

Packing is a reshape, so its backward is the inverse reshape:

    pack:    x (N, D) -> (N/p, p·D),   row r = [x_{rp}, x_{rp+1}, …, x_{rp+p−1}]
    unpack:  dx (N/p, p·D) -> (N, D)   (the gradient of each sample is its slice of its pack's)

p = 1 returns the array itself. The losses average over the N/p packs, so the batch must hold
a whole number of packs (config.py refuses a pack size that does not divide --batch).
"""


def pack(x, p):
    r"""x: (N, D) -> (N/p, p·D), p consecutive rows side by side; N must be divisible by p."""
    N, D = x.shape
    if N % p:
        raise ValueError(f"cannot pack {N} rows in packs of {p}")
    return x.reshape(N // p, p * D)                     # (N/p, p·D)


def unpack(dx, p):
    r"""The backward of ``pack``: dx (N/p, p·D) -> (N, D)."""
    n_packs, width = dx.shape
    return dx.reshape(n_packs * p, width // p)          # (N, D)


def copies(x, p):
    r"""Each point packed with p − 1 copies of itself: x (N, D) -> (N, p·D).

    What "D(x) at a point" means for a packed D (Discriminator.at_points): the pack of a sample
    repeated p times, the pack a collapsed G at x would make.
    """
    N, D = x.shape
    return x.repeat(p, axis=0).reshape(N, p * D)        # (N, p·D)
