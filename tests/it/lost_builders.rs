//! A builder that stops answering during a build: two podman services on loopback stand for
//! the pool's machines, and one is killed (its whole process group) while a RUN step of the
//! build waits on the test. The run fails naming it, or, when its task says
//! `--retry-elsewhere`, is built once more on the other; a RUN that fails on a builder
//! that still answers is neither a loss nor retried.

use serde_json::{Value, json};
use std::io::{Read as _, Write as _};
use std::process::Output;
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

/// A test's pool: its registry, the podman services `pa` and `pb` named in the config
/// (this machine's builder is buildah), and the gate a RUN step waits on.
struct Pool {
    env: TestEnv,
    pa: PodmanService,
    pb: PodmanService,
    gate: Gate,
}

impl Pool {
    fn start() -> Pool {
        require("podman");
        let env = TestEnv::builder()
            .registry()
            .build()
            .with_env("ACRT_BUILDER", "buildah");
        let (pa, pb) = (PodmanService::start(&env), PodmanService::start(&env));
        env.ok(&[
            "config",
            "set",
            "builders.pa.kind=podman",
            &format!("builders.pa.url={}", pa.url),
            "builders.pb.kind=podman",
            &format!("builders.pb.url={}", pb.url),
        ]);
        let gate = Gate::start();
        Pool { env, pa, pb, gate }
    }

    fn registry(&self) -> String {
        self.env.registry(0).addr.clone()
    }

    /// A task `name` building `lost/NAME:1` from `from` with busybox copied in, whose RUN
    /// step runs `run` (busybox's argv, JSON); with `extra` options.
    fn task_running(&self, name: &str, from: &str, run: &str, extra: &[&str]) {
        // The nonce keeps the services' shared layer cache from answering for the RUN step.
        let nonce = self.env.state_dir().display().to_string();
        let dockerfile =
            format!("FROM {from}\nCOPY busybox /bin/busybox\nENV NONCE={nonce}\nRUN {run}\n");
        let ctx = self
            .env
            .busybox_context(name, &[("Dockerfile", &dockerfile)]);
        let create = format!(
            "task create -n {name} -r {} -t lost/{name}:1 -c {} --timeout 600 -o none",
            self.registry(),
            ctx.display()
        );
        let create: Vec<&str> = create.split(' ').collect();
        self.env.ok(&[&create[..], extra].concat());
    }

    /// A RUN step that fetches the gate's answer into /answer.
    fn fetching(&self) -> String {
        format!(
            "[\"/bin/busybox\", \"wget\", \"-q\", \"-O\", \"/answer\", \"http://127.0.0.1:{}/\"]",
            self.gate.port
        )
    }

