//! `acrt watch` against real registries and buildah builds.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::harness::{TestEnv, capture_posts, stderr, stdout};

const BASE: &str = "FROM scratch\nCOPY busybox /bin/busybox\nENV NODE_VERSION {version}\nCMD [\"/bin/busybox\", \"sh\"]\n";
const APP: &str = "ARG REGISTRY_NAME\nFROM ${REGISTRY_NAME}/baseimages/node:9-alpine\n\
                   RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo $NODE_VERSION > /version\"]\n";

/// Builds baseimages/node:9-alpine with NODE_VERSION `version` into `registry`.
fn build_base(
    env: &TestEnv,
    registry: &str,
    version: &str,
    docker_config: Option<&std::path::Path>,
) {
    let dir = env.busybox_context(
        &format!("base-{version}"),
        &[("Dockerfile-base", &BASE.replace("{version}", version))],
    );
    let mut cmd = env.acrt();
    if let Some(c) = docker_config {
        cmd.env("DOCKER_CONFIG", c);
    }
    let out = cmd
        .args([
            "build",
            "-r",
            registry,
            "-t",
            "baseimages/node:9-alpine",
            "-f",
            "Dockerfile-base",
            "--no-logs",
            "-o",
            "none",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "base build: {}", stderr(&out));
}

/// A long-running `acrt watch --interval SECS --listen` of this environment, killed when
/// dropped; its /metrics can be read.
pub(crate) struct Watcher {
    pub(crate) child: std::process::Child,
    pub(crate) listen: String,
}

impl Watcher {
    pub(crate) fn start(env: &TestEnv, interval: &str) -> Watcher {
        Watcher::spawn(env, interval, std::process::Stdio::null())
    }

    /// A watcher whose log lines (stderr) go to `log`.
    pub(crate) fn start_logging(env: &TestEnv, interval: &str, log: &std::path::Path) -> Watcher {
        let file = std::fs::File::create(log).unwrap();
        Watcher::spawn(env, interval, file.into())
    }

    fn spawn(env: &TestEnv, interval: &str, stderr: std::process::Stdio) -> Watcher {
        let listen = format!("127.0.0.1:{}", crate::harness::free_port());
        let child = env
            .command()
            .args(["watch", "--interval", interval, "--listen", &listen])
            .stdout(std::process::Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        Watcher { child, listen }
    }

    /// The CPU time the watch process has used (user and system), from /proc.
    fn cpu_time(&self) -> Duration {
        let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        Duration::from_secs_f64(cpu_ticks(self.child.id()) as f64 / ticks_per_second)
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The /metrics text ("" while it does not answer yet).
    fn metrics(&self) -> String {
        std::process::Command::new("curl")
            .args(["-sf", &format!("http://{}/metrics", self.listen)])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    /// One counter of /metrics (0 while it does not answer yet).
    pub(crate) fn counter(&self, name: &str) -> u64 {
        metric(&self.metrics(), name)
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The CPU time process `pid` has used (user and system), in clock ticks, from /proc.
pub(crate) fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command's closing parenthesis, from the state (field 3) on:
    // utime and stime are fields 14 and 15.
    stat.rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|f| f.parse::<u64>().unwrap())
        .sum()
}

/// A counter's value in /metrics text (0 when it is not there).
fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn runs(env: &TestEnv, registry: &str) -> Value {
    env.json(&["task", "list-runs", "-r", registry])
}

#[test]
fn acceptance_a_patched_base_rebuilds_its_app_once() {
    a_patched_base_rebuilds_its_app_once(TestEnv::builder());
}

/// The acceptance scenario on the builder `builder` makes: a base on a registry with a login,
/// an app built on it, the base patched, one watch cycle rebuilds the app once.
pub(crate) fn a_patched_base_rebuilds_its_app_once(builder: crate::harness::TestEnvBuilder) {
    let env = builder.auth_registry("ci", "basepass").registry().build();
    let base = env.registry(0).addr.clone();
    let app = env.registry(1).addr.clone();
    let docker = env.dir_with(
        "docker",
        &[(
            "config.json",
            &format!("{{\"auths\": {{\"{base}\": {{\"auth\": \"Y2k6YmFzZXBhc3M=\"}}}}}}"),
        )],
    );
    build_base(&env, &base, "9.1", Some(&docker));

    let app_dir = env.dir_with("app", &[("Dockerfile-app", APP)]);
    env.json(&[
        "task",
        "create",
        "-r",
        &app,
        "-n",
        "taskhelloworld",
        "-t",
        "helloworld:{{.Run.ID}}",
        "-c",
        app_dir.to_str().unwrap(),
        "-f",
        "Dockerfile-app",
        "--arg",
        &format!("REGISTRY_NAME={base}"),
    ]);
    env.json(&[
        "task",
        "credential",
        "add",
        "-n",
        "taskhelloworld",
        "-r",
        &app,
        "--login-server",
        &base,
        "-u",
        "ci",
        "-p",
        "basepass",
    ]);
    let first = env.ok(&[
        "task",
        "run",
        "-r",
        &app,
        "-n",
        "taskhelloworld",
        "--no-logs",
    ]);
    let first: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(first["status"], "Succeeded");
    let first_image = format!("{app}/helloworld:{}", first["runId"].as_str().unwrap());
    assert_eq!(env.file_in_image(&first_image, "/version", None), "9.1");

    // Nothing changed: watch runs nothing.
    let out = env.ok(&["watch", "--once"]);
    assert!(
        stderr(&out).contains("checked 1 base image(s) in 1 registry: 0 task(s) due"),
        "{}",
        stderr(&out)
    );
    assert_eq!(runs(&env, &app).as_array().unwrap().len(), 1);

    let check = env.json(&["task", "check-base", "-r", &app, "-n", "taskhelloworld"]);
    assert_eq!(check[0]["rebuildDue"], false);

    // The base is patched under the same tag.
    build_base(&env, &base, "9.2", Some(&docker));
    let check = env.json(&["task", "check-base", "-r", &app, "-n", "taskhelloworld"]);
    assert_eq!(check[0]["rebuildDue"], true);
    let new_base = env
        .registry(0)
        .digest("baseimages/node", "9-alpine", Some(("ci", "basepass")))
        .unwrap();
    assert_eq!(check[0]["currentDigest"], json!(new_base));

    let out = env.ok(&["watch", "--once"]);
    assert!(
        stderr(&out).contains("taskhelloworld is due"),
        "{}",
        stderr(&out)
    );
    let all = runs(&env, &app);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let rebuilt = &all[0];
    assert_eq!(rebuilt["status"], "Succeeded");
    let trigger = &rebuilt["imageUpdateTrigger"];
    assert_eq!(trigger["images"][0]["repository"], "baseimages/node");
    assert_eq!(trigger["images"][0]["digest"], json!(new_base));
    assert_eq!(
        trigger["images"][0]["previousDigest"],
        first["baseImageDependencies"][0]["digest"]
    );
    let table = stdout(&env.ok(&["task", "list-runs", "-r", &app, "-o", "table"]));
    assert!(
        table
            .lines()
            .nth(2)
            .unwrap()
            .contains("Succeeded  Image Update"),
        "{table}"
    );
    let rebuilt_image = format!("{app}/helloworld:{}", rebuilt["runId"].as_str().unwrap());
    assert_eq!(env.file_in_image(&rebuilt_image, "/version", None), "9.2");

    // A second watch runs nothing.
    env.ok(&["watch", "--once"]);
    assert_eq!(runs(&env, &app).as_array().unwrap().len(), 2);
    assert_eq!(
        env.json(&[
            "task",
            "check-base",
            "-r",
            &app,
            "-n",
            "taskhelloworld",
            "--query",
            "[0].rebuildDue"
        ]),
        json!(false)
    );
}

#[test]
fn cascades_run_in_order_once_and_new_tags_trigger_nothing() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    let mid = env.dir_with(
        "mid",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/baseimages/node:9-alpine\nENV LAYER=mid\n"),
        )],
    );
    let top = env.dir_with(
        "top",
        &[("Dockerfile", &format!("FROM {reg}/mid:1\nENV LAYER=top\n"))],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "task-mid",
        "-t",
        "mid:1",
        "-c",
        mid.to_str().unwrap(),
    ]);
    env.json(&[
        "task",
        "create",
        "-n",
        "task-top",
        "-t",
        "top:1",
        "-c",
        top.to_str().unwrap(),
    ]);
    env.ok(&["task", "run", "-n", "task-mid", "--no-logs", "-o", "none"]);
    env.ok(&["task", "run", "-n", "task-top", "--no-logs", "-o", "none"]);
    let untouched = env.dir_with(
        "untouched",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/baseimages/node:9-alpine\n"),
        )],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "task-off",
        "-t",
        "off:1",
        "-c",
        untouched.to_str().unwrap(),
        "--base-image-trigger-enabled",
        "false",
    ]);
    env.ok(&["task", "run", "-n", "task-off", "--no-logs", "-o", "none"]);

    // A new tag of the base is not a change of the tag the tasks use.
    let dir = env.busybox_context(
        "newtag",
        &[(
            "Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\nENV NEW=1\n",
        )],
    );
    env.ok(&[
        "build",
        "-t",
        "baseimages/node:10-alpine",
        "--no-logs",
        "-o",
        "none",
        dir.to_str().unwrap(),
    ]);
    env.ok(&["watch", "--once"]);
    assert_eq!(
        env.json(&["task", "list-runs", "--query", "length(@)"]),
        json!(5)
    );

    build_base(&env, &reg, "2", None);
    env.ok(&["watch", "--once"]);
    let after = env.json(&[
        "task",
        "list-runs",
        "--query",
        "[?imageUpdateTrigger != null].{task: task, created: createTime, finished: finishTime}",
    ]);
    let after = after.as_array().unwrap();
    assert_eq!(
        after.len(),
        2,
        "mid and top ran once each; the disabled trigger did not fire: {after:?}"
    );
    let (top_run, mid_run) = (&after[0], &after[1]);
    assert_eq!(
        (mid_run["task"].as_str(), top_run["task"].as_str()),
        (Some("task-mid"), Some("task-top"))
    );
    assert!(
        top_run["created"].as_str().unwrap() >= mid_run["finished"].as_str().unwrap(),
        "top ran after mid pushed: {after:?}"
    );
    env.ok(&["watch", "--once"]);
    assert_eq!(
        env.json(&["task", "list-runs", "--query", "length(@)"]),
        json!(8)
    );
}

