"""minigan bench beside the PyTorch and JAX peers and the GEMM ceiling, on this machine.

    python docs/perf/compare.py --threads 1 --rounds 3 --out docs/perf/compare-1t.json

For every (loss, hidden, dtype) it runs, alternately and `--rounds` times, `minigan bench`,
the peers chosen with --peers (`docs/perf/torch_peer.py`, `docs/perf/jax_peer.py`; both with
the peers' Python: --peer-python, $MINIGAN_PEER_PYTHON or ~/peer-venv/bin/python) and
`docs/perf/gemm_floor.py`, all with the same iteration count, dtype and thread count
(OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = MKL_NUM_THREADS = --threads, and the peers' --threads;
the JAX peer turns it into a CPU affinity, see its docstring). Each round runs every program
once, the order rotated by one program per round, so each goes first equally often. Then it
prints the medians as a Markdown table: minigan it/s; for each peer its it/s, the ratio of the
medians and the lowest and highest ratio within one round; the GEMM ceiling and minigan's
fraction of it. The table's header names the BLAS kernel NumPy ran (threadpoolctl's
architecture, e.g. SkylakeX = AVX-512 or Haswell = AVX2, as `minigan bench --json` reports it)
and every change made to the environment; the JSON file also keeps the kernel-related variables
the programs saw.

--set VAR=VALUE / --unset VAR change the environment of all programs alike (note that
OPENBLAS_* reaches only NumPy — minigan and the GEMM ceiling: PyTorch brings MKL and oneDNN,
JAX its XLA kernels); --minigan-set VAR=VALUE only minigan's; --minigan-arg=--default-malloc
runs minigan without its allocator setting (minigan.memory.keep_freed_memory(), which the
`minigan` command applies). --table FILE prints the table of an earlier --out FILE again
(files written before the JAX peer existed give the torch columns only).
Not part of the package: PyTorch and JAX are only benchmark peers, never dependencies.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BENCH = HERE                      # the peers and gemm_floor.py live beside this file
PEERS = {"torch": "torch_peer.py", "jax": "jax_peer.py"}     # --peers name -> script
# variables that choose kernels or thread counts; their values as the programs saw them go to --out
KERNEL_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
               "MKL_NUM_THREADS", "MKL_ENABLE_INSTRUCTIONS", "ATEN_CPU_CAPABILITY", "XLA_FLAGS")


def busy_fraction(seconds=1.0):
    """Fraction of all CPUs busy over the next `seconds` (from /proc/stat; None elsewhere)."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]                  # total, idle + iowait
    try:
        t0, i0 = snap()
        time.sleep(seconds)
        t1, i1 = snap()
    except OSError:
        return None
    return 1 - (i1 - i0) / max(1, t1 - t0)


def wait_quiet(limit, patience):
    """Wait (up to `patience` s) until other programs use less than `limit` of the CPUs."""
    t0 = time.time()
    while True:
        b = busy_fraction()
        if b is None or b < limit or limit >= 1 or time.time() - t0 > patience:
            return b
        print(f"  machine busy ({100 * b:.0f} % of CPUs), waiting", file=sys.stderr, flush=True)
        time.sleep(10)


