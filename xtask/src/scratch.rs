//! A scratch workspace in which gigs-connect's runtime compiles with code generated
//! from another spec, the way `fixtures/wider-api` does it: the wider-api crate's
//! manifest and build script (its `gigs_wider_api` cfg points `lib.rs`'s
//! `generated` module at `fixtures/wider-api/generated/`), a copy of
//! `gigs-connect/src`, the generated files, and the downstream fixture crate
//! depending on it under the name `gigs-connect`.

use crate::{TaskError, write};
use std::path::Path;

/// The downstream fixture crate, relative to the workspace root.
pub const DOWNSTREAM: &str = "fixtures/downstream";

/// Lays out (or refreshes) the scratch workspace at `dir` for `files`. Files that
/// did not change keep their modification times, so cargo rebuilds only what the
/// generated code touches.
pub fn scratch_workspace(root: &Path, dir: &Path, files: &codegen::Files) -> Result<(), TaskError> {
    let manifest = crate::read(&root.join("Cargo.toml"))?;
    let mut doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| TaskError::Release(format!("Cargo.toml: {e}")))?;
    let workspace = doc["workspace"]
        .as_table_mut()
        .ok_or_else(|| TaskError::Release("Cargo.toml has no [workspace]".to_owned()))?;
    let members: toml_edit::Array = ["fixtures/wider-api", "downstream"].into_iter().collect();
    workspace.insert("members", toml_edit::value(members));
    workspace.remove("exclude");
    // The mock is not part of the scratch workspace: only the runtime compiles here.
    if let Some(dependencies) = workspace
        .get_mut("dependencies")
        .and_then(|d| d.as_table_like_mut())
    {
        dependencies.remove("gigs-connect-mock");
    }
    refresh(&dir.join("Cargo.toml"), &doc.to_string())?;
    let fixture = crate::read(&root.join("fixtures/wider-api/Cargo.toml"))?;
    let mut fixture: toml_edit::DocumentMut = fixture
        .parse()
        .map_err(|e| TaskError::Release(format!("fixtures/wider-api/Cargo.toml: {e}")))?;
    if let Some(dev) = fixture
        .get_mut("dev-dependencies")
        .and_then(|d| d.as_table_like_mut())
    {
        dev.remove("gigs-connect-mock");
    }
    refresh(
        &dir.join("fixtures/wider-api/Cargo.toml"),
        &fixture.to_string(),
    )?;
    for file in ["Cargo.lock", "README.md", "fixtures/wider-api/build.rs"] {
        refresh(&dir.join(file), &crate::read(&root.join(file))?)?;
    }
    copy_tree(
        &root.join("gigs-connect/src"),
        &dir.join("gigs-connect/src"),
    )?;
    let generated = dir.join(crate::FIXTURE_GENERATED);
    codegen::sync_files(files, &generated, codegen::Mode::Write)?;
    let downstream = "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
                      publish = false\n\n[dependencies]\ngigs-connect = { package = \"wider-api\", \
                      path = \"../fixtures/wider-api\", default-features = false }\n\
                      serde_json.workspace = true\n";
    refresh(&dir.join("downstream/Cargo.toml"), downstream)?;
    refresh(
        &dir.join("downstream/src/lib.rs"),
        &crate::read(&root.join(DOWNSTREAM).join("src/lib.rs"))?,
    )
}

/// Writes `path` only when its content differs.
fn refresh(path: &Path, content: &str) -> Result<(), TaskError> {
    match std::fs::read_to_string(path) {
        Ok(existing) if existing == content => Ok(()),
        _ => write(path, content),
    }
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), TaskError> {
    for entry in std::fs::read_dir(from).map_err(|source| TaskError::io(from, source))? {
        let entry = entry.map_err(|source| TaskError::io(from, source))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            // The generated folder is the scratch workspace's own.
            if entry.file_name() != "generated" {
                copy_tree(&path, &target)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            refresh(&target, &crate::read(&path)?)?;
        }
    }
    Ok(())
}