#[test]
fn an_index_change_that_keeps_the_platform_image_triggers_nothing() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    // An index over the base's manifest, for linux/amd64 only.
    let manifest = env.registry(0).get_manifest("baseimages/node", "9-alpine");
    let manifest_digest = env
        .registry(0)
        .digest("baseimages/node", "9-alpine", None)
        .unwrap();
    let media: Value = serde_json::from_str(&manifest).unwrap();
    let media_type = media["mediaType"]
        .as_str()
        .unwrap_or("application/vnd.oci.image.manifest.v1+json")
        .to_string();
    let entry = |arch: &str| {
        json!({"mediaType": media_type, "digest": manifest_digest, "size": manifest.len(),
                                     "platform": {"os": "linux", "architecture": arch}})
    };
    let index = |entries: Vec<Value>| {
        json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}).to_string()
    };
    let first_index = env.registry(0).put_manifest(
        "baseimages/node",
        "multi",
        "application/vnd.oci.image.index.v1+json",
        &index(vec![entry("amd64")]),
    );

    let dir = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/baseimages/node:multi\nENV APP=1\n"),
        )],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "on-index",
        "-t",
        "app:1",
        "-c",
        dir.to_str().unwrap(),
    ]);
    env.ok(&["task", "run", "-n", "on-index", "--no-logs", "-o", "none"]);
    let recorded = env.json(&[
        "task",
        "show",
        "-n",
        "on-index",
        "--query",
        "step.baseImageDependencies[0].digest",
    ]);
    assert_eq!(
        recorded,
        json!(manifest_digest),
        "the platform's digest is recorded, not the index's"
    );

    // Another platform joins the index: its digest changes, linux/amd64's does not.
    let second_index = env.registry(0).put_manifest(
        "baseimages/node",
        "multi",
        "application/vnd.oci.image.index.v1+json",
        &index(vec![entry("amd64"), entry("arm64")]),
    );
    assert_ne!(first_index, second_index);
    env.ok(&["watch", "--once"]);
    assert_eq!(
        env.json(&["task", "list-runs", "--query", "length(@)"]),
        json!(2)
    );
    assert_eq!(
        env.json(&[
            "task",
            "check-base",
            "-n",
            "on-index",
            "--query",
            "[0].rebuildDue"
        ]),
        json!(false)
    );
}

