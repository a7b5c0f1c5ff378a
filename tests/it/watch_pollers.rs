//! What watch's pollers cost and how they fail: a git server that never answers, an idle
//! watcher, a broken events cursor.

use std::time::Duration;

use crate::harness::TestEnv;

/// A process killed when dropped (a test that fails leaves nothing running).
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The image-update runs of `task` that succeeded.
fn succeeded_image_updates(env: &TestEnv, task: &str) -> serde_json::Value {
    env.json(&[
        "task",
        "list-runs",
        "-n",
        task,
        "--query",
        "length([?imageUpdateTrigger != null && status == 'Succeeded'])",
    ])
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
    assert_eq!(succeeded_image_updates(&env, "hungapp"), 1, "{text}");
}
