//! `cargo xtask codegen [--check]`: argument parsing and reporting only.

use anyhow::{Context, bail};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use xtask::{FIX_COMMAND, Mode, SPEC, codegen_all, workspace_root};

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask wider-spec";

/// Prints a failure as its message chain on stderr, without the backtrace that
/// returning the error from `main` would add under `RUST_BACKTRACE=1` (which CI
/// sets): a spec problem is one line naming its JSON pointer, and that line is
/// what the reader needs.
fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    // The workspace to work on: the one xtask was built in, unless the tests point
    // it at a scratch copy.
    let root = std::env::var_os("XTASK_WORKSPACE_ROOT").map_or_else(workspace_root, PathBuf::from);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        // The merged spec the wider-api fixture is generated from, for the
        // conformance run (conformance/run.sh --spec wider).
        ["wider-spec"] => {
            let spec = xtask::wider_spec(&root)?;
            // A closed pipe (`| head`) is an error to report, not a panic.
            writeln!(std::io::stdout().lock(), "{spec}").context("writing the spec")?;
            return Ok(());
        }
        ["codegen"] => Mode::Write,
        ["codegen", "--check"] => Mode::Check,
        _ => bail!("{USAGE}"),
    };
    let started = Instant::now();
    let outcomes = codegen_all(&root, mode)
        .with_context(|| format!("codegen from {SPEC} failed; nothing was written"))?;
    let elapsed = started.elapsed();
    let mut stale = Vec::new();
    for (generated, outcome) in &outcomes {
        report(mode, generated, outcome, elapsed);
        if mode == Mode::Check && !outcome.is_fresh() {
            stale.push(format!("{generated} ({})", outcome.stale.join(", ")));
        }
    }
    if !stale.is_empty() {
        bail!(
            "generated code is stale: {}; run `{FIX_COMMAND}` and commit the result",
            stale.join("; ")
        );
    }
    Ok(())
}

/// What one generated folder's run found.
fn report(mode: Mode, generated: &str, outcome: &xtask::Outcome, elapsed: std::time::Duration) {
    match mode {
        Mode::Check if !outcome.is_fresh() => eprint!("{}", outcome.diff),
        Mode::Check => println!(
            "{generated} is up to date ({} lines, checked in {elapsed:.2?})",
            outcome.lines
        ),
        Mode::Write if outcome.is_fresh() => println!(
            "{generated} was already up to date ({} lines, {elapsed:.2?})",
            outcome.lines
        ),
        Mode::Write => println!(
            "wrote {} in {generated} ({} lines, {elapsed:.2?})",
            outcome.stale.join(", "),
            outcome.lines
        ),
    }
}
