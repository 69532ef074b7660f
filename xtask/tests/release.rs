//! `cargo xtask release` and the changelog it keeps, in a temporary git repository
//! holding a copy of the release files (manifest, lock file, changelog, specs).

mod support;

use std::fs;
use std::path::Path;
use support::git;
use xtask::changelog::{CHANGELOG, changelog};
use xtask::release::release;
use xtask::spec_edit::{CORPUS_BASE, spec_edits};
use xtask::{Mode, SPEC, workspace_root};

/// A repository at release 0.1.0 whose spec has `edit` (a corpus edit) applied and
/// committed, its changelog regenerated as `cargo xtask codegen` would.
fn repository_with(edit: &str) -> tempfile::TempDir {
    let root = workspace_root().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for file in ["Cargo.toml", "Cargo.lock", CHANGELOG, CORPUS_BASE] {
        let target = dir.path().join(file);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(root.join(file), &target).unwrap();
    }
    // The history starts at 0.1.0: its spec and a changelog with nothing unreleased.
    fs::copy(root.join(CORPUS_BASE), dir.path().join(SPEC)).unwrap();
    changelog(dir.path(), Mode::Write).unwrap();
    fs::write(dir.path().join("Cargo.toml"), manifest_at("0.1.0")).unwrap();
    fs::write(dir.path().join("Cargo.lock"), lock_at("0.1.0")).unwrap();
    copy_members_at(dir.path(), "0.1.0");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "0.1.0"]);
    let edit = spec_edits(&root)
        .unwrap()
        .into_iter()
        .find(|e| e.name == edit)
        .unwrap();
    let spec = fs::read_to_string(dir.path().join(SPEC)).unwrap();
    fs::write(dir.path().join(SPEC), edit.apply(&spec).unwrap()).unwrap();
    changelog(dir.path(), Mode::Write).unwrap();
    git(dir.path(), &["commit", "-q", "-am", "spec edit"]);
    dir
}

/// Every member's manifest and README (a release moves the lockstep requirements and
/// the dependency lines in them), with the workspace's own version written as `version`.
fn copy_members_at(dir: &Path, version: &str) {
    let root = workspace_root().unwrap();
    let current = env!("CARGO_PKG_VERSION");
    let major_minor = |v: &str| v.rsplit_once('.').unwrap().0.to_owned();
    for member in members() {
        for file in ["Cargo.toml", "README.md"] {
            let Ok(text) = fs::read_to_string(root.join(&member).join(file)) else {
                continue;
            };
            let text = text
                .replace(&format!("\"={current}\""), &format!("\"={version}\""))
                .replace(
                    &format!("gigs-connect = \"{}\"", major_minor(current)),
                    &format!("gigs-connect = \"{}\"", major_minor(version)),
                );
            fs::create_dir_all(dir.join(&member)).unwrap();
            fs::write(dir.join(&member).join(file), text).unwrap();
        }
    }
}

