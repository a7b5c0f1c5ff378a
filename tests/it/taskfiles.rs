//! Multi-step task files run against the real registry and buildah.

use base64::Engine as _;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::harness::{TestEnv, stderr, stdout, wait_until};

/// An environment with tools/busybox:1 (busybox as its entrypoint) in its registry.
pub(crate) fn with_tools() -> TestEnv {
    with_tools_on(TestEnv::builder())
}

/// [`with_tools`] on the builder `builder` makes (a Docker daemon's, say).
pub(crate) fn with_tools_on(builder: crate::harness::TestEnvBuilder) -> TestEnv {
    let env = builder.registry().build();
    env.push_tools_image();
    env
}

pub(crate) fn run_file(
    env: &TestEnv,
    name: &str,
    yaml: &str,
    extra: &[&str],
) -> (std::process::Output, Value) {
    let dir = env.dir_with(name, &[("acb.yaml", yaml)]);
    let mut args = vec!["run", "-f", "acb.yaml"];
    args.extend_from_slice(extra);
    let dir_s = dir.to_str().unwrap().to_string();
    args.push(&dir_s);
    let out = env.run(&args);
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    (out, run)
}

pub(crate) fn step<'a>(run: &'a Value, id: &str) -> &'a Value {
    run["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step {id} in {run}"))
}

#[test]
fn parallel_steps_join_and_share_the_workspace() {
    let env = with_tools();
    let reg = env.registry(0).addr.clone();
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - id: a\n    when: [\"-\"]\n    cmd: {reg}/tools/busybox:1 sh -c \"sleep 2; echo A > /workspace/a.txt\"\n  - id: b\n    when: [\"-\"]\n    cmd: {reg}/tools/busybox:1 sh -c \"sleep 2; echo B > /workspace/b.txt\"\n  - id: join\n    when: [a, b]\n    cmd: {reg}/tools/busybox:1 sh -c \"cat /workspace/a.txt /workspace/b.txt\"\n"
    );
    let (out, run) = run_file(&env, "parallel", &yaml, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(run["runType"], "QuickRun");
    let log = stdout(&out);
    assert!(log.contains("A\nB"), "the join step read both files: {log}");
    let (a, b, join) = (step(&run, "a"), step(&run, "b"), step(&run, "join"));
    assert!(
        b["startTime"].as_str() < a["finishTime"].as_str()
            && a["startTime"].as_str() < b["finishTime"].as_str(),
        "a and b overlapped: {run}"
    );
    assert!(
        join["startTime"].as_str() >= a["finishTime"].as_str().max(b["finishTime"].as_str()),
        "{run}"
    );
}

#[test]
fn when_bare_dash_as_acr_samples_write_it_starts_both_steps() {
    let env = with_tools();
    let reg = env.registry(0).addr.clone();
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - id: a\n    when: [-]\n    cmd: {reg}/tools/busybox:1 echo from-a\n  - id: b\n    when: [-]\n    cmd: {reg}/tools/busybox:1 echo from-b\n"
    );
    let (out, run) = run_file(&env, "bare-dash", &yaml, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stdout(&out);
    assert!(log.contains("from-a") && log.contains("from-b"), "{log}");
    assert_eq!(step(&run, "a")["status"], "successful", "{run}");
    assert_eq!(step(&run, "b")["status"], "successful", "{run}");
}

#[test]
fn a_build_steps_platform_is_the_pushed_images_platform() {
    let env = TestEnv::builder().registry().build();
    // COPY only: nothing of arm64 executes, so no emulation is needed.
    let yaml = "version: v1.1.0\nsteps:\n  - build: -t $Registry/cross:arm --platform linux/arm64 .\n  - push: [\"$Registry/cross:arm\"]\n";
    let dir = env.dir_with(
        "cross",
        &[
            ("acb.yaml", yaml),
            ("Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n"),
            ("hello.txt", "hello\n"),
        ],
    );
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let registry = env.registry(0);
    let manifest: Value = serde_json::from_str(&registry.get_manifest("cross", "arm")).unwrap();
    let config_digest = manifest["config"]["digest"].as_str().unwrap();
    let config: Value = serde_json::from_str(&registry.get_blob("cross", config_digest)).unwrap();
    assert_eq!(
        (config["os"].as_str(), config["architecture"].as_str()),
        (Some("linux"), Some("arm64")),
        "{config}"
    );
}

#[test]
fn a_build_step_for_a_platform_its_base_lacks_fails_before_building() {
    let env = with_tools();
    let reg = env.registry(0).addr.clone();
    let yaml = "version: v1.1.0\nsteps:\n  - build: -t $Registry/cross:arm --platform linux/arm64 .\n  - push: [\"$Registry/cross:arm\"]\n";
    let dockerfile = format!("FROM {reg}/tools/busybox:1\nENV A=1\n");
    let dir = env.dir_with(
        "lacking",
        &[("acb.yaml", yaml), ("Dockerfile", &dockerfile)],
    );
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        log.contains("is built for linux/amd64 only, not linux/arm64"),
        "{log}"
    );
    assert!(
        env.registry(0).digest("cross", "arm", None).is_none(),
        "nothing was pushed"
    );
}

