//! Decode and encode `ConnectSession` with our types, with progenitor's types from
//! the same spec, and the floor: serde_json reading the same bytes into `IgnoredAny`.

use benchmarks::progenitor_client::types as progenitor;
use benchmarks::samples::{self, Sample};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gigs_connect::types as ours;
use serde::de::{DeserializeOwned, IgnoredAny};
use std::hint::black_box;

/// Decodes every sample into `T`; panics on failure, since a decoder that fails on
/// an input would otherwise look fast.
fn decode_all<T: DeserializeOwned>(samples: &[Sample]) -> Vec<T> {
    samples
        .iter()
        .map(|sample| {
            serde_json::from_slice(black_box(&sample.json))
                .unwrap_or_else(|e| panic!("{} does not decode: {e}", sample.name))
        })
        .collect()
}

fn encode_all<T: serde::Serialize>(values: &[T]) -> usize {
    values
        .iter()
        .map(|value| serde_json::to_vec(black_box(value)).unwrap().len())
        .sum()
}

/// One throughput group per input set, each with the same five contenders.
fn bench_set(c: &mut Criterion, name: &str, samples: &[Sample]) {
    let mut group = c.benchmark_group(format!("decode/{name}"));
    group.throughput(Throughput::Bytes(samples::total_bytes(samples)));
    group.bench_function("gigs-connect", |b| {
        b.iter(|| decode_all::<ours::ConnectSession>(samples))
    });
    group.bench_function("progenitor", |b| {
        b.iter(|| decode_all::<progenitor::ConnectSession>(samples))
    });
    group.bench_function("floor-ignored-any", |b| {
        b.iter(|| decode_all::<IgnoredAny>(samples))
    });
    group.finish();

    // Encoding is measured on the bytes each type writes back, so each side's
    // throughput is over its own output.
    let ours = decode_all::<ours::ConnectSession>(samples);
    let theirs = decode_all::<progenitor::ConnectSession>(samples);
    let mut group = c.benchmark_group(format!("encode/{name}"));
    group.throughput(Throughput::Bytes(encode_all(&ours) as u64));
    group.bench_function("gigs-connect", |b| b.iter(|| encode_all(&ours)));
    group.throughput(Throughput::Bytes(encode_all(&theirs) as u64));
    group.bench_function("progenitor", |b| b.iter(|| encode_all(&theirs)));
    group.finish();
}

fn decode_and_encode(c: &mut Criterion) {
    let seeds = samples::seed_sessions();
    let per_intent = samples::per_intent_sessions();
    let all: Vec<Sample> = samples::seed_sessions()
        .into_iter()
        .chain(samples::per_intent_sessions())
        .collect();
    bench_set(c, "all-18-sessions", &all);
    bench_set(c, "seeds", &seeds);
    bench_set(c, "one-per-intent", &per_intent);
    bench_set(c, "all-keys", &[samples::all_keys_session()]);
}

criterion_group!(benches, decode_and_encode);
criterion_main!(benches);
