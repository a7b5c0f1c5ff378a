use serde_json::json;

use crate::harness::{TestEnv, stdout};

#[test]
fn timers_add_update_remove_list() {
    let env = TestEnv::new();
    env.create_task("timed", &["-t", "t:1", "--schedule", "0 1 * * *"]);
    let task = env.json(&[
        "task",
        "timer",
        "add",
        "-n",
        "timed",
        "--timer-name",
        "nightly",
        "--schedule",
        "30 2 * * 1-5",
    ]);
    assert_eq!(
        task["trigger"]["timerTriggers"][1],
        json!({"name": "nightly", "schedule": "30 2 * * 1-5", "status": "Enabled"})
    );

    env.ok(&[
        "task",
        "timer",
        "update",
        "-n",
        "timed",
        "--timer-name",
        "nightly",
        "--enabled",
        "false",
    ]);
    env.ok(&[
        "task",
        "timer",
        "update",
        "-n",
        "timed",
        "--timer-name",
        "t1",
        "--schedule",
        "15 1 * * *",
    ]);
    let timers = env.json(&["task", "timer", "list", "-n", "timed"]);
    assert_eq!(
        timers,
        json!([{"name": "t1", "schedule": "15 1 * * *", "status": "Enabled"},
               {"name": "nightly", "schedule": "30 2 * * 1-5", "status": "Disabled"}])
    );
    let table = stdout(&env.ok(&["task", "timer", "list", "-n", "timed", "-o", "table"]));
    assert_eq!(
        table,
        // az prints a timer list with the task group's columns: a name and a status.
        "NAME     PLATFORM    STATUS    SOURCE REPOSITORY    TRIGGERS\n\
         -------  ----------  --------  -------------------  ----------\n\
         t1                   Enabled\n\
         nightly              Disabled\n"
    );

    let err = env.fails(
        &[
            "task",
            "timer",
            "add",
            "-n",
            "timed",
            "--timer-name",
            "t1",
            "--schedule",
            "0 0 * * *",
        ],
        1,
    );
    assert!(err.contains("already has a timer"), "{err}");
    let err = env.fails(
        &[
            "task",
            "timer",
            "add",
            "-n",
            "timed",
            "--timer-name",
            "x",
            "--schedule",
            "0 0 * *",
        ],
        2,
    );
    assert!(err.contains("5 cron fields"), "{err}");
    env.fails(
        &[
            "task",
            "timer",
            "update",
            "-n",
            "timed",
            "--timer-name",
            "nope",
        ],
        2,
    );
    env.fails(
        &[
            "task",
            "timer",
            "update",
            "-n",
            "timed",
            "--timer-name",
            "nope",
            "--enabled",
        ],
        3,
    );

    env.ok(&[
        "task",
        "timer",
        "remove",
        "-n",
        "timed",
        "--timer-name",
        "t1",
    ]);
    let task = env.json(&[
        "task",
        "timer",
        "remove",
        "-n",
        "timed",
        "--timer-name",
        "nightly",
    ]);
    assert_eq!(task["trigger"]["timerTriggers"], json!(null));
    env.fails(
        &[
            "task",
            "timer",
            "remove",
            "-n",
            "timed",
            "--timer-name",
            "nightly",
        ],
        3,
    );
    assert_eq!(
        env.json(&["task", "timer", "list", "-n", "timed"]),
        json!([])
    );
}