#[test]
fn a_failing_test_step_stops_the_push_and_ignore_errors_does_not() {
    let env = with_tools();
    let reg = env.registry(0).addr.clone();
    let app = format!("FROM {reg}/tools/busybox:1\nENV APP=1\n");
    let yaml = "version: v1.1.0\nsteps:\n  - id: build\n    build: -t $Registry/app:$ID .\n  - id: test\n    cmd: $Registry/app:$ID false\n  - id: push\n    push: [\"$Registry/app:$ID\"]\n".to_string();
    let dir = env.dir_with("failing", &[("acb.yaml", &yaml), ("Dockerfile", &app)]);
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("step 'test' failed"),
        "{}",
        stderr(&out)
    );
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Failed");
    assert_eq!(
        (
            step(&run, "build")["status"].as_str(),
            step(&run, "test")["status"].as_str(),
            step(&run, "push")["status"].as_str()
        ),
        (Some("successful"), Some("failed"), Some("skipped"))
    );
    let run_id = run["runId"].as_str().unwrap();
    assert!(
        env.registry(0).digest("app", run_id, None).is_none(),
        "nothing was pushed"
    );

    let tolerant = yaml.replace(
        "    cmd: $Registry/app:$ID false\n",
        "    cmd: $Registry/app:$ID false\n    ignoreErrors: true\n",
    );
    let dir = env.dir_with("tolerant", &[("acb.yaml", &tolerant), ("Dockerfile", &app)]);
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    let run_id = run["runId"].as_str().unwrap();
    assert_eq!(
        run["outputImages"][0]["digest"],
        json!(env.registry(0).digest("app", run_id, None).unwrap())
    );
}