#[test]
fn timers_fire_once_and_commits_trigger() {
    let env = TestEnv::builder().registry().build();
    let (repo, url) = env.busybox_repo("repo");
    let git = |args: &[&str]| crate::harness::git(&repo, args);
    env.json(&[
        "task",
        "create",
        "-n",
        "on-commit",
        "-c",
        &url,
        "-t",
        "c:{{.Run.ID}}",
    ]);
    env.json(&[
        "task",
        "create",
        "-n",
        "on-timer",
        "-c",
        &url,
        "-t",
        "t:{{.Run.ID}}",
        "--commit-trigger-enabled",
        "false",
        "--schedule",
        "every:* * * * *",
    ]);

    // The first watch learns the branch head and the timers' starting point; nothing runs.
    env.ok(&["watch", "--once"]);
    assert_eq!(
        env.json(&["task", "list-runs", "--query", "length(@)"]),
        json!(0)
    );

    // A commit moves the branch.
    std::fs::write(repo.join("new.txt"), "x").unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "two"]);
    let head = git(&["rev-parse", "HEAD"]);
    // The timer's next occurrence fell three minutes ago: it fires once, not three times.
    let mut store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let key = acrt::store::TimerKey {
        task_registry: env.registry(0).addr.to_string(),
        task: "on-timer".to_string(),
        timer: "every".to_string(),
    };
    let mark = acrt::store::TimerMark {
        next: chrono::Utc::now() - chrono::Duration::minutes(3),
        schedule: Some("* * * * *".to_string()),
    };
    store.set_timer_marks(&[(key, mark)]).unwrap();
    env.ok(&["watch", "--once"]);
    let runs = env.json(&["task", "list-runs"]);
    assert_eq!(runs.as_array().unwrap().len(), 2, "{runs}");
    let by_task = |name: &str| {
        runs.as_array()
            .unwrap()
            .iter()
            .find(|r| r["task"] == name)
            .unwrap()
            .clone()
    };
    let commit_run = by_task("on-commit");
    assert_eq!(commit_run["sourceTrigger"]["eventType"], "Commit");
    assert_eq!(commit_run["sourceTrigger"]["commitId"], json!(head));
    assert_eq!(commit_run["sourceTrigger"]["branchName"], "main");
    let timer_run = by_task("on-timer");
    assert_eq!(timer_run["timerTrigger"]["timerTriggerName"], "every");
    let table = stdout(&env.ok(&["task", "list-runs", "-o", "table"]));
    assert!(
        table.contains("Commit") && table.contains("Timer"),
        "{table}"
    );
    // Nothing fires twice: no second commit run, and a timer run only for a new occurrence
    // (the timer is every minute: a new minute may have begun meanwhile).
    env.ok(&["watch", "--once"]);
    let commits = env.json(&[
        "task",
        "list-runs",
        "--query",
        "length([?sourceTrigger != null])",
    ]);
    assert_eq!(commits, json!(1));
    let occurrences = env.json(&[
        "task",
        "list-runs",
        "--query",
        "[?timerTrigger != null].timerTrigger.scheduleOccurrence",
    ]);
    let occurrences = occurrences.as_array().unwrap();
    let distinct: std::collections::BTreeSet<_> =
        occurrences.iter().map(|o| o.to_string()).collect();
    assert_eq!(distinct.len(), occurrences.len(), "{occurrences:?}");
    assert!(occurrences.len() <= 2, "{occurrences:?}");
}

