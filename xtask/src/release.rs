//! `cargo xtask release`: from a clean tree, sets the workspace version to the
//! smallest one `semver` allows, moves the changelog's "Unreleased" entry under it
//! and snapshots the spec in `spec/released/`. Committing and tagging stay yours.

use crate::changelog::{CHANGELOG, changelog, entry, next_version, released_entry, replace_block};
use crate::semver::{Base, RELEASED, last_release, semver};
use crate::{Mode, SPEC, TaskError, read, write};
use std::path::Path;
use std::process::Command;

/// What a release did.
#[derive(Debug)]
pub struct Released {
    pub previous: semver::Version,
    pub version: semver::Version,
    pub verdict: codegen::diff::Class,
}

pub fn release(root: &Path) -> Result<Released, TaskError> {
    refuse_dirty_tree(root)?;
    let (previous, _) = last_release(root)?
        .ok_or_else(|| TaskError::Release(format!("no released spec in {RELEASED}/")))?;
    // The changelog must already say what is being released.
    if !changelog(root, Mode::Check)?.fresh {
        return Err(TaskError::Release(format!(
            "{CHANGELOG} is stale: run `cargo xtask codegen` and commit first"
        )));
    }
    let report = semver(root, &Base::LastRelease)?;
    let version = next_version(&previous, report.verdict);

    // Every file is prepared before any is written.
    let manifest_path = root.join("Cargo.toml");
    let (current, manifest) = set_workspace_version(&read(&manifest_path)?, &version)?;
    let lock_path = root.join("Cargo.lock");
    let lock = match lock_path.exists() {
        true => Some(set_member_versions(&read(&lock_path)?, &current, &version)?),
        false => None,
    };
    let changelog_path = root.join(CHANGELOG);
    let empty = entry(
        &version,
        &crate::semver::Report {
            base: String::new(),
            changes: Vec::new(),
            verdict: codegen::diff::Class::None,
        },
    );
    let changelog_text = replace_block(
        &read(&changelog_path)?,
        &format!(
            "{empty}\n\n{}",
            released_entry(&previous, &version, &report)
        ),
    )?;
    let spec = read(&root.join(SPEC))?;

    write(&manifest_path, &manifest)?;
    if let Some(lock) = lock {
        write(&lock_path, &lock)?;
    }
    write(&changelog_path, &changelog_text)?;
    let snapshot = root.join(RELEASED).join(format!("{version}.json"));
    write(&snapshot, &spec)?;
    Ok(Released {
        previous,
        version,
        verdict: report.verdict,
    })
}

fn refuse_dirty_tree(root: &Path) -> Result<(), TaskError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain"])
        .output()
        .map_err(|source| TaskError::io(Path::new("git"), source))?;
    if !output.status.success() {
        return Err(TaskError::Git(format!(
            "`git status` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let dirty = String::from_utf8_lossy(&output.stdout);
    if !dirty.trim().is_empty() {
        return Err(TaskError::Release(format!(
            "the working tree has uncommitted changes; commit or stash them first:\n{}",
            dirty.trim_end()
        )));
    }
    Ok(())
}

/// The workspace version before, and the root manifest with `[workspace.package]
/// version` set.
fn set_workspace_version(
    manifest: &str,
    version: &semver::Version,
) -> Result<(String, String), TaskError> {
    let mut doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| TaskError::Release(format!("Cargo.toml: {e}")))?;
    let slot = doc
        .get_mut("workspace")
        .and_then(|w| w.get_mut("package"))
        .and_then(|p| p.get_mut("version"))
        .ok_or_else(|| {
            TaskError::Release("Cargo.toml has no `[workspace.package] version`".to_owned())
        })?;
    let current = slot.as_str().unwrap_or_default().to_owned();
    *slot = toml_edit::value(version.to_string());
    Ok((current, doc.to_string()))
}

/// Cargo.lock with the workspace's own packages (no `source`) moved from
/// `previous` (the manifest's version) to `version`, as cargo would write it on the next build.
fn set_member_versions(
    lock: &str,
    previous: &str,
    version: &semver::Version,
) -> Result<String, TaskError> {
    let mut doc: toml_edit::DocumentMut = lock
        .parse()
        .map_err(|e| TaskError::Release(format!("Cargo.lock: {e}")))?;
    let Some(packages) = doc
        .get_mut("package")
        .and_then(|p| p.as_array_of_tables_mut())
    else {
        return Ok(lock.to_owned());
    };
    for package in packages.iter_mut() {
        let ours = !package.contains_key("source");
        let was = package.get("version").and_then(|v| v.as_str()) == Some(previous);
        if ours && was {
            package["version"] = toml_edit::value(version.to_string());
        }
    }
    Ok(doc.to_string())
}
