//! Generator speed: `codegen::generate` against progenitor from the same spec text to
//! formatted source, and how `codegen::generate` scales with the number of intents.

use benchmarks::progenitor_source::progenitor_source;
use benchmarks::synthetic::{SPEC, synthetic_spec};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;

/// Both generators go from spec text to formatted Rust text, no cargo.
fn real_spec(c: &mut Criterion) {
    let mut group = c.benchmark_group("codegen/real-spec");
    group.bench_function("gigs-codegen", |b| {
        b.iter(|| codegen::generate(black_box(SPEC), "spec/connect-sessions.json").unwrap())
    });
    group.bench_function("progenitor", |b| {
        b.iter(|| progenitor_source(black_box(SPEC)))
    });
    group.finish();
}

/// Synthetic specs of growing size; the 5,000-intent spec is the target's yardstick.
fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("codegen/scaling");
    // The top end takes seconds per run: ten samples of one run each (flat
    // sampling; linear sampling would run the largest spec 55 times).
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    for intents in [10, 100, 1000, 5000] {
        let spec = synthetic_spec(intents);
        group.bench_with_input(BenchmarkId::new("intents", intents), &spec, |b, spec| {
            b.iter(|| codegen::generate(spec, "synthetic").unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, real_spec, scaling);
criterion_main!(benches);