#[test]
fn one_watcher_at_a_time() {
    let env = TestEnv::builder().registry().build();
    let lock = acrt::watch::lock::acquire(&env.state_dir().tap_create(), false).unwrap();
    assert!(matches!(lock, acrt::watch::lock::Acquired::Locked(_)));
    let out = env.ok(&["watch", "--once"]);
    assert!(
        stderr(&out).contains("another acrt watch is running"),
        "{}",
        stderr(&out)
    );
    let mut waiting = env
        .command()
        .args(["watch", "--once", "--wait"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "--wait waits for the lock"
    );
    drop(lock);
    let started = Instant::now();
    let status = loop {
        if let Some(s) = waiting.try_wait().unwrap() {
            break s;
        }
        assert!(started.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success());
    let err = env.fails(&["watch", "--interval", "0"], 2);
    assert!(err.contains("interval"), "{err}");
}

trait TapCreate {
    fn tap_create(self) -> Self;
}

impl TapCreate for std::path::PathBuf {
    fn tap_create(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

#[test]
fn a_registry_outage_triggers_nothing_and_changes_nothing() {
    let mut env = TestEnv::builder().registry().registry().build();
    let (down, up) = (env.registry(0).addr.clone(), env.registry(1).addr.clone());
    build_base(&env, &down, "1", None);
    build_base(&env, &up, "1", None);
    for (name, reg) in [("on-down", &down), ("on-up", &up)] {
        let dir = env.dir_with(
            name,
            &[(
                "Dockerfile",
                &format!("FROM {reg}/baseimages/node:9-alpine\nENV T={name}\n"),
            )],
        );
        env.json(&[
            "task",
            "create",
            "-r",
            &up,
            "-n",
            name,
            "-t",
            &format!("{name}:1"),
            "-c",
            dir.to_str().unwrap(),
        ]);
        env.ok(&[
            "task",
            "run",
            "-r",
            &up,
            "-n",
            name,
            "--no-logs",
            "-o",
            "none",
        ]);
    }
    let recorded = env.json(&[
        "task",
        "show",
        "-r",
        &up,
        "-n",
        "on-down",
        "--query",
        "step.baseImageDependencies[0].digest",
    ]);
    build_base(&env, &up, "2", None);
    env.stop_registry(0);
    // Cron must hear of it: exit 4 (some bases could not be checked), with the report.
    let out = env.run(&["watch", "--once", "-o", "json"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("registry {down}")) && err.contains("backing off"),
        "{err}"
    );
    assert!(err.contains("could not be checked"), "{err}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["bases"]["failed"], json!(1), "{report}");
    assert_eq!(report["bases"]["changed"], json!(1), "{report}");
    assert_eq!(report["failed"][0]["registry"], json!(down), "{report}");
    assert_eq!(report["runs"][0]["task"], json!("on-up"), "{report}");
    assert_eq!(report["runs"][0]["status"], json!("Succeeded"), "{report}");
    assert_eq!(
        report["runs"][0]["trigger"],
        json!("Image Update"),
        "{report}"
    );
    // The other registry went on: its dependent was rebuilt.
    let updated = env.json(&[
        "task",
        "list-runs",
        "-r",
        &up,
        "--query",
        "[?imageUpdateTrigger != null].task",
    ]);
    assert_eq!(updated, json!(["on-up"]));
    let still = env.json(&[
        "task",
        "show",
        "-r",
        &up,
        "-n",
        "on-down",
        "--query",
        "step.baseImageDependencies[0].digest",
    ]);
    assert_eq!(still, recorded);
}

#[test]
fn pushes_by_acrt_trigger_dependents_at_once_and_endpoints_hear_of_it() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    let (hook, posts) = capture_posts();
    let dir = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/baseimages/node:9-alpine\nENV APP=1\n"),
        )],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "quick-dep",
        "-t",
        "quick:{{.Run.ID}}",
        "-c",
        dir.to_str().unwrap(),
        "--update-trigger-endpoint",
        &format!("{hook}/hook"),
    ]);
    env.ok(&["task", "run", "-n", "quick-dep", "--no-logs", "-o", "none"]);

    // A watcher that would not poll the registry for an hour.
    let mut watcher = env
        .command()
        .args(["watch", "--interval", "3600"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Ready once it has noted the last push it need not act on.
    let started = Instant::now();
    while acrt::store::Store::open(&env.state_dir())
        .unwrap()
        .events_cursor()
        .unwrap()
        == acrt::store::EventsCursor::Unset
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the watcher did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    build_base(&env, &reg, "2", None);
    let pushed_at = chrono::Utc::now();
    let started = Instant::now();
    let run = loop {
        let found = env.json(&[
            "task",
            "list-runs",
            "--query",
            "[?imageUpdateTrigger != null] | [0]",
        ]);
        if !found.is_null() {
            break found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no run was triggered by the push"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let created =
        chrono::DateTime::parse_from_rfc3339(run["createTime"].as_str().unwrap()).unwrap();
    let delay = created.signed_duration_since(pushed_at);
    assert!(
        delay < chrono::Duration::seconds(2),
        "the dependent started {delay} after the push"
    );
    // The watcher POSTs right after it queues the run: wait for that before stopping it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while posts.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the update endpoint got no POST");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = watcher.kill();
    let _ = watcher.wait();
    let payload: Value = serde_json::from_str(&posts.lock().unwrap()[0]).unwrap();
    assert_eq!(payload["task"], "quick-dep");
    assert_eq!(payload["runId"], run["runId"]);
    assert_eq!(payload["baseImages"][0]["repository"], "baseimages/node");
    assert!(
        payload["baseImages"][0]["previousDigest"].is_string()
            && payload["baseImages"][0]["digest"].is_string()
    );
    assert_ne!(
        payload["baseImages"][0]["previousDigest"],
        payload["baseImages"][0]["digest"]
    );
}

#[test]
fn registry_notifications_are_checked_at_once() {
    let port = crate::harness::free_port();
    let listen = format!("127.0.0.1:{port}");
    let env = TestEnv::builder()
        .notifying_registry(&format!("http://{listen}/"))
        .build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    let dir = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/baseimages/node:9-alpine\nENV APP=1\n"),
        )],
    );
    env.json(&[
        "task",
        "create",
        "-n",
        "notified",
        "-t",
        "n:{{.Run.ID}}",
        "-c",
        dir.to_str().unwrap(),
    ]);
    env.ok(&["task", "run", "-n", "notified", "--no-logs", "-o", "none"]);
    let mut watcher = env
        .command()
        .args(["watch", "--interval", "3600", "--listen", &listen])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Ready once its listener accepts connections.
    let started = Instant::now();
    while std::net::TcpStream::connect(&listen).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the watcher's listener did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // A push acrt did not make (so no store event): only the registry's notification tells.
    let manifest = env.registry(0).get_manifest("baseimages/node", "9-alpine");
    let mut changed: Value = serde_json::from_str(&manifest).unwrap();
    changed["annotations"] = json!({"org.example.patched": "yes"});
    env.registry(0).put_manifest(
        "baseimages/node",
        "9-alpine",
        changed["mediaType"]
            .as_str()
            .unwrap_or("application/vnd.oci.image.manifest.v1+json"),
        &changed.to_string(),
    );
    let started = Instant::now();
    loop {
        let n = env.json(&[
            "task",
            "list-runs",
            "--query",
            "length([?imageUpdateTrigger != null])",
        ]);
        if n == json!(1) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the notification did not trigger a run"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = watcher.kill();
    let _ = watcher.wait();
}

#[test]
fn a_base_pinned_by_digest_is_never_due_and_check_base_says_where_its_tag_went() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    let pinned = env
        .registry(0)
        .digest("baseimages/node", "9-alpine", None)
        .unwrap();
    let dir = env.dir_with(
        "pinned-app",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/baseimages/node:9-alpine@{pinned}\nRUN [\"/bin/busybox\", \"true\"]\n"
            ),
        )],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "pinnedapp",
        "-r",
        &reg,
        "-c",
        dir.to_str().unwrap(),
        "-t",
        "pinned/app:1",
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "run",
        "-n",
        "pinnedapp",
        "-r",
        &reg,
        "--no-logs",
        "-o",
        "none",
    ]);
    // The tag moves on: a pinned base is not a reason to rebuild, cycle after cycle.
    build_base(&env, &reg, "2", None);
    for _ in 0..2 {
        env.ok(&["watch", "--once"]);
    }
    let runs = runs(&env, &reg);
    assert_eq!(
        runs.as_array().unwrap().len(),
        3,
        "two base builds and the app's one run: {runs}"
    );
    let check = env.json(&["task", "check-base", "-n", "pinnedapp", "-r", &reg]);
    assert_eq!(check[0]["rebuildDue"], json!(false), "{check}");
    let note = check[0]["note"].as_str().unwrap();
    assert!(
        note.contains("pinned by digest") && note.contains("the tag now points to"),
        "{note}"
    );
}

