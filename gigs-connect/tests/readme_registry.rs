//! The crate README works where a registry user reads it (crates.io, docs.rs, the
//! unpacked package): no link into the repository's folders, and dependency lines
//! that name this crate's published version.

const README: &str = include_str!("../README.md");

/// Every `](target)` of a markdown link or image.
fn link_targets(markdown: &str) -> Vec<&str> {
    markdown
        .match_indices("](")
        .map(|(at, _)| {
            let rest = &markdown[at + 2..];
            &rest[..rest.find(')').expect("a link target ends")]
        })
        .collect()
}

#[test]
fn every_link_is_absolute_or_an_anchor_of_the_readme() {
    let targets = link_targets(README);
    assert!(targets.len() > 3, "{targets:?}");
    for target in targets {
        assert!(
            target.starts_with("https://") || target.starts_with('#'),
            "a relative link breaks on a registry page: {target}"
        );
    }
}

#[test]
fn dependency_lines_name_the_published_version() {
    let version = env!("CARGO_PKG_VERSION");
    let major_minor = version.rsplit_once('.').unwrap().0;
    let lines: Vec<&str> = README
        .lines()
        .filter(|line| line.contains("gigs-connect = "))
        .collect();
    assert!(
        lines.contains(&format!("gigs-connect = \"{major_minor}\"").as_str()),
        "{lines:?}"
    );
    for line in lines {
        let requirement = line.split_once("gigs-connect = ").unwrap().1;
        assert!(
            requirement.starts_with(&format!("\"{major_minor}\""))
                || requirement.contains(&format!("version = \"{major_minor}\"")),
            "not a registry dependency on {major_minor}: {line}"
        );
    }
}
