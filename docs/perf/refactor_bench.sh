#!/bin/bash
# The 0.4.0 refactor against 0.3.1: BEFORE=a checkout of 0.3.1, AFTER=this one (absolute paths);
# median of 5 alternating pairs per row, pinned to core 0, one BLAS thread. Result committed as
# docs/perf/refactor-0.4.0-vs-0.3.1.jsonl.
# median of 5 alternating pairs, pinned to core 0, one BLAS thread
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
out=${OUT:-bench.jsonl}; : > $out
for row in "gan 128 float64 300" "gan 128 float32 300" "gan 512 float64 60" "gan 512 float32 60" "wgan-gp 128 float64 40" "wgan-gp 128 float32 40" "wgan 128 float64 60"; do
  set -- $row
  for i in 1 2 3 4 5; do
    for who in before after; do
      if [ $who = before ]; then src=${BEFORE:-/tmp/before}; else src=${AFTER:-.}; fi
      r=$(cd /tmp && PYTHONPATH=$src taskset -c 0 python -m minigan bench --json --loss $1 --hidden $2 --dtype $3 --iters $4 --warmup 10 2>/dev/null)
      echo "{\"who\": \"$who\", \"row\": \"$1-$2-$3\", \"r\": $r}" >> $out
    done
  done
done
echo done
