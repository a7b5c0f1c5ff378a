//! Every table acrt prints, as snapshots: az's transformers (task, run, build, task run)
//! in knack's layout, acrt's own tables, the automatic one and an empty list. Times, run IDs,
//! digests, ports and temporary paths are filtered; each has the same length on every run,
//! so the layout around them is checked as printed.

use crate::harness::{TestEnv, stdout};

fn filters() -> insta::internals::SettingsBindDropGuard {
    let mut settings = insta::Settings::clone_current();
    for (pattern, replacement) in [
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[time]"),
        (r"\b\d\d:\d\d:\d\d\b", "[duration]"),
        (r"sha256:[0-9a-f]{64}", "[digest]"),
        (r"sha256:[0-9a-f]{12}", "[short digest]"),
        (r"127\.0\.0\.1:\d{5}", "[registry]"),
        (r"/\S*acrt-it-\w+", "[root]"),
        (r"\b[a-z]{2}[1-9]\b", "[run]"),
    ] {
        settings.add_filter(pattern, replacement);
    }
    settings.bind_to_scope()
}

#[test]
fn every_table_is_laid_out_as_az_lays_it_out() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let table = |args: &[&str]| {
        let mut args = args.to_vec();
        args.extend(["-o", "table"]);
        stdout(&env.ok(&args))
    };
    let _filters = filters();

    let base = env.busybox_context(
        "base",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    insta::assert_snapshot!(
        "build",
        table(&[
            "build",
            "-t",
            "tablebase:1",
            "--no-logs",
            base.to_str().unwrap()
        ])
    );
    let app = env.dir_with(
        "app",
        &[("Dockerfile", &format!("FROM {reg}/tablebase:1\nENV A=1\n"))],
    );
    let app = app.to_str().unwrap();
    insta::assert_snapshot!(
        "task_create",
        table(&[
            "task",
            "create",
            "-n",
            "tableapp",
            "-c",
            app,
            "-t",
            "app:{{.Run.ID}}"
        ])
    );
    insta::assert_snapshot!(
        "task_run",
        table(&["task", "run", "-n", "tableapp", "--no-logs"])
    );
    insta::assert_snapshot!(
        "timer_add",
        table(&[
            "task",
            "timer",
            "add",
            "-n",
            "tableapp",
            "--timer-name",
            "nightly",
            "--schedule",
            "0 3 * * *",
        ])
    );
    insta::assert_snapshot!(
        "timer_list",
        table(&["task", "timer", "list", "-n", "tableapp"])
    );
    insta::assert_snapshot!(
        "credential_add",
        table(&[
            "task",
            "credential",
            "add",
            "-n",
            "tableapp",
            "--login-server",
            "example.com",
            "-u",
            "me",
            "-p",
            "secret",
        ])
    );
    insta::assert_snapshot!(
        "credential_list",
        table(&["task", "credential", "list", "-n", "tableapp"])
    );
    insta::assert_snapshot!("task_list", table(&["task", "list"]));
    insta::assert_snapshot!("list_runs", table(&["task", "list-runs"]));
    let newest = env.json(&["task", "list-runs", "--top", "1", "--query", "[0].runId"]);
    let newest = newest.as_str().unwrap();
    insta::assert_snapshot!("show_run", table(&["task", "show-run", "--run-id", newest]));
    insta::assert_snapshot!(
        "update_run",
        table(&[
            "task",
            "update-run",
            "--run-id",
            newest,
            "--no-archive",
            "false"
        ])
    );
    insta::assert_snapshot!("taskrun_list", table(&["taskrun", "list"]));
    insta::assert_snapshot!("taskrun_show", table(&["taskrun", "show", "-n", newest]));
    insta::assert_snapshot!(
        "check_base",
        table(&["task", "check-base", "-n", "tableapp"])
    );
    insta::assert_snapshot!("scan", table(&["scan", app]));
    // No transformer: knack's automatic table of the scalar fields.
    insta::assert_snapshot!(
        "import",
        table(&[
            "import",
            "-n",
            &reg,
            "--source",
            &format!("{reg}/tablebase:1"),
            "-t",
            "copy:1"
        ])
    );
    // A run whose image is its task's last one says so in its STATUS.
    env.ok(&[
        "task", "create", "-n", "sameapp", "-c", app, "-t", "same:1", "-o", "none",
    ]);
    for _ in 0..2 {
        env.ok(&["task", "run", "-n", "sameapp", "--no-logs", "-o", "none"]);
    }
    insta::assert_snapshot!(
        "list_runs_unchanged",
        table(&["task", "list-runs", "-n", "sameapp"])
    );
    // An empty list is an empty line, as az prints it.
    assert_eq!(table(&["task", "list-runs", "-n", "nosuchtask"]), "\n");
    assert_eq!(table(&["task", "list", "-r", "127.0.0.1:1"]), "\n");
}
