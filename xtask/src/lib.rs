//! The project's tasks, as a library so the drift test runs the very code that
//! `cargo xtask codegen` runs. All generation logic lives in `codegen`.

pub mod changelog;
pub mod release;
pub mod scratch;
pub mod semver;
pub mod spec_edit;

use std::path::{Path, PathBuf};

pub use codegen::{Mode, Outcome};

/// Why a task other than codegen failed.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// A spec did not load or validate (with its JSON pointer), or a file failed.
    #[error(transparent)]
    Codegen(#[from] codegen::CodegenError),
    /// A git command failed.
    #[error("{0}")]
    Git(String),
    /// The release files (`spec/released/`, CHANGELOG.md, Cargo.toml) are not as
    /// expected.
    #[error("{0}")]
    Release(String),
    /// The workspace to work on could not be found.
    #[error("{0}")]
    Workspace(String),
}

impl TaskError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        TaskError::Codegen(codegen::CodegenError::Io {
            path: path.to_owned(),
            source,
        })
    }
}

/// The spec, relative to the workspace root; also how generated headers name it.
pub const SPEC: &str = "spec/connect-sessions.json";
/// The generated folder, relative to the workspace root.
pub const GENERATED: &str = "gigs-connect/src/generated";
/// The spec's byte-for-byte copy inside the generated folder: the published
/// package holds only `gigs-connect/`, and its tests that read the spec (the
/// schemars agreement, the spec's examples sent to the mock) must run there.
pub const SPEC_COPY: &str = "connect-sessions.json";
/// The one command that brings generated code up to date.
pub const FIX_COMMAND: &str = "cargo xtask codegen";

/// The workspace xtask works on, found when it runs, never when it was built: a
/// target dir shared by two checkouts keeps one binary for both, so a path baked in
/// at compile time would name the other checkout.
///
/// In order: `XTASK_WORKSPACE_ROOT` (the tests' scratch copies); the parent of
/// `CARGO_MANIFEST_DIR` as `cargo run` sets it for this run (`cargo xtask` is
/// `cargo run -p xtask`); else the nearest directory at or above the current one
/// whose `Cargo.toml` has a `[workspace]` table.
pub fn workspace_root() -> Result<PathBuf, TaskError> {
    if let Some(root) = std::env::var_os("XTASK_WORKSPACE_ROOT") {
        return Ok(PathBuf::from(root));
    }
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let manifest_dir = PathBuf::from(manifest_dir);
        if let Some(root) = manifest_dir.parent().filter(|dir| is_workspace_root(dir)) {
            return Ok(root.to_owned());
        }
    }
    let cwd = std::env::current_dir().map_err(|source| TaskError::io(Path::new("."), source))?;
    find_workspace_root(&cwd)
}

/// The nearest directory at or above `start` whose `Cargo.toml` declares a workspace.
pub fn find_workspace_root(start: &Path) -> Result<PathBuf, TaskError> {
    start
        .ancestors()
        .find(|dir| is_workspace_root(dir))
        .map(Path::to_owned)
        .ok_or_else(|| {
            TaskError::Workspace(format!(
                "no Cargo.toml with a [workspace] table at or above {}; run xtask inside the                  gigs-connect checkout",
                start.display()
            ))
        })
}

fn is_workspace_root(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml_edit::DocumentMut>().ok())
        .is_some_and(|doc| doc.contains_key("workspace"))
}

/// Adds the spec's copy ([`SPEC_COPY`]) to the client's generated files.
fn with_spec_copy(mut files: codegen::Files, spec_text: &str) -> codegen::Files {
    files.insert(SPEC_COPY.to_owned(), spec_text.to_owned());
    files
}

/// The wider-API fixture: the real spec plus the Gigs conventions it does not use
/// yet (lists, cursors, 204s, actions, header parameters), generated into a crate
/// that compiles gigs-connect's runtime with that output and tests it over HTTP.
pub const FIXTURE_OVERLAY: &str = "fixtures/wider-api/overlay.json";
/// Where the fixture's generated code goes.
pub const FIXTURE_GENERATED: &str = "fixtures/wider-api/generated";
/// How generated headers name the fixture's spec.
pub const FIXTURE_LABEL: &str = "spec/connect-sessions.json + fixtures/wider-api/overlay.json";

