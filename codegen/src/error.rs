//! What can go wrong in codegen, each with the place in the spec it concerns.

use crate::pointer::Pointer;
use std::fmt;
use std::path::PathBuf;

/// One problem found in the spec.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where in the spec.
    pub pointer: Pointer,
    /// What is wrong, as a lowercase sentence.
    pub message: String,
}

impl Problem {
    pub fn new(pointer: Pointer, message: impl Into<String>) -> Self {
        Problem {
            pointer,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Why generation failed. Nothing is written when it does.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec file is not JSON.
    #[error("{spec}:{line}:{column}: spec is not valid JSON: {message}")]
    Syntax {
        spec: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The spec does not have the shape of the OpenAPI subset codegen reads.
    #[error("{spec}: {problem}")]
    Shape { spec: String, problem: Problem },
    /// The spec parsed but breaks rules codegen relies on; every problem is listed.
    #[error("{spec}: {} problem(s) in the spec:\n{}", problems.len(), list(problems))]
    Invalid {
        spec: String,
        problems: Vec<Problem>,
    },
    /// The generated tokens did not parse as Rust: a bug in codegen, not in the spec.
    #[error("generated code for {file} does not parse as Rust (a codegen bug): {message}")]
    Emit { file: String, message: String },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl CodegenError {
    /// Every problem this error reports, for tests and tools that match on them.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            CodegenError::Shape { problem, .. } => vec![problem.clone()],
            CodegenError::Invalid { problems, .. } => problems.clone(),
            _ => Vec::new(),
        }
    }
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}