#[test]
fn a_missing_base_is_that_base_s_problem_not_its_registry_s() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    env.push_busybox_base("other/base:1");
    for (name, base) in [
        ("app-a", "baseimages/node:9-alpine"),
        ("app-b", "other/base:1"),
    ] {
        env.built_task(
            name,
            &reg,
            &format!("{name}:1"),
            &format!("FROM {reg}/{base}\nENV T={name}\n"),
        );
    }
    // other/base:1 goes away (its manifest deleted); the other base moves on.
    delete_manifest(&env, "other/base", "1");
    build_base(&env, &reg, "2", None);

    let out = env.run(&["watch", "--once", "-o", "json"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "app-b cannot be rebuilt: {}",
        stderr(&out)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["bases"]["missing"], json!(1), "{report}");
    assert_eq!(report["bases"]["failed"], json!(0), "{report}");
    assert!(
        report["missing"][0]["image"]
            .as_str()
            .unwrap()
            .contains("other/base:1"),
        "{report}"
    );
    // The registry was not backed off: the other base's dependent was rebuilt.
    assert_eq!(report["runs"][0]["task"], json!("app-a"), "{report}");
    assert_eq!(report["runs"][0]["status"], json!("Succeeded"), "{report}");
    let warned = stderr(&out);
    assert!(warned.contains("said once"), "{warned}");

    // Said once: the next cycle is quiet about it, and nothing is backed off.
    let out = env.run(&["watch", "--once"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        !err.contains("said once") && !err.contains("backing off"),
        "{err}"
    );
}

/// Deletes the manifest `repository:tag` points to from the environment's registry.
fn delete_manifest(env: &TestEnv, repository: &str, tag: &str) {
    let reg = &env.registry(0).addr;
    let digest = env.registry(0).digest(repository, tag, None).unwrap();
    let deleted = std::process::Command::new("curl")
        .args([
            "-sf",
            "-X",
            "DELETE",
            &format!("http://{reg}/v2/{repository}/manifests/{digest}"),
        ])
        .status()
        .unwrap();
    assert!(deleted.success());
    assert_eq!(env.registry(0).digest(repository, tag, None), None);
}

#[test]
fn a_missing_base_exits_4_every_cycle_until_it_is_back() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("gone/base:1");
    env.built_task(
        "orphan",
        &reg,
        "orphan:1",
        &format!("FROM {reg}/gone/base:1\nENV APP=orphan\n"),
    );
    let registry = env.registry(0);
    let digest = registry.digest("gone/base", "1", None).unwrap();
    let manifest = registry.get_manifest("gone/base", "1");
    delete_manifest(&env, "gone/base", "1");
    let watch = || {
        let out = env.run(&["watch", "--once", "-o", "json"]);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), report, stderr(&out))
    };
    for cycle in 1..=2 {
        let (code, report, err) = watch();
        assert_eq!(code, Some(4), "cycle {cycle}: {err}");
        assert_eq!(report["bases"]["missing"], json!(1), "{report}");
        let missing = report["missing"][0]["image"].as_str().unwrap_or_default();
        assert_eq!(missing, format!("{reg}/gone/base:1"), "{report}");
        assert!(
            err.contains("gone/base:1") && err.contains("missing"),
            "{err}"
        );
        // Warned of once; the exit code says it every cycle.
        assert_eq!(
            err.contains("said once"),
            cycle == 1,
            "cycle {cycle}: {err}"
        );
    }
    // The same image is back under its tag: nothing to rebuild, and nothing missing.
    let media_type = serde_json::from_str::<Value>(&manifest).unwrap()["mediaType"].clone();
    let media_type = media_type.as_str().unwrap();
    assert_eq!(
        registry.put_manifest("gone/base", "1", media_type, &manifest),
        digest
    );
    let (code, report, err) = watch();
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(report["bases"]["missing"], json!(0), "{report}");
    assert_eq!(report["bases"]["unchanged"], json!(1), "{report}");
    assert_eq!(report["runs"], json!([]), "{report}");
}

