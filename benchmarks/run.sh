#!/usr/bin/env bash
# Runs every criterion bench five times (saved as baselines run1…run5) with short
# warm-up and measurement times (the codegen scaling group takes ten samples per
# size and run), then prints the tables for BENCHMARKS.md and redraws the scaling
# plot. Five short runs spread over minutes say more about a
# shared, noisy machine than one long run.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
timing=(--warm-up-time "${WARM_UP:-1}" --measurement-time "${MEASURE:-2}")

cargo bench -p benchmarks --no-run
for run in $(seq 1 "$runs"); do
    for bench in decode client; do
        cargo bench -q -p benchmarks --bench "$bench" -- "${timing[@]}" --save-baseline "run$run"
    done
    cargo bench -q -p benchmarks --bench codegen -- "${timing[@]}" --save-baseline "run$run"
done

baselines=$(seq -s, -f 'run%g' 1 "$runs")
cargo run -q -p benchmarks --bin bench-report -- --baselines "$baselines" \
    --plot benchmarks/codegen-scaling.svg
