//! Runs against a real registry and real buildah builds.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::harness::{TestEnv, stderr, stdout};

const BASE_DOCKERFILE: &str = "FROM scratch\nCOPY busybox /bin/busybox\nENV NODE_VERSION 9.1\nCMD [\"/bin/busybox\", \"sh\"]\n";
const APP_DOCKERFILE: &str = "ARG REGISTRY_NAME\nFROM ${REGISTRY_NAME}/baseimages/node:9-alpine\n\
                              RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo $NODE_VERSION > /version\"]\n";

/// Builds baseimages/node:9-alpine into registry 0 and returns the context dir.
fn build_base(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.busybox_context("base", &[("Dockerfile-base", BASE_DOCKERFILE)]);
    env.ok(&[
        "build",
        "-t",
        "baseimages/node:9-alpine",
        "-f",
        "Dockerfile-base",
        "--no-logs",
        "-o",
        "none",
        dir.to_str().unwrap(),
    ]);
    dir
}

#[test]
fn quick_build_then_task_run_records_bases_and_outputs() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let base_dir = env.busybox_context("base", &[("Dockerfile-base", BASE_DOCKERFILE)]);
    let out = env.ok(&[
        "build",
        "-t",
        "baseimages/node:9-alpine",
        "-f",
        "Dockerfile-base",
        base_dir.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(
        log.contains("STEP 2/4: COPY busybox /bin/busybox"),
        "the build log is streamed: {log}"
    );
    assert!(
        stderr(&out).contains("Queued a run with ID: "),
        "{}",
        stderr(&out)
    );
    let base_digest = env
        .registry(0)
        .digest("baseimages/node", "9-alpine", None)
        .expect("the base was pushed");
    // As az's service names it: a quick build is a QuickRun.
    assert_eq!(
        env.json(&["task", "list-runs", "--top", "1", "--query", "[0].runType"]),
        "QuickRun"
    );

    let app = env.dir_with("app", &[("Dockerfile-app", APP_DOCKERFILE)]);
    env.json(&[
        "task",
        "create",
        "-n",
        "taskhelloworld",
        "-t",
        "helloworld:{{.Run.ID}}",
        "-t",
        "helloworld:latest",
        "-c",
        app.to_str().unwrap(),
        "-f",
        "Dockerfile-app",
        "--arg",
        &format!("REGISTRY_NAME={reg}"),
    ]);
    let run: Value = {
        let out = env.ok(&["task", "run", "-n", "taskhelloworld", "--no-logs"]);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(run["status"], "Succeeded");
    assert_eq!(run["task"], "taskhelloworld");
    assert_eq!(run["runType"], "QuickRun");
    let run_id = run["runId"].as_str().unwrap();
    assert!(
        run_id.len() == 3 && run_id.ends_with('2'),
        "the second run of the registry: {run_id}"
    );

    // outputImages carry what the registry serves for those tags.
    let outputs = run["outputImages"].as_array().unwrap();
    assert_eq!(outputs.len(), 2);
    for o in outputs {
        let served = env
            .registry(0)
            .digest("helloworld", o["tag"].as_str().unwrap(), None)
            .unwrap();
        assert_eq!(o["digest"], json!(served));
        assert_eq!(o["registry"], json!(reg));
    }
    assert_eq!(outputs[0]["tag"], json!(run_id));

    // The base was resolved to its digest and recorded on the run and the task.
    let expected = json!([{"type": "Runtime", "registry": reg, "repository": "baseimages/node", "tag": "9-alpine", "digest": base_digest}]);
    assert_eq!(run["baseImageDependencies"], expected);
    assert_eq!(
        env.json(&[
            "task",
            "show",
            "-n",
            "taskhelloworld",
            "--query",
            "step.baseImageDependencies"
        ]),
        expected
    );

    // Every push is an event in the store.
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let events = store.push_events_after(0).unwrap();
    let pushed: Vec<(String, Option<String>)> = events
        .iter()
        .map(|e| (e.repository.clone(), e.tag.clone()))
        .collect();
    assert_eq!(
        pushed,
        [
            ("baseimages/node".to_string(), Some("9-alpine".to_string())),
            ("helloworld".to_string(), Some(run_id.to_string())),
            ("helloworld".to_string(), Some("latest".to_string())),
        ]
    );
    assert_eq!(events[0].digest, base_digest);

    let table = stdout(&env.ok(&["task", "list-runs", "-o", "table"]));
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("RUN ID    TASK            PLATFORM    STATUS     TRIGGER    STARTED"),
        "{table}"
    );
    assert!(
        lines[2].contains("taskhelloworld  linux       Succeeded  Manual"),
        "{table}"
    );
    assert_eq!(lines.len(), 4, "{table}");

    let filtered = env.json(&[
        "task",
        "list-runs",
        "-n",
        "taskhelloworld",
        "--query",
        "[].runId",
    ]);
    assert_eq!(filtered, json!([run_id]));
    let by_image = env.json(&[
        "task",
        "list-runs",
        "--image",
        &format!("helloworld:{run_id}"),
        "--query",
        "[].runId",
    ]);
    assert_eq!(by_image, json!([run_id]));
    assert_eq!(
        env.json(&[
            "task",
            "list-runs",
            "--image",
            "nothere",
            "--query",
            "length(@)"
        ]),
        json!(0)
    );
    assert_eq!(
        env.json(&["task", "list-runs", "--top", "1", "--query", "length(@)"]),
        json!(1)
    );
    assert_eq!(
        env.json(&[
            "task",
            "list-runs",
            "--run-status",
            "failed",
            "--query",
            "length(@)"
        ]),
        json!(0)
    );

    let log = stdout(&env.ok(&["task", "logs", "--run-id", run_id]));
    assert!(
        log.contains("Base image (Runtime)") && log.contains("was successful"),
        "{log}"
    );
    let out = env.ok(&["task", "logs", "-n", "taskhelloworld"]);
    assert_eq!(stdout(&out), log);
    let out = env.ok(&["task", "logs"]);
    assert!(stderr(&out).contains("newest run"), "{}", stderr(&out));
    env.fails(&["task", "show-run", "--run-id", "zz99"], 3);
}

#[test]
fn secrets_are_masked_and_failures_exit_1() {
    let env = TestEnv::builder().registry().build();
    build_base(&env);
    let reg = env.registry(0).addr.clone();
    let app = env.dir_with(
        "app",
        &[("Dockerfile", &format!("FROM {reg}/baseimages/node:9-alpine\nARG TOKEN\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo token=$TOKEN; exit 3\"]\n"))],
    );
    let out = env.run(&[
        "build",
        "-t",
        "failing:1",
        "--secret-build-arg",
        "TOKEN=sup3rs3cret",
        app.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let (log, err) = (stdout(&out), stderr(&out));
    assert!(log.contains("token=***"), "{log}");
    assert!(!log.contains("sup3rs3cret") && !err.contains("sup3rs3cret"));
    assert!(
        err.contains("Run failed") && err.contains("acrt task logs --run-id"),
        "{err}"
    );
    let run = env.json(&["task", "list-runs", "--top", "1"]);
    assert_eq!(run[0]["status"], "Failed");
    let run_id = run[0]["runId"].as_str().unwrap();
    let stored = stdout(&env.ok(&["task", "logs", "--run-id", run_id]));
    assert!(
        stored.contains("token=***") && !stored.contains("sup3rs3cret"),
        "{stored}"
    );
}

#[test]
fn credentials_reach_the_builder_for_a_private_base() {
    let env = TestEnv::builder()
        .registry()
        .auth_registry("ci", "pa55w0rd")
        .build();
    let private = env.registry(1).addr.clone();
    let base = env.busybox_context("base", &[("Dockerfile", BASE_DOCKERFILE)]);
    // Quick builds find logins where docker and buildah do: the Docker config file.
    let docker_config = env.dir_with(
        "docker",
        &[(
            "config.json",
            &format!("{{\"auths\": {{\"{private}\": {{\"auth\": \"Y2k6cGE1NXcwcmQ=\"}}}}}}"),
        )],
    );
    let out = env
        .acrt()
        .env("DOCKER_CONFIG", &docker_config)
        .args([
            "build",
            "-r",
            &private,
            "-t",
            "base/node:1",
            "--no-logs",
            "-o",
            "none",
            base.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        env.registry(1)
            .digest("base/node", "1", Some(("ci", "pa55w0rd")))
            .is_some()
    );

    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!("FROM {private}/base/node:1\nENV APP=1\n"),
        )],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "private-base",
        "-t",
        "app:{{.Run.ID}}",
        "-c",
        app.to_str().unwrap(),
    ]);
    let out = env.run(&["task", "run", "-n", "private-base", "--no-logs"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "without credentials the base cannot be read"
    );
    assert!(
        stderr(&out).contains(&private),
        "the error names the registry: {}",
        stderr(&out)
    );

    let out = env
        .acrt()
        .args([
            "task",
            "credential",
            "add",
            "-n",
            "private-base",
            "--login-server",
            &private,
            "-u",
            "ci",
            "--password-stdin",
        ])
        .write_stdin("pa55w0rd")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.ok(&["task", "run", "-n", "private-base"]);
    let log = stdout(&out);
    assert!(!log.contains("pa55w0rd"), "{log}");
    let deps = env.json(&[
        "task",
        "show",
        "-n",
        "private-base",
        "--query",
        "step.baseImageDependencies[0].digest",
    ]);
    assert_eq!(
        deps,
        json!(
            env.registry(1)
                .digest("base/node", "1", Some(("ci", "pa55w0rd")))
                .unwrap()
        )
    );
}

fn wait_for(env: &TestEnv, run_id: &str, wanted: &[&str], limit: Duration) -> Value {
    let start = Instant::now();
    loop {
        let run = env.json(&["task", "show-run", "--run-id", run_id]);
        if wanted.contains(&run["status"].as_str().unwrap()) {
            return run;
        }
        assert!(
            start.elapsed() < limit,
            "run {run_id} stayed {}",
            run["status"]
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A build that sleeps in its RUN step. The nonce keeps buildah's layer cache (shared by all
/// tests on the machine) from answering for it.
fn sleeping_context(env: &TestEnv, seconds: u32) -> std::path::PathBuf {
    let reg = env.registry(0).addr.clone();
    let nonce = env.state_dir().display().to_string();
    env.dir_with(
        "sleepy",
        &[("Dockerfile", &format!(
            "FROM {reg}/baseimages/node:9-alpine\nENV NONCE={nonce}\nRUN [\"/bin/busybox\", \"sleep\", \"{seconds}\"]\n"
        ))],
    )
}

#[test]
fn no_wait_timeout_cancel_and_a_killed_runner() {
    let env = TestEnv::builder().registry().build();
    build_base(&env);
    let sleepy = sleeping_context(&env, 60);
    let sleepy = sleepy.to_str().unwrap();

    // --timeout ends the build and marks it Timeout.
    let started = Instant::now();
    let out = env.run(&["build", "--no-push", "--timeout", "3", sleepy]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Run timed out"), "{}", stderr(&out));
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "the timeout stopped the build"
    );
    assert_eq!(
        env.json(&["task", "list-runs", "--top", "1", "--query", "[0].status"]),
        json!("Timeout")
    );

    // --no-wait returns the queued run at once; cancel-run stops it.
    let started = Instant::now();
    let queued = env.json(&["build", "--no-push", "--no-wait", sleepy]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(queued["status"], "Queued");
    let run_id = queued["runId"].as_str().unwrap().to_string();
    wait_for(&env, &run_id, &["Running"], Duration::from_secs(30));
    // Wait until the RUN step's sleep is there, so that cancel has a build to stop.
    let deadline = Instant::now() + Duration::from_secs(30);
    // (The log file, not `task logs`, which would follow the run to its end.)
    let log_file = env
        .state_dir()
        .join("logs")
        .join(env.registry(0).addr.replace(':', "_"))
        .join(format!("{run_id}.log"));
    while !std::fs::read_to_string(&log_file)
        .unwrap_or_default()
        .contains("STEP 3/3")
    {
        assert!(
            Instant::now() < deadline,
            "the build did not reach its RUN step"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = env.ok(&["task", "cancel-run", "--run-id", &run_id]);
    assert_eq!(stdout(&out), "");
    let run = wait_for(&env, &run_id, &["Canceled"], Duration::from_secs(20));
    assert!(run["finishTime"].is_string());
    // Once the worker has ended, what it last wrote stands.
    let worker = acrt::store::Store::open(&env.state_dir())
        .unwrap()
        .get_run(&acrt::model::RunKey::new(&env.registry(0).addr, &run_id))
        .unwrap()
        .unwrap();
    let started = Instant::now();
    while let Some(pid) = worker.runner_pid
        && acrt::engine::process::runner_alive(pid, worker.runner_start)
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the worker did not end"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        wait_for(&env, &run_id, &["Canceled"], Duration::from_secs(1))["status"],
        "Canceled",
        "the worker kept the Canceled status"
    );
    let err = env.fails(&["task", "cancel-run", "--run-id", &run_id], 1);
    assert!(err.contains("already ended"), "{err}");

    // A runner killed with SIGKILL is shown as Failed, never Running forever.
    let queued = env.json(&["build", "--no-push", "--no-wait", sleepy]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    wait_for(&env, &run_id, &["Running"], Duration::from_secs(30));
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let record = store
        .get_run(&acrt::model::RunKey::new(&env.registry(0).addr, &run_id))
        .unwrap()
        .unwrap();
    let pid = record.runner_pid.expect("the worker is recorded");
    std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    let started = Instant::now();
    while acrt::engine::process::runner_alive(pid, record.runner_start) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the worker outlived kill -9"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Failed");
    assert!(
        run["runErrorMessage"]
            .as_str()
            .unwrap()
            .contains("ended before the run did"),
        "{run}"
    );
    // Stop the orphaned build, which SIGKILL on its parent leaves behind.
    // Only if that group's leader is still the build acrt started (pids are reused).
    let record = store
        .get_run(&acrt::model::RunKey::new(&env.registry(0).addr, &run_id))
        .unwrap()
        .unwrap();
    acrt::engine::process::stop_groups_blocking(&record.groups, Duration::from_secs(5));
}

#[test]
fn run_ids_are_unique_under_concurrent_invocations() {
    let env = TestEnv::builder().registry().build();
    let empty = env.dir_with("empty", &[("README", "no Dockerfile here")]);
    let children: Vec<_> = (0..6)
        .map(|_| {
            env.command()
                .args(["build", "--no-logs", "-o", "none", empty.to_str().unwrap()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert_eq!(
            c.wait().unwrap().code(),
            Some(1),
            "a build without a Dockerfile fails"
        );
    }
    let ids = env.json(&["task", "list-runs", "--query", "[].runId"]);
    let mut ids: Vec<String> = serde_json::from_value(ids).unwrap();
    assert_eq!(ids.len(), 6);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "run IDs are unique");
    let message = env.json(&[
        "task",
        "list-runs",
        "--top",
        "1",
        "--query",
        "[0].runErrorMessage",
    ]);
    assert!(
        message.as_str().unwrap().contains("Dockerfile"),
        "{message}"
    );
}

#[test]
fn archived_runs_outlive_the_retention_period() {
    let env = TestEnv::builder().registry().build();
    let empty = env.dir_with("empty", &[("README", "no Dockerfile")]);
    let fail = |env: &TestEnv| {
        env.run(&["build", "--no-logs", "-o", "none", empty.to_str().unwrap()]);
        env.json(&["task", "list-runs", "--top", "1", "--query", "[0].runId"])
            .as_str()
            .unwrap()
            .to_string()
    };
    let kept = fail(&env);
    let archived = env.json(&[
        "task",
        "update-run",
        "--run-id",
        &kept,
        "--no-archive",
        "false",
    ]);
    assert_eq!(archived["isArchiveEnabled"], true);
    let purged = fail(&env);
    let log = env
        .state_dir()
        .join("logs")
        .join(env.registry(0).addr.replace(':', "_"))
        .join(format!("{purged}.log"));
    assert!(log.is_file(), "{}", log.display());
    env.ok(&["config", "set", "core.run_retention_days=0"]);
    let newest = fail(&env);
    let ids = env.json(&["task", "list-runs", "--query", "[].runId"]);
    assert_eq!(ids, json!([newest, kept]));
    assert!(!log.exists(), "the purged run's log is gone too");
}

#[test]
fn a_missing_builder_is_named_before_any_run_is_queued() {
    let env = TestEnv::builder().registry().build();
    let ctx = env.context();
    let ctx = ctx.to_str().unwrap();
    // A PATH with buildah only: asking for podman names what to install.
    let only_buildah = env.state_dir().with_file_name("only-buildah");
    std::fs::create_dir_all(&only_buildah).unwrap();
    std::os::unix::fs::symlink(
        crate::harness::require("buildah"),
        only_buildah.join("buildah"),
    )
    .unwrap();
    let out = env
        .acrt()
        .env("PATH", &only_buildah)
        .args(["build", "--builder", "podman", ctx])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("'podman' is not installed") && err.contains("apt-get install podman"),
        "{err}"
    );
    let out = env
        .acrt()
        .env("ACRT_BUILDER", "kaniko")
        .args(["build", ctx])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("kaniko"), "{}", stderr(&out));
    // With no builder on PATH at all, the message names what to install.
    let out = env
        .acrt()
        .env("PATH", "/nonexistent")
        .args(["build", ctx])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("install buildah"), "{}", stderr(&out));
    assert_eq!(
        env.json(&["task", "list-runs", "--query", "length(@)"]),
        json!(0)
    );
}

#[test]
fn logs_follow_a_run_in_progress_and_templates_render() {
    let env = TestEnv::builder().registry().build();
    build_base(&env);
    let reg = env.registry(0).addr.clone();
    let nonce = env.state_dir().display().to_string();
    let app = env.dir_with(
        "slow",
        &[("Dockerfile", &format!(
            "FROM {reg}/baseimages/node:9-alpine\nENV NONCE={nonce}\nRUN [\"/bin/busybox\", \"sleep\", \"3\"]\n"
        ))],
    );
    env.json(&["task", "create", "-n", "templated", "-c", app.to_str().unwrap(),
               "-t", "tpl:{{.Values.flavour}}-{{.Run.RegistryName}}-{{.Run.OS}}-{{.Run.Architecture}}-{{.Run.TaskName}}",
               "-t", "tpl:{{.Run.Date}}"]);
    let queued = env.json(&[
        "task",
        "run",
        "-n",
        "templated",
        "--set",
        "flavour=mint",
        "--no-wait",
    ]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let started = Instant::now();
    let log = stdout(&env.ok(&["task", "logs", "--run-id", &run_id]));
    assert!(
        log.contains("was successful"),
        "logs followed the run to its end: {log}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "logs waited for the run"
    );
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(
        run["outputImages"][0]["tag"],
        "mint-127-linux-amd64-templated"
    );
    let date_tag = run["outputImages"][1]["tag"].as_str().unwrap();
    assert!(
        date_tag.len() == 16 && date_tag.as_bytes()[8] == b'-' && date_tag.ends_with('z'),
        "{date_tag}"
    );
}

#[test]
fn a_base_moved_during_the_build_does_not_get_into_the_image() {
    // A builder that, before each build, moves the base's tag to another image: what a push
    // of a patched base during a build does.
    let env0 = TestEnv::builder().registry().build();
    let reg = env0.registry(0).addr.clone();
    let wrapper_dir = env0.dir_with("wrapper", &[("README", "a builder wrapper\n")]);
    let real = crate::harness::require("buildah").display().to_string();
    let wrapper = wrapper_dir.join("buildah");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nif [ \"$1\" = bud ]; then {real} push --quiet --tls-verify=false {reg}/pinned/base:2 docker://{reg}/pinned/base:1 >/dev/null || exit 9; fi\nexec {real} \"$@\"\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();

    let base_dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY version /version\n";
    let v1 = env0.busybox_context("v1", &[("Dockerfile", base_dockerfile), ("version", "1\n")]);
    let v2 = env0.busybox_context("v2", &[("Dockerfile", base_dockerfile), ("version", "2\n")]);
    env0.ok(&[
        "build",
        "-t",
        "pinned/base:1",
        "--no-logs",
        "-o",
        "none",
        v1.to_str().unwrap(),
    ]);
    env0.ok(&[
        "build",
        "-t",
        "pinned/base:2",
        "--no-logs",
        "-o",
        "none",
        v2.to_str().unwrap(),
    ]);
    let v1_digest = env0.registry(0).digest("pinned/base", "1", None).unwrap();
    let v2_digest = env0.registry(0).digest("pinned/base", "2", None).unwrap();

    let path = format!(
        "{}:{}",
        wrapper_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = env0.with_env("PATH", &path);
    let app = env.dir_with(
        "app",
        &[("Dockerfile", &format!("FROM {reg}/pinned/base:1\nRUN [\"/bin/busybox\", \"cp\", \"/version\", \"/app-version\"]\n"))],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "pinnedapp",
        "-t",
        "pinned/app:1",
        "-c",
        app.to_str().unwrap(),
    ]);
    let out = env.ok(&["task", "run", "-n", "pinnedapp"]);
    let log = stdout(&out);
    assert_eq!(
        env.registry(0).digest("pinned/base", "1", None).unwrap(),
        v2_digest,
        "the tag moved during the build"
    );
    assert_eq!(
        env.file_in_image(&format!("{reg}/pinned/app:1"), "/app-version", None),
        "1",
        "the image holds the recorded base, not the one pushed during the build"
    );
    assert!(
        log.contains(&format!(
            "Pinned {reg}/pinned/base:1 to {reg}/pinned/base:1@{v1_digest}"
        )),
        "{log}"
    );
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(
        run["baseImageDependencies"][0]["digest"],
        json!(v1_digest),
        "{run}"
    );
}

#[test]
fn images_name_their_recorded_base_in_their_annotations() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("annot/base:1");
    // More than one instruction after FROM: buildah's own annotation named a layer image then.
    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/annot/base:1\nENV A=1\nENV B=2\nRUN [\"/bin/busybox\", \"true\"]\n"
            ),
        )],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "annotated",
        "-t",
        "annot/app:1",
        "-c",
        app.to_str().unwrap(),
    ]);
    env.ok(&["task", "run", "-n", "annotated", "--no-logs", "-o", "none"]);
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    let recorded = run["baseImageDependencies"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let manifest: Value =
        serde_json::from_str(&env.registry(0).get_manifest("annot/app", "1")).unwrap();
    let annotations = &manifest["annotations"];
    assert_eq!(
        annotations["org.opencontainers.image.base.name"],
        json!(format!("{reg}/annot/base:1")),
        "{manifest}"
    );
    assert_eq!(
        annotations["org.opencontainers.image.base.digest"],
        json!(recorded),
        "{manifest}"
    );
    // check-base's question: is the base tag still where the image says it was built? Yes.
    assert_eq!(
        env.registry(0).digest("annot/base", "1", None),
        Some(recorded)
    );
}

#[test]
fn the_platform_asked_for_is_the_platform_built() {
    the_platform_asked_for_is_built(TestEnv::builder());
}

/// Platforms refused before the build and the machine's own built, on `builder`'s builder.
pub(crate) fn the_platform_asked_for_is_built(builder: crate::harness::TestEnvBuilder) {
    let env = builder.registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("plat/base:1");
    let app = env.dir_with(
        "app",
        &[("Dockerfile", &format!("FROM {reg}/plat/base:1\nENV A=1\n"))],
    );
    let app = app.to_str().unwrap();
    let err = env.fails(
        &["build", "--platform", "windows", "-t", "plat/app:win", app],
        1,
    );
    assert!(err.contains("build linux images"), "{err}");
    assert!(
        env.registry(0).digest("plat/app", "win", None).is_none(),
        "nothing was pushed"
    );
    // An amd64-only base cannot give an arm64 image: refused before the build.
    let err = env.fails(
        &[
            "build",
            "--platform",
            "linux/arm64",
            "-t",
            "plat/app:arm",
            app,
        ],
        1,
    );
    assert!(
        err.contains("needs emulation") || err.contains("is built for linux/amd64 only"),
        "{err}"
    );
    assert!(
        env.registry(0).digest("plat/app", "arm", None).is_none(),
        "nothing was pushed"
    );
    // The platform of this machine builds, and the pushed config says so.
    env.ok(&[
        "build",
        "--platform",
        "linux/amd64",
        "-t",
        "plat/app:1",
        "--no-logs",
        "-o",
        "none",
        app,
    ]);
}
