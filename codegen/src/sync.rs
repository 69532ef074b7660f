//! Writes the generated files, or checks that the committed ones match. One
//! function does both so that `cargo xtask codegen`, `--check` and the drift test
//! cannot disagree.

use crate::error::CodegenError;
use crate::{Files, generate};
use std::fs;
use std::path::{Path, PathBuf};

/// What `sync` does with the generated folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Replace stale files (each atomically) and delete files codegen no longer makes.
    Write,
    /// Change nothing; report what differs.
    Check,
}

/// What `sync` found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Relative paths that differ from the spec (changed, missing or no longer generated).
    pub stale: Vec<String>,
    /// A unified diff, committed → generated, of everything in `stale`.
    pub diff: String,
    /// Generated lines in all files.
    pub lines: usize,
}

impl Outcome {
    pub fn is_fresh(&self) -> bool {
        self.stale.is_empty()
    }
}

/// Generates from `spec_path` and writes to or checks `out_dir`. `spec_label` is
/// how the header names the spec. Generation happens fully in memory first, so a
/// spec error leaves every file untouched.
pub fn sync(
    spec_path: &Path,
    spec_label: &str,
    out_dir: &Path,
    mode: Mode,
) -> Result<Outcome, CodegenError> {
    let text = fs::read_to_string(spec_path).map_err(|source| io(spec_path, source))?;
    let files = generate(&text, spec_label)?;
    sync_files(&files, out_dir, mode)
}

/// Writes already generated `files` to `out_dir` (replacing stale files, deleting
/// ones codegen no longer makes), or with `Mode::Check` only reports the difference.
/// Several targets are generated first and synced after, so that an error in one
/// writes none.
pub fn sync_files(files: &Files, out_dir: &Path, mode: Mode) -> Result<Outcome, CodegenError> {
    let mut outcome = compare(files, out_dir)?;
    if mode == Mode::Write && !outcome.is_fresh() {
        fs::create_dir_all(out_dir).map_err(|source| io(out_dir, source))?;
        for name in &outcome.stale {
            let path = out_dir.join(name);
            match files.get(name) {
                Some(content) => write_atomically(&path, content)?,
                None => fs::remove_file(&path).map_err(|source| io(&path, source))?,
            }
        }
    }
    outcome.lines = files.values().map(|f| f.lines().count()).sum();
    Ok(outcome)
}

/// Compares generated `files` with the `.rs` files in `out_dir`.
fn compare(files: &Files, out_dir: &Path) -> Result<Outcome, CodegenError> {
    let mut outcome = Outcome::default();
    let mut names: Vec<String> = files.keys().cloned().collect();
    // Files in the folder that codegen no longer makes are stale too.
    if out_dir.exists() {
        for entry in fs::read_dir(out_dir).map_err(|source| io(out_dir, source))? {
            let entry = entry.map_err(|source| io(out_dir, source))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rs") && !files.contains_key(&name) {
                names.push(name);
            }
        }
    }
    names.sort();
    for name in names {
        let path = out_dir.join(&name);
        let committed = match fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(io(&path, source)),
        };
        let generated = files.get(&name);
        if committed.as_ref() == generated {
            continue;
        }
        let old = committed.as_deref().unwrap_or("");
        let new = generated.map(String::as_str).unwrap_or("");
        let diff = similar::TextDiff::from_lines(old, new);
        outcome.diff.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("committed/{name}"), &format!("generated/{name}"))
                .to_string(),
        );
        outcome.stale.push(name);
    }
    Ok(outcome)
}

/// Writes through a temporary file in the same folder and renames it into place,
/// so an interrupted run never leaves a half-written file.
fn write_atomically(path: &Path, content: &str) -> Result<(), CodegenError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp: PathBuf = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    fs::write(&tmp, content).map_err(|source| io(&tmp, source))?;
    fs::rename(&tmp, path).map_err(|source| {
        let _ = fs::remove_file(&tmp);
        io(path, source)
    })
}

fn io(path: &Path, source: std::io::Error) -> CodegenError {
    CodegenError::Io {
        path: path.to_owned(),
        source,
    }
}
