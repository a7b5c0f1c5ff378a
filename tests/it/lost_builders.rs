//! A builder that stops answering during a build: two podman services on loopback stand for
//! the pool's machines, and one is killed (its whole process group) while a RUN step of the
//! build waits on the test. The run fails naming it, or, when its task says
//! `--retry-elsewhere`, is built once more on the other; a RUN that fails on a builder
//! that still answers is neither a loss nor retried.

use serde_json::{Value, json};
use std::io::{Read as _, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crate::harness::{TestEnv, require, stderr, stdout, wait_until};
use crate::podman::PodmanService;

/// An HTTP endpoint a RUN step fetches with busybox wget. While it is held, each request is
/// kept unanswered and counted (the build is then in its RUN step, where the test sees it);
/// once opened, every request is answered at once.
struct Gate {
    port: u16,
    held: Arc<AtomicUsize>,
    open: Arc<AtomicBool>,
}

impl Gate {
    fn start() -> Gate {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (held, open) = (
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let (counted, opened) = (held.clone(), open.clone());
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            for stream in listener.incoming().flatten() {
                if !opened.load(Ordering::SeqCst) {
                    kept.push(stream);
                    counted.fetch_add(1, Ordering::SeqCst);
                    continue;
                }
                std::thread::spawn(move || answer(stream));
            }
        });
        Gate { port, held, open }
    }

    /// Waits until a request is held: the build is in its RUN step.
    fn wait_held(&self) {
        wait_until("the RUN step's request", Duration::from_secs(120), || {
            self.held.load(Ordering::SeqCst) > 0
        });
    }

    fn open(&self) {
        self.open.store(true, Ordering::SeqCst);
    }

    /// Holds the requests that come from now on.
    fn close(&self) {
        self.held.store(0, Ordering::SeqCst);
        self.open.store(false, Ordering::SeqCst);
    }
}

/// Reads a request's head and answers it with `ok`.
fn answer(mut stream: std::net::TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    let _ = stream.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
}

/// Two podman services named `pa` and `pb` in the pool (this machine's builder is buildah).
fn two_services(env: &TestEnv) -> (PodmanService, PodmanService) {
    let services = (PodmanService::start(env), PodmanService::start(env));
    env.ok(&[
        "config",
        "set",
        "builders.pa.kind=podman",
        &format!("builders.pa.url={}", services.0.url),
        "builders.pb.kind=podman",
        &format!("builders.pb.url={}", services.1.url),
    ]);
    (services.0, services.1)
}

/// A task `name` whose image's RUN step runs `run` (busybox's argv, JSON), with `extra`
/// options.
fn task_running(env: &TestEnv, name: &str, run: &str, extra: &[&str]) {
    // The nonce keeps the services' shared layer cache from answering for the RUN step.
    let nonce = env.state_dir().display().to_string();
    let dockerfile =
        format!("FROM scratch\nCOPY busybox /bin/busybox\nENV NONCE={nonce}\nRUN {run}\n");
    let ctx = env.busybox_context(name, &[("Dockerfile", &dockerfile)]);
    let reg = env.registry(0).addr.clone();
    let image = format!("lost/{name}:1");
    let create = [
        "task",
        "create",
        "-n",
        name,
        "-r",
        &reg,
        "-t",
        &image,
        "-c",
        ctx.to_str().unwrap(),
        "--timeout",
        "600",
        "-o",
        "none",
    ];
    env.ok(&[&create[..], extra].concat());
}

/// A RUN step that fetches the gate's answer into /answer.
fn fetching(gate: &Gate) -> String {
    format!(
        "[\"/bin/busybox\", \"wget\", \"-q\", \"-O\", \"/answer\", \"http://127.0.0.1:{}/\"]",
        gate.port
    )
}

