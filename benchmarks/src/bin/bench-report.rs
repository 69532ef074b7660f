//! Turns saved criterion runs into the tables of BENCHMARKS.md: every figure as a
//! median with min–max, and every target of issue 4 as a ratio, met or missed.
//!
//! `cargo run -p benchmarks --bin bench-report -- [--baselines run1,run2,…]
//! [--criterion-dir target/criterion] [--plot benchmarks/codegen-scaling.svg]`

use benchmarks::criterion_results::{self, Figure, Spread, Throughput, ratio};
use benchmarks::scaling_plot::{self, Point, seconds_label};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How a ratio is judged against its target.
enum Target {
    AtLeast(f64),
    AtMost(f64),
    None,
}

struct Options {
    criterion_dir: PathBuf,
    baselines: Vec<String>,
    plot: Option<PathBuf>,
}

fn options() -> Options {
    let mut options = Options {
        criterion_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/criterion")),
        baselines: (1..=5).map(|run| format!("run{run}")).collect(),
        plot: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--criterion-dir" => options.criterion_dir = value.into(),
            "--baselines" => options.baselines = value.split(',').map(str::to_owned).collect(),
            "--plot" => options.plot = Some(value.into()),
            _ => panic!("unknown flag {flag}"),
        }
    }
    options
}

fn main() {
    let options = options();
    let figures = criterion_results::load(&options.criterion_dir, &options.baselines);
    print_figures(&figures);
    print_targets(&figures);
    if let Some(path) = options.plot {
        let points = scaling_points(&figures);
        if points.len() >= 2 {
            let svg = scaling_plot::svg("codegen::generate on synthetic specs", &points);
            std::fs::write(&path, svg).expect("the plot path is writable");
            println!("\nWrote {}", path.display());
        }
    }
}

fn print_figures(figures: &BTreeMap<String, Figure>) {
    println!("| benchmark | median | min–max | over | throughput (median) |");
    println!("| --- | --- | --- | --- | --- |");
    for (id, figure) in figures {
        let over = match figure.per {
            Spread::Runs => format!("{} runs", figure.values.len()),
            Spread::Samples => format!("{} samples", figure.values.len()),
        };
        let throughput = match figure.throughput {
            Some(Throughput::Bytes(bytes)) => {
                format!(
                    "{:.0} MiB/s",
                    bytes as f64 / figure.median() * 1e9 / 1048576.0
                )
            }
            Some(Throughput::Elements(n)) => {
                format!("{:.0} req/s", n as f64 / figure.median() * 1e9)
            }
            None => String::new(),
        };
        println!(
            "| `{id}` | {} | {} – {} | {over} | {throughput} |",
            seconds_label(figure.median() / 1e9),
            seconds_label(figure.min() / 1e9),
            seconds_label(figure.max() / 1e9),
        );
    }
}

fn print_targets(figures: &BTreeMap<String, Figure>) {
    println!("\n| comparison | ratio: median (min–max) | target | result |");
    println!("| --- | --- | --- | --- |");
    let row = |label: &str, numerator: &str, denominator: &str, target: Target| {
        let (Some(top), Some(bottom)) = (figures.get(numerator), figures.get(denominator)) else {
            println!("| {label} | not measured | | |");
            return;
        };
        let (median, min, max) = ratio(top, bottom);
        let (target, result) = match target {
            Target::AtLeast(bound) => (format!("≥ {bound}"), verdict(median >= bound)),
            Target::AtMost(bound) => (format!("≤ {bound}"), verdict(median <= bound)),
            Target::None => (String::from("—"), String::from("for context")),
        };
        println!("| {label} | {median:.2} ({min:.2} – {max:.2}) | {target} | {result} |");
    };
    for set in ["all-18-sessions", "seeds", "one-per-intent", "all-keys"] {
        let id = |who: &str| format!("decode/{set}/{who}");
        row(
            &format!("decode {set}: our throughput ÷ progenitor's"),
            &id("progenitor"),
            &id("gigs-connect"),
            Target::AtLeast(2.0),
        );
        row(
            &format!("decode {set}: our time ÷ floor (`IgnoredAny`)"),
            &id("gigs-connect"),
            &id("floor-ignored-any"),
            Target::AtMost(2.0),
        );
        row(
            &format!("encode {set}: our time ÷ progenitor's"),
            &format!("encode/{set}/gigs-connect"),
            &format!("encode/{set}/progenitor"),
            Target::None,
        );
    }
    row(
        "codegen, real spec: progenitor's time ÷ ours",
        "codegen/real-spec/progenitor",
        "codegen/real-spec/gigs-codegen",
        Target::AtLeast(1.0),
    );
    row(
        "codegen scaling: 5,000-intent time ÷ 10-intent time",
        "codegen/scaling/intents/5000",
        "codegen/scaling/intents/10",
        Target::AtMost(600.0),
    );
    if let Some(largest) = figures.get("codegen/scaling/intents/5000") {
        let seconds = largest.median() / 1e9;
        println!(
            "| codegen scaling: 5,000-intent time | {} ({} – {}) | ≤ 1 s | {} |",
            seconds_label(seconds),
            seconds_label(largest.min() / 1e9),
            seconds_label(largest.max() / 1e9),
            verdict(seconds <= 1.0)
        );
    }
    let client = |who: &str| format!("client/retrieve_connect_session/{who}");
    row(
        "client: our time per request ÷ raw reqwest's",
        &client("gigs-connect"),
        &client("raw-reqwest"),
        Target::AtMost(1.05),
    );
    row(
        "client: raw reqwest with our timeouts ÷ raw reqwest",
        &client("raw-reqwest-timeouts"),
        &client("raw-reqwest"),
        Target::None,
    );
    row(
        "client: progenitor's time per request ÷ raw reqwest's",
        &client("progenitor"),
        &client("raw-reqwest"),
        Target::None,
    );
}

fn verdict(met: bool) -> String {
    String::from(if met { "met" } else { "**missed**" })
}

fn scaling_points(figures: &BTreeMap<String, Figure>) -> Vec<Point> {
    let mut points: Vec<Point> = figures
        .iter()
        .filter_map(|(id, figure)| {
            let intents: f64 = id.strip_prefix("codegen/scaling/intents/")?.parse().ok()?;
            Some(Point {
                intents,
                median: figure.median() / 1e9,
                min: figure.min() / 1e9,
                max: figure.max() / 1e9,
            })
        })
        .collect();
    points.sort_by(|a, b| a.intents.total_cmp(&b.intents));
    points
}
