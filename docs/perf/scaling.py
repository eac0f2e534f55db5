"""How the cost of one training iteration grows with the hidden width H and the batch B.

    python docs/perf/scaling.py --threads 2 --out docs/perf/scaling

Runs `minigan bench --json` for H = 64…1024 (at batch 256) and B = 64…1024 (at hidden 128),
prints a Markdown table and writes OUT.json and OUT.png (log-log, with slope-2 and slope-1
guides). The last column divides the time per iteration by B·H²·depth: it settles to a
constant once the matrix products dominate, which is the O(B·H²·depth) cost per iteration; at
small sizes it is larger, because the fixed cost of a NumPy call (~1 µs, a few hundred calls
per iteration) does not shrink with the arrays. --peer also times docs/perf/torch_peer.py.
"""
import argparse
import json
import os
import sys

from compare import run_json      # docs/perf/compare.py, beside this file

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PEER = os.path.join(HERE, "torch_peer.py")      # the PyTorch peer, beside this file


def rate(cmd, env):
    return run_json(cmd, env)["iters_per_s"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loss", default="gan")
    p.add_argument("--dtype", default="float64")
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--hidden", nargs="+", type=int, default=[64, 128, 256, 512, 1024])
    p.add_argument("--batch", nargs="+", type=int, default=[64, 128, 256, 512, 1024])
    p.add_argument("--base-hidden", type=int, default=128, help="hidden width of the batch sweep")
    p.add_argument("--base-batch", type=int, default=256, help="batch of the hidden sweep")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=3.0, help="aim for runs of about this long")
    p.add_argument("--peer", action="store_true", help="also time the torch peer")
    p.add_argument("--peer-python", default=os.environ.get(
        "MINIGAN_PEER_PYTHON", os.path.expanduser("~/peer-venv/bin/python")))
    p.add_argument("--out", help="write OUT.json and OUT.png")
    p.add_argument("--minigan-set", action="append", default=[], metavar="VAR=VALUE",
                   help="set VAR for minigan bench only (e.g. MALLOC_TOP_PAD_=67108864)")
    a = p.parse_args()
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[k] = str(a.threads)

    env_mine = dict(env, **dict(kv.split("=", 1) for kv in a.minigan_set))
    points = [("hidden", h, a.base_batch) for h in a.hidden] + \
             [("batch", a.base_hidden, b) for b in a.batch]
    rows = []
    for sweep, H, B in points:
        shape = ["--loss", a.loss, "--hidden", str(H), "--depth", str(a.depth), "--batch", str(B),
                 "--dtype", a.dtype]
        mine = [sys.executable, "-m", "minigan", "bench", *shape, "--json"]
        guess = rate(mine + ["--iters", "3", "--warmup", "1"], env_mine)        # calibrate the length
        iters = int(min(500, max(5, a.seconds * guess)))
        runs = ["--iters", str(iters), "--warmup", str(max(2, min(20, iters // 10)))]
        row = {"sweep": sweep, "hidden": H, "batch": B, "iters": iters,
               "minigan": rate(mine + runs, env_mine)}
        if a.peer:
            row["torch"] = rate([a.peer_python, PEER, *shape, *runs, "--threads", str(a.threads)], env)
        row["ns_per_unit"] = 1e9 / row["minigan"] / (B * H * H * a.depth)
        rows.append(row)
        print(f"  {sweep}: H {H} B {B}: {row['minigan']:.1f} it/s", file=sys.stderr, flush=True)

    extra = "".join(f"; {kv} for minigan" for kv in a.minigan_set)
    print(f"\n{a.loss}, {a.dtype}, depth {a.depth}, {a.threads} thread(s){extra}\n")
    head = "| sweep | hidden H | batch B | minigan it/s | ms / iteration |"
    head += " torch it/s | minigan / torch |" if a.peer else ""
    print(head + " ns per B·H²·depth |")
    print("|---" * (head.count("|") - 1 + 1) + "|")
    for r in rows:
        line = f"| {r['sweep']} | {r['hidden']} | {r['batch']} | {r['minigan']:.1f} | {1e3 / r['minigan']:.2f} |"
        if a.peer:
            line += f" {r['torch']:.1f} | {r['minigan'] / r['torch']:.2f}× |"
        print(line + f" {r['ns_per_unit']:.3f} |")
    if a.out:
        with open(a.out + ".json", "w") as f:
            json.dump({"argv": sys.argv[1:], "rows": rows}, f, indent=1)
        plot(rows, a, a.out + ".png")


def plot(rows, a, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, sweep, slope, label in ((axes[0], "hidden", 2, "hidden width H"),
                                     (axes[1], "batch", 1, "batch B")):
        rs = [r for r in rows if r["sweep"] == sweep]
        xs = [r[sweep] for r in rs]
        ax.loglog(xs, [1e3 / r["minigan"] for r in rs], "o-", label="minigan")
        if a.peer:
            ax.loglog(xs, [1e3 / r["torch"] for r in rs], "s--", label="torch peer")
        y_last = 1e3 / rs[-1]["minigan"]
        ax.loglog(xs, [y_last * (x / xs[-1]) ** slope for x in xs], ":", color="gray",
                  label=f"∝ {label.split()[-1]}{'²' if slope == 2 else ''}")
        ax.set_xlabel(label)
        ax.set_ylabel("ms per iteration")
        fixed = f"B = {a.base_batch}" if sweep == "hidden" else f"H = {a.base_hidden}"
        ax.set_title(f"{a.loss}, {a.dtype}, depth {a.depth}, {fixed}, {a.threads} thread(s)")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
