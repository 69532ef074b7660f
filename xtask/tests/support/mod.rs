//! What several xtask test files share: a copy of a checkout's generation inputs and
//! outputs, and git with a fixed identity.

use std::fs;
use std::path::Path;
use std::process::Command;
use xtask::changelog::CHANGELOG;
use xtask::{FIXTURE_GENERATED, FIXTURE_OVERLAY, GENERATED, workspace_root};

/// A scratch copy of everything `xtask::generate` reads and writes: the specs, the
/// fixture's overlay, both generated folders and the changelog.
#[allow(dead_code)] // Not every test file that declares `mod support` uses it.
pub fn generation_copy() -> tempfile::TempDir {
    let root = workspace_root().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for folder in ["spec", "spec/released", GENERATED, FIXTURE_GENERATED] {
        fs::create_dir_all(dir.path().join(folder)).unwrap();
        for entry in fs::read_dir(root.join(folder)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                fs::copy(
                    entry.path(),
                    dir.path().join(folder).join(entry.file_name()),
                )
                .unwrap();
            }
        }
    }
    for file in [FIXTURE_OVERLAY, CHANGELOG] {
        fs::copy(root.join(file), dir.path().join(file)).unwrap();
    }
    dir
}

/// Runs git in `dir` with a fixed identity; panics when it fails.
#[allow(dead_code)]
pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}
