//! What watch's pollers cost and how they fail: a git server that never answers, an idle
//! watcher, a broken events cursor.

use std::time::Duration;

use crate::harness::TestEnv;
use crate::watch::{Watcher, cpu_ticks, logged_cycles};
use crate::watch_graph::image_update_runs_of;

/// A process killed when dropped (a test that fails leaves nothing running).
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How many image-update runs `task` has (that ended with `status`, when given).
fn image_updates(env: &TestEnv, task: &str, status: Option<&str>) -> usize {
    image_update_runs_of(env, task)
        .iter()
        .filter(|r| status.is_none_or(|s| r["status"] == s))
        .count()
}

/// Two tasks follow a repository on a git server that accepts and never answers: the cycle
/// still runs what else is due and ends once the commit check's deadline is past, naming
/// the repository once (one check for both).
#[test]
fn a_git_server_that_never_answers_holds_a_cycle_only_until_its_deadline() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.ok(&["config", "set", "core.registry_timeout=3"]);
    env.push_patched_base("hung/base:1", "1");
    env.built_task(
        "hungapp",
        &reg,
        "hung/app:1",
        &format!("FROM {reg}/hung/base:1\nENV APP=1\n"),
    );
    let silent = crate::harness::silent_server(10);
    let url = format!("http://{silent}/hung.git");
    for name in ["follower-a", "follower-b"] {
        env.ok(&[
            "task",
            "create",
            "-n",
            name,
            "-c",
            &format!("{url}#main"),
            "-t",
            "c:{{.Run.ID}}",
            "-o",
            "none",
        ]);
    }
    env.push_patched_base("hung/base:1", "2");

    let mut watch = Reaped(
        env.command()
            .args(["watch", "--once"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut status = None;
    crate::harness::wait_until("watch --once to end", Duration::from_secs(120), || {
        status = watch.0.try_wait().unwrap();
        status.is_some()
    });
    let mut text = String::new();
    std::io::Read::read_to_string(&mut watch.0.stderr.take().unwrap(), &mut text).unwrap();
    assert!(status.unwrap().success(), "{text}");
    assert_eq!(
        text.matches(&format!("cannot read the branch head of {url}"))
            .count(),
        1,
        "one check for both tasks, named once:\n{text}"
    );
    assert!(
        text.contains("follower-a, follower-b") && text.contains("no answer within 3s"),
        "{text}"
    );
    assert_eq!(
        image_updates(&env, "hungapp", Some("Succeeded")),
        1,
        "{text}"
    );
}

/// A long-running watcher with nothing due sleeps between its checks: over several poll
/// intervals, counted by the cycles it logs, it uses next to no CPU.
#[test]
fn an_idle_watcher_uses_next_to_no_cpu_between_its_checks() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("quiet/base:1");
    env.built_task(
        "quietapp",
        &reg,
        "quiet/app:1",
        &format!("FROM {reg}/quiet/base:1\nENV APP=quiet\n"),
    );
    let log = env.dir_with("quiet-watch", &[]).join("watch.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let watcher = Watcher::start_logging(&env, "1", &log);
    let pid = watcher.child.id();
    crate::harness::wait_until("the first cycle logged", Duration::from_secs(60), || {
        !logged_cycles(&log).is_empty()
    });
    let first = *logged_cycles(&log).last().unwrap();
    let before = cpu_ticks(pid);
    crate::harness::wait_until("five more checks", Duration::from_secs(60), || {
        logged_cycles(&log)
            .last()
            .is_some_and(|last| *last >= first + 5)
    });
    let used = cpu_ticks(pid) - before;
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        used < 20,
        "an idle watcher used {used} CPU ticks over five checks:\n{text}"
    );
    assert_eq!(
        image_updates(&env, "quietapp", None),
        0,
        "nothing was due:\n{text}"
    );
}

/// A watcher whose place in the push events is unreadable says so and starts from the newest
/// event: it does not act on every push ever recorded again.
#[test]
fn an_unreadable_events_cursor_is_said_and_replays_nothing() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    // A push by acrt (an event), a task built on it, then the base changed where no event
    // says so: the old event's digest is no longer what the task is built on.
    env.push_patched_base("cursor/base:1", "1");
    env.built_task(
        "cursorapp",
        &reg,
        "cursor/app:1",
        &format!("FROM {reg}/cursor/base:1\nENV APP=1\n"),
    );
    let manifest = env.registry(0).get_manifest("cursor/base", "1");
    let mut changed: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    changed["annotations"] = serde_json::json!({ "org.example.patch": "2" });
    env.registry(0).put_manifest(
        "cursor/base",
        "1",
        changed["mediaType"].as_str().unwrap(),
        &changed.to_string(),
    );
    env.ok(&["watch", "--once"]);
    assert_eq!(image_updates(&env, "cursorapp", None), 1);

    let db = rusqlite::Connection::open(env.state_dir().join("acrt.db")).unwrap();
    db.execute(
        "UPDATE watch_cursor SET last_id = 'garbage' WHERE stream = 'events'",
        [],
    )
    .unwrap();
    drop(db);
    let out = env.ok(&["watch", "--once"]);
    let text = crate::harness::stderr(&out);
    assert!(
        text.contains("unreadable (\"garbage\")") && text.contains("newest event"),
        "{text}"
    );
    assert_eq!(image_updates(&env, "cursorapp", None), 1, "{text}");
    // Set again: the next watcher reads it.
    let out = env.ok(&["watch", "--once"]);
    assert!(!crate::harness::stderr(&out).contains("unreadable"));
}

/// A task deleted and created again under its name is a new task to watch: it learns its
/// branch head as any new task does, and is not run for a commit made while the old one was
/// gone (nor inherits the old one's timers).
#[test]
fn a_task_created_again_under_a_deleted_ones_name_starts_afresh() {
    let env = TestEnv::builder().registry().build();
    let (repo, url) = env.busybox_repo("again");
    let git = |args: &[&str]| crate::harness::git(&repo, args);
    let create = || {
        env.json(&[
            "task",
            "create",
            "-n",
            "again",
            "-c",
            &url,
            "-t",
            "a:{{.Run.ID}}",
        ])
    };
    create();
    env.ok(&["watch", "--once"]);
    env.ok(&["task", "delete", "-n", "again", "--yes"]);
    std::fs::write(repo.join("new.txt"), "x").unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "two"]);
    create();
    env.ok(&["watch", "--once"]);
    assert_eq!(
        env.json(&["task", "list-runs", "--query", "length(@)"]),
        serde_json::json!(0)
    );
}
