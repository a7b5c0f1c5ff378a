//! The layering docs/architecture.md claims, checked on the source: a module names only
//! modules of its own layer or below (`crate::x` paths, `use crate::{x, y}` groups included).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module's layer, lowest first. A module may use its own layer and those
/// below; an arrow up (error to engine, model to store, ...) fails the test.
const LAYERS: &[&[&str]] = &[
    &["error", "echo"],
    &["template", "host", "model"],
    &[
        "config",
        "registry",
        "store",
        "context",
        "dockerfile",
        "output",
    ],
    &["builder", "settings", "cli", "attest"],
    &["engine"],
    &["watch"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/registry/token.rs` -> `registry`.
fn module_of(src: &Path, file: &Path) -> String {
    let first = file.strip_prefix(src).unwrap().components().next().unwrap();
    let name = first.as_os_str().to_str().unwrap();
    name.strip_suffix(".rs").unwrap_or(name).to_string()
}

fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a source text names through `crate::`.
fn modules_named(text: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut named = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        named.insert(ident(&group[start..j]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        named.insert(ident(&group[start..j]));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            named.insert(ident(rest));
        }
    }
    named.retain(|m| !m.is_empty());
    named
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut upward = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "main" || module == "lib" {
            continue;
        }
        let own = layer_of(&module)
            .unwrap_or_else(|| panic!("{module} is in no layer: add it to LAYERS"));
        let text = without_comments(&std::fs::read_to_string(file).unwrap());
        for used in modules_named(&text) {
            let Some(theirs) = layer_of(&used) else {
                continue;
            };
            if theirs > own {
                upward.push(format!(
                    "{} uses crate::{used}",
                    file.strip_prefix(&src).unwrap().display()
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "arrows up the layers:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_reader_finds_grouped_and_plain_paths() {
    let named = modules_named(
        "use crate::{error::Result, model::{a, b}, echo};\nx = crate::engine::run();",
    );
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["echo", "engine", "error", "model"]
    );
}
