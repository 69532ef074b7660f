//! The crate's modules import each other without a circle: `lib.rs` only declares
//! and re-exports them, and every other module's `crate::<module>` paths (outside
//! its tests) form a graph with no cycle. Read from the source, so a new import
//! that closes a circle fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each module of `src/` with the modules it names as `crate::<module>`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|ext| ext != "rs") || name == "lib" || name == "main" {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let code = source.split("#[cfg(test)]").next().unwrap();
        let mut named = BTreeSet::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let modules: Vec<&str> = match rest.strip_prefix('{') {
                    Some(group) => group.split('}').next().unwrap().split(',').collect(),
                    None => vec![rest],
                };
                for module in modules {
                    let module: String = module
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if !module.is_empty() && module != name {
                        named.insert(module);
                    }
                }
            }
        }
        graph.insert(name, named);
    }
    graph
}

#[test]
fn the_modules_import_each_other_without_a_circle() {
    let graph = imports();
    assert!(graph.len() >= 20, "{:?}", graph.keys());
    assert!(
        graph["server"].contains("state"),
        "the reader finds imports"
    );
    // Depth-first search; a module met again on the current path closes a circle.
    fn visit<'g>(
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        module: &'g str,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
    ) {
        if done.contains(module) {
            return;
        }
        if let Some(at) = path.iter().position(|m| *m == module) {
            panic!("import circle: {} -> {module}", path[at..].join(" -> "));
        }
        path.push(module);
        for next in graph.get(module).into_iter().flatten() {
            visit(graph, next, path, done);
        }
        path.pop();
        done.insert(module);
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(&graph, module, &mut Vec::new(), &mut done);
    }
}

#[test]
fn lib_rs_only_declares_and_re_exports() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines().map(str::trim) {
        let allowed = line.is_empty()
            || line.starts_with("//")
            || line.starts_with("#[cfg(")
            || line.starts_with("mod ")
            || line.starts_with("pub use ");
        assert!(allowed, "lib.rs holds more than declarations: {line:?}");
    }
}