    /// acrt with `args` (split on spaces), started and not waited for.
    fn spawn(&self, args: &str) -> std::process::Child {
        self.env
            .command()
            .args(args.split(' '))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// `task run` of `task` on the builder `pa`, started and not waited for.
    fn run_on_pa(&self, task: &str) -> std::process::Child {
        let reg = self.registry();
        self.spawn(&format!(
            "task run -n {task} -r {reg} --builder pa --no-logs"
        ))
    }

    /// Kills pa's service with its process group once the RUN step of `acrt`'s build waits
    /// on the gate; then lets the gate answer, and waits for `acrt`.
    fn lose_pa_during(&mut self, acrt: std::process::Child) -> Output {
        self.gate.wait_held();
        self.gate.open();
        self.pa.kill_group();
        acrt.wait_with_output().unwrap()
    }

    fn latest_run(&self, task: &str) -> Value {
        let query = format!("task list-runs -n {task} --top 1 --query [0]");
        self.env.json(&query.split(' ').collect::<Vec<_>>())
    }

    fn log_of(&self, run: &Value) -> String {
        let run_id = run["runId"].as_str().unwrap();
        stdout(&self.env.ok(&["task", "logs", "--run-id", run_id]))
    }

    /// What a run of `task` whose builder pa was lost says.
    fn lost_message(&self, run: &Value, task: &str) -> String {
        format!(
            "builder 'pa' ({}) stopped answering during the build of run {} of task {task}",
            self.pa.url,
            run["runId"].as_str().unwrap()
        )
    }
}

#[test]
fn a_builder_lost_mid_build_is_named_and_the_run_lands_on_another() {
    let mut pool = Pool::start();
    let retry = ["--retry-elsewhere", "true"];
    pool.task_running("moved", "scratch", &pool.fetching(), &retry);
    let out = pool.lose_pa_during(pool.run_on_pa("moved"));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    let run = pool.latest_run("moved");
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(run["builder"], "pb", "{run}");
    let lost = &run["lostBuilders"];
    assert_eq!(lost.as_array().map(Vec::len), Some(1), "{run}");
    assert_eq!(lost[0]["name"], "pa", "{run}");
    assert_eq!(lost[0]["url"], json!(pool.pa.url), "{run}");
    let error = lost[0]["error"].as_str().unwrap();
    assert!(error.contains("podman exited with code 125"), "{run}");
    let log = pool.log_of(&run);
    for said in [
        format!("--url {}", pool.pa.url),
        pool.lost_message(&run, "moved"),
        "trying the run once more on builder 'pb'".to_string(),
        format!("--url {}", pool.pb.url),
    ] {
        assert!(log.contains(&said), "the log says {said:?}: {log}");
    }
    let image = format!("{}/lost/moved:1", pool.registry());
    assert_eq!(pool.env.file_in_image(&image, "/answer", None), "ok");
}

/// Watch starts a base patch's run on the builder the task built on last; that builder is
/// lost mid-build, and the task's `--retry-elsewhere` lands the run on another builder of
/// watch's pool.
#[test]
fn a_run_watch_started_is_retried_elsewhere_when_its_builder_is_lost() {
    let mut pool = Pool::start();
    let reg = pool.registry();
    pool.gate.open();
    pool.env.push_patched_base("lost/base:1", "1");
    let base = format!("{reg}/lost/base:1");
    let retry = ["--retry-elsewhere", "true"];
    pool.task_running("watched", &base, &pool.fetching(), &retry);
    // Built on pa: watch prefers the builder that built the task last.
    let out = pool.run_on_pa("watched").wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    pool.gate.close();
    pool.env.push_patched_base("lost/base:1", "2");
    let out = pool.lose_pa_during(pool.spawn("watch --once -o json"));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    let runs = crate::watch_graph::image_update_runs_of(&pool.env, "watched");
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run = &runs[0];
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(run["lostBuilders"][0]["name"], "pa", "{run}");
    let on = run["builder"].as_str().unwrap();
    assert!(
        on == "pb" || on.starts_with("buildah ("),
        "landed elsewhere: {run}"
    );
    let log = pool.log_of(run);
    assert!(log.contains(&pool.lost_message(run, "watched")), "{log}");
    let image = format!("{reg}/lost/watched:1");
    assert_eq!(pool.env.file_in_image(&image, "/patch.txt", None), "2");
}

#[test]
fn without_retry_elsewhere_a_lost_builder_fails_the_run_naming_it() {
    let mut pool = Pool::start();
    pool.task_running("stays", "scratch", &pool.fetching(), &[]);
    let out = pool.lose_pa_during(pool.run_on_pa("stays"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let run = pool.latest_run("stays");
    assert_eq!(run["status"], "Failed", "{run}");
    assert_eq!(run["builder"], "pa", "{run}");
    assert_eq!(run["lostBuilders"][0]["name"], "pa", "{run}");
    let said = pool.lost_message(&run, "stays");
    let hint = "see whether it answers with 'acrt builder check pa'";
    let message = run["runErrorMessage"].as_str().unwrap();
    assert!(message.starts_with(&said), "{message}");
    assert!(message.ends_with(&format!("; {hint}")), "{message}");
    let err = stderr(&out);
    assert!(err.contains(&said) && err.contains(hint), "{err}");
    let log = pool.log_of(&run);
    assert!(!log.contains(&pool.pb.url), "never tried on pb: {log}");
}

#[test]
fn a_run_step_that_fails_on_a_live_builder_is_not_retried() {
    let pool = Pool::start();
    let failing = "[\"/bin/busybox\", \"sh\", \"-c\", \"exit 1\"]";
    let retry = ["--retry-elsewhere", "true"];
    pool.task_running("broken", "scratch", failing, &retry);

    let out = pool.run_on_pa("broken").wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let run = pool.latest_run("broken");
    assert_eq!(run["status"], "Failed", "{run}");
    assert_eq!(run["builder"], "pa", "{run}");
    assert!(run.get("lostBuilders").is_none(), "{run}");
    let message = run["runErrorMessage"].as_str().unwrap();
    assert!(
        message.contains("exited with code") && !message.contains("stopped answering"),
        "{message}"
    );
    let log = pool.log_of(&run);
    assert!(!log.contains(&pool.pb.url), "never tried on pb: {log}");
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
    let on = ["-r", &reg, "-t", "retry-app:1", "--retry-elsewhere", "true"];
    let created = env.create_task("retry-app", &on);
    assert_eq!(created["retryElsewhere"], true, "{created}");
    assert_eq!(shown(&env), Some(json!(true)));
    let update = |extra: &[&str]| {
        let args = [
            "task",
            "update",
            "-n",
            "retry-app",
            "-r",
            &reg,
            "-o",
            "none",
        ];
        env.run(&[&args[..], extra].concat())
    };
    assert!(update(&["--cpu", "4"]).status.success());
    let kept = shown(&env);
    assert_eq!(
        kept,
        Some(json!(true)),
        "kept by an update that names it not"
    );
    assert!(update(&["--retry-elsewhere", "false"]).status.success());
    assert_eq!(shown(&env), None, "false, the default, is not shown");
    let refused = update(&["--retry-elsewhere", "maybe"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("maybe"), "{}", stderr(&refused));
    let source = format!("{reg}/base:1");
    let mirror = format!(
        "task create -n retry-mirror -r {reg} --import-source {source} -t base:1 --retry-elsewhere true"
    );
    let err = env.fails(&mirror.split(' ').collect::<Vec<_>>(), 2);
    assert!(
        err.contains("--retry-elsewhere has no use in a mirror task"),
        "{err}"
    );
}
