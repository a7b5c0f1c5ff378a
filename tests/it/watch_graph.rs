//! Watch's order of work on the task graph: one rule for "whose image is whose base", shared
//! with `acrt task graph`, and what a watcher started kept across a restart.

use serde_json::Value;
use std::time::Duration;

use crate::harness::TestEnv;
use crate::watch::{Watcher, gate, logged_cycles, post_notification, push_events};

/// The image-update runs of `task`, oldest first.
pub(crate) fn image_update_runs_of(env: &TestEnv, task: &str) -> Vec<Value> {
    let mut runs = env.json(&[
        "task",
        "list-runs",
        "-n",
        task,
        "--query",
        "[?imageUpdateTrigger != null]",
    ]);
    let mut runs = std::mem::take(runs.as_array_mut().unwrap());
    runs.reverse();
    runs
}

/// The digest a run recorded for its base `image` (`registry/repository:tag`).
fn recorded_base_digest(run: &Value, registry: &str, repository: &str) -> Option<String> {
    run["baseImageDependencies"]
        .as_array()?
        .iter()
        .find(|b| b["registry"] == registry && b["repository"] == repository)
        .and_then(|b| b["digest"].as_str().map(str::to_string))
}

/// The digest of the image a run pushed.
fn pushed_digest(run: &Value) -> String {
    run["outputImages"][0]["digest"]
        .as_str()
        .unwrap_or_else(|| panic!("no pushed image: {run}"))
        .to_string()
}

/// A diamond: M is built on base B, T on B and on M's image. A new B makes both due in one
/// cycle; T runs once, after M succeeded, on M's new image.
#[test]
fn a_diamond_builds_the_dependent_once_on_its_upstream_s_new_image() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_patched_base("diamond/base:1", "1");
    env.built_task(
        "task-m",
        &reg,
        "diamond/mid:1",
        &format!(
            "FROM {reg}/diamond/base:1\n\
             RUN [\"/bin/busybox\", \"sh\", \"-c\", \"cat /patch.txt > /m\"]\n"
        ),
    );
    env.built_task(
        "task-t",
        &reg,
        "diamond/top:1",
        &format!("FROM {reg}/diamond/mid:1 AS m\nFROM {reg}/diamond/base:1\nCOPY --from=m /m /m\n"),
    );
    // Both rules agree: T is after M.
    let graph = env.json(&["task", "graph", "-r", &reg]);
    let nodes: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let at = |n: &str| nodes.iter().position(|x| *x == n).unwrap();
    assert!(at("task:task-m") < at("task:task-t"), "{graph}");

    env.push_patched_base("diamond/base:1", "2");
    env.ok(&["watch", "--once"]);

    let m_runs = image_update_runs_of(&env, "task-m");
    let t_runs = image_update_runs_of(&env, "task-t");
    assert_eq!(m_runs.len(), 1, "M ran once: {m_runs:?}");
    assert_eq!(t_runs.len(), 1, "T ran once: {t_runs:?}");
    let (m, t) = (&m_runs[0], &t_runs[0]);
    assert_eq!(m["status"], "Succeeded", "{m}");
    assert_eq!(t["status"], "Succeeded", "{t}");
    assert!(
        t["createTime"].as_str().unwrap() >= m["finishTime"].as_str().unwrap(),
        "T started after M finished: M {m}, T {t}"
    );
    assert_eq!(
        recorded_base_digest(t, &reg, "diamond/mid"),
        Some(pushed_digest(m)),
        "T was built on M's new image: M {m}, T {t}"
    );
}

/// Whether every run of the environment has ended.
fn all_runs_ended(env: &TestEnv) -> bool {
    env.json(&[
        "task",
        "list-runs",
        "--query",
        "length([?status == 'Queued' || status == 'Started' || status == 'Running'])",
    ]) == 0
}

/// Killed (kill -9) in the middle of a cascade and started again, a watcher finds the run the
/// first one started still going: each task runs once for the base change, and the
/// dependent still waits for its upstream's new image.
#[test]
fn a_watcher_killed_mid_cascade_and_started_again_runs_each_task_once() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_patched_base("restart/base:1", "1");
    let (gate_url, permits, arrivals) = gate();
    // Each build of M waits in its RUN step until the test lets it through (the run ID in an
    // ARG keeps buildah from taking the step from its cache).
    let mid = env.dir_with(
        "restart-mid",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/restart/base:1\nARG NONCE\n\
                 RUN [\"/bin/busybox\", \"wget\", \"-q\", \"-O\", \"/gate\", \"{gate_url}\"]\n"
            ),
        )],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "task-m",
        "-t",
        "restart/mid:1",
        "--arg",
        "NONCE={{.Run.ID}}",
        "-c",
        mid.to_str().unwrap(),
        "-o",
        "none",
    ]);
    permits.send(()).unwrap();
    env.ok(&["task", "run", "-n", "task-m", "--no-logs", "-o", "none"]);
    arrivals.recv().unwrap();
    env.built_task(
        "task-t",
        &reg,
        "restart/top:1",
        &format!(
            "FROM {reg}/restart/mid:1 AS m\nFROM {reg}/restart/base:1\nCOPY --from=m /gate /m\n"
        ),
    );

    let mut first = Watcher::start(&env, "3600");
    crate::harness::wait_until(
        "the first watcher's first cycle",
        Duration::from_secs(30),
        || first.counter("acrt_watch_cycles_total") >= 1,
    );
    env.push_patched_base("restart/base:1", "2");
    let pushed = push_events(&reg, &[("restart/base", "1")]);
    assert_eq!(post_notification(&first.listen, &pushed), 200);
    arrivals
        .recv_timeout(Duration::from_secs(60))
        .expect("M's rebuild at the gate");
    // Killed mid-cascade: M builds, T waits for it.
    first.child.kill().unwrap();
    first.child.wait().unwrap();

    let log = env.dir_with("restart-watch", &[]).join("watch.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let second = Watcher::start_logging(&env, "3600", &log);
    crate::harness::wait_until(
        "the second watcher's registry check",
        Duration::from_secs(60),
        || std::fs::read_to_string(&log).is_ok_and(|l| l.contains(" task(s) due")),
    );
    // Enough for M's build and any second one.
    for _ in 0..3 {
        permits.send(()).unwrap();
    }
    crate::harness::wait_until("the cascade's end", Duration::from_secs(120), || {
        !logged_cycles(&log).is_empty() && all_runs_ended(&env)
    });
    drop(second);

    let log = std::fs::read_to_string(&log).unwrap();
    let m_runs = image_update_runs_of(&env, "task-m");
    let t_runs = image_update_runs_of(&env, "task-t");
    assert_eq!(m_runs.len(), 1, "M ran once: {m_runs:?}\n{log}");
    assert_eq!(t_runs.len(), 1, "T ran once: {t_runs:?}\n{log}");
    assert_eq!(m_runs[0]["status"], "Succeeded", "{log}");
    assert_eq!(t_runs[0]["status"], "Succeeded", "{log}");
    assert_eq!(
        recorded_base_digest(&t_runs[0], &reg, "restart/mid"),
        Some(pushed_digest(&m_runs[0])),
        "T was built on M's new image:\n{log}"
    );
}