/// `task run` of `task` on the builder `pa`, started and not waited for.
fn run_on_pa(env: &TestEnv, task: &str) -> std::process::Child {
    let reg = env.registry(0).addr.clone();
    env.command()
        .args([
            "task",
            "run",
            "-n",
            task,
            "-r",
            &reg,
            "--builder",
            "pa",
            "--no-logs",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn latest_run(env: &TestEnv, task: &str) -> Value {
    env.json(&[
        "task",
        "list-runs",
        "-n",
        task,
        "--top",
        "1",
        "--query",
        "[0]",
    ])
}

fn log_of(env: &TestEnv, run: &Value) -> String {
    let run_id = run["runId"].as_str().unwrap();
    stdout(&env.ok(&["task", "logs", "--run-id", run_id]))
}

/// The message a run whose builder `pa` at `url` was lost gives.
fn lost_message(url: &str, run: &Value, task: &str) -> String {
    format!(
        "builder 'pa' ({url}) stopped answering during the build of run {} of task {task}",
        run["runId"].as_str().unwrap()
    )
}

#[test]
fn a_builder_lost_mid_build_is_named_and_the_run_lands_on_another() {
    require("podman");
    let env = TestEnv::builder()
        .registry()
        .build()
        .with_env("ACRT_BUILDER", "buildah");
    let (mut pa, pb) = two_services(&env);
    let gate = Gate::start();
    task_running(
        &env,
        "moved",
        &fetching(&gate),
        &["--retry-elsewhere", "true"],
    );

    let running = run_on_pa(&env, "moved");
    gate.wait_held();
    gate.open();
    pa.kill_group();
    let out = running.wait_with_output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    let run = latest_run(&env, "moved");
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(run["builder"], "pb", "{run}");
    let lost = &run["lostBuilders"];
    assert_eq!(lost.as_array().map(Vec::len), Some(1), "{run}");
    assert_eq!(lost[0]["name"], "pa", "{run}");
    assert_eq!(lost[0]["url"], json!(pa.url), "{run}");
    assert!(
        lost[0]["error"].as_str().unwrap().contains("podman"),
        "{run}"
    );
    let log = log_of(&env, &run);
    for said in [
        format!("--url {}", pa.url),
        lost_message(&pa.url, &run, "moved"),
        "trying the run once more on builder 'pb'".to_string(),
        format!("--url {}", pb.url),
    ] {
        assert!(log.contains(&said), "the log says {said:?}: {log}");
    }
    let reg = env.registry(0).addr.clone();
    assert_eq!(
        env.file_in_image(&format!("{reg}/lost/moved:1"), "/answer", None),
        "ok"
    );
}

/// Watch starts a base patch's run on the builder the task built on last; that builder is
/// lost mid-build, and the task's `--retry-elsewhere` lands the run on another builder of
/// watch's pool.
#[test]
fn a_run_watch_started_is_retried_elsewhere_when_its_builder_is_lost() {
    require("podman");
    let env = TestEnv::builder()
        .registry()
        .build()
        .with_env("ACRT_BUILDER", "buildah");
    let reg = env.registry(0).addr.clone();
    let (mut pa, _pb) = two_services(&env);
    let gate = Gate::start();
    gate.open();
    env.push_patched_base("lost/base:1", "1");
    let dockerfile = format!("FROM {reg}/lost/base:1\nRUN {}\n", fetching(&gate));
    let ctx = env.dir_with("watched", &[("Dockerfile", &dockerfile)]);
    env.ok(&[
        "task",
        "create",
        "-n",
        "watched",
        "-r",
        &reg,
        "-t",
        "lost/watched:1",
        "-c",
        ctx.to_str().unwrap(),
        "--retry-elsewhere",
        "true",
        "-o",
        "none",
    ]);
    // Built on pa: watch prefers the builder that built the task last.
    let out = run_on_pa(&env, "watched").wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    gate.close();
    env.push_patched_base("lost/base:1", "2");
    let watching = env
        .command()
        .args(["watch", "--once", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    gate.wait_held();
    gate.open();
    pa.kill_group();
    let out = watching.wait_with_output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    let runs = crate::watch_graph::image_update_runs_of(&env, "watched");
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run = &runs[0];
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(run["lostBuilders"][0]["name"], "pa", "{run}");
    let on = run["builder"].as_str().unwrap();
    assert!(
        on == "pb" || on.starts_with("buildah ("),
        "landed elsewhere: {run}"
    );
    let log = log_of(&env, run);
    assert!(
        log.contains(&lost_message(&pa.url, run, "watched")),
        "{log}"
    );
    assert_eq!(
        env.file_in_image(&format!("{reg}/lost/watched:1"), "/patch.txt", None),
        "2"
    );
}

#[test]
fn without_retry_elsewhere_a_lost_builder_fails_the_run_naming_it() {
    require("podman");
    let env = TestEnv::builder()
        .registry()
        .build()
        .with_env("ACRT_BUILDER", "buildah");
    let (mut pa, pb) = two_services(&env);
    let gate = Gate::start();
    task_running(&env, "stays", &fetching(&gate), &[]);

    let running = run_on_pa(&env, "stays");
    gate.wait_held();
    gate.open();
    pa.kill_group();
    let out = running.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let run = latest_run(&env, "stays");
    assert_eq!(run["status"], "Failed", "{run}");
    assert_eq!(run["builder"], "pa", "{run}");
    assert_eq!(run["lostBuilders"][0]["name"], "pa", "{run}");
    let said = lost_message(&pa.url, &run, "stays");
    let message = run["runErrorMessage"].as_str().unwrap();
    assert!(message.starts_with(&said), "{message}");
    assert!(
        message.ends_with("; see whether it answers with 'acrt builder check pa'"),
        "{message}"
    );
    let err = stderr(&out);
    assert!(err.contains(&said), "{err}");
    assert!(
        err.contains("see whether it answers with 'acrt builder check pa'"),
        "{err}"
    );
    let log = log_of(&env, &run);
    assert!(!log.contains(&pb.url), "never tried on pb: {log}");
}

#[test]
fn a_run_step_that_fails_on_a_live_builder_is_not_retried() {
    require("podman");
    let env = TestEnv::builder()
        .registry()
        .build()
        .with_env("ACRT_BUILDER", "buildah");
    let (_pa, pb) = two_services(&env);
    let failing = "[\"/bin/busybox\", \"sh\", \"-c\", \"exit 1\"]";
    task_running(&env, "broken", failing, &["--retry-elsewhere", "true"]);

    let out = run_on_pa(&env, "broken").wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let run = latest_run(&env, "broken");
    assert_eq!(run["status"], "Failed", "{run}");
    assert_eq!(run["builder"], "pa", "{run}");
    assert!(run.get("lostBuilders").is_none(), "{run}");
    let message = run["runErrorMessage"].as_str().unwrap();
    assert!(
        message.contains("exited with code") && !message.contains("stopped answering"),
        "{message}"
    );
    let log = log_of(&env, &run);
    assert!(!log.contains(&pb.url), "never tried on pb: {log}");
}

#[test]
fn retry_elsewhere_is_a_task_setting_that_round_trips() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let shown = |env: &TestEnv| {
        env.json(&["task", "show", "-n", "retry-app", "-r", &reg])
            .get("retryElsewhere")
            .cloned()
    };
    let created = env.create_task(
        "retry-app",
        &["-r", &reg, "-t", "retry-app:1", "--retry-elsewhere", "true"],
    );
    assert_eq!(created["retryElsewhere"], true, "{created}");
    assert_eq!(shown(&env), Some(json!(true)));
    env.ok(&[
        "task",
        "update",
        "-n",
        "retry-app",
        "-r",
        &reg,
        "--cpu",
        "4",
        "-o",
        "none",
    ]);
    assert_eq!(
        shown(&env),
        Some(json!(true)),
        "kept by an update that names it not"
    );
    env.ok(&[
        "task",
        "update",
        "-n",
        "retry-app",
        "-r",
        &reg,
        "--retry-elsewhere",
        "false",
        "-o",
        "none",
    ]);
    assert_eq!(shown(&env), None, "false, the default, is not shown");
    let err = env.fails(
        &[
            "task",
            "update",
            "-n",
            "retry-app",
            "-r",
            &reg,
            "--retry-elsewhere",
            "maybe",
        ],
        2,
    );
    assert!(err.contains("maybe"), "{err}");
    let err = env.fails(
        &[
            "task",
            "create",
            "-n",
            "mirror",
            "-r",
            &reg,
            "--import-source",
            &format!("{reg}/base:1"),
            "-t",
            "base:1",
            "--retry-elsewhere",
            "true",
        ],
        2,
    );
    assert!(
        err.contains("--retry-elsewhere has no use in a mirror task"),
        "{err}"
    );
}
