//! A pool of builders: runs sent to a named builder by `--builder NAME` or
//! `defaults.builder`, recorded by its name; two podman services on loopback stand for the
//! pool's machines.

use serde_json::Value;

use crate::harness::{TestEnv, free_port, require, stdout};
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

/// Names a podman builder of the pool at `url`.
fn name_podman_builder(env: &TestEnv, name: &str, url: &str) {
    let (kind, url) = (
        format!("builders.{name}.kind=podman"),
        format!("builders.{name}.url={url}"),
    );
    env.ok(&["config", "set", &kind, &url]);
}

#[test]
fn a_run_goes_to_the_named_builder_and_records_its_name() {
    require("podman");
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("pool/base:1");
    let dockerfile =
        format!("FROM {reg}/pool/base:1\nRUN [\"/bin/busybox\", \"touch\", \"/on-pm\"]\n");
    let ctx = env.dir_with("pool-app", &[("Dockerfile", &dockerfile)]);
    let ctx = ctx.to_str().unwrap();
    let service = PodmanService::start(&env);
    name_podman_builder(&env, "pm", &service.url);
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

/// The image-update run of `task` (the one watch started).
fn image_update_run(env: &TestEnv, task: &str) -> Value {
    let runs = crate::watch_graph::image_update_runs_of(env, task);
    assert_eq!(runs.len(), 1, "{task} ran once for the base: {runs:?}");
    runs[0].clone()
}

/// A pool of two podman services and this machine's builder takes a base patch's six runs:
/// the three tasks on the base at once, one on each builder, then each dependent after its
/// upstream; every run records its builder. A third service that does not answer is skipped
/// and reported.
#[test]
fn watch_runs_due_tasks_across_the_pool_in_the_graph_s_order() {
    require("podman");
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_patched_base("fleet/base:1", "1");
    let services = [PodmanService::start(&env), PodmanService::start(&env)];
    for (name, service) in ["p1", "p2"].iter().zip(&services) {
        name_podman_builder(&env, name, &service.url);
    }
    let gone = format!("tcp://127.0.0.1:{}", free_port());
    name_podman_builder(&env, "gone", &gone);
    let uppers = ["upper-a", "upper-b", "upper-c"];
    for up in uppers {
        env.built_task(
            up,
            &reg,
            &format!("fleet/{up}:1"),
            &format!(
                "FROM {reg}/fleet/base:1\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"cat /patch.txt > /{up}\"]\n"
            ),
        );
        env.built_task(
            &format!("{up}-dep"),
            &reg,
            &format!("fleet/{up}-dep:1"),
            &format!(
                "FROM {reg}/fleet/{up}:1\nRUN [\"/bin/busybox\", \"cp\", \"/{up}\", \"/dep\"]\n"
            ),
        );
    }

    env.push_patched_base("fleet/base:1", "2");
    let report = env.json(&["watch", "--once", "-o", "json"]);
    let skipped = &report["skippedBuilders"];
    assert_eq!(skipped.as_array().unwrap().len(), 1, "{report}");
    assert_eq!(skipped[0]["name"], "gone", "{report}");
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("does not answer"),
        "{report}"
    );

    let upstream_runs: Vec<Value> = uppers.iter().map(|up| image_update_run(&env, up)).collect();
    let mut builders: Vec<String> = upstream_runs
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "Succeeded", "{r}");
            let b = r["builder"].as_str().unwrap();
            match b.starts_with("buildah (") {
                true => "local".to_string(),
                false => b.to_string(),
            }
        })
        .collect();
    builders.sort();
    assert_eq!(builders, ["local", "p1", "p2"], "{upstream_runs:?}");
    // All three were started before any of them ended: they ran at once.
    let first_end = upstream_runs
        .iter()
        .map(|r| r["finishTime"].as_str().unwrap())
        .min()
        .unwrap();
    for r in &upstream_runs {
        assert!(
            r["createTime"].as_str().unwrap() < first_end,
            "{upstream_runs:?}"
        );
    }
    for (up, upstream) in uppers.iter().zip(&upstream_runs) {
        let dep = image_update_run(&env, &format!("{up}-dep"));
        assert_eq!(dep["status"], "Succeeded", "{dep}");
        assert!(
            dep["createTime"].as_str().unwrap() >= upstream["finishTime"].as_str().unwrap(),
            "{up}-dep started after {up} ended: {upstream} {dep}"
        );
        let on = dep["builder"].as_str().unwrap();
        assert!(
            ["p1", "p2"].contains(&on) || on.starts_with("buildah ("),
            "{dep}"
        );
        assert_eq!(
            env.file_in_image(&format!("{reg}/fleet/{up}-dep:1"), "/dep", None),
            "2",
            "{up}-dep was built on {up}'s new image"
        );
    }
}
