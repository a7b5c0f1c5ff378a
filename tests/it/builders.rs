//! The pool's builders as the config names them (`builders.NAME.*`), and `acrt builder
//! list|show|check` against real builders: this machine's buildah, a Docker daemon and a
//! podman service of the test's own, reached by their URLs.

use serde_json::json;
use std::time::Duration;

use crate::harness::{TestEnv, require, stdout, wait_until};
use crate::podman::{PodmanService, sleeping_build};

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

/// Queues a build that sleeps (with `args`), and waits until `builder show NAME` shows a run
/// going: the run's id, and what was shown.
fn sleeping_run_shown_on(env: &TestEnv, name: &str, args: &[&str]) -> (String, serde_json::Value) {
    let sleepy = sleeping_build(env);
    let build = [
        &["build", "--no-push", "--no-wait"],
        args,
        &[sleepy.to_str().unwrap()],
    ]
    .concat();
    let queued = env.json(&build);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let mut shown = json!(null);
    wait_until(
        &format!("the run shown on {name}"),
        Duration::from_secs(60),
        || {
            shown = env.json(&["builder", "show", name]);
            shown["running"].as_array().is_some_and(|r| !r.is_empty())
        },
    );
    (run_id, shown)
}

/// `builder show` names what a builder is building now: a run sent to a podman service is
/// shown on it, not on this machine's builder, until it is canceled.
#[test]
fn a_builder_is_shown_with_the_runs_it_is_building() {
    require("podman");
    let env = TestEnv::builder()
        .registry()
        .build()
        .with_env("ACRT_BUILDER", "buildah");
    let service = PodmanService::start(&env);
    env.ok(&[
        "config",
        "set",
        "builders.pm.kind=podman",
        &format!("builders.pm.url={}", service.url),
        "builders.pm.capacity=2",
        // Nothing listens on port 1: the builder is shown as not answering.
        "builders.far.kind=podman",
        "builders.far.url=tcp://127.0.0.1:1",
    ]);
    let (run_id, shown) = sleeping_run_shown_on(&env, "pm", &["--builder", "pm"]);
    assert_eq!(shown["name"], "pm", "{shown}");
    assert_eq!(shown["kind"], "podman", "{shown}");
    assert_eq!(shown["url"], json!(service.url), "{shown}");
    assert_eq!(shown["capacity"], 2, "{shown}");
    assert_eq!(shown["answers"], true, "{shown}");
    assert_eq!(shown["running"][0]["runId"], json!(run_id), "{shown}");
    let local = env.json(&["builder", "show", "local"]);
    assert_eq!(local["running"], json!([]), "{local}");
    assert_eq!(local["answers"], true, "{local}");
    let table = stdout(&env.ok(&["builder", "show", "pm", "-o", "table"]));
    assert!(table.lines().nth(2).unwrap().ends_with(&run_id), "{table}");

    env.ok(&["task", "cancel-run", "--run-id", &run_id]);
    let shown = env.json(&["builder", "show", "pm"]);
    assert_eq!(shown["running"], json!([]), "{shown}");

    insta::assert_snapshot!(
        "builder_show_far",
        stdout(&env.ok(&["builder", "show", "far", "-o", "table"]))
    );
    let err = env.fails(&["builder", "show", "nosuch"], 3);
    assert!(
        err.contains("no builder is named 'nosuch' (the builders: local, far, pm)"),
        "{err}"
    );
}

/// `builders.local.platforms|capacity` configure this machine's builder, checked as a named
/// builder's are, and `builder list|show` show them; its kind and URL stay
/// `defaults.builder` and `core.builder_url`.
#[test]
fn the_local_builder_s_platforms_and_capacity_are_configured_and_shown() {
    let env = TestEnv::builder()
        .build()
        .with_env("ACRT_BUILDER", "buildah");
    env.ok(&[
        "config",
        "set",
        "builders.local.capacity=3",
        "builders.local.platforms=linux/amd64,linux/arm64",
    ]);
    for (pair, named) in [
        ("builders.local.capacity=0", "1 or more"),
        (
            "builders.local.platforms=linux/sparc",
            "unknown architecture",
        ),
        ("builders.local.kind=docker", "defaults.builder"),
        ("builders.local.url=tcp://10.0.0.2:8888", "core.builder_url"),
    ] {
        let err = env.fails(&["config", "set", pair], 2);
        assert!(
            err.contains(named) && err.contains("builders.local."),
            "{pair}: {err}"
        );
    }
    let list = env.json(&["builder", "list"]);
    assert_eq!(
        list,
        json!([{
            "name": "local", "kind": "buildah", "url": null,
            "platforms": ["linux/amd64", "linux/arm64"], "capacity": 3,
        }])
    );
    insta::assert_snapshot!(
        "builder_show_local_configured",
        stdout(&env.ok(&["builder", "show", "local", "-o", "table"]))
    );
    env.ok(&["config", "unset", "builders.local.platforms"]);
    let shown = env.json(&["builder", "show", "local"]);
    let here = match std::env::consts::ARCH {
        "aarch64" => "linux/arm64",
        _ => "linux/amd64",
    };
    assert_eq!(shown["platforms"], json!([here]), "{shown}");
    assert_eq!(shown["capacity"], 3, "{shown}");
}

/// A multi-platform run is shown on each builder one of its platforms goes to, from the
/// moment it is queued: here while its amd64 build sleeps on this machine, on the podman
/// service that builds its arm64 image.
#[test]
fn a_builder_is_shown_with_the_runs_it_builds_a_platform_of() {
    require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let service = PodmanService::start(&env);
    crate::pool::name_podman_builder_for(&env, "arm", &service.url, "linux/arm64");
    let both = ["--platform", "linux/amd64,linux/arm64"];
    let (run_id, shown) = sleeping_run_shown_on(&env, "arm", &both);
    assert_eq!(shown["running"][0]["runId"], json!(run_id), "{shown}");
    let local = env.json(&["builder", "show", "local"]);
    assert_eq!(local["running"][0]["runId"], json!(run_id), "{local}");
    env.ok(&["task", "cancel-run", "--run-id", &run_id]);
    let shown = env.json(&["builder", "show", "arm"]);
    assert_eq!(shown["running"], json!([]), "{shown}");
}