#[test]
fn check_base_says_one_thing_per_base() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let tools = |version: &str| {
        let dir = env.busybox_context(
            &format!("tools-{version}"),
            &[(
                "Dockerfile",
                &format!("FROM scratch\nCOPY busybox /bin/busybox\nENV V={version}\n"),
            )],
        );
        env.ok(&[
            "build",
            "-r",
            &reg,
            "-t",
            "tools/b:1",
            "--no-logs",
            "-o",
            "none",
            dir.to_str().unwrap(),
        ]);
    };
    build_base(&env, &reg, "1", None);
    tools("1");
    env.built_task("twobases", &reg, "two:1", &format!("FROM {reg}/tools/b:1 AS tools\nFROM {reg}/baseimages/node:9-alpine\nCOPY --from=tools /bin/busybox /bin/tool\n"));
    build_base(&env, &reg, "2", None);
    tools("2");
    let rows = env.json(&["task", "check-base", "-n", "twobases", "-r", &reg]);
    let row = |kind: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["type"] == kind)
            .unwrap()
            .clone()
    };
    assert_eq!(row("Runtime")["rebuildDue"], json!(true), "{rows}");
    // Moved too, but a Runtime trigger does not follow it: not due, and the note says why.
    let build = row("BuildTime");
    assert_eq!(build["rebuildDue"], json!(false), "{rows}");
    assert!(
        build["note"].as_str().unwrap().contains("not tracked"),
        "{rows}"
    );
    // A disabled task is due for nothing, and each row says so.
    env.ok(&[
        "task", "update", "-n", "twobases", "-r", &reg, "--status", "Disabled", "-o", "none",
    ]);
    let rows = env.json(&["task", "check-base", "-n", "twobases", "-r", &reg]);
    for r in rows.as_array().unwrap() {
        assert_eq!(r["rebuildDue"], json!(false), "{rows}");
        assert!(
            r["note"].as_str().unwrap().contains("the task is disabled"),
            "{rows}"
        );
    }
}

