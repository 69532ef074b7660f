//! The corpus of spec edits in `fixtures/spec-edits/`: each a JSON Patch (RFC 6902)
//! of the first released spec (`spec/released/0.1.0.json`, which never changes, so
//! the corpus stays valid whatever the working spec becomes) with the change it makes, what Gigs calls it and
//! the verdict `semver` should give. The verdict test, the downstream-compile test
//! and the cargo-semver-checks comparison (`scripts/semver-oracle.sh`) all read it.

use crate::{TaskError, read};
use codegen::diff::{self, Change, Class};
use serde::Deserialize;
use std::path::Path;

/// The corpus folder, relative to the workspace root.
pub const SPEC_EDITS: &str = "fixtures/spec-edits";
/// The spec every edit applies to: the API the downstream fixture crate is written
/// against.
pub const CORPUS_BASE: &str = "spec/released/0.1.0.json";

/// One edit of the spec.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecEdit {
    /// The file name without `.json`.
    #[serde(skip)]
    pub name: String,
    /// What the edit does, in the API's words.
    pub change: String,
    /// What Gigs calls it: `non-breaking` (a promise: generated code must keep
    /// compiling), `breaking`, `docs` or `other`.
    pub gigs: String,
    /// The verdict `cargo xtask semver` must give.
    pub expect: String,
    /// Why cargo-semver-checks, which sees only the Rust API, is known to answer
    /// otherwise (a lint it lacks); `scripts/semver-oracle.sh` reports it apart.
    #[serde(default)]
    pub oracle_gap: Option<String>,
    /// The lines `cargo xtask semver` prints for it, verdict aside, when the file
    /// pins them (the edits that once got contradictory or wrong lines do).
    #[serde(default)]
    pub changes: Option<Vec<String>>,
    pub patch: json_patch::Patch,
}

impl SpecEdit {
    /// Gigs promises this kind of change does not break clients.
    pub fn is_promised_non_breaking(&self) -> bool {
        self.gigs == "non-breaking"
    }

    /// The spec text with the edit applied.
    pub fn apply(&self, spec_text: &str) -> Result<String, TaskError> {
        let mut spec: serde_json::Value = serde_json::from_str(spec_text)
            .map_err(|e| TaskError::Release(format!("{CORPUS_BASE}: {e}")))?;
        json_patch::patch(&mut spec, &self.patch)
            .map_err(|e| TaskError::Release(format!("{SPEC_EDITS}/{}.json: {e}", self.name)))?;
        Ok(serde_json::to_string_pretty(&spec).expect("a JSON value encodes"))
    }

    /// How generated headers and errors name the edited spec.
    pub fn label(&self) -> String {
        format!("{CORPUS_BASE} + {SPEC_EDITS}/{}.json", self.name)
    }

    /// What `semver` says of the edit: the changes and the verdict.
    pub fn classify(&self, root: &Path) -> Result<(Vec<Change>, Class), TaskError> {
        let spec = read(&root.join(CORPUS_BASE))?;
        let old = codegen::parse(&spec, CORPUS_BASE)?;
        let new = codegen::parse(&self.apply(&spec)?, &self.label())?;
        let changes = diff::diff(&old, &new);
        let verdict = diff::verdict(&changes);
        Ok((changes, verdict))
    }
}

/// Every edit in the corpus, by file name.
pub fn spec_edits(root: &Path) -> Result<Vec<SpecEdit>, TaskError> {
    let dir = root.join(SPEC_EDITS);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|source| TaskError::io(&dir, source))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let mut edit: SpecEdit = serde_json::from_str(&read(&path)?)
                .map_err(|e| TaskError::Release(format!("{}: {e}", path.display())))?;
            edit.name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(edit)
        })
        .collect()
}

/// Lays out `dir/base` (the corpus base) and `dir/<edit>` for each edit named in
/// `only` (every edit when empty) as scratch workspaces (`crate::scratch`), for
/// tools that compare two builds of the crate, and returns each edit with the
/// verdict `semver` gives it.
pub fn lay_out(
    root: &Path,
    dir: &Path,
    only: &[String],
) -> Result<Vec<(SpecEdit, Class)>, TaskError> {
    let base = read(&root.join(CORPUS_BASE))?;
    let files = codegen::generate(&base, CORPUS_BASE)?;
    crate::scratch::scratch_workspace(root, &dir.join("base"), &files)?;
    let mut laid_out = Vec::new();
    for edit in spec_edits(root)? {
        if !only.is_empty() && !only.contains(&edit.name) {
            continue;
        }
        let files = codegen::generate(&edit.apply(&base)?, &edit.label())?;
        crate::scratch::scratch_workspace(root, &dir.join(&edit.name), &files)?;
        let (_, verdict) = edit.classify(root)?;
        laid_out.push((edit, verdict));
    }
    Ok(laid_out)
}
