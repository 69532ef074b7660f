//! `cargo xtask semver`: loads two specs (one from git or `spec/released/`) and asks
//! `codegen::diff` what changed for the generated crate's users. No rules live here.

use crate::{SPEC, TaskError, read};
use codegen::diff::{self, Change, Class};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where released specs are kept, one per version: `spec/released/0.1.0.json`.
pub const RELEASED: &str = "spec/released";

/// The spec to compare the working tree's with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// The newest spec in `spec/released/`.
    LastRelease,
    /// `spec/connect-sessions.json` at a git revision.
    Revision(String),
}

/// What `semver` found.
#[derive(Debug)]
pub struct Report {
    /// How the base spec was named (`spec/released/0.1.0.json`, `spec/connect-sessions.json@HEAD~1`).
    pub base: String,
    pub changes: Vec<Change>,
    pub verdict: Class,
}

impl Report {
    /// One line per change, then `verdict: …` as the last line.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for change in &self.changes {
            text.push_str(&format!("{change}\n"));
        }
        text.push_str(&format!("verdict: {}\n", self.verdict));
        text
    }
}

/// The newest released version and its spec, if any release was made.
pub fn last_release(root: &Path) -> Result<Option<(semver::Version, PathBuf)>, TaskError> {
    let dir = root.join(RELEASED);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(TaskError::io(&dir, source)),
    };
    let mut newest: Option<(semver::Version, PathBuf)> = None;
    for entry in entries {
        let path = entry.map_err(|source| TaskError::io(&dir, source))?.path();
        let Some(version) = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(".json"))
        else {
            continue;
        };
        let version = semver::Version::parse(version).map_err(|e| {
            TaskError::Release(format!("{}: not named for a version: {e}", path.display()))
        })?;
        if newest.as_ref().is_none_or(|(v, _)| version > *v) {
            newest = Some((version, path));
        }
    }
    Ok(newest)
}

/// Compares the spec at `base` with the working tree's `spec/connect-sessions.json`.
pub fn semver(root: &Path, base: &Base) -> Result<Report, TaskError> {
    let (label, old_text) = match base {
        Base::LastRelease => {
            let (_, path) = last_release(root)?.ok_or_else(|| {
                TaskError::Release(format!("no released spec in {RELEASED}/; pass --base REV"))
            })?;
            let label = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            (label, read(&path)?)
        }
        Base::Revision(rev) => (format!("{SPEC}@{rev}"), git_show(root, rev, SPEC)?),
    };
    let old = codegen::parse(&old_text, &label)?;
    let new = codegen::parse(&read(&root.join(SPEC))?, SPEC)?;
    let changes = diff::diff(&old, &new);
    let verdict = diff::verdict(&changes);
    Ok(Report {
        base: label,
        changes,
        verdict,
    })
}

fn git_show(root: &Path, rev: &str, path: &str) -> Result<String, TaskError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|source| TaskError::io(Path::new("git"), source))?;
    if !output.status.success() {
        return Err(TaskError::Git(format!(
            "`git show {rev}:{path}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| TaskError::Git(format!("{path} at {rev} is not UTF-8")))
}
