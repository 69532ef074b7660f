//! `cargo xtask codegen [--check]`, `cargo xtask semver [--base REV]` and `cargo xtask
//! release`: argument parsing and reporting only.

use anyhow::{Context, bail};
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;
use xtask::changelog::CHANGELOG;
use xtask::semver::{Base, semver};
use xtask::{FIX_COMMAND, Mode, SPEC, generate, workspace_root};

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask semver [--base REV] | \
                     cargo xtask release | cargo xtask wider-spec";

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
    // The workspace to work on, found now (see `workspace_root`), not when xtask
    // was built.
    let root = workspace_root()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => codegen(&root, Mode::Write),
        ["codegen", "--check"] => codegen(&root, Mode::Check),
        ["semver"] => print_semver(&root, Base::LastRelease),
        ["semver", "--base", rev] => print_semver(&root, Base::Revision((*rev).to_owned())),
        ["release"] => {
            let released = xtask::release::release(&root)?;
            println!("workspace {}", root.display());
            println!(
                "verdict against {}: {}; the workspace is now at {}, {CHANGELOG} has its entry and \
                 spec/released/{}.json its spec: review, commit and tag v{}",
                released.previous,
                released.verdict,
                released.version,
                released.version,
                released.version
            );
            Ok(())
        }
        // For scripts/semver-oracle.sh: one scratch workspace per corpus edit.
        ["spec-edits", dir, only @ ..] => {
            let only: Vec<String> = only.iter().map(|s| (*s).to_owned()).collect();
            for (edit, verdict) in xtask::spec_edit::lay_out(&root, dir.as_ref(), &only)? {
                let gap = edit.oracle_gap.as_deref().unwrap_or("");
                println!("{}\t{verdict}\t{}\t{gap}", edit.name, edit.gigs);
            }
            Ok(())
        }
        // The merged spec the wider-api fixture is generated from, for the
        // conformance run (conformance/run.sh --spec wider).
        ["wider-spec"] => {
            let spec = xtask::wider_spec(&root)?;
            // A closed pipe (`| head`) is an error to report, not a panic.
            writeln!(std::io::stdout().lock(), "{spec}").context("writing the spec")?;
            Ok(())
        }
        _ => bail!("{USAGE}"),
    }
}

/// Prints every change and the verdict; exits 0 whatever the verdict.
fn print_semver(root: &std::path::Path, base: Base) -> anyhow::Result<()> {
    // On stderr: stdout is the report, one line per change, for scripts.
    eprintln!("workspace {}", root.display());
    let report = semver(root, &base)?;
    print!("{}", report.render());
    Ok(())
}

fn codegen(root: &std::path::Path, mode: Mode) -> anyhow::Result<()> {
    let started = Instant::now();
    let generated = generate(root, mode)
        .with_context(|| format!("codegen from {SPEC} failed; nothing was written"))?;
    let elapsed = started.elapsed();
    println!("workspace {}", root.display());
    let mut stale = Vec::new();
    for (folder, outcome) in &generated.folders {
        report(mode, folder, outcome, elapsed);
        if mode == Mode::Check && !outcome.is_fresh() {
            stale.push(format!("{folder} ({})", outcome.stale.join(", ")));
        }
    }
    // The changelog's generated entry follows the spec like the code does.
    match (mode, generated.changelog.fresh) {
        (Mode::Check, false) => {
            eprintln!(
                "{CHANGELOG}'s Unreleased entry should read:\n{}",
                generated.changelog.expected
            );
            stale.push(CHANGELOG.to_owned());
        }
        (Mode::Write, false) => println!("wrote the Unreleased entry of {CHANGELOG}"),
        _ => println!("{CHANGELOG} is up to date"),
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