#[test]
fn retries_timeouts_aliases_values_and_secret_volumes() {
    let env = with_tools();
    let reg = env.registry(0).addr.clone();
    let token = base64::engine::general_purpose::STANDARD.encode("v0lume-s3cret");
    let yaml = format!(
        "version: v1.1.0\nalias:\n  values:\n    bb: {reg}/tools/busybox:1\nvolumes:\n  - name: creds\n    secret:\n      token.txt: {token}\nsteps:\n  - id: flaky\n    cmd: $bb sh -c \"test -f /workspace/tried || (touch /workspace/tried; exit 1)\"\n    retries: 2\n    retryDelay: 0\n  - id: values\n    cmd: $bb sh -c \"test '{{{{.Values.colour}}}}-{{{{.Values.size}}}}' = blue-large\"\n  - id: secret\n    cmd: $bb sh -c 'cat /run/creds/token.txt; test $$(cat /run/creds/token.txt) = v0lume-s3cret'\n    volumeMounts:\n      - name: creds\n        mountPath: /run/creds\n"
    );
    let dir = env.dir_with(
        "mixed",
        &[
            ("acb.yaml", &yaml),
            ("values.yaml", "colour: red\nsize: large\n"),
        ],
    );
    let out = env.run(&[
        "run",
        "--values",
        "values.yaml",
        "--set",
        "colour=blue",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let log = stdout(&out);
    assert!(log.contains("retry 1 of 2"), "{log}");
    assert!(
        !log.contains("v0lume-s3cret") && log.contains("***"),
        "the secret file is masked: {log}"
    );

    let slow = format!(
        "steps:\n  - id: slow\n    cmd: {reg}/tools/busybox:1 sleep 60\n    timeout: 2\n  - cmd: {reg}/tools/busybox:1 true\n"
    );
    let started = Instant::now();
    let (out, run) = run_file(&env, "slow", &slow, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        step(&run, "slow")["message"]
            .as_str()
            .unwrap()
            .contains("timed out"),
        "{run}"
    );
    assert_eq!(step(&run, "acb_step_1")["status"], "skipped");
}

#[test]
fn bad_files_fail_before_anything_runs() {
    let env = with_tools();
    let yaml = "version: v1.1.0\nsteps:\n  - id: one\n    cmd: x\n  - id: two\n    cmd: y\n    push: [z]\n";
    let (out, run) = run_file(&env, "bad", yaml, &[]);
    assert_eq!(out.status.code(), Some(1));
    let message = run["runErrorMessage"].as_str().unwrap();
    assert!(
        message.contains("line 5")
            && message.contains("'two'")
            && message.contains("single build, cmd, or push"),
        "{message}"
    );
    assert_eq!(run["steps"], Value::Null, "no step started");

    let out = env
        .acrt()
        .args(["run", "-f", "-", "/dev/null"])
        .write_stdin("steps: [\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("task file"), "{}", stderr(&out));
}

#[test]
fn file_and_cmd_tasks_run_like_any_task_and_record_their_bases() {
    file_and_cmd_tasks_run_like_any_task(&with_tools());
}

/// A task file's build and push steps and cmd tasks, on `env`'s builder.
pub(crate) fn file_and_cmd_tasks_run_like_any_task(env: &TestEnv) {
    let reg = env.registry(0).addr.clone();
    let yaml = "version: v1.1.0\nsteps:\n  - build: -t $Registry/filetask:$ID .\n  - push: [\"$Registry/filetask:$ID\"]\n";
    let dir = env.dir_with(
        "filetask",
        &[
            ("acb.yaml", yaml),
            (
                "Dockerfile",
                &format!("FROM {reg}/tools/busybox:1\nENV F=1\n"),
            ),
        ],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "from-file",
        "-c",
        dir.to_str().unwrap(),
        "-f",
        "acb.yaml",
    ]);
    let run: Value = serde_json::from_slice(
        &env.ok(&["task", "run", "-n", "from-file", "--no-logs"])
            .stdout,
    )
    .unwrap();
    assert_eq!(
        (run["status"].as_str(), run["runType"].as_str()),
        (Some("Succeeded"), Some("QuickRun"))
    );
    let base = env.registry(0).digest("tools/busybox", "1", None).unwrap();
    assert_eq!(
        env.json(&[
            "task",
            "show",
            "-n",
            "from-file",
            "--query",
            "step.baseImageDependencies[0].digest"
        ]),
        json!(base)
    );

    env.json(&[
        "task",
        "create",
        "-n",
        "one-cmd",
        "-c",
        "/dev/null",
        "--cmd",
        &format!("{reg}/tools/busybox:1 echo hello-from-cmd"),
    ]);
    let out = env.ok(&["task", "run", "-n", "one-cmd"]);
    assert!(stdout(&out).contains("hello-from-cmd"), "{}", stdout(&out));
    let out = env.ok(&[
        "run",
        "--cmd",
        &format!("{reg}/tools/busybox:1 echo quick-cmd"),
        "/dev/null",
    ]);
    assert!(stdout(&out).contains("quick-cmd"), "{}", stdout(&out));

    // A task file from stdin; networks and privileged are warned about, not silently dropped.
    let piped = format!(
        "networks:\n  - name: n1\nsteps:\n  - cmd: {reg}/tools/busybox:1 echo from-stdin\n    privileged: true\n"
    );
    let out = env
        .acrt()
        .args(["run", "-f", "-", "/dev/null"])
        .write_stdin(piped)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stdout(&out);
    assert!(
        log.contains("from-stdin")
            && log.contains("warning: networks")
            && log.contains("privileged"),
        "{log}"
    );
}

#[test]
fn cancel_run_from_another_process_stops_every_running_step() {
    cancel_run_stops_every_running_step(&with_tools());
}

/// A run of two parallel sleeping cmd steps canceled from another process, on `env`'s builder.
pub(crate) fn cancel_run_stops_every_running_step(env: &TestEnv) {
    let reg = env.registry(0).addr.clone();
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - id: a\n    when: [\"-\"]\n    cmd: {reg}/tools/busybox:1 sleep 300\n  - id: b\n    when: [\"-\"]\n    cmd: {reg}/tools/busybox:1 sleep 300\n  - id: after\n    when: [a, b]\n    cmd: {reg}/tools/busybox:1 true\n"
    );
    let dir = env.dir_with("parallel-sleep", &[("acb.yaml", &yaml)]);
    let queued = env.json(&["run", "--no-wait", "-f", "acb.yaml", dir.to_str().unwrap()]);
    let run_id = queued["runId"].as_str().unwrap().to_string();

    // Both parallel steps are running, each in its own process group, recorded in the store
    // (the worker is another process: nothing is shared with it but the state dir).
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let mut groups = Vec::new();
    wait_until(
        "two running steps recorded",
        Duration::from_secs(120),
        || {
            groups = store
                .run_groups(&acrt::model::RunKey::new(&reg, &run_id))
                .unwrap();
            groups.len() == 2
        },
    );
    let out = env.ok(&["task", "cancel-run", "--run-id", &run_id]);
    assert_eq!(stdout(&out), "");
    wait_until("both steps stopped", Duration::from_secs(30), || {
        groups
            .iter()
            .all(|g| !acrt::engine::process::runner_alive(g.pgid, g.start))
    });
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Canceled", "{run}");
    wait_until(
        "the worker forgot its groups",
        // The worker's cleanup removes the steps' containers first, slow on a loaded machine.
        Duration::from_secs(120),
        || {
            store
                .run_groups(&acrt::model::RunKey::new(&reg, &run_id))
                .unwrap()
                .is_empty()
        },
    );
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(
        run["status"], "Canceled",
        "the worker kept the Canceled status: {run}"
    );
    let log = stdout(&env.ok(&["task", "logs", "--run-id", &run_id]));
    assert!(log.contains("Step ID: after was skipped"), "{log}");
}

#[test]
fn docker_run_options_before_the_image_apply_to_the_step() {
    let env = with_tools();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    let yaml = format!(
        "steps:\n  - id: tty\n    cmd: -t {img} echo hi-from-tty\n  - id: env\n    cmd: -it --rm --network host -e X=1 {img} sh -c 'echo X-is-$X'\n  - id: workdir\n    cmd: -w /workspace/sub {img} sh -c 'echo in-$(pwd)'\n  - id: volume\n    cmd: -v /workspace/out:/out {img} sh -c 'echo mounted > /out/f'\n  - id: read\n    cmd: {img} cat /workspace/out/f\n  - id: ports\n    cmd: -p 80:80 {img} true\n"
    );
    let dir = env.dir_with("options", &[("acb.yaml", &yaml), ("sub/keep", "")]);
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stdout(&out);
    for shown in [
        "hi-from-tty",
        "X-is-1",
        "in-/workspace/sub",
        "mounted",
        "warning: step 'ports': -p cannot be honoured",
    ] {
        assert!(log.contains(shown), "{shown}: {log}");
    }
    assert_eq!(log.matches("-p cannot be honoured").count(), 1, "{log}");
}

#[test]
fn a_cmd_line_mounting_a_host_path_or_an_unknown_option_is_refused_before_the_run() {
    let env = with_tools();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    for (cmd, named) in [
        (format!("-v /etc:/x {img} cat /x/passwd"), "-v /etc:/x"),
        (format!("--cap-add ALL {img} true"), "'--cap-add'"),
        (
            format!("--env-file /etc/environment {img} true"),
            "never reads a host file",
        ),
        (
            format!("--mount type=bind,source=/etc,target=/x {img} true"),
            "host path",
        ),
        (
            format!("--mount type=volume,source=v,target=/v {img} true"),
            "only type=bind",
        ),
    ] {
        let yaml = format!("steps:\n  - cmd: {img} true\n  - cmd: {cmd}\n");
        let (out, run) = run_file(&env, "refused", &yaml, &[]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let message = run["runErrorMessage"].as_str().unwrap();
        assert!(message.contains(named), "{message}");
        assert_eq!(run["steps"], Value::Null, "no step started");
    }
}

#[test]
fn a_cmd_may_start_with_docker_run_options_as_az_takes_it() {
    let env = with_tools();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    let out = env.ok(&[
        "run",
        "--cmd",
        &format!("-e X=1 {img} sh -c 'echo X-is-$X'"),
        "/dev/null",
    ]);
    assert!(stdout(&out).contains("X-is-1"), "{}", stdout(&out));
}

#[test]
fn a_short_name_is_docker_hubs_never_an_image_of_that_name_in_local_storage() {
    let env = TestEnv::builder().registry().private_storage().build();
    env.push_tools_image();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    let buildah = |args: &[&str]| {
        let out = std::process::Command::new("buildah")
            .args(args)
            .envs(env.builder_env())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    // What a short name would find in the builder's storage: localhost/acrt-local-only.
    buildah(&["pull", "--tls-verify=false", &img]);
    buildah(&["tag", &img, "acrt-local-only"]);
    let out = env.run(&[
        "run",
        "--cmd",
        "acrt-local-only echo ran-local",
        "/dev/null",
    ]);
    let log = stdout(&out);
    assert_ne!(out.status.code(), Some(0), "{log}");
    assert!(!log.contains("ran-local"), "{log}");
    assert!(
        log.contains("Image: 'docker.io/library/acrt-local-only:latest'"),
        "{log}"
    );

    // An image a build step tags with a short name is docker.io's, as docker tags it: the
    // next step runs it by that name.
    let yaml = "steps:\n  - build: -t acrt-built-here .\n  - cmd: acrt-built-here echo ran-built\n";
    let dockerfile = format!("FROM {img}\n");
    let dir = env.dir_with("built", &[("acb.yaml", yaml), ("Dockerfile", &dockerfile)]);
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ran-built"), "{}", stdout(&out));
}

#[test]
fn a_cmd_starting_with_an_acr_default_alias_runs_the_image_the_config_points_it_at() {
    let env = with_tools();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    // A mirror of ACR's acr-cli image: here, busybox.
    env.ok(&["config", "set", &format!("task_aliases.acr={img}")]);
    let out = env.ok(&["run", "--cmd", "acr echo ran-as-acr", "/dev/null"]);
    let log = stdout(&out);
    assert!(log.contains("ran-as-acr"), "{log}");
    assert!(log.contains(&format!("Image: '{img}'")), "{log}");

    // The file's own alias wins over the config's; `$acr` is the same alias.
    env.ok(&["config", "set", "task_aliases.acr=localhost:1/not/served:1"]);
    let yaml = format!(
        "version: v1.1.0\nalias:\n  values:\n    acr: {img}\nsteps:\n  - cmd: acr echo own-alias\n  - cmd: $acr echo directive-alias\n"
    );
    let (out, _) = run_file(&env, "own-alias", &yaml, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stdout(&out);
    assert!(
        log.contains("own-alias") && log.contains("directive-alias"),
        "{log}"
    );

    // A v1.0.0 file has no aliases: `acr` is Docker Hub's image of that name.
    env.ok(&["config", "set", &format!("task_aliases.acr={img}")]);
    let (out, _) = run_file(
        &env,
        "old-version",
        "version: v1.0.0\nsteps:\n  - cmd: acr echo not-expanded\n",
        &[],
    );
    let log = stdout(&out);
    assert_ne!(out.status.code(), Some(0), "{log}");
    assert!(!log.contains("not-expanded"), "{log}");
    assert!(
        log.contains("Image: 'docker.io/library/acr:latest'"),
        "{log}"
    );
}

#[test]
fn a_task_alias_the_config_cannot_hold_is_refused() {
    let env = TestEnv::builder().build();
    let err = env.fails(&["config", "set", "task_aliases.acr-cli=img"], 2);
    assert!(err.contains("letters and digits"), "{err}");
    let err = env.fails(&["config", "set", "task_aliases.Registry=img"], 2);
    assert!(err.contains("run's own value"), "{err}");
}

#[test]
fn env_files_mounts_detach_name_and_a_spaced_entrypoint_run_as_docker_runs_them() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = with_tools();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    let yaml = format!(
        "steps:\n  \
         - id: envfile\n    cmd: --env-file vars.env -e OVER=flag {img} sh -c 'echo $FROM_FILE-$OVER'\n  \
         - id: write-env\n    cmd: {img} sh -c 'echo LATE=written-by-a-step > /workspace/late.env'\n  \
         - id: late\n    cmd: --env-file=/workspace/late.env {img} sh -c 'echo late-$LATE'\n  \
         - id: mount\n    cmd: --mount type=bind,source=/workspace/out,target=/out {img} sh -c 'echo mounted-by-mount > /out/f'\n  \
         - id: read\n    cmd: {img} cat /workspace/out/f\n  \
         - id: tool\n    cmd: --entrypoint '/workspace/my tool' {img} first-arg\n  \
         - id: server\n    cmd: -d --name web {img} sleep 300\n  \
         - id: last\n    cmd: {img} echo after-the-detached-one\n"
    );
    let dir = env.dir_with(
        "more-options",
        &[
            ("acb.yaml", &yaml),
            (
                "vars.env",
                "# read as docker reads it\nFROM_FILE=from-file\nOVER=file\n",
            ),
            ("out/keep", ""),
            ("my tool", "#!/bin/busybox sh\necho \"tool-ran-with-$1\"\n"),
        ],
    );
    std::fs::set_permissions(dir.join("my tool"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let started = Instant::now();
    let out = env.run(&["run", dir.to_str().unwrap()]);
    let log = stdout(&out);
    assert!(out.status.success(), "{log}{}", stderr(&out));
    for shown in [
        "from-file-flag",
        "late-written-by-a-step",
        "mounted-by-mount",
        "tool-ran-with-first-arg",
        "Step ID: server is detached",
        "after-the-detached-one",
        "warning: step 'server': --name cannot be honoured",
    ] {
        assert!(log.contains(shown), "{shown}: {log}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(200),
        "the detached step was stopped with the run"
    );
}

#[test]
fn an_env_file_linked_out_of_the_workspace_fails_its_step() {
    let env = with_tools();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    // A link out of the workspace is found when the step starts, and fails it.
    let yaml = format!("steps:\n  - cmd: --env-file link.env {img} true\n");
    let dir = env.dir_with("env-link", &[("acb.yaml", &yaml)]);
    std::os::unix::fs::symlink("/etc/hostname", dir.join("link.env")).unwrap();
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log = format!("{}{}", stdout(&out), stderr(&out));
    assert!(log.contains("link.env") && log.contains("outside"), "{log}");
    assert!(
        log.contains("Step ID: acb_step_0 marked as failed"),
        "{log}"
    );
}

#[test]
fn go_yaml_v2_forms_multi_line_flow_when_and_yaml_1_1_booleans_run() {
    let env = with_tools();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - id: a\n    when: [\n      -\n    ]\n    cmd: {img} false\n    ignoreErrors: yes\n  - id: b\n    when: ['-',]\n    cmd: {img} echo from-b\n  - id: c\n    when: [\n      a,\n      b,\n    ]\n    cmd: {img} echo joined-a-and-b\n"
    );
    let (out, run) = run_file(&env, "go-yaml", &yaml, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stdout(&out);
    assert!(
        log.contains("from-b") && log.contains("joined-a-and-b"),
        "{log}"
    );
    // `ignoreErrors: yes` is true, as go-yaml v2 reads it: a's failure is ignored.
    let a = step(&run, "a");
    assert!(
        a["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("ignored:")),
        "{run}"
    );
    assert!(
        step(&run, "c")["startTime"].as_str() >= a["finishTime"].as_str(),
        "{run}"
    );
}
