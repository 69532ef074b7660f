//! Spec text → doc comments. The text is documentation, never code: rustdoc
//! compiles and runs fenced blocks without a language (or marked `rust`) and
//! indented blocks as doctests, so text from the spec would otherwise be compiled
//! and run by `cargo test`.

use serde_json::Value;

/// A doc comment from a description and an example.
pub(super) fn doc(
    description: Option<&str>,
    example: Option<&Value>,
    fallback: impl FnOnce() -> String,
) -> String {
    let mut doc = description
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(never_compiled)
        .unwrap_or_else(fallback);
    if let Some(example) = example {
        let example = serde_json::to_string(example).expect("JSON value serializes");
        doc.push_str(&format!("\n\nExample: `{example}`"));
    }
    doc
}

/// `text` with every code block made plain text: fences get the `text` language,
/// and lines indented like an indented code block lose the indentation.
pub(crate) fn never_compiled(text: &str) -> String {
    let mut out = Vec::new();
    // The open fence's character and length; a fence closes with at least as many.
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match (fence, marker) {
            (None, Some(c)) if run >= 3 => {
                fence = Some((c, run));
                out.push(format!("{}text", c.to_string().repeat(run)));
            }
            (Some((open, len)), Some(c))
                if c == open && run >= len && trimmed[run..].trim().is_empty() =>
            {
                fence = None;
                out.push(c.to_string().repeat(run));
            }
            (Some(_), _) => out.push(line.to_owned()),
            (None, _) if line.starts_with("    ") || line.starts_with('\t') => {
                out.push(trimmed.to_owned())
            }
            (None, _) => out.push(line.to_owned()),
        }
    }
    if let Some((c, len)) = fence {
        // An unclosed fence would swallow the rest of the item's docs.
        out.push(c.to_string().repeat(len));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::never_compiled;

    #[test]
    fn fenced_blocks_become_text_whatever_their_language() {
        let text = "Call it:\n```\npanic!()\n```\nor\n~~~rust\nstd::process::exit(1)\n~~~";
        assert_eq!(
            never_compiled(text),
            "Call it:\n```text\npanic!()\n```\nor\n~~~text\nstd::process::exit(1)\n~~~"
        );
    }

    #[test]
    fn indented_code_blocks_lose_their_indentation() {
        assert_eq!(
            never_compiled("Run:\n\n    panic!()\n\tloop {}"),
            "Run:\n\npanic!()\nloop {}"
        );
    }

    #[test]
    fn an_unclosed_fence_is_closed_and_plain_text_is_kept() {
        assert_eq!(
            never_compiled("a\n  - b\n````\nx"),
            "a\n  - b\n````text\nx\n````"
        );
    }
}