/// One generated folder and where its spec comes from.
struct Target {
    label: &'static str,
    out: &'static str,
    spec: fn(&Path) -> Result<String, codegen::CodegenError>,
    /// Whether the folder also holds the spec's copy ([`SPEC_COPY`]).
    ships_spec: bool,
}

const TARGETS: [Target; 2] = [
    Target {
        label: SPEC,
        out: GENERATED,
        spec: |root| read(&root.join(SPEC)),
        ships_spec: true,
    },
    Target {
        label: FIXTURE_LABEL,
        out: FIXTURE_GENERATED,
        spec: wider_spec,
        ships_spec: false,
    },
];

/// What [`generate`] found: each generated folder, and CHANGELOG.md's entry.
#[derive(Debug)]
pub struct Generated {
    /// Each generated folder (relative to the root) with what was found in it.
    pub folders: Vec<(&'static str, Outcome)>,
    /// The generated block of CHANGELOG.md's "Unreleased" section.
    pub changelog: changelog::ChangelogOutcome,
}

impl Generated {
    /// Whether every generated file already said what the spec says.
    pub fn is_fresh(&self) -> bool {
        self.changelog.fresh && self.folders.iter().all(|(_, outcome)| outcome.is_fresh())
    }
}

/// Every generated file of the workspace at `root`, written (`Mode::Write`) or
/// checked (`Mode::Check`): the client, the wider-API fixture and the changelog's
/// entry. The one function behind `cargo xtask codegen [--check]` and the drift
/// test (rust-analyzer's `generate(check)`), so the two cannot disagree. Both folders
/// are generated in memory before either is written, so a spec error writes nothing.
pub fn generate(root: &Path, mode: Mode) -> Result<Generated, TaskError> {
    let folders = codegen_all(root, mode)?;
    let changelog = changelog::changelog(root, mode)?;
    Ok(Generated { folders, changelog })
}

/// Regenerates (or checks) every generated folder: the client and the wider-API
/// fixture. Both are generated in memory before either is written, so a spec error
/// writes nothing. Returns each folder with what was found.
pub fn codegen_all(
    root: &Path,
    mode: Mode,
) -> Result<Vec<(&'static str, Outcome)>, codegen::CodegenError> {
    let mut generated = Vec::new();
    for target in &TARGETS {
        let text = (target.spec)(root)?;
        let files = codegen::generate(&text, target.label)?;
        let files = if target.ships_spec {
            with_spec_copy(files, &text)
        } else {
            files
        };
        generated.push((target, files));
    }
    generated
        .into_iter()
        .map(|(target, files)| {
            codegen::sync_files(&files, &root.join(target.out), mode).map(|o| (target.out, o))
        })
        .collect()
}

/// The real spec with the overlay's `paths` (operation by operation) and
/// `components` (entry by entry) added to it.
pub fn wider_spec(root: &Path) -> Result<String, codegen::CodegenError> {
    let parse = |label: &str, text: &str| {
        serde_json::from_str::<serde_json::Value>(text).map_err(|e| codegen::CodegenError::Syntax {
            spec: label.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    };
    let mut spec = parse(SPEC, &read(&root.join(SPEC))?)?;
    let overlay = parse(FIXTURE_OVERLAY, &read(&root.join(FIXTURE_OVERLAY))?)?;
    for section in ["paths", "components"] {
        let Some(entries) = overlay[section].as_object() else {
            continue;
        };
        for (key, value) in entries {
            let target = &mut spec[section][key];
            match (target.as_object_mut(), value.as_object()) {
                (Some(existing), Some(added)) => {
                    existing.extend(added.iter().map(|(k, v)| (k.clone(), v.clone())))
                }
                _ => *target = value.clone(),
            }
        }
    }
    Ok(serde_json::to_string_pretty(&spec).expect("a JSON value encodes"))
}

fn read(path: &Path) -> Result<String, codegen::CodegenError> {
    std::fs::read_to_string(path).map_err(|source| codegen::CodegenError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Writes a file whole through a temporary file and a rename.
fn write(path: &Path, content: &str) -> Result<(), TaskError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| TaskError::io(dir, source))?;
    }
    let tmp = path.with_extension("tmp-xtask");
    std::fs::write(&tmp, content).map_err(|source| TaskError::io(&tmp, source))?;
    std::fs::rename(&tmp, path).map_err(|source| TaskError::io(path, source))
}
