//! Mirror tasks (`task create --import-source`): a public base kept fresh in one's own
//! registry, and what is built on the copy rebuilt in the same watch cycle.

use serde_json::{Value, json};

use crate::harness::{TestEnv, stdout};

/// Builds registry A's base/node:1 (a busybox image with `patch` in its environment).
fn push_base(env: &TestEnv, patch: &str) {
    let dir = env.busybox_context(
        &format!("base-{patch}"),
        &[(
            "Dockerfile",
            &format!("FROM scratch\nCOPY busybox /bin/busybox\nENV PATCH={patch}\n"),
        )],
    );
    env.ok(&[
        "build",
        "-t",
        "base/node:1",
        "--no-logs",
        "-o",
        "none",
        dir.to_str().unwrap(),
    ]);
}

fn runs_of(env: &TestEnv, registry: &str) -> Vec<Value> {
    let runs = env.json(&["task", "list-runs", "-r", registry, "--query", "reverse(@)"]);
    runs.as_array().unwrap().clone()
}

#[test]
fn a_mirror_reimports_a_changed_source_and_its_push_rebuilds_the_app_once() {
    let env = TestEnv::builder().registry().registry().build();
    let a = env.registry(0).addr.clone();
    let b = env.registry(1).addr.clone();
    push_base(&env, "1");

    let mirror = env.json(&[
        "task",
        "create",
        "-n",
        "mirror-node",
        "-r",
        &b,
        "--import-source",
        &format!("{a}/base/node:1"),
        "-t",
        "mirror/node:1",
    ]);
    assert_eq!(
        mirror["step"],
        json!({
            "baseImageDependencies": null,
            "contextAccessToken": null,
            "contextPath": null,
            "imageNames": ["mirror/node:1"],
            "importSource": format!("{a}/base/node:1"),
            "type": "Import"
        })
    );
    env.ok(&[
        "task",
        "run",
        "-n",
        "mirror-node",
        "-r",
        &b,
        "--no-logs",
        "-o",
        "none",
    ]);
    assert_eq!(
        env.registry(1).digest("mirror/node", "1", None),
        env.registry(0).digest("base/node", "1", None),
        "the copy is the source"
    );
    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!("FROM {b}/mirror/node:1\nENV APP=1\n"),
        )],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "app-on-copy",
        "-r",
        &b,
        "-c",
        app.to_str().unwrap(),
        "-t",
        "app:1",
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "run",
        "-n",
        "app-on-copy",
        "-r",
        &b,
        "--no-logs",
        "-o",
        "none",
    ]);
    let before = runs_of(&env, &b).len();

    // Nothing changed: a cycle starts nothing.
    env.ok(&["watch", "--once"]);
    assert_eq!(runs_of(&env, &b).len(), before);

    // A new push to A's tag: one cycle imports it, then rebuilds the app, once each.
    push_base(&env, "2");
    env.ok(&["watch", "--once"]);
    let runs = runs_of(&env, &b);
    let new: Vec<&Value> = runs[before..].iter().collect();
    let tasks: Vec<&str> = new.iter().map(|r| r["task"].as_str().unwrap()).collect();
    assert_eq!(tasks, ["mirror-node", "app-on-copy"], "{new:?}");
    for run in &new {
        assert_eq!(run["status"], "Succeeded", "{run}");
        assert!(run["imageUpdateTrigger"].is_object(), "{run}");
    }
    assert_eq!(
        env.registry(1).digest("mirror/node", "1", None),
        env.registry(0).digest("base/node", "1", None),
        "the copy follows the source"
    );
    let table = stdout(&env.ok(&["task", "list-runs", "-r", &b, "-o", "table"]));
    assert_eq!(table.matches("Image Update").count(), 2, "{table}");

    // And the next cycle, with nothing changed, starts nothing.
    env.ok(&["watch", "--once"]);
    assert_eq!(runs_of(&env, &b).len(), runs.len());

    // What a mirror has no use for is refused, not ignored.
    let err = env.fails(
        &[
            "task",
            "create",
            "-n",
            "bad-mirror",
            "-r",
            &b,
            "--import-source",
            &format!("{a}/base/node:1"),
            "--arg",
            "A=1",
        ],
        2,
    );
    assert!(
        err.contains("--arg") && err.contains("mirror task"),
        "{err}"
    );

    // The graph shows the mirror in the chain.
    let graph = env.json(&["task", "graph", "-r", &b]);
    for (from, to) in [
        (format!("{a}/base/node:1"), "task:mirror-node".to_string()),
        ("task:mirror-node".to_string(), format!("{b}/mirror/node:1")),
        (format!("{b}/mirror/node:1"), "task:app-on-copy".to_string()),
    ] {
        assert!(
            graph["edges"]
                .as_array()
                .unwrap()
                .contains(&json!({"from": from, "to": to})),
            "{from} -> {to} in {graph}"
        );
    }
    let reached = env.json(&[
        "task",
        "graph",
        "-r",
        &b,
        "--base",
        &format!("{a}/base/node:1"),
    ]);
    assert_eq!(
        reached["nodes"],
        json!([
            format!("{a}/base/node:1"),
            "task:mirror-node",
            format!("{b}/mirror/node:1"),
            "task:app-on-copy",
            format!("{b}/app:1")
        ]),
        "what a patch of the source rebuilds, in order"
    );
}

/// A source that wants a login is read with the task's own (`task credential add`).
#[test]
fn a_mirror_reads_a_private_source_with_the_task_s_login() {
    let env = TestEnv::builder()
        .auth_registry("mirror", "s3cret")
        .registry()
        .build();
    let a = env.registry(0).addr.clone();
    let b = env.registry(1).addr.clone();
    let login = env.run_with_stdin(
        &["login", "-r", &a, "-u", "mirror", "--password-stdin"],
        "s3cret\n",
    );
    assert!(login.status.success());
    push_base(&env, "1");
    env.ok(&["logout", "-r", &a]);

    env.ok(&[
        "task",
        "create",
        "-n",
        "private-mirror",
        "-r",
        &b,
        "--import-source",
        &format!("{a}/base/node:1"),
        "-t",
        "mirror/node:1",
        "-o",
        "none",
    ]);
    let run_mirror = [
        "task",
        "run",
        "-n",
        "private-mirror",
        "-r",
        &b,
        "--no-logs",
        "-o",
        "none",
    ];
    let out = env.run(&run_mirror);
    assert_eq!(
        out.status.code(),
        Some(1),
        "no login: the source cannot be read"
    );
    env.ok(&[
        "task",
        "credential",
        "add",
        "-n",
        "private-mirror",
        "-r",
        &b,
        "--login-server",
        &a,
        "-u",
        "mirror",
        "-p",
        "s3cret",
        "-o",
        "none",
    ]);
    env.ok(&run_mirror);
    assert_eq!(
        env.registry(1).digest("mirror/node", "1", None),
        env.registry(0)
            .digest("base/node", "1", Some(("mirror", "s3cret")))
    );
}
