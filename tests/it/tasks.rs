use serde_json::json;

use crate::harness::{TestEnv, stdout};

fn redactions() -> insta::internals::SettingsBindDropGuard {
    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".creationDate", "[creationDate]");
    for field in ["createdAt", "lastModifiedAt"] {
        settings.add_redaction(&format!(".systemData.{field}"), "[time]");
    }
    for field in ["createdBy", "lastModifiedBy"] {
        settings.add_redaction(&format!(".systemData.{field}"), "[user]");
    }
    settings.add_redaction(".step.contextPath", "[context]");
    settings.bind_to_scope()
}

#[test]
fn create_show_list_delete_tour() {
    let env = TestEnv::new();
    let created = env.create_task("taskhello", &["-t", "hello:{{.Run.ID}}", "--arg", "A=1"]);
    assert_eq!(created["name"], "taskhello");
    assert_eq!(created["step"]["type"], "Docker");
    assert_eq!(
        created["step"]["contextPath"],
        env.context().canonicalize().unwrap().to_str().unwrap()
    );

    let shown = env.json(&["task", "show", "-n", "taskhello"]);
    assert_eq!(shown, created);
    {
        let _guard = redactions();
        insta::assert_json_snapshot!("docker_task", shown);
    }

    env.json(&[
        "task",
        "create",
        "-n",
        "taskother",
        "-c",
        "https://example.com/org/other.git#main",
        "-t",
        "other:v1",
        "--base-image-trigger-enabled",
        "false",
        "--schedule",
        "0 4 * * *",
    ]);
    env.json(&[
        "task",
        "create",
        "-n",
        "taskcmd",
        "-c",
        "/dev/null",
        "--cmd",
        "busybox date",
        "--status",
        "Disabled",
    ]);
    let names = env.json(&["task", "list", "--query", "[].name"]);
    assert_eq!(names, json!(["taskcmd", "taskhello", "taskother"]));

    let table = stdout(&env.ok(&[
        "task",
        "list",
        "-o",
        "table",
        "--query",
        "[?name!='taskhello']",
    ]));
    // Under --query the automatic layout applies; the task layout needs the unfiltered list.
    assert!(
        table.starts_with("BaseImageUpdate    CreationDate"),
        "{table}"
    );
    env.ok(&["task", "delete", "-n", "taskhello", "--yes"]);
    let table = stdout(&env.ok(&["task", "list", "-o", "table"]));
    insta::assert_snapshot!("task_list_table", table);

    assert_eq!(
        env.json(&["task", "list", "--query", "[].name"]),
        json!(["taskcmd", "taskother"])
    );
    let err = env.fails(&["task", "show", "-n", "taskhello"], 3);
    assert!(
        err.contains("does not exist") && err.contains("acrt task list"),
        "{err}"
    );
}

