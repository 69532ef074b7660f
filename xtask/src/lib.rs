//! The project's tasks, as a library so the drift test runs the very code that
//! `cargo xtask codegen` runs. All generation logic lives in `codegen`.

use std::path::{Path, PathBuf};

pub use codegen::{Mode, Outcome};

/// The spec, relative to the workspace root; also how generated headers name it.
pub const SPEC: &str = "spec/connect-sessions.json";
/// The generated folder, relative to the workspace root.
pub const GENERATED: &str = "gigs-connect/src/generated";
/// The one command that brings generated code up to date.
pub const FIX_COMMAND: &str = "cargo xtask codegen";

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}

/// Regenerates (or, with `Mode::Check`, checks) the client in the workspace at `root`.
pub fn codegen(root: &Path, mode: Mode) -> Result<Outcome, codegen::CodegenError> {
    codegen::sync(&root.join(SPEC), SPEC, &root.join(GENERATED), mode)
}
