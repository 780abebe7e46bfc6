//! The shape of the code (docs/architecture.md), checked on the source: dependencies point
//! one way (`http` → `crm` → `store`), no two modules of a layer import each other in a
//! cycle, only the store names tables, and HTTP neither checks rights nor picks modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each source file of `dir` (recursively) as (module name, text without its tests).
fn sources(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                out.push((name, code));
            }
        }
    }
    out
}

/// The sibling modules a file of `layer` refers to (`super::x`, `crate::layer::x`).
fn siblings(layer: &str, code: &str, names: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let prefixes = ["super::".to_owned(), format!("crate::{layer}::")];
    for prefix in &prefixes {
        for (at, _) in code.match_indices(prefix.as_str()) {
            let rest = &code[at + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
            // `use super::{a, b::c}` names several.
            if rest.starts_with('{') {
                let list = &rest[1..rest.find('}').unwrap_or(1)];
                found.extend(
                    list.split(',')
                        .map(|p| p.trim().split("::").next().unwrap_or("").to_owned()),
                );
            }
        }
    }
    found.retain(|n| names.contains(n));
    found
}

fn assert_acyclic(layer: &str) {
    let files = sources(layer);
    let names: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, code) in &files {
        let mut deps = siblings(layer, code, &names);
        deps.remove(name);
        deps.remove("mod");
        edges.entry(name.clone()).or_default().extend(deps);
    }
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = edges[start].iter().collect();
        while let Some(next) = stack.pop() {
            assert_ne!(next, start, "{layer}::{start} is on an import cycle");
            if seen.insert(next.clone()) {
                stack.extend(edges.get(next).into_iter().flatten());
            }
        }
    }
}

#[test]
fn no_import_cycles_within_a_layer() {
    for layer in ["http", "crm", "store"] {
        assert_acyclic(layer);
    }
}

#[test]
fn dependencies_point_from_http_to_crm_to_store() {
    for (name, code) in sources("store") {
        assert!(
            !code.contains("crate::crm") && !code.contains("crate::http"),
            "store::{name} reaches up"
        );
    }
    for (name, code) in sources("crm") {
        assert!(!code.contains("crate::http"), "crm::{name} reaches up");
    }
}

#[test]
fn only_the_store_names_tables_and_http_only_extracts() {
    for (name, code) in sources("crm") {
        assert!(
            !code.contains("\"crm_") && !code.contains("\"admin_"),
            "crm::{name} names a table"
        );
    }
    for (name, code) in sources("http") {
        assert!(
            !code.contains("require_admin"),
            "http::{name} checks rights itself"
        );
        assert!(
            !code.contains("ptr::eq"),
            "http::{name} picks a module by identity"
        );
    }
}
