use serde_json::json;
use std::process::{Child, Stdio};

use crate::harness::{TestEnv, file_mode};

#[test]
fn state_is_private_and_versioned() {
    let env = TestEnv::new();
    env.create_task("private", &[]);
    assert_eq!(file_mode(&env.state_dir()), 0o700);
    assert_eq!(file_mode(&env.state_dir().join("acrt.db")), 0o600);
    let conn = rusqlite_free_check(&env.state_dir().join("acrt.db"));
    assert_eq!(conn, "wal");
}

/// Reads the journal mode from the file header without linking SQLite into the tests:
/// bytes 18 and 19 are 2 in WAL mode.
fn rusqlite_free_check(path: &std::path::Path) -> &'static str {
    let bytes = std::fs::read(path).unwrap();
    if bytes.len() > 19 && bytes[18] == 2 && bytes[19] == 2 {
        "wal"
    } else {
        "rollback"
    }
}

fn spawn_create(env: &TestEnv, name: &str) -> Child {
    let context = env.context();
    let mut cmd = env.command();
    cmd.args([
        "task",
        "create",
        "-n",
        name,
        "-c",
        context.to_str().unwrap(),
        "-t",
        "x:1",
        "-o",
        "none",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap()
}

#[test]
fn eight_concurrent_creates_all_land() {
    let env = TestEnv::new();
    let names: Vec<String> = (0..8).map(|i| format!("parallel-{i}")).collect();
    let children: Vec<Child> = names.iter().map(|n| spawn_create(&env, n)).collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let listed = env.json(&["task", "list", "--query", "[].name"]);
    assert_eq!(listed, json!(names));
}

#[test]
fn two_concurrent_creates_of_one_name_one_wins() {
    let env = TestEnv::new();
    let children = [
        spawn_create(&env, "contested"),
        spawn_create(&env, "contested"),
    ];
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let codes: Vec<_> = outputs.iter().map(|o| o.status.code()).collect();
    assert!(
        codes.contains(&Some(0)) && codes.contains(&Some(1)),
        "{codes:?}"
    );
    let loser = outputs.iter().find(|o| o.status.code() == Some(1)).unwrap();
    assert!(String::from_utf8_lossy(&loser.stderr).contains("already exists"));
    assert_eq!(
        env.json(&["task", "list", "--query", "length(@)"]),
        json!(1)
    );
}
