//! What runs leave behind and how faults end: killed, timed-out and stopped runs, a full
//! disk, a task deleted mid-run, registries and clients that stall, a reader that goes away.

use crate::harness::{TestEnv, busybox_image, stderr, wait_until};

/// The ids of the containers in this environment's buildah storage.
fn containers(env: &TestEnv) -> std::collections::BTreeSet<String> {
    let out = std::process::Command::new("buildah")
        .args(["containers", "--all", "--quiet", "--notruncate"])
        .envs(env.builder_env())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_killed_run_leaves_nothing_behind() {
    let env = TestEnv::builder().registry().build();
    // An existing state dir that others can read is made private.
    std::fs::create_dir_all(env.state_dir()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(env.state_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    env.ok(&["task", "list"]);
    assert_eq!(crate::harness::file_mode(&env.state_dir()), 0o700);

    let before = containers(&env);
    let (run_id, work, container, worker) = sleeping_worker(&env, "sleeper", "");
    assert!(containers(&env).contains(&container) && !before.contains(&container));
    kill_9(worker);

    // The next command notices: the run Failed, its files and its container gone.
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Failed", "{run}");
    assert!(!work.exists(), "the work dir is removed");
    assert!(
        !containers(&env).contains(&container),
        "the step's container is removed"
    );
}

/// The log file of the run `run_id` in the environment's registry.
fn run_log(env: &TestEnv, run_id: &str) -> std::path::PathBuf {
    env.state_dir()
        .join("logs")
        .join(env.registry(0).addr.replace(':', "_"))
        .join(format!("{run_id}.log"))
}

/// Whether a process of group `pgid` is `program` (its first argument).
fn process_in_group(pgid: i64, program: &str) -> bool {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            let in_group = stat
                .rfind(')')
                .and_then(|i| stat[i + 2..].split_whitespace().nth(2).map(str::to_string))
                .is_some_and(|g| g == pgid.to_string());
            in_group
                && std::fs::read(entry.path().join("cmdline"))
                    .is_ok_and(|c| c.split(|b| *b == 0).next() == Some(program.as_bytes()))
        })
}

#[test]
fn a_killed_build_leaves_no_container_behind() {
    // A storage of its own: the containers in it are this test's only.
    let env = TestEnv::builder().registry().private_storage().build();
    let ctx = env.busybox_context(
        "sleepy",
        &[(
            "Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sleep\", \"60\"]\n",
        )],
    );
    let ctx = ctx.to_str().unwrap();
    // Timed out: the build is stopped and cleans up after itself.
    let out = env.run(&["build", "--no-push", "--timeout", "3", ctx]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(containers(&env).is_empty(), "{:?}", containers(&env));

    let queued = env.json(&["build", "--no-push", "--no-wait", ctx]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let registry = env.registry(0).addr.clone();
    let log_file = run_log(&env, &run_id);
    wait_until("the RUN step", std::time::Duration::from_secs(60), || {
        std::fs::read_to_string(&log_file)
            .unwrap_or_default()
            .contains("STEP 3/3")
    });
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let record = store
        .get_run(&acrt::model::RunKey::new(&registry, &run_id))
        .unwrap()
        .unwrap();
    let (worker, group) = (record.runner_pid.unwrap(), record.groups[0].pgid);
    // Stopped while its RUN step's process runs: buildah does not clean up a RUN step that it
    // is still setting up when stopped (docs/security.md says so).
    wait_until(
        "the RUN step's process",
        std::time::Duration::from_secs(30),
        || process_in_group(group, "/bin/busybox"),
    );
    kill_9(worker);
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Failed", "{run}");
    // SAFETY: signal 0 only asks whether the group exists.
    assert!(
        unsafe { libc::kill(-(group as libc::pid_t), 0) } != 0,
        "the orphaned build was stopped"
    );
    assert!(
        containers(&env).is_empty(),
        "the killed build's container is removed: {:?}",
        containers(&env)
    );
}

#[test]
fn stored_run_specs_hold_no_registry_password() {
    let env = TestEnv::new();
    env.create_task("credtask", &["-t", "app:1"]);
    env.ok(&[
        "task",
        "credential",
        "add",
        "-n",
        "credtask",
        "--login-server",
        "reg.example.com",
        "-u",
        "someone",
        "-p",
        "cred-s3cret-pw",
    ]);
    env.ok(&[
        "task",
        "update",
        "-n",
        "credtask",
        "--git-access-token",
        "git-s3cret-token",
    ]);
    let _ = env.run(&["task", "run", "-n", "credtask", "--no-wait"]);
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    let spec = store
        .run_spec(&acrt::model::RunKey::new(
            "localhost:5000",
            run["runId"].as_str().unwrap(),
        ))
        .unwrap()
        .unwrap();
    assert!(spec.contains("reg.example.com"), "{spec}");
    assert!(
        !spec.contains("cred-s3cret-pw") && !spec.contains("git-s3cret-token"),
        "{spec}"
    );
}

#[test]
fn a_registry_that_never_answers_times_out_when_the_user_says() {
    let env = TestEnv::new();
    // Accepts connections and never says a word.
    let addr = crate::harness::silent_server(20);
    let dir = env.dir_with(
        "stalled",
        &[("Dockerfile", &format!("FROM {addr}/base:1\n"))],
    );
    env.ok(&["config", "set", "core.registry_timeout=2"]);
    let started = std::time::Instant::now();
    let err = env.fails(&["scan", "--resolve", dir.to_str().unwrap()], 1);
    assert!(err.contains("timed out after 2 s"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let err = env.fails(&["config", "set", "core.registry_timeout=0"], 2);
    assert!(err.contains("registry_timeout"), "{err}");
}

#[test]
fn a_task_deleted_mid_run_does_not_haunt_a_new_task_of_its_name() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("haunt/base:1");
    let nonce = env.state_dir().display().to_string();
    let old = env.dir_with(
        "old",
        &[("Dockerfile", &format!("FROM {reg}/haunt/base:1\nENV NONCE={nonce}\nRUN [\"/bin/busybox\", \"sleep\", \"4\"]\n"))],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "haunted",
        "-c",
        old.to_str().unwrap(),
        "-t",
        "haunt/app:1",
    ]);
    let queued = env.json(&["task", "run", "-n", "haunted", "--no-wait"]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    wait_until(
        "the run to start",
        std::time::Duration::from_secs(30),
        || env.json(&["task", "show-run", "--run-id", &run_id])["status"] == "Running",
    );
    env.ok(&["task", "delete", "-n", "haunted", "--yes"]);
    let new = env.dir_with("new", &[("Dockerfile", "FROM scratch\n")]);
    env.json(&[
        "task",
        "create",
        "-n",
        "haunted",
        "-c",
        new.to_str().unwrap(),
        "-t",
        "haunt/new:1",
    ]);
    wait_until(
        "the old run's end",
        std::time::Duration::from_secs(60),
        || env.json(&["task", "show-run", "--run-id", &run_id])["status"] != "Running",
    );
    assert_eq!(
        env.json(&["task", "show-run", "--run-id", &run_id])["status"],
        "Succeeded"
    );
    let task = env.json(&["task", "show", "-n", "haunted"]);
    assert!(task["step"]["baseImageDependencies"].is_null(), "{task}");
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    assert!(
        store.base_images(&reg, "haunted").unwrap().is_empty(),
        "the new task inherited bases"
    );
}

/// POSTs a small notification; the status line, if one came within `limit`.
fn post_notification(addr: &str, limit: std::time::Duration) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(limit)).ok()?;
    let body = r#"{"events": []}"#;
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response)
        .lines()
        .next()
        .map(str::to_string)
}

#[test]
fn slow_and_idle_clients_cannot_wedge_the_webhook_listener() {
    let env = TestEnv::new();
    let port = crate::harness::free_port();
    let listen = format!("127.0.0.1:{port}");
    let watcher = KillOnDrop(
        env.command()
            .args(["watch", "--interval", "3600", "--listen", &listen])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until("the listener", std::time::Duration::from_secs(20), || {
        std::net::TcpStream::connect(&listen).is_ok()
    });
    // One client sends its headers and half its body, and waits.
    use std::io::Write;
    let mut slow = std::net::TcpStream::connect(&listen).unwrap();
    write!(
        slow,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{{\"events\": ["
    )
    .unwrap();
    let status = post_notification(&listen, std::time::Duration::from_secs(5));
    assert_eq!(
        status.as_deref(),
        Some("HTTP/1.1 200 OK"),
        "a half-sent body stalls nobody else"
    );

    // Hundreds of idle connections cost no thread each, and are let go.
    let idle: Vec<_> = (0..300)
        .filter_map(|_| std::net::TcpStream::connect(&listen).ok())
        .collect();
    let threads = std::fs::read_to_string(format!("/proc/{}/status", watcher.0.id()))
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("Threads:")
                .map(|n| n.trim().parse::<u32>().unwrap())
        })
        .unwrap();
    assert!(
        threads < 20,
        "{threads} threads for {} idle connections",
        idle.len()
    );
    wait_until(
        "a notification to get through again",
        std::time::Duration::from_secs(30),
        || {
            post_notification(&listen, std::time::Duration::from_secs(2)).as_deref()
                == Some("HTTP/1.1 200 OK")
        },
    );
    // A body over the limit is refused.
    let mut big = std::net::TcpStream::connect(&listen).unwrap();
    let _ = write!(
        big,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n"
    );
    let _ = big.write_all(&vec![b' '; 2_000_000]);
    let mut response = String::new();
    use std::io::Read;
    let _ = big.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    drop((slow, idle, watcher));
}

/// A child process stopped when the test ends, passing or failing.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A small tmpfs mounted at `dir` for as long as it lives (the tests run as root).
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &std::path::Path, size: &str) -> SmallDisk {
        std::fs::create_dir_all(dir).unwrap();
        let out = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mounting a tmpfs needs root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk(dir.to_path_buf())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn a_disk_that_fills_mid_run_fails_the_run_and_says_so() {
    let env = TestEnv::new();
    let _disk = SmallDisk::mount(&env.state_dir(), "6m");
    let ctx = env.dir_with(
        "big",
        &[("acb.yaml", "version: v1.1.0\nsteps:\n  - cmd: x\n")],
    );
    std::fs::write(ctx.join("big.bin"), vec![7u8; 12 * 1024 * 1024]).unwrap();
    let out = env.run(&["run", "-f", "acb.yaml", ctx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the disk is full"),
        "{}",
        stderr(&out)
    );
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Failed", "{run}");
    assert!(
        run["runErrorMessage"]
            .as_str()
            .unwrap()
            .contains("the disk is full"),
        "{run}"
    );
}

#[test]
fn a_reader_that_goes_away_is_no_error() {
    // `acrt completion bash | head -1`: the script is larger than a pipe holds.
    let env = TestEnv::new();
    let mut child = env
        .command()
        .args(["completion", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    use std::io::Read;
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_git_context_that_hangs_ends_with_the_timeout() {
    let env = TestEnv::new();
    // An http git server that accepts and never answers.
    let addr = crate::harness::silent_server(10);
    let url = format!("http://{addr}/repo.git");
    let started = std::time::Instant::now();
    let out = env.run(&["build", "--no-push", "--timeout", "5", &url]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("timed out"), "{}", stderr(&out));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        env.json(&["task", "list-runs", "--top", "1", "--query", "[0].status"]),
        "Timeout"
    );
}

#[test]
fn timeout_ends_a_run_whose_git_context_hangs() {
    let env = TestEnv::new();
    // A git server that accepts the connection and never answers: the clone hangs.
    let addr = crate::harness::silent_server(5);
    let started = std::time::Instant::now();
    let out = env.run(&[
        "build",
        "--no-push",
        "--timeout",
        "5",
        &format!("http://{addr}/app.git"),
    ]);
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("Run timed out"), "{}", stderr(&out));
    assert!(
        elapsed < std::time::Duration::from_secs(20),
        "the run's timeout stopped the clone: {elapsed:?}"
    );
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Timeout", "{run}");
}

/// Starts a task-file run in a worker whose first step sleeps in a container once `steps`
/// (task-file text before it) have run; returns the run id, its work dir, its container and
/// its worker's pid once the container runs.
fn sleeping_worker(
    env: &TestEnv,
    name: &str,
    steps: &str,
) -> (String, std::path::PathBuf, String, i64) {
    let image = busybox_image(env);
    let task_file = format!("version: v1.1.0\nsteps:\n{steps}  - cmd: {image} sleep 60\n");
    let dir = env.busybox_context(
        name,
        &[
            ("acb.yaml", &task_file),
            ("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n"),
        ],
    );
    let queued = env.json(&["run", "-f", "acb.yaml", "--no-wait", dir.to_str().unwrap()]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let registry = env.registry(0).addr.clone();
    let work = env
        .state_dir()
        .join("work")
        .join(registry.replace(':', "_"))
        .join(&run_id);
    let log_file = env
        .state_dir()
        .join("logs")
        .join(registry.replace(':', "_"))
        .join(format!("{run_id}.log"));
    // The sleeping step's own `buildah run` is the last process: its container exists.
    wait_until(
        "the sleeping step's container",
        std::time::Duration::from_secs(120),
        || {
            std::fs::read_to_string(&log_file).is_ok_and(|l| {
                l.lines()
                    .any(|l| l.contains("$ ") && l.contains("sleep 60"))
            })
        },
    );
    let container = std::fs::read_to_string(work.join("containers"))
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let worker = store
        .get_run(&acrt::model::RunKey::new(&registry, &run_id))
        .unwrap()
        .unwrap()
        .runner_pid
        .unwrap();
    (run_id, work, container, worker)
}

fn kill_9(worker: i64) {
    std::process::Command::new("kill")
        .args(["-9", &worker.to_string()])
        .status()
        .unwrap();
    wait_until(
        "the worker's end",
        std::time::Duration::from_secs(10),
        || !acrt::engine::process::runner_alive(worker, None),
    );
}

/// The run as stored, read without any of acrt's commands (which would reap it).
fn stored_run(env: &TestEnv, run_id: &str) -> serde_json::Value {
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let run = store
        .get_run(&acrt::model::RunKey::new(&env.registry(0).addr, run_id))
        .unwrap()
        .unwrap()
        .run;
    serde_json::to_value(run).unwrap()
}

#[test]
fn any_command_that_opens_the_store_notices_a_killed_run() {
    let env = TestEnv::builder().registry().private_storage().build();
    let context = env.dir_with("any", &[("Dockerfile", "FROM scratch\n")]);
    let context = context.to_str().unwrap();
    for (i, command) in [
        &["task", "list"][..],
        &["watch", "--once"][..],
        &[
            "task", "create", "-n", "anytask", "-c", context, "-t", "app:1",
        ][..],
    ]
    .into_iter()
    .enumerate()
    {
        let (run_id, work, container, worker) = sleeping_worker(&env, &format!("ctx{i}"), "");
        kill_9(worker);
        assert_eq!(stored_run(&env, &run_id)["status"], "Running");
        let out = env.run(command);
        assert!(out.status.success(), "{command:?}: {}", stderr(&out));
        let run = stored_run(&env, &run_id);
        assert_eq!(run["status"], "Failed", "{command:?}: {run}");
        assert!(
            !work.exists(),
            "{command:?}: the work dir (auth file) is removed"
        );
        assert!(
            !containers(&env).contains(&container),
            "{command:?}: the step's container is removed"
        );
    }
}

#[test]
fn a_run_killed_after_a_push_says_what_it_pushed() {
    let env = TestEnv::builder().registry().private_storage().build();
    let steps = "  - id: build\n    build: -t $Registry/pushed/app:1 .\n  - id: push\n    push: [\"$Registry/pushed/app:1\"]\n";
    let (run_id, _work, _container, worker) = sleeping_worker(&env, "pusher", steps);
    kill_9(worker);
    let digest = env.registry(0).digest("pushed/app", "1", None).unwrap();
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Failed", "{run}");
    assert_eq!(
        run["outputImages"],
        serde_json::json!([{
            "digest": digest,
            "registry": env.registry(0).addr,
            "repository": "pushed/app",
            "tag": "1",
        }]),
        "{run}"
    );
}

#[test]
fn a_successful_run_removes_its_detached_steps_container() {
    let env = TestEnv::builder().registry().private_storage().build();
    let image = busybox_image(&env);
    let before = containers(&env);
    let task_file = format!(
        "version: v1.1.0\nsteps:\n  - id: server\n    cmd: {image} sleep 60\n    detach: true\n  - id: client\n    cmd: {image} true\n    when: [server]\n"
    );
    let dir = env.dir_with("detached", &[("acb.yaml", &task_file)]);
    let out = env.run(&["run", "-f", "acb.yaml", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let left: Vec<String> = containers(&env).difference(&before).cloned().collect();
    assert!(left.is_empty(), "containers left: {left:?}");
}

/// A build of five steps: a RUN that ends, a COPY after its commit, a RUN that sleeps.
const SLOW_BUILD: &str = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"true\"]\n\
    COPY Dockerfile /Dockerfile\nRUN [\"/bin/busybox\", \"sleep\", \"60\"]\n";

/// A run of [`SLOW_BUILD`] killed (kill -9 of its worker) once its log shows `step`, and once
/// the sleeping RUN's process runs when `running` is set; then any command reaps it.
fn kill_during_build(env: &TestEnv, queued: &serde_json::Value, step: &str, running: bool) {
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let registry = env.registry(0).addr.clone();
    let log_file = run_log(env, &run_id);
    wait_until(step, std::time::Duration::from_secs(60), || {
        std::fs::read_to_string(&log_file)
            .unwrap_or_default()
            .contains(step)
    });
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let record = store
        .get_run(&acrt::model::RunKey::new(&registry, &run_id))
        .unwrap()
        .unwrap();
    let worker = record.runner_pid.unwrap();
    if running {
        let group = record.groups[0].pgid;
        wait_until(
            "the RUN step's process",
            std::time::Duration::from_secs(30),
            || process_in_group(group, "/bin/busybox"),
        );
    }
    drop(store);
    kill_9(worker);
    env.ok(&["task", "list"]);
    assert_eq!(stored_run(env, &run_id)["status"], "Failed");
}

#[test]
fn a_run_killed_anywhere_in_its_build_leaves_no_working_container() {
    let env = TestEnv::builder().registry().private_storage().build();
    let ctx = env.busybox_context("slow", &[("Dockerfile", SLOW_BUILD)]);
    let ctx = ctx.to_str().unwrap();
    env.json(&[
        "task",
        "create",
        "-n",
        "slowtask",
        "-c",
        ctx,
        "-t",
        "slow/app:1",
    ]);
    let task_file = "version: v1.1.0\nsteps:\n  - build: -t $Registry/slow/file:1 .\n";
    std::fs::write(std::path::Path::new(ctx).join("acb.yaml"), task_file).unwrap();
    for (step, running) in [("STEP 2/5", false), ("STEP 4/5", false), ("STEP 5/5", true)] {
        let task_run = env.json(&["task", "run", "-n", "slowtask", "--no-wait"]);
        kill_during_build(&env, &task_run, step, running);
        assert!(
            containers(&env).is_empty(),
            "task run killed at {step}: {:?}",
            containers(&env)
        );
        let file_run = env.json(&["run", "-f", "acb.yaml", "--no-wait", ctx]);
        kill_during_build(&env, &file_run, step, running);
        assert!(
            containers(&env).is_empty(),
            "task file run killed at {step}: {:?}",
            containers(&env)
        );
    }
}

#[test]
fn a_killed_runs_builder_stops_with_it_before_any_command_reaps() {
    let env = TestEnv::builder().registry().private_storage().build();
    let ctx = env.busybox_context("orphan", &[("Dockerfile", SLOW_BUILD)]);
    let queued = env.json(&[
        "build",
        "-t",
        "orphan/app:1",
        "--no-wait",
        ctx.to_str().unwrap(),
    ]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let log_file = run_log(&env, &run_id);
    wait_until("STEP 5/5", std::time::Duration::from_secs(60), || {
        std::fs::read_to_string(&log_file)
            .unwrap_or_default()
            .contains("STEP 5/5")
    });
    let record = {
        let store = acrt::store::Store::open(&env.state_dir()).unwrap();
        store
            .get_run(&acrt::model::RunKey::new(&env.registry(0).addr, &run_id))
            .unwrap()
            .unwrap()
    };
    let group = record.groups[0].pgid;
    wait_until(
        "the RUN step's process",
        std::time::Duration::from_secs(30),
        || process_in_group(group, "/bin/busybox"),
    );
    kill_9(record.runner_pid.unwrap());
    // No acrt command runs from here on: the builder has to go by itself, or it would go on
    // to its end (and a push in flight would land) with no run to record it.
    wait_until(
        "the builder's end after its acrt was killed",
        std::time::Duration::from_secs(20),
        || !process_alive(group),
    );
}

fn process_alive(pid: i64) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .is_some_and(|i| !stat[i + 2..].starts_with('Z'))
    })
}

#[test]
fn a_podman_build_killed_where_podman_keeps_its_container_leaves_none() {
    crate::harness::require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let ctx = env.busybox_context("podman-slow", &[("Dockerfile", SLOW_BUILD)]);
    for step in ["STEP 2/5", "STEP 4/5"] {
        let queued = env.json(&[
            "build",
            "--builder",
            "podman",
            "-t",
            "slow/podman:1",
            "--no-wait",
            ctx.to_str().unwrap(),
        ]);
        kill_during_build(&env, &queued, step, false);
        assert!(
            containers(&env).is_empty(),
            "podman build killed at {step}: {:?}",
            containers(&env)
        );
    }
}
