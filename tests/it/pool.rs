//! A pool of builders: runs sent to a named builder by `--builder NAME` or
//! `defaults.builder`, recorded by its name; two podman services on loopback stand for the
//! pool's machines.

use serde_json::Value;

use crate::harness::{TestEnv, require, stdout};
use crate::podman::PodmanService;

/// The builder a run of `task` (the latest) recorded.
fn builder_of_latest_run(env: &TestEnv, task: &str) -> Value {
    env.json(&[
        "task",
        "list-runs",
        "-n",
        task,
        "--top",
        "1",
        "--query",
        "[0].builder",
    ])
}

#[test]
fn a_run_goes_to_the_named_builder_and_records_its_name() {
    require("podman");
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("pool/base:1");
    let service = PodmanService::start(&env);
    env.ok(&[
        "config",
        "set",
        "builders.pm.kind=podman",
        &format!("builders.pm.url={}", service.url),
    ]);
    let ctx = env.dir_with(
        "pool-app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/pool/base:1\nRUN [\"/bin/busybox\", \"touch\", \"/on-pm\"]\n"),
        )],
    );
    let ctx = ctx.to_str().unwrap();
    let out = env.ok(&["build", "--builder", "pm", "-t", "pool/app:1", ctx]);
    let log = stdout(&out);
    assert!(log.contains(&format!("--url {}", service.url)), "{log}");
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(run["builder"], "pm", "{run}");
    assert_eq!(
        env.file_in_image(&format!("{reg}/pool/app:1"), "/on-pm", None),
        ""
    );

    // A name that is neither a kind nor a builder of the pool names both.
    let err = env.fails(
        &["build", "--builder", "nosuch", "-t", "pool/app:2", ctx],
        2,
    );
    assert!(
        err.contains("unknown builder 'nosuch'")
            && err.contains("buildah, docker, podman")
            && err.contains("pm"),
        "{err}"
    );
    let err = env.fails(&["config", "set", "defaults.builder=nosuch"], 2);
    assert!(err.contains("unknown builder 'nosuch'"), "{err}");

    // defaults.builder names it for a task's runs; --builder with a kind still goes local.
    env.ok(&["config", "set", "defaults.builder=pm"]);
    env.ok(&[
        "task",
        "create",
        "-n",
        "on-pm",
        "-r",
        &reg,
        "-t",
        "pool/task:1",
        "-c",
        ctx,
        "-o",
        "none",
    ]);
    let run = [
        "task",
        "run",
        "-n",
        "on-pm",
        "-r",
        &reg,
        "--no-logs",
        "-o",
        "none",
    ];
    env.ok(&run);
    assert_eq!(builder_of_latest_run(&env, "on-pm"), "pm");
    env.ok(&[&run[..], &["--builder", "buildah"]].concat());
    let local = builder_of_latest_run(&env, "on-pm");
    assert!(local.as_str().unwrap().starts_with("buildah ("), "{local}");
}
