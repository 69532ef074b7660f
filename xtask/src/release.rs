//! `cargo xtask release`: from a clean tree, sets the workspace version to the
//! smallest one `semver` allows, moves the changelog's "Unreleased" entry under it
//! and snapshots the spec in `spec/released/`. Committing and tagging stay yours.

use crate::changelog::{CHANGELOG, changelog, entry, next_version, released_entry, replace_block};
use crate::semver::{Base, RELEASED, last_release, semver};
use crate::{Mode, SPEC, TaskError, read, write};
use std::path::{Path, PathBuf};
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
    let lockstep = lockstep_files(root, &manifest, &current, &version)?;

    write(&manifest_path, &manifest)?;
    for (path, text) in &lockstep {
        write(path, text)?;
    }
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

/// The member manifests and READMEs that name the released version and must move with
/// it: the crates released in lockstep depend on each other with `=` requirements
/// (gigs-connect-mock on gigs-connect), and the READMEs show users dependency lines on
/// the version. Left alone, a release would leave the workspace unresolvable
/// (`=0.1.0` against a gigs-connect at 0.1.1). Only files that change are returned.
fn lockstep_files(
    root: &Path,
    manifest: &str,
    previous: &str,
    version: &semver::Version,
) -> Result<Vec<(PathBuf, String)>, TaskError> {
    let mut files = Vec::new();
    for member in workspace_members(manifest)? {
        let member_manifest = root.join(&member).join("Cargo.toml");
        let text = read(&member_manifest)?;
        let moved = set_lockstep_requirements(&text, previous, version)
            .map_err(|e| TaskError::Release(format!("{member}/Cargo.toml: {e}")))?;
        if moved != text {
            files.push((member_manifest, moved));
        }
        let readme = root.join(&member).join("README.md");
        if readme.exists() {
            let text = read(&readme)?;
            let moved = set_readme_dependency_lines(&text, previous, version);
            if moved != text {
                files.push((readme, moved));
            }
        }
    }
    Ok(files)
}

fn workspace_members(manifest: &str) -> Result<Vec<String>, TaskError> {
    let doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| TaskError::Release(format!("Cargo.toml: {e}")))?;
    let members = doc
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .ok_or_else(|| TaskError::Release("Cargo.toml has no `[workspace] members`".to_owned()))?;
    Ok(members
        .iter()
        .filter_map(|m| m.as_str().map(str::to_owned))
        .collect())
}

/// A member manifest with every path dependency required at exactly `={previous}` moved
/// to `={version}`, in `[dependencies]`, `[dev-dependencies]` and `[build-dependencies]`.
fn set_lockstep_requirements(
    manifest: &str,
    previous: &str,
    version: &semver::Version,
) -> Result<String, toml_edit::TomlError> {
    let mut doc: toml_edit::DocumentMut = manifest.parse()?;
    let exact = format!("={previous}");
    for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(table) = doc.get_mut(kind).and_then(|t| t.as_table_like_mut()) else {
            continue;
        };
        for (_, dependency) in table.iter_mut() {
            let Some(dependency) = dependency.as_table_like_mut() else {
                continue;
            };
            let lockstep = dependency.contains_key("path")
                && dependency.get("version").and_then(|v| v.as_str()) == Some(exact.as_str());
            if lockstep {
                dependency.insert("version", toml_edit::value(format!("={version}")));
            }
        }
    }
    Ok(doc.to_string())
}

/// A README's dependency lines on our crates moved to the new version: exact ones
/// (`gigs-connect-mock = "=0.1.0"`) to it, and `"0.1"`-style ones to its
/// `major.minor` (what `tests/readme_registry.rs` holds the crate README to).
fn set_readme_dependency_lines(readme: &str, previous: &str, version: &semver::Version) -> String {
    let major_minor = |v: &str| {
        v.rsplit_once('.')
            .map_or(v.to_owned(), |(mm, _)| mm.to_owned())
    };
    let (was, now) = (
        major_minor(previous),
        format!("{}.{}", version.major, version.minor),
    );
    let mut out = String::with_capacity(readme.len());
    for line in readme.split_inclusive('\n') {
        if line.contains("gigs-connect") && line.contains(" = ") {
            out.push_str(
                &line
                    .replace(&format!("\"={previous}\""), &format!("\"={version}\""))
                    .replace(&format!("= \"{was}\""), &format!("= \"{now}\"")),
            );
        } else {
            out.push_str(line);
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> semver::Version {
        semver::Version::parse(text).unwrap()
    }

    #[test]
    fn a_lockstep_requirement_moves_with_the_release_and_nothing_else_does() {
        let manifest = r#"[dependencies]
gigs-connect = { path = "../gigs-connect", version = "=0.1.0", default-features = false }
serde = "1"
other = { path = "../other", version = "0.1.0" }

[dev-dependencies]
gigs-connect = { path = "../gigs-connect", version = "=0.1.0" }
"#;
        let moved = set_lockstep_requirements(manifest, "0.1.0", &v("0.1.1")).unwrap();
        assert_eq!(
            moved,
            manifest.replace(r#"version = "=0.1.0""#, r#"version = "=0.1.1""#)
        );
    }

    #[test]
    fn readme_dependency_lines_name_the_new_version_after_a_breaking_release() {
        let readme = "```toml\ngigs-connect = \"0.1\"\ngigs-connect-mock = \"=0.1.0\"\n```\n\
            `gigs-connect = { version = \"0.1\", default-features = false }`\n\
            tokio = \"0.1\" and prose about 0.1 stay.\n";
        let moved = set_readme_dependency_lines(readme, "0.1.0", &v("0.2.0"));
        assert_eq!(
            moved,
            "```toml\ngigs-connect = \"0.2\"\ngigs-connect-mock = \"=0.2.0\"\n```\n\
            `gigs-connect = { version = \"0.2\", default-features = false }`\n\
            tokio = \"0.1\" and prose about 0.1 stay.\n"
        );
    }

    #[test]
    fn the_members_come_from_the_workspace_manifest() {
        let manifest = "[workspace]\nmembers = [\"a\", \"fixtures/b\"]\n";
        assert_eq!(workspace_members(manifest).unwrap(), ["a", "fixtures/b"]);
    }
}
