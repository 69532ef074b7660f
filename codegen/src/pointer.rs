//! JSON pointers (RFC 6901) into the spec, the "where" of every codegen error.

use std::fmt;

/// A location in the spec, printed as `#/components/schemas/Intent/oneOf/3`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// This pointer extended by one key or index, escaped as RFC 6901 requires.
    pub fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    /// The pointer a `#/…` reference names.
    pub fn from_ref(reference: &str) -> Self {
        Pointer(reference.trim_start_matches('#').to_owned())
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