#[test]
fn each_task_s_bases_are_read_with_its_own_login_and_a_refused_one_is_named_once() {
    let env = TestEnv::builder().auth_registry("ci", "s3cret-pw").build();
    let reg = env.registry(0).addr.clone();
    let login = |password: &str| {
        let out = env
            .acrt()
            .args(["login", "-r", &reg, "-u", "ci", "--password-stdin"])
            .write_stdin(password)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    // Two bases, pushed with the user's own login, which then goes: from here on only the
    // tasks' stored logins can read them.
    login("s3cret-pw");
    for base in ["a/base:1", "b/base:1"] {
        env.push_busybox_base(base);
    }
    let credential = |verb: &str, task: &str, password: &str| {
        let out = env
            .acrt()
            .args([
                "task",
                "credential",
                verb,
                "-n",
                task,
                "-r",
                &reg,
                "--login-server",
                &reg,
                "-u",
                "ci",
                "--password-stdin",
            ])
            .write_stdin(password)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    for (task, base) in [("goodlogin", "a/base:1"), ("badlogin", "b/base:1")] {
        let dir = env.dir_with(
            task,
            &[("Dockerfile", &format!("FROM {reg}/{base}\nENV T={task}\n"))],
        );
        env.ok(&[
            "task",
            "create",
            "-n",
            task,
            "-r",
            &reg,
            "-t",
            &format!("{task}:1"),
            "-c",
            dir.to_str().unwrap(),
            "-o",
            "none",
        ]);
        credential("add", task, "s3cret-pw");
        env.ok(&[
            "task",
            "run",
            "-n",
            task,
            "-r",
            &reg,
            "--no-logs",
            "-o",
            "none",
        ]);
    }
    env.ok(&["logout", "-r", &reg]);
    // One task's stored login goes wrong; the other task is not affected by it.
    credential("update", "badlogin", "wrong-pw");
    let out = env.run(&["watch", "--once", "-o", "json"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["bases"]["checked"],
        json!(1),
        "goodlogin's base was read: {report}"
    );
    assert_eq!(report["bases"]["failed"], json!(1), "{report}");
    let reason = report["failed"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("b/base:1")
            || report["failed"][0]["image"]
                .as_str()
                .unwrap()
                .contains("b/base"),
        "{report}"
    );
    assert!(
        reason.contains("acrt task credential update -n badlogin"),
        "{reason}"
    );
    let err = stderr(&out);
    assert!(
        err.contains("warning: the login stored for task badlogin"),
        "{err}"
    );
    assert!(
        !err.contains("s3cret-pw") && !err.contains("wrong-pw"),
        "no password in messages: {err}"
    );
    // Said once per change of state: the next cycle only exits 4 again.
    let out = env.run(&["watch", "--once"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("warning: the login stored"),
        "{}",
        stderr(&out)
    );
    // Fixed: it says so, and the cycle is clean.
    credential("update", "badlogin", "s3cret-pw");
    let out = env.run(&["watch", "--once"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("works again"), "{}", stderr(&out));
}

#[test]
fn a_long_running_watch_serves_prometheus_metrics() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    env.built_task(
        "metricsapp",
        &reg,
        "m:1",
        &format!("FROM {reg}/baseimages/node:9-alpine\n"),
    );
    let watcher = Watcher::start(&env, "1");
    let mut text = String::new();
    crate::harness::wait_until("two cycles in the metrics", Duration::from_secs(60), || {
        text = watcher.metrics();
        metric(&text, "acrt_watch_cycles_total") >= 2
    });
    drop(watcher);
    for name in [
        "# TYPE acrt_watch_cycles_total counter",
        "acrt_watch_bases_checked_total ",
        "acrt_watch_base_changes_total 0",
        "acrt_watch_runs_started_total 0",
        "acrt_watch_runs_failed_total 0",
        "# TYPE acrt_watch_base_failures_total counter",
        "# TYPE acrt_watch_cycle_seconds gauge",
    ] {
        assert!(text.contains(name), "{name} in:\n{text}");
    }
    assert!(
        metric(&text, "acrt_watch_bases_checked_total") >= 2,
        "{text}"
    );
}

#[test]
fn each_registry_is_checked_at_its_own_interval() {
    let env = TestEnv::builder().registry().registry().build();
    let (own, external) = (env.registry(0).addr.clone(), env.registry(1).addr.clone());
    build_base(&env, &own, "1", None);
    build_base(&env, &external, "1", None);
    // Both tasks push to `own`; nothing pushes to `external`.
    for (name, base) in [("fastapp", &own), ("slowapp", &external)] {
        env.built_task(
            name,
            &own,
            &format!("{name}:1"),
            &format!("FROM {base}/baseimages/node:9-alpine\n"),
        );
    }
    env.ok(&[
        "config",
        "set",
        &format!("registries.{own}.poll_interval=1"),
    ]);
    env.ok(&["config", "set", "core.external_poll_interval=3600"]);
    // The default (2 s) would find the external change at once: its own key holds it.
    let watcher = Watcher::start(&env, "2");
    let checked = || watcher.counter("acrt_watch_bases_checked_total");
    crate::harness::wait_until("the first check of both", Duration::from_secs(60), || {
        checked() >= 2
    });
    build_base(&env, &own, "2", None);
    // The external base moves without acrt (whose own pushes are acted on at once).
    let copied = std::process::Command::new("skopeo")
        .args([
            "copy",
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
            &format!("docker://{own}/baseimages/node:9-alpine"),
            &format!("docker://{external}/baseimages/node:9-alpine"),
        ])
        .output()
        .unwrap();
    assert!(
        copied.status.success(),
        "{}",
        String::from_utf8_lossy(&copied.stderr)
    );
    let rebuilt = |task: &str| {
        env.json(&[
            "task",
            "list-runs",
            "-r",
            &own,
            "--query",
            &format!("[?task == '{task}' && imageUpdateTrigger != null] | length(@)"),
        ])
        .as_u64()
        .unwrap()
    };
    crate::harness::wait_until("fastapp rebuilt", Duration::from_secs(120), || {
        rebuilt("fastapp") == 1
    });
    let seen = checked();
    crate::harness::wait_until(
        "two more checks of its registry",
        Duration::from_secs(60),
        || checked() >= seen + 2,
    );
    drop(watcher);
    assert_eq!(
        rebuilt("slowapp"),
        0,
        "the external registry waits for its hour"
    );
}

/// POSTs a notification body to a watcher's listener; its HTTP status.
pub(crate) fn post_notification(listen: &str, body: &str) -> u16 {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(listen) else {
        return 0;
    };
    let _ = write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {listen}\r\nContent-Type: application/vnd.docker.distribution.events.v2+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// A notification body: one push event per (repository, tag), all on `registry`.
pub(crate) fn push_events(registry: &str, pushes: &[(&str, &str)]) -> String {
    let events: Vec<Value> = pushes
        .iter()
        .map(|(repository, tag)| {
            json!({"action": "push", "target": {"repository": repository, "tag": tag,
                   "mediaType": "application/vnd.oci.image.manifest.v1+json"},
                   "request": {"host": registry}})
        })
        .collect();
    json!({ "events": events }).to_string()
}

/// Changes the base's manifest (an annotation) without a notification: a new digest under
/// the same tag that only a check finds.
fn patch_base_quietly(env: &TestEnv, patch: &str) {
    let manifest = env.registry(0).get_manifest("baseimages/node", "9-alpine");
    let mut changed: Value = serde_json::from_str(&manifest).unwrap();
    changed["annotations"] = json!({ "org.example.patch": patch });
    env.registry(0).put_manifest(
        "baseimages/node",
        "9-alpine",
        changed["mediaType"]
            .as_str()
            .unwrap_or("application/vnd.oci.image.manifest.v1+json"),
        &changed.to_string(),
    );
}

/// A kB figure of /proc/PID/status ("VmRSS", "VmHWM").
fn memory_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// An HTTP server on loopback that answers each request only when the test lets one through:
/// a build step that fetches from it is busy for as long as the test wants. Returns its URL,
/// the sender of permits, and a receiver that hears of each request as it arrives.
pub(crate) fn gate() -> (
    String,
    std::sync::mpsc::Sender<()>,
    std::sync::mpsc::Receiver<()>,
) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (permits, permit) = std::sync::mpsc::channel::<()>();
    let (arrived, arrivals) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = arrived.send(());
            if permit.recv().is_err() {
                return;
            }
            let _ = stream.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
        }
    });
    (format!("http://{addr}/"), permits, arrivals)
}

fn image_update_runs(env: &TestEnv, status: Option<&str>) -> u64 {
    let filter = match status {
        Some(s) => format!("length([?imageUpdateTrigger != null && status == '{s}'])"),
        None => "length([?imageUpdateTrigger != null])".to_string(),
    };
    env.json(&["task", "list-runs", "--query", &filter])
        .as_u64()
        .unwrap()
}

#[test]
fn a_notification_flood_while_a_build_runs_costs_bounded_memory_and_still_rebuilds() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    let (gate_url, permits, arrivals) = gate();
    // Each build of the app waits in its RUN step until the test lets it through (the run ID
    // in an ARG keeps buildah from taking that step from its cache); the first at once.
    let dockerfile = format!(
        "FROM {reg}/baseimages/node:9-alpine\nARG NONCE\n\
         RUN [\"/bin/busybox\", \"wget\", \"-q\", \"-O\", \"/gate\", \"{gate_url}\"]\n"
    );
    let dir = env.dir_with("gated", &[("Dockerfile", &dockerfile)]);
    env.json(&[
        "task",
        "create",
        "-n",
        "gated",
        "-t",
        "gated:{{.Run.ID}}",
        "--arg",
        "NONCE={{.Run.ID}}",
        "-c",
        dir.to_str().unwrap(),
    ]);
    permits.send(()).unwrap();
    env.ok(&["task", "run", "-n", "gated", "--no-logs", "-o", "none"]);
    arrivals.recv().unwrap();
    let watcher = Watcher::start(&env, "3600");
    crate::harness::wait_until("the watcher's first cycle", Duration::from_secs(30), || {
        watcher.counter("acrt_watch_cycles_total") >= 1
    });
    let base_push = push_events(&reg, &[("baseimages/node", "9-alpine")]);
    patch_base_quietly(&env, "2");
    assert_eq!(post_notification(&watcher.listen, &base_push), 200);
    // The rebuild is at the gate: its base digests are resolved and recorded.
    arrivals
        .recv_timeout(Duration::from_secs(60))
        .expect("a rebuild at the gate");
    // While that build waits: the base moves again, and a flood of notifications comes, of
    // three long tags and the base's, far more than the watcher could keep one by one.
    patch_base_quietly(&env, "3");
    let pid = watcher.child.id();
    let before = memory_kb(pid, "VmRSS");
    let (long_repo, long_tag) = ("a".repeat(200), "t".repeat(120));
    let tags: Vec<String> = (0..3).map(|i| format!("{long_tag}{i}")).collect();
    let mut pushes: Vec<(&str, &str)> = Vec::new();
    for _ in 0..500 {
        pushes.extend(tags.iter().map(|t| (long_repo.as_str(), t.as_str())));
        pushes.push(("baseimages/node", "9-alpine"));
    }
    let body = push_events(&reg, &pushes);
    assert!(body.len() < 1 << 20, "{} bytes", body.len());
    const POSTS: usize = 240;
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..POSTS / 8 {
                    assert_eq!(post_notification(&watcher.listen, &body), 200);
                }
            });
        }
    });
    assert_eq!(
        image_update_runs(&env, Some("Running")),
        1,
        "the gated build ended during the flood: {}",
        runs(&env, &reg)
    );
    let peak = memory_kb(pid, "VmHWM");
    // The events posted (about 180 MiB of them) may leave a few MiB behind, not themselves.
    let posted_mib = (POSTS * body.len()) >> 20;
    assert!(
        peak < before + 48 * 1024,
        "{posted_mib} MiB of notifications took the watcher from {before} kB to {peak} kB"
    );
    // The flood still carries the base's push: once the gated build ends, it is checked
    // and built again on the newest base.
    permits.send(()).unwrap();
    permits.send(()).unwrap();
    crate::harness::wait_until(
        "a second rebuild after the flood",
        Duration::from_secs(90),
        || image_update_runs(&env, Some("Succeeded")) == 2,
    );
    assert_eq!(image_update_runs(&env, None), 2, "{}", runs(&env, &reg));
}