/// The workspace's members, from its manifest.
fn members() -> Vec<String> {
    let manifest = fs::read_to_string(workspace_root().unwrap().join("Cargo.toml")).unwrap();
    let doc: toml_edit::DocumentMut = manifest.parse().unwrap();
    doc["workspace"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect()
}

/// The workspace manifest with its version set to `version`.
fn manifest_at(version: &str) -> String {
    let manifest = fs::read_to_string(workspace_root().unwrap().join("Cargo.toml")).unwrap();
    let current = manifest
        .lines()
        .find(|l| l.starts_with("version = "))
        .unwrap()
        .to_owned();
    manifest.replacen(&current, &format!("version = \"{version}\""), 1)
}

/// The workspace's lock file with its own packages (those without a `source`) at
/// `version`, so the fixture is at 0.1.0 whatever the real workspace is at.
fn lock_at(version: &str) -> String {
    let lock = fs::read_to_string(workspace_root().unwrap().join("Cargo.lock")).unwrap();
    let mut doc: toml_edit::DocumentMut = lock.parse().unwrap();
    let packages = doc["package"].as_array_of_tables_mut().unwrap();
    for package in packages.iter_mut().filter(|p| !p.contains_key("source")) {
        package["version"] = toml_edit::value(version);
    }
    doc.to_string()
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn a_release_moves_the_lockstep_requirement_and_the_readmes_dependency_lines() {
    let dir = repository_with("05-removed-enum-value");
    release(dir.path()).unwrap();
    let mock = read(dir.path(), "gigs-connect-mock/Cargo.toml");
    assert!(mock.contains(r#"version = "=0.2.0""#), "{mock}");
    assert!(!mock.contains(r#"version = "=0.1.0""#), "{mock}");
    let mock_readme = read(dir.path(), "gigs-connect-mock/README.md");
    assert!(mock_readme.contains(r#"gigs-connect-mock = "=0.2.0""#));
    let readme = read(dir.path(), "gigs-connect/README.md");
    assert!(readme.contains("gigs-connect = \"0.2\"\n"));
}

#[test]
fn a_breaking_change_releases_the_next_minor_below_1_0() {
    let dir = repository_with("05-removed-enum-value");
    let released = release(dir.path()).unwrap();
    assert_eq!(released.version.to_string(), "0.2.0");
    assert!(read(dir.path(), "Cargo.toml").contains("\nversion = \"0.2.0\"\n"));
    assert_eq!(
        read(dir.path(), "spec/released/0.2.0.json"),
        read(dir.path(), SPEC)
    );
    let changelog_text = read(dir.path(), CHANGELOG);
    let unreleased = changelog_text.find("## Unreleased").unwrap();
    let section = changelog_text.find("## 0.2.0").unwrap();
    let previous = changelog_text.find("## 0.1.0").unwrap();
    assert!(
        unreleased < section && section < previous,
        "{changelog_text}"
    );
    // The entry moved under the version; Unreleased says nothing is left.
    assert!(
        changelog_text[section..previous].contains("`types::Theme::Dark`: variant removed (major)"),
        "{changelog_text}"
    );
    assert!(
        changelog_text[unreleased..section].contains("No change to the API since 0.2.0."),
        "{changelog_text}"
    );
    // And the lock file follows the manifest, as cargo would write it.
    let lock = read(dir.path(), "Cargo.lock");
    assert!(
        lock.contains("name = \"gigs-connect\"\nversion = \"0.2.0\""),
        "lock not updated"
    );
}

#[test]
fn a_new_optional_field_releases_the_next_patch_below_1_0() {
    let dir = repository_with("01-response-optional-field");
    assert_eq!(release(dir.path()).unwrap().version.to_string(), "0.1.1");
    assert!(read(dir.path(), "Cargo.toml").contains("\nversion = \"0.1.1\"\n"));
    // After the release, the new spec is the base: nothing is unreleased.
    assert!(changelog(dir.path(), Mode::Check).unwrap().fresh);
    assert!(read(dir.path(), CHANGELOG).contains("No change to the API since 0.1.1."));
}

#[test]
fn release_refuses_a_dirty_tree_and_changes_nothing() {
    let dir = repository_with("04-new-enum-value");
    fs::write(dir.path().join("notes.txt"), "wip").unwrap();
    let before = read(dir.path(), "Cargo.toml");
    let error = release(dir.path()).unwrap_err().to_string();
    assert!(error.contains("uncommitted changes"), "{error}");
    assert!(error.contains("notes.txt"), "{error}");
    assert_eq!(read(dir.path(), "Cargo.toml"), before);
    assert!(!dir.path().join("spec/released/0.1.1.json").exists());
}

#[test]
fn the_changelog_is_stale_when_the_spec_changed_and_it_did_not() {
    let dir = repository_with("04-new-enum-value");
    assert!(changelog(dir.path(), Mode::Check).unwrap().fresh);
    let spec = read(dir.path(), SPEC).replace("\"system\"", "\"system\", \"sepia\"");
    fs::write(dir.path().join(SPEC), spec).unwrap();
    let outcome = changelog(dir.path(), Mode::Check).unwrap();
    assert!(!outcome.fresh);
    assert!(
        outcome
            .expected
            .contains("`types::Theme::Sepia`: new variant (minor)"),
        "{}",
        outcome.expected
    );
}

/// The worked example of the README's "Changing the spec": a `system` theme.
#[test]
fn the_readme_example_a_new_theme_releases_0_1_1_with_its_entry() {
    let dir = repository_with("04-new-enum-value");
    let released = release(dir.path()).unwrap();
    assert_eq!(
        (released.previous.to_string(), released.version.to_string()),
        ("0.1.0".to_owned(), "0.1.1".to_owned())
    );
    let expected = "## Unreleased\n\n\
        <!-- generated by `cargo xtask codegen` from `cargo xtask semver`: do not edit by hand -->\n\
        No change to the API since 0.1.1.\n\
        <!-- end of generated section -->\n\n\
        ## 0.1.1\n\n\
        Against 0.1.0: minor.\n\n\
        - `types::Theme::System`: new variant (minor)\n";
    assert!(
        read(dir.path(), CHANGELOG).contains(expected),
        "{}",
        read(dir.path(), CHANGELOG)
    );
    let readme = read(&workspace_root().unwrap(), "README.md");
    assert!(
        readme.contains(expected),
        "the README shows another changelog"
    );
}
