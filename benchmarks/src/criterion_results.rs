//! Reads criterion's saved results (`target/criterion/**/<baseline>/sample.json`) so
//! the report can show each figure as a median with min–max over several runs.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// criterion's `benchmark.json`: which benchmark a result folder holds.
#[derive(Deserialize)]
struct BenchmarkId {
    full_id: String,
    throughput: Option<Throughput>,
}

/// What one iteration processes, as criterion records it.
#[derive(Clone, Copy, Debug, Deserialize)]
pub enum Throughput {
    Bytes(u64),
    Elements(u64),
}

/// criterion's `sample.json`: per sample, the iteration count and total nanoseconds.
#[derive(Deserialize)]
struct Sample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// Nanoseconds per iteration for one benchmark: one value per saved run (the median
/// of that run's samples), or, when it was run once, one value per sample.
#[derive(Clone, Debug)]
pub struct Figure {
    pub values: Vec<f64>,
    pub per: Spread,
    /// The baseline each value comes from, when `per` is `Runs`.
    pub runs: Vec<String>,
    pub throughput: Option<Throughput>,
}

/// What a figure's values are spread over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    Runs,
    Samples,
}

impl Figure {
    pub fn median(&self) -> f64 {
        median(&self.values)
    }
    pub fn min(&self) -> f64 {
        self.values.iter().copied().fold(f64::INFINITY, f64::min)
    }
    pub fn max(&self) -> f64 {
        self.values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// All results under `criterion_dir` saved as any of `baselines`, by benchmark id
/// (`decode/all-18-sessions/gigs-connect`).
pub fn load(criterion_dir: &Path, baselines: &[String]) -> BTreeMap<String, Figure> {
    let mut runs: BTreeMap<String, Vec<(String, Vec<f64>)>> = BTreeMap::new();
    let mut throughputs: BTreeMap<String, Throughput> = BTreeMap::new();
    for folder in folders(criterion_dir) {
        for baseline in baselines {
            let saved = folder.join(baseline);
            let (Some(id), Some(sample)) = (
                read::<BenchmarkId>(&saved.join("benchmark.json")),
                read::<Sample>(&saved.join("sample.json")),
            ) else {
                continue;
            };
            let per_iteration = sample
                .times
                .iter()
                .zip(&sample.iters)
                .map(|(time, iters)| time / iters)
                .collect();
            if let Some(throughput) = id.throughput {
                throughputs.insert(id.full_id.clone(), throughput);
            }
            runs.entry(id.full_id)
                .or_default()
                .push((baseline.clone(), per_iteration));
        }
    }
    runs.into_iter()
        .map(|(id, runs)| {
            let throughput = throughputs.get(&id).copied();
            let figure = match runs.as_slice() {
                [(_, only)] => Figure {
                    values: only.clone(),
                    per: Spread::Samples,
                    runs: Vec::new(),
                    throughput,
                },
                _ => Figure {
                    values: runs.iter().map(|(_, samples)| median(samples)).collect(),
                    per: Spread::Runs,
                    runs: runs.into_iter().map(|(baseline, _)| baseline).collect(),
                    throughput,
                },
            };
            (id, figure)
        })
        .collect()
}

/// `numerator / denominator` as (median, min, max): paired run by run when both
/// were measured in the same runs, else the ratio of medians bounded by the extremes.
pub fn ratio(numerator: &Figure, denominator: &Figure) -> (f64, f64, f64) {
    let paired: Vec<f64> = numerator
        .runs
        .iter()
        .zip(&numerator.values)
        .filter_map(|(run, value)| {
            let at = denominator.runs.iter().position(|other| other == run)?;
            Some(value / denominator.values[at])
        })
        .collect();
    if paired.len() >= 2 {
        let min = paired.iter().copied().fold(f64::INFINITY, f64::min);
        let max = paired.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (median(&paired), min, max)
    } else {
        (
            numerator.median() / denominator.median(),
            numerator.min() / denominator.max(),
            numerator.max() / denominator.min(),
        )
    }
}

/// Every folder below `dir`, depth first, in a stable order.
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    let mut children: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    children.sort();
    for child in children {
        found.extend(folders(&child));
        found.push(child);
    }
    found
}

fn read<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    }
}