#[test]
fn more_distinct_notified_tags_than_the_cap_make_every_base_checked() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    build_base(&env, &reg, "1", None);
    env.built_task(
        "capped",
        &reg,
        "capped:1",
        &format!("FROM {reg}/baseimages/node:9-alpine\nENV APP=1\n"),
    );
    let watcher = Watcher::start(&env, "3600");
    crate::harness::wait_until("the watcher's first cycle", Duration::from_secs(30), || {
        watcher.counter("acrt_watch_cycles_total") >= 1
    });
    patch_base_quietly(&env, "2");
    // 5000 other tags, none of them the base's: past the cap, the base is checked anyway.
    let tags: Vec<String> = (0..5000).map(|i| format!("v{i}")).collect();
    let pushes: Vec<(&str, &str)> = tags.iter().map(|t| ("other/app", t.as_str())).collect();
    assert_eq!(
        post_notification(&watcher.listen, &push_events(&reg, &pushes)),
        200
    );
    crate::harness::wait_until(
        "a rebuild after the overflowing notification",
        Duration::from_secs(60),
        || image_update_runs(&env, None) == 1,
    );
}

/// The numbers of the cycles a watcher logged ("cycle N: ...").
pub(crate) fn logged_cycles(log: &std::path::Path) -> Vec<u64> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(" cycle ")?.1.split_once(':')?.0.parse().ok())
        .collect()
}

#[test]
fn an_idle_watcher_sleeps_until_its_next_check() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    // A task whose base is checked, and one whose branch is.
    env.push_busybox_base("idle/base:1");
    env.built_task(
        "idleapp",
        &reg,
        "idleapp:1",
        &format!("FROM {reg}/idle/base:1\nENV APP=idle\n"),
    );
    let repo = env.git_repo("idle-repo", &[("Dockerfile", "FROM scratch\n")]);
    env.ok(&[
        "task",
        "create",
        "-n",
        "idlecommit",
        "-r",
        &reg,
        "-c",
        &format!("{repo}#main"),
        "-t",
        "c:{{.Run.ID}}",
        "-o",
        "none",
    ]);
    let log = env.dir_with("idle-watch", &[]).join("watch.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let interval = 2;
    let mut watcher = Watcher::start_logging(&env, &interval.to_string(), &log);
    crate::harness::wait_until("the first cycle logged", Duration::from_secs(60), || {
        !logged_cycles(&log).is_empty()
    });
    // Idle from here on: nothing changes, so the watcher only checks, each at its interval.
    let window = Duration::from_secs(20);
    let cpu_before = watcher.cpu_time();
    let first = *logged_cycles(&log).last().unwrap();
    std::thread::sleep(window);
    let cpu = watcher.cpu_time() - cpu_before;
    assert!(
        watcher.is_running(),
        "{}",
        std::fs::read_to_string(&log).unwrap()
    );
    let last = *logged_cycles(&log).last().unwrap();
    let cycles = last - first;
    let checks = window.as_secs() / interval;
    let text = std::fs::read_to_string(&log).unwrap();
    eprintln!("idle watcher: {cpu:?} of CPU and {cycles} cycle(s) in {window:?}");
    assert!(
        (checks / 2..=checks + 2).contains(&cycles),
        "about one numbered cycle per registry check ({checks} in {window:?}), not {cycles}:\n{text}"
    );
    assert!(
        cpu < Duration::from_millis(500),
        "an idle watcher used {cpu:?} of CPU in {window:?}:\n{text}"
    );
    // Its commit checks still come round on their own: a new commit starts a run.
    let dir = std::path::PathBuf::from(repo.strip_prefix("file://").unwrap());
    std::fs::write(dir.join("new.txt"), "x").unwrap();
    crate::harness::git(&dir, &["add", "."]);
    crate::harness::git(&dir, &["commit", "-q", "-m", "two"]);
    let commit_runs = || {
        env.json(&[
            "task",
            "list-runs",
            "-r",
            &reg,
            "--query",
            "length([?task == 'idlecommit' && sourceTrigger != null])",
        ])
    };
    crate::harness::wait_until("a run for the commit", Duration::from_secs(60), || {
        commit_runs() == json!(1)
    });
}