def run_json(cmd, env):
    """Run cmd, return the last stdout line parsed as JSON."""
    out = subprocess.run(cmd, env=env, cwd=REPO, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--losses", nargs="+", default=["gan", "wgan-gp"])
    p.add_argument("--hidden", nargs="+", type=int, default=[128, 512])
    p.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3, help="alternating runs of each program")
    p.add_argument("--seconds", type=float, default=4.0,
                   help="aim for runs of about this long (iterations from the GEMM ceiling)")
    p.add_argument("--peers", nargs="+", choices=list(PEERS), default=list(PEERS),
                   help="peers to run beside minigan")
    p.add_argument("--peer-python", default=os.environ.get(
        "MINIGAN_PEER_PYTHON", os.path.expanduser("~/peer-venv/bin/python")),
                   help="the Python that has torch (and jax, optax) installed")
    p.add_argument("--bench-dir", default=BENCH, help="folder of the peers and gemm_floor.py")
    p.add_argument("--set", action="append", default=[], metavar="VAR=VALUE")
    p.add_argument("--unset", action="append", default=[], metavar="VAR")
    p.add_argument("--minigan-set", action="append", default=[], metavar="VAR=VALUE",
                   help="set VAR for minigan bench only")
    p.add_argument("--minigan-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for minigan bench, e.g. --minigan-arg=--default-malloc")
    p.add_argument("--out", help="write every measurement to this JSON file")
    p.add_argument("--quiet-below", type=float, default=0.15,
                   help="before each run, wait until other programs use less than this fraction "
                        "of the CPUs (1 = never wait)")
    p.add_argument("--patience", type=float, default=900, help="longest wait for quiet, seconds")
    p.add_argument("--table", metavar="FILE",
                   help="print the table of an earlier --out FILE again, and run nothing")
    a = p.parse_args()
    if a.table:
        with open(a.table) as f:
            d = json.load(f)
        was = p.parse_args(d["argv"])
        print(table(d["rows"], was.threads, was.batch, was.depth, was.rounds, d["env_changes"],
                    d.get("seconds", 0)))
        return
    for name in a.peers:            # fail now, not after the first rows
        try:
            ok = subprocess.run([a.peer_python, "-c", f"import {name}"],
                                capture_output=True).returncode == 0
        except OSError:
            ok = False
        if not ok:
            p.error(f"--peer-python {a.peer_python} cannot import {name} (needed by --peers)")

    env = dict(os.environ)
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[k] = str(a.threads)
    for kv in a.set:
        k, v = kv.split("=", 1)
        env[k] = v
    for k in a.unset:
        env.pop(k, None)
    env["PYTHONPATH"] = REPO + os.pathsep + env.get("PYTHONPATH", "")   # this checkout's minigan

    env_mine = dict(env)
    for kv in a.minigan_set:
        k, v = kv.split("=", 1)
        env_mine[k] = v

    kernel_env = {k: env.get(k) for k in KERNEL_VARS}     # as minigan and the peers see them
    rows, t_start = [], time.time()
    for loss in a.losses:
        for hidden in a.hidden:
            for dtype in a.dtypes:
                shape = ["--loss", loss, "--hidden", str(hidden), "--depth", str(a.depth),
                         "--batch", str(a.batch)]
                floor_cmd = [sys.executable, os.path.join(a.bench_dir, "gemm_floor.py"), *shape,
                             "--dtype", dtype]
                ceiling0 = run_json(floor_cmd, env)["iters_per_s_ceiling"]
                iters = int(min(400, max(10, a.seconds * ceiling0 * 0.3)))
                warmup = max(3, min(20, iters // 10))
                common = [*shape, "--dtype", dtype, "--iters", str(iters), "--warmup", str(warmup)]
                # program -> (command, environment)
                programs = {"minigan": ([sys.executable, "-m", "minigan", "bench", *common,
                                         "--json", *a.minigan_arg], env_mine)}
                for name in a.peers:
                    programs[name] = ([a.peer_python, os.path.join(a.bench_dir, PEERS[name]),
                                       *common, "--threads", str(a.threads)], env)
                names = list(programs)
                speeds = {name: [] for name in names}        # it/s of each round
                last = {}                                    # each program's last JSON line
                c, busy = [], []
                for r in range(a.rounds):     # every program once; who goes first rotates
                    k = r % len(names)
                    for name in names[k:] + names[:k]:
                        busy.append(wait_quiet(a.quiet_below, a.patience))
                        cmd, run_env = programs[name]
                        last[name] = run_json(cmd, run_env)
                        speeds[name].append(last[name]["iters_per_s"])
                    c.append(run_json(floor_cmd, env)["iters_per_s_ceiling"])
                info = last["minigan"]
                # "programs": the order of round 0; round r starts with the r-th (mod their number)
                row = {"loss": loss, "hidden": hidden, "dtype": dtype, "threads": a.threads,
                       "iters": iters, "rounds": a.rounds, "programs": names, "peers": a.peers,
                       **speeds, "ceiling": c, "busy_before_runs": busy,
                       **{f"{name}_median": statistics.median(v) for name, v in speeds.items()},
                       "ceiling_median": statistics.median(c), "blas": info.get("blas"),
                       "blas_version": info.get("blas_version"), "blas_arch": info.get("blas_arch"),
                       "blas_threads": info.get("threads"), "numpy": info.get("numpy")}
                if "jax" in last:
                    row.update(jax_version=last["jax"]["jax"], optax_version=last["jax"]["optax"],
                               jax_cpus=last["jax"]["threads"])
                rows.append(row)
                print(f"  {loss} {hidden} {dtype}: "
                      + ", ".join(f"{name} {row[name + '_median']:.1f}" for name in names)
                      + f", ceiling {row['ceiling_median']:.1f} it/s", file=sys.stderr, flush=True)

    changed = [f"{kv}" for kv in a.set] + [f"{k} unset" for k in a.unset] + \
              [f"{kv} for minigan only" for kv in a.minigan_set] + \
              [f"minigan bench {arg}" for arg in a.minigan_arg]
    print(table(rows, a.threads, a.batch, a.depth, a.rounds, changed, time.time() - t_start))
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"argv": sys.argv[1:], "env_changes": changed, "env": kernel_env,
                       "blas_arch": rows[0]["blas_arch"], "rows": rows,
                       "seconds": time.time() - t_start}, f, indent=1)


def table(rows, threads, batch, depth, rounds, changed, seconds):
    """The Markdown table (with a one-line header) of the measured rows."""
    r0 = rows[0]
    peers = r0.get("peers", ["torch"])        # files from before the JAX peer: torch only
    versions = (f"; jax {r0['jax_version']}, optax {r0['optax_version']}"
                if "jax_version" in r0 else "")
    lines = [f"{threads} thread(s), batch {batch}, depth {depth}, median of {rounds} alternating "
             f"runs; numpy {r0['numpy']}, {r0['blas']} {r0['blas_version']}, "
             f"NumPy's BLAS kernel: {r0['blas_arch']}{versions}; "
             + (f"changes: {', '.join(changed)}" if changed else "environment unchanged")
             + (f"; {seconds:.0f} s" if seconds else ""), ""]
    head = "| loss | hidden | dtype | minigan it/s |"
    for name in peers:
        head += f" {name} it/s | minigan / {name} | per round |"
    head += " GEMM ceiling it/s | minigan / ceiling |"
    lines += [head, "|" + "---|" * head.count(" |")]
    for r in rows:
        mm, cc = r["minigan_median"], r["ceiling_median"]
        line = f"| {r['loss']} | {r['hidden']} | {r['dtype']} | {mm:.1f} |"
        for name in peers:
            pm = r[f"{name}_median"]
            per_round = [m / t for m, t in zip(r["minigan"], r[name])]   # same round
            line += (f" {pm:.1f} | **{mm / pm:.2f}×** | "
                     f"{min(per_round):.2f}–{max(per_round):.2f}× |")
        lines.append(line + f" {cc:.1f} | {100 * mm / cc:.0f} % |")
    return "\n" + "\n".join(lines)


if __name__ == "__main__":
    main()
