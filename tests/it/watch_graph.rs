//! Watch's order of work on the task graph: one rule for "whose image is whose base", shared
//! with `acrt task graph`, and what a watcher started kept across a restart.

use serde_json::Value;

use crate::harness::TestEnv;

/// The image-update runs of `task`, oldest first.
fn image_update_runs_of(env: &TestEnv, task: &str) -> Vec<Value> {
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
        &format!(
            "FROM {reg}/diamond/mid:1 AS m\nFROM {reg}/diamond/base:1\nCOPY --from=m /m /m\n"
        ),
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
