//! The pool's builders as the config names them (`builders.NAME.*`), and `acrt builder
//! list|check` against real builders: this machine's buildah and a Docker daemon of the
//! test's own, reached by its URL.

use serde_json::json;

use crate::harness::TestEnv;

#[test]
fn named_builders_are_listed_and_checked_and_bad_fields_refused() {
    let env = TestEnv::builder().with_docker().build();
    let daemon = env.docker().host.clone();
    // Not in acrt's environment: only the builder's URL names the daemon.
    let env = env
        .without_env("DOCKER_HOST")
        .with_env("ACRT_BUILDER", "buildah");
    let dead = format!("unix://{}", env.path_of_home("no-daemon.sock").display());
    env.ok(&[
        "config",
        "set",
        "builders.dk.kind=docker",
        &format!("builders.dk.url={daemon}"),
        "builders.dk.platforms=linux/amd64",
        "builders.dk.capacity=2",
        "builders.gone.kind=docker",
        &format!("builders.gone.url={dead}"),
    ]);
    for (pair, named) in [
        ("builders.bad.kind=kaniko", "unknown builder"),
        ("builders.dk.capacity=0", "1 or more"),
        ("builders.dk.url=http://x", "not a builder URL"),
        ("builders.local.kind=docker", "this machine's own builder"),
        ("builders.dk.colour=red", "unknown builder field"),
    ] {
        let err = env.fails(&["config", "set", pair], 2);
        assert!(err.contains(named), "{pair}: {err}");
    }
    let list = env.json(&["builder", "list"]);
    assert_eq!(
        list,
        json!([
            {"name": "local", "kind": "buildah", "url": null, "platforms": ["linux/amd64"], "capacity": 1},
            {"name": "dk", "kind": "docker", "url": daemon, "platforms": ["linux/amd64"], "capacity": 2},
            {"name": "gone", "kind": "docker", "url": dead, "platforms": [], "capacity": 1},
        ])
    );
    let checked = env.json(&["builder", "check"]);
    let answers: Vec<(&str, bool)> = checked
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["name"].as_str().unwrap(), b["answers"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        answers,
        [("local", true), ("dk", true), ("gone", false)],
        "{checked}"
    );
    let dk = &checked[1];
    assert_eq!(
        dk["builder"],
        json!(format!("docker (the daemon at {daemon}, BuildKit)")),
        "{checked}"
    );
    let gone = checked[2]["error"].as_str().unwrap();
    assert!(gone.contains("none answers"), "{gone}");
    let one = env.json(&["builder", "check", "dk"]);
    assert_eq!(one.as_array().unwrap().len(), 1);
    let err = env.fails(&["builder", "check", "nosuch"], 3);
    assert!(err.contains("builders.nosuch.kind"), "{err}");
    // A builder left without a kind is named, not skipped.
    env.ok(&["config", "unset", "builders.gone.kind"]);
    let err = env.fails(&["builder", "list"], 2);
    assert!(err.contains("set builders.gone.kind"), "{err}");
}
