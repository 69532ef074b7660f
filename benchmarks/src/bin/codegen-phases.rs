//! Where `codegen::generate` spends its time on a synthetic spec: load, validate,
//! lower, then each file's parts emitted and formatted on this one thread (so the
//! figures add up to the work there is), then the real `generate` on all cores.
//!
//! ```sh
//! cargo run --release -p benchmarks --bin codegen-phases -- 5000
//! ```

use benchmarks::synthetic::synthetic_spec;
use std::time::{Duration, Instant};

fn main() {
    let intents: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse().expect("the number of intents"))
        .unwrap_or(5000);
    let spec = synthetic_spec(intents);
    for round in 1..=3 {
        let start = Instant::now();
        let model = codegen::load::load(&spec, "synthetic").expect("the synthetic spec loads");
        let loaded = start.elapsed();
        let start = Instant::now();
        let problems = codegen::validate::validate(&model);
        assert!(problems.is_empty(), "the synthetic spec is valid");
        let validated = start.elapsed();
        let start = Instant::now();
        let api = codegen::lower::lower(&model);
        let mut line = format!(
            "round {round}: load {loaded:.0?} validate {validated:.0?} lower {:.0?}",
            start.elapsed()
        );
        for plan in codegen::emit::plan(&api) {
            let (mut emit, mut format, mut bytes) = (Duration::ZERO, Duration::ZERO, 0);
            for part in &plan.parts {
                let start = Instant::now();
                let tokens = part();
                emit += start.elapsed();
                let start = Instant::now();
                bytes += codegen::format::format_part(plan.path, tokens)
                    .expect("the synthetic spec formats")
                    .len();
                format += start.elapsed();
            }
            line += &format!(
                "; {}: {} parts, emit {emit:.0?} format {format:.0?} ({} KB)",
                plan.path,
                plan.parts.len(),
                bytes / 1000
            );
        }
        let start = Instant::now();
        codegen::generate(&spec, "synthetic").expect("the synthetic spec generates");
        line += &format!("; generate {:.0?}", start.elapsed());
        println!("{line}");
    }
}