#[test]
fn task_kinds_follow_az_rules() {
    let env = TestEnv::new();
    let file_task = env.create_task(
        "filetask",
        &["-f", "acb.yaml", "--set", "a=1", "--set-secret", "s=2"],
    );
    assert_eq!(file_task["step"]["type"], "FileTask");
    assert_eq!(file_task["step"]["taskFilePath"], "acb.yaml");
    assert_eq!(
        file_task["step"]["values"],
        json!([{"name": "a", "value": "1", "isSecret": false}, {"name": "s", "value": null, "isSecret": true}])
    );

    let docker = env.create_task("dockertask", &["-f", "build/Dockerfile.prod"]);
    assert_eq!(docker["step"]["dockerFilePath"], "build/Dockerfile.prod");

    let cmd = env.json(&[
        "task",
        "create",
        "-n",
        "cmdtask",
        "-c",
        "/dev/null",
        "--cmd",
        "busybox echo hi",
    ]);
    {
        let _guard = redactions();
        insta::assert_json_snapshot!("cmd_task", cmd);
    }
    assert_eq!(cmd["step"]["contextPath"], serde_json::Value::Null);

    let from_stdin = env
        .acrt()
        .args([
            "task",
            "create",
            "-n",
            "stdintask",
            "-c",
            "/dev/null",
            "-f",
            "-",
        ])
        .write_stdin("version: v1.1.0\nsteps:\n  - cmd: busybox echo hi\n")
        .output()
        .unwrap();
    assert!(
        from_stdin.status.success(),
        "{}",
        String::from_utf8_lossy(&from_stdin.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&from_stdin.stdout).unwrap();
    assert_eq!(v["step"]["type"], "EncodedTask");
    assert_eq!(
        v["step"]["encodedTaskContent"],
        "dmVyc2lvbjogdjEuMS4wCnN0ZXBzOgogIC0gY21kOiBidXN5Ym94IGVjaG8gaGkK"
    );
}

#[test]
fn git_contexts_get_a_commit_trigger_with_the_token_hidden() {
    let env = TestEnv::new();
    let t = env.json(&[
        "task",
        "create",
        "-n",
        "gittask",
        "-c",
        "https://github.com/org/app.git#release:src",
        "-t",
        "app:{{.Run.ID}}",
        "--git-access-token",
        "ghp_SECRET",
        "--schedule",
        "0 3 * * *",
        "--schedule",
        "hourly:0 * * * *",
    ]);
    let trigger = &t["trigger"]["sourceTriggers"][0];
    assert_eq!(trigger["sourceTriggerEvents"], json!(["commit"]));
    assert_eq!(trigger["sourceRepository"]["branch"], "release");
    assert_eq!(trigger["sourceRepository"]["sourceControlType"], "Github");
    assert_eq!(
        trigger["sourceRepository"]["sourceControlAuthProperties"]["token"],
        json!(null)
    );
    assert_eq!(t["step"]["contextAccessToken"], json!(null));
    assert_eq!(
        t["trigger"]["timerTriggers"],
        json!([{"name": "t1", "schedule": "0 3 * * *", "status": "Enabled"},
               {"name": "hourly", "schedule": "0 * * * *", "status": "Enabled"}])
    );
    let table = stdout(&env.ok(&["task", "show", "-n", "gittask", "-o", "table"]));
    assert!(table.contains("BASE_IMAGE, SOURCE, TIMER"), "{table}");

    let secure = env.json(&["task", "show", "-n", "gittask", "--with-secure-properties"]);
    assert_eq!(secure["step"]["contextAccessToken"], "ghp_SECRET");
    assert_eq!(
        secure["trigger"]["sourceTriggers"][0]["sourceRepository"]["sourceControlAuthProperties"]["token"],
        "ghp_SECRET"
    );

    for args in [
        &["task", "list"][..],
        &["task", "show", "-n", "gittask", "-o", "yaml"],
        &["task", "list", "-o", "tsv"],
    ] {
        let out = env.ok(args);
        assert!(
            !stdout(&out).contains("ghp_SECRET"),
            "{args:?} printed the token"
        );
    }

    let off = env.json(&[
        "task",
        "update",
        "-n",
        "gittask",
        "--commit-trigger-enabled",
        "FALSE",
    ]);
    assert_eq!(off["trigger"]["sourceTriggers"][0]["status"], "Disabled");
    let local = env.json(&[
        "task",
        "update",
        "-n",
        "gittask",
        "-c",
        env.context().to_str().unwrap(),
    ]);
    assert_eq!(local["trigger"]["sourceTriggers"], json!(null));
}

#[test]
fn update_changes_only_what_is_given() {
    let env = TestEnv::new();
    let before = env.create_task(
        "updatable",
        &[
            "-t",
            "a:1",
            "-t",
            "a:latest",
            "--arg",
            "X=1",
            "--secret-arg",
            "S=2",
            "--platform",
            "linux/arm64",
            "--cpu",
            "4",
            "--timeout",
            "600",
            "--target",
            "final",
            "--no-cache",
        ],
    );
    let after = env.json(&["task", "update", "-n", "updatable", "--status", "disabled"]);
    let mut expected = before.clone();
    expected["status"] = json!("Disabled");
    // The change is recorded: when, and by whom.
    let changed = &after["systemData"];
    assert!(changed["lastModifiedAt"].as_str() > before["systemData"]["lastModifiedAt"].as_str());
    assert_eq!(changed["createdAt"], before["creationDate"]);
    assert_eq!(changed["lastModifiedBy"], before["systemData"]["createdBy"]);
    expected["systemData"]["lastModifiedAt"] = changed["lastModifiedAt"].clone();
    assert_eq!(after, expected);

    let after = env.json(&[
        "task",
        "update",
        "-n",
        "updatable",
        "--base-image-trigger-type",
        "all",
        "--update-trigger-endpoint",
        "https://ci.example.com/hook",
        "--no-push",
    ]);
    assert_eq!(
        after["trigger"]["baseImageTrigger"]["baseImageTriggerType"],
        "All"
    );
    assert_eq!(
        after["trigger"]["baseImageTrigger"]["updateTriggerEndpoint"],
        "https://ci.example.com/hook"
    );
    assert_eq!(after["step"]["isPushEnabled"], false);
    assert_eq!(after["step"]["imageNames"], before["step"]["imageNames"]);
    assert_eq!(
        after["platform"],
        json!({"os": "linux", "architecture": "arm64", "variant": null})
    );
    assert_eq!(after["agentConfiguration"]["cpu"], 4);
    assert_eq!(after["timeout"], 600);

    let secure = env.json(&[
        "task",
        "show",
        "-n",
        "updatable",
        "--with-secure-properties",
    ]);
    assert_eq!(
        secure["step"]["arguments"][1],
        json!({"name": "S", "value": "2", "isSecret": true})
    );

    // Turning it into a task-file task keeps the context and drops Dockerfile settings.
    let file_task = env.json(&["task", "update", "-n", "updatable", "-f", "acb.yaml"]);
    assert_eq!(file_task["step"]["type"], "FileTask");
    assert_eq!(
        file_task["step"]["contextPath"],
        before["step"]["contextPath"]
    );

    let err = env.fails(&["task", "update", "-n", "missing1"], 3);
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn bare_secret_args_take_the_environment_and_never_leak() {
    let env = TestEnv::builder()
        .default_registry("localhost:5000")
        .env("NPM_TOKEN", "tok-from-env")
        .build();
    let t = env.create_task("envtask", &["--secret-arg", "NPM_TOKEN", "-t", "x:1"]);
    assert_eq!(
        t["step"]["arguments"][0],
        json!({"name": "NPM_TOKEN", "value": null, "isSecret": true})
    );
    let secure = env.json(&["task", "show", "-n", "envtask", "--with-secure-properties"]);
    assert_eq!(secure["step"]["arguments"][0]["value"], "tok-from-env");

    let err = env.fails(
        &[
            "task",
            "update",
            "-n",
            "envtask",
            "--secret-arg",
            "UNSET_VAR",
        ],
        2,
    );
    assert!(err.contains("UNSET_VAR") && err.contains("export"), "{err}");
    // A bad value next to a secret is reported without the secret.
    let err = env.fails(
        &[
            "task",
            "update",
            "-n",
            "envtask",
            "--secret-arg",
            "K=hunter2",
            "--platform",
            "mac",
        ],
        2,
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn validation_errors_exit_2_and_change_nothing() {
    let env = TestEnv::new();
    env.create_task("keeper", &["-t", "k:1"]);
    let before = env.store_snapshot();
    let ctx = env.context();
    let ctx = ctx.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["task", "create", "-n", "bad", "-c", ctx], "task name"),
        (
            &["task", "create", "-n", "bad name", "-c", ctx],
            "task name",
        ),
        (
            &[
                "task",
                "create",
                "-n",
                "cron1",
                "-c",
                ctx,
                "--schedule",
                "0 0 3 * * *",
            ],
            "5 cron fields",
        ),
        (
            &[
                "task",
                "create",
                "-n",
                "cron2",
                "-c",
                ctx,
                "--schedule",
                "99 * * * *",
            ],
            "invalid schedule",
        ),
        (
            &[
                "task",
                "create",
                "-n",
                "enum1",
                "-c",
                ctx,
                "--status",
                "Sometimes",
            ],
            "invalid value",
        ),
        (
            &[
                "task", "create", "-n", "both1", "-c", ctx, "--cmd", "x", "-f", "a.yaml",
            ],
            "cannot be used with",
        ),
        (
            &[
                "task", "create", "-n", "query1", "-c", ctx, "--query", "[[[",
            ],
            "invalid --query",
        ),
        (&["task", "create", "-n", "noctx1"], "--context"),
        (
            &["task", "create", "-n", "nodir1", "-c", "/does/not/exist"],
            "does not exist",
        ),
        (
            &[
                "task",
                "create",
                "-n",
                "plat1",
                "-c",
                ctx,
                "--platform",
                "darwin/amd64",
            ],
            "unknown OS",
        ),
        (
            &["task", "create", "-n", "setx1", "-c", ctx, "--set", "a=b"],
            "multi-step",
        ),
        (&["task", "update", "-n", "keeper", "--timeout", "0"], "0"),
        (
            &[
                "task",
                "update",
                "-n",
                "keeper",
                "--platform",
                "linux/sparc",
            ],
            "architecture",
        ),
        (
            &[
                "task",
                "update",
                "-n",
                "keeper",
                "--update-trigger-endpoint",
                "ftp://x",
            ],
            "http",
        ),
        (
            &[
                "task",
                "update",
                "-n",
                "keeper",
                "--commit-trigger-enabled",
                "maybe",
            ],
            "boolean",
        ),
        (
            &["task", "identity", "assign", "-n", "keeper"],
            "managed identities",
        ),
        (&["task", "delete", "-n", "keeper"], "--yes"),
        (&["task", "list", "-o", "xml"], "invalid value"),
    ];
    for (args, needle) in cases {
        let err = env.fails(args, 2);
        assert!(
            err.contains(needle),
            "acrt {args:?}: expected '{needle}' in: {err}"
        );
    }
    assert_eq!(env.store_snapshot(), before);
}

#[test]
fn delete_asks_on_a_terminal() {
    let env = TestEnv::new();
    env.json(&[
        "task",
        "create",
        "-n",
        "asked",
        "-c",
        "/dev/null",
        "--cmd",
        "busybox true",
    ]);
    let acrt = assert_cmd::cargo::cargo_bin("acrt");
    // `script` gives acrt a pseudo-terminal, as a person at a shell has.
    let on_terminal = |answer: &str| {
        let out = std::process::Command::new("script")
            .args([
                "-qec",
                &format!("{} task delete -n asked", acrt.display()),
                "/dev/null",
            ])
            .envs(
                env.command()
                    .get_envs()
                    .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
            )
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(answer.as_bytes())?;
                child.wait_with_output()
            })
            .expect("`script` (util-linux) runs acrt on a terminal; install it with scripts/setup");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = on_terminal("n\n");
    assert!(shown.contains("Delete the task 'asked'"), "{shown}");
    assert_eq!(
        env.json(&["task", "list", "--query", "[].name"]),
        json!(["asked"])
    );
    on_terminal("y\n");
    assert_eq!(env.json(&["task", "list", "--query", "[].name"]), json!([]));
}

/// `task update -f -` reads the task file before it opens the write transaction: while it
/// waits on stdin, another command can change the store.
#[test]
fn update_from_stdin_holds_no_lock_while_it_reads() {
    use std::io::Write as _;
    use std::time::Duration;
    let env = TestEnv::new();
    env.create_task("fromstdin", &[]);
    let mut update = env.command();
    update
        .args(["task", "update", "-n", "fromstdin", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut update = update.spawn().unwrap();
    let wchan = format!("/proc/{}/wchan", update.id());
    crate::harness::wait_until(
        "the update to wait on stdin",
        Duration::from_secs(30),
        || std::fs::read_to_string(&wchan).is_ok_and(|w| w.contains("pipe")),
    );
    let mut other = env.command();
    other
        .args([
            "task",
            "create",
            "-n",
            "meanwhile",
            "-c",
            "/dev/null",
            "--cmd",
            "echo hi",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut other = other.spawn().unwrap();
    let mut status = None;
    crate::harness::wait_until(
        "a create beside the waiting update to finish",
        Duration::from_secs(10),
        || {
            status = other.try_wait().unwrap();
            status.is_some()
        },
    );
    assert!(status.unwrap().success());
    let mut stdin = update.stdin.take().unwrap();
    stdin
        .write_all(b"version: v1.1.0\nsteps:\n  - cmd: echo updated\n")
        .unwrap();
    drop(stdin);
    let out = update.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let task = env.json(&["task", "show", "-n", "fromstdin"]);
    assert_eq!(task["step"]["type"], "EncodedTask", "{task}");
}
