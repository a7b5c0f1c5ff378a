//! The Dockerfile corpus (tests/data/dockerfiles): each `NAME.expect` gives the bases
//! BuildKit resolves for `NAME.Dockerfile` (or the `file:` it names), or the error it
//! refuses it with; `acrt scan -o json` must agree.

use serde_json::Value;
use std::path::{Path, PathBuf};

use crate::harness::{TestEnv, stderr};

#[derive(Default)]
struct Case {
    file: String,
    args: Vec<String>,
    target: Option<String>,
    platform: Option<String>,
    runtime: Option<String>,
    buildtime: Vec<String>,
    error: Option<String>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dockerfiles")
}

fn read_case(expect: &Path) -> Case {
    let name = expect.file_stem().unwrap().to_string_lossy().into_owned();
    let mut case = Case {
        file: format!("{name}.Dockerfile"),
        ..Case::default()
    };
    for line in std::fs::read_to_string(expect).unwrap().lines() {
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{name}: bad line {line:?}"));
        let value = value.to_string();
        match key {
            "file" => case.file = value,
            "args" => case.args = value.split_whitespace().map(str::to_string).collect(),
            "target" => case.target = Some(value),
            "platform" => case.platform = Some(value),
            "runtime" => case.runtime = Some(value),
            "buildtime" => case.buildtime.push(value),
            "error" => case.error = Some(value),
            other => panic!("{name}: unknown key {other}"),
        }
    }
    case
}

/// An image as the corpus writes it: registry/repository[:tag][@digest], or scratch.
fn reference(base: &Value) -> String {
    if base["registry"].is_null() {
        return "scratch".into();
    }
    let mut r = format!(
        "{}/{}",
        base["registry"].as_str().unwrap(),
        base["repository"].as_str().unwrap()
    );
    if let Some(tag) = base["tag"].as_str() {
        r.push_str(&format!(":{tag}"));
    }
    if let Some(digest) = base["digest"].as_str() {
        r.push_str(&format!("@{digest}"));
    }
    r
}

/// What is wrong with one case, if anything.
fn check(env: &TestEnv, name: &str, case: &Case) -> Option<String> {
    let mut args = vec!["scan".to_string(), "-o".into(), "json".into()];
    args.extend(["--file".into(), case.file.clone()]);
    for a in &case.args {
        args.extend(["--build-arg".into(), a.clone()]);
    }
    if let Some(t) = &case.target {
        args.extend(["--target".into(), t.clone()]);
    }
    if let Some(p) = &case.platform {
        args.extend(["--platform".into(), p.clone()]);
    }
    args.push(corpus().display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.run(&args);
    if let Some(error) = &case.error {
        let err = stderr(&out);
        return (out.status.code() != Some(2) || !err.contains(error.as_str())).then(|| {
            format!(
                "{name}: expected exit 2 with {error:?}, got {:?}: {err}",
                out.status.code()
            )
        });
    }
    if !out.status.success() {
        return Some(format!("{name}: failed: {}", stderr(&out)));
    }
    let bases: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let runtime: Vec<String> = bases
        .iter()
        .filter(|b| b["type"] == "Runtime")
        .map(reference)
        .collect();
    let buildtime: Vec<String> = bases
        .iter()
        .filter(|b| b["type"] == "BuildTime")
        .map(reference)
        .collect();
    let want_runtime: Vec<String> = case.runtime.iter().cloned().collect();
    (runtime != want_runtime || buildtime != case.buildtime).then(|| {
        format!(
            "{name}: runtime {runtime:?} buildtime {buildtime:?}, BuildKit: runtime {want_runtime:?} buildtime {:?}",
            case.buildtime
        )
    })
}

#[test]
fn acrt_scan_resolves_bases_as_buildkit_does() {
    let env = TestEnv::new();
    let mut expects: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "expect"))
        .collect();
    expects.sort();
    assert!(expects.len() >= 60, "the corpus is there");
    let failures: Vec<String> = expects
        .iter()
        .filter_map(|e| {
            let name = e.file_stem().unwrap().to_string_lossy().into_owned();
            check(&env, &name, &read_case(e))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from BuildKit:\n{}",
        failures.len(),
        expects.len(),
        failures.join("\n")
    );
}
