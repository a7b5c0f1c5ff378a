//! The podman backend for real: builds, pushes, cancel, task-file push and cmd steps, and
//! builds through podman's remote API (`podman system service`) on loopback.

use serde_json::Value;
use std::time::Duration;

use crate::harness::{TestEnv, free_port, require, stderr, stdout, wait_until};

/// A build that sleeps 300 s in its RUN step, unique to the environment (no cached layer).
pub(crate) fn sleeping_build(env: &TestEnv) -> std::path::PathBuf {
    // The nonce keeps the shared layer cache from answering for the RUN step.
    let nonce = env.state_dir().display().to_string();
    env.busybox_context(
        "podman-sleepy",
        &[(
            "Dockerfile",
            &format!(
                "FROM scratch\nCOPY busybox /bin/busybox\nENV NONCE={nonce}\nRUN [\"/bin/busybox\", \"sleep\", \"300\"]\n"
            ),
        )],
    )
}

#[test]
fn podman_builds_pushes_and_is_canceled() {
    require("podman");
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("podman/base:1");
    let ctx = env.dir_with(
        "podman-app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/podman/base:1\nRUN [\"/bin/busybox\", \"touch\", \"/built-by-podman\"]\n"),
        )],
    );
    let out = env.ok(&[
        "build",
        "--builder",
        "podman",
        "-t",
        "podman/app:1",
        ctx.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(log.contains("/podman build"), "{log}");
    assert!(log.contains("/podman push"), "{log}");
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(
        run["builder"].as_str().unwrap().starts_with("podman"),
        "{run}"
    );
    assert_eq!(
        run["outputImages"][0]["digest"],
        Value::from(env.registry(0).digest("podman/app", "1", None).unwrap())
    );
    assert_eq!(
        env.file_in_image(&format!("{reg}/podman/app:1"), "/built-by-podman", None),
        ""
    );

    // Canceled from another process while its RUN step sleeps: the run and podman stop.
    let sleepy = sleeping_build(&env);
    let queued = env.json(&[
        "build",
        "--builder",
        "podman",
        "--no-push",
        "--no-wait",
        sleepy.to_str().unwrap(),
    ]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let mut groups = Vec::new();
    wait_until("podman's build recorded", Duration::from_secs(60), || {
        groups = store
            .run_groups(&acrt::model::RunKey::new(&reg, &run_id))
            .unwrap();
        !groups.is_empty()
    });
    env.ok(&["task", "cancel-run", "--run-id", &run_id]);
    wait_until("podman stopped", Duration::from_secs(30), || {
        groups
            .iter()
            .all(|g| !acrt::engine::process::runner_alive(g.pgid, g.start))
    });
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Canceled", "{run}");
}

#[test]
fn a_task_file_on_podman_pushes_with_podman_and_says_when_it_cannot_run_containers() {
    require("podman");
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("pm/base:1");
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - build: -t {reg}/pm/app:1 .\n  - push: [\"{reg}/pm/app:1\"]\n"
    );
    let dir = env.dir_with(
        "pm-steps",
        &[
            ("acb.yaml", &yaml),
            ("Dockerfile", &format!("FROM {reg}/pm/base:1\n")),
        ],
    );
    let out = env.ok(&[
        "run",
        "--builder",
        "podman",
        "-f",
        "acb.yaml",
        dir.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(
        log.contains("/podman push"),
        "the push step used podman: {log}"
    );
    assert!(!log.contains("buildah"), "{log}");
    assert!(env.registry(0).digest("pm/app", "1", None).is_some());

    // A cmd step runs in `podman run`: where podman cannot start containers (an OCI runtime
    // that fails, as in unprivileged sandboxes) the run says so and what to use instead.
    let yaml = format!("steps:\n  - cmd: {reg}/pm/base:1 /bin/busybox true\n");
    let dir = env.dir_with("pm-cmd", &[("acb.yaml", &yaml)]);
    let out = env.run(&[
        "run",
        "--builder",
        "podman",
        "-f",
        "acb.yaml",
        dir.to_str().unwrap(),
    ]);
    let podman_runs_containers = std::process::Command::new(require("podman"))
        .envs(env.builder_env())
        .args([
            "run",
            "--rm",
            &format!("{reg}/pm/base:1"),
            "/bin/busybox",
            "true",
        ])
        .env("CONTAINERS_REGISTRIES_CONF", "/dev/null")
        .output()
        .is_ok_and(|o| o.status.success());
    if podman_runs_containers {
        assert!(out.status.success(), "{}", stderr(&out));
    } else {
        assert_eq!(out.status.code(), Some(1));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            all.contains("podman could not start the container")
                && all.contains("--builder buildah"),
            "{all}"
        );
    }
}

/// A `podman system service` on loopback in a process group of its own (with the builds
/// it runs), stopped when dropped.
pub(crate) struct PodmanService {
    child: std::process::Child,
    pub(crate) url: String,
}

impl PodmanService {
    pub(crate) fn start(env: &TestEnv) -> PodmanService {
        use std::os::unix::process::CommandExt as _;
        let url = format!("tcp://127.0.0.1:{}", free_port());
        let podman = require("podman");
        let child = std::process::Command::new(&podman)
            .envs(env.builder_env())
            .args(["system", "service", "--time=0", &url])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        wait_until("the podman service", Duration::from_secs(30), || {
            std::process::Command::new(&podman)
                .args(["--url", &url, "version"])
                .output()
                .is_ok_and(|o| o.status.success())
        });
        PodmanService { child, url }
    }
}

impl PodmanService {
    /// Kills the service and every process of its group (the RUN steps of its builds) at
    /// once, as a machine that goes away would: it answers no more.
    pub(crate) fn kill_group(&mut self) {
        if self.child.try_wait().is_ok_and(|ended| ended.is_none()) {
            // SAFETY: kill(2) on the group this test started, whose leader is not reaped yet.
            unsafe { libc::kill(-(self.child.id() as libc::pid_t), libc::SIGKILL) };
        }
        let _ = self.child.wait();
    }
}

impl Drop for PodmanService {
    fn drop(&mut self) {
        self.kill_group();
    }
}

#[test]
fn builds_run_on_a_podman_service_given_by_url() {
    require("podman");
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("remote/base:1");
    let service = PodmanService::start(&env);
    env.ok(&[
        "config",
        "set",
        &format!("core.builder_url={}", service.url),
    ]);
    let ctx = env.dir_with(
        "remote-app",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/remote/base:1\nRUN [\"/bin/busybox\", \"touch\", \"/built-remotely\"]\n"
            ),
        )],
    );
    let out = env.ok(&["build", "-t", "remote/app:1", ctx.to_str().unwrap()]);
    let log = stdout(&out);
    assert!(log.contains(&format!("--url {}", service.url)), "{log}");
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(
        run["builder"],
        Value::from(format!("podman (the service at {})", service.url))
    );
    assert_eq!(
        run["outputImages"][0]["digest"],
        Value::from(env.registry(0).digest("remote/app", "1", None).unwrap())
    );
    assert_eq!(
        env.file_in_image(&format!("{reg}/remote/app:1"), "/built-remotely", None),
        ""
    );
    // The service takes the timestamp too: the image's time is its base's (to the second).
    let created = |repository: &str| {
        let config = env.registry(0).get_config(repository, "1");
        chrono::DateTime::parse_from_rfc3339(config["created"].as_str().unwrap())
            .unwrap()
            .timestamp()
    };
    assert_eq!(created("remote/app"), created("remote/base"));

    // A service that does not answer is named before anything is queued.
    drop(service);
    let err = env.fails(&["build", "-t", "remote/app:2", ctx.to_str().unwrap()], 2);
    assert!(err.contains("does not answer"), "{err}");
}
