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
        // Written straight into one buffer: validation joins a pointer for every
        // schema, property and enum value it visits.
        let mut joined = String::with_capacity(self.0.len() + 24);
        joined.push_str(&self.0);
        joined.push('/');
        fmt::write(&mut Escaped(&mut joined), format_args!("{token}"))
            .expect("writing to a String cannot fail");
        Pointer(joined)
    }

    /// The pointer a `#/…` reference names.
    pub fn from_ref(reference: &str) -> Self {
        Pointer(reference.trim_start_matches('#').to_owned())
    }
}

/// Writes a reference token escaped: `~` as `~0`, `/` as `~1`.
struct Escaped<'a>(&'a mut String);

impl fmt::Write for Escaped<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for c in text.chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_as_rfc_6901_says() {
        let pointer = Pointer::root().join("paths").join("/connect/sessions/{id}");
        assert_eq!(pointer.to_string(), "#/paths/~1connect~1sessions~1{id}");
        assert_eq!(Pointer::root().join("a~b").join(3).to_string(), "#/a~0b/3");
    }

    #[test]
    fn a_reference_names_the_pointer_it_points_at() {
        assert_eq!(
            Pointer::from_ref("#/components/schemas/Intent"),
            Pointer::root()
                .join("components")
                .join("schemas")
                .join("Intent")
        );
    }
}
