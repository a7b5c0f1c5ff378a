//! Reproducible images and runs that change nothing: the same inputs give the same digest,
//! and a rebuild that pushes the digest its task's last run pushed is recorded as unchanged
//! and starts nothing downstream.

use serde_json::{Value, json};

use crate::harness::{TestEnv, capture_posts, git, stdout};

/// Runs task `name` and returns its run.
fn run_task(env: &TestEnv, name: &str) -> Value {
    let run = env.json(&["task", "run", "-n", name, "--no-logs"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    run
}

fn digest(run: &Value) -> String {
    run["outputImages"][0]["digest"]
        .as_str()
        .unwrap_or_else(|| panic!("no digest: {run}"))
        .to_string()
}

#[test]
fn the_same_task_built_twice_gives_the_same_digest_and_a_changed_base_a_new_one() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_patched_base("repro/base:1", "repro-v1");
    // A RUN step writes files now; --no-cache: no layer cache can hand back the last image.
    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/repro/base:1\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo own > /own.txt\"]\n"
            ),
        )],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "repro-app",
        "-c",
        app.to_str().unwrap(),
        "-t",
        "repro/app:1",
        "--no-cache",
        "-o",
        "none",
    ]);
    let first = run_task(&env, "repro-app");
    let second = run_task(&env, "repro-app");
    assert_eq!(
        digest(&second),
        digest(&first),
        "the same inputs, the same image"
    );
    assert_eq!(first["unchanged"], json!(false), "a first image is new");
    assert_eq!(second["unchanged"], json!(true), "{second}");
    // Its times are the base's creation time (to the second), not the build's clock.
    let created = |repository: &str| {
        let config = env.registry(0).get_config(repository, "1");
        chrono::DateTime::parse_from_rfc3339(config["created"].as_str().unwrap())
            .unwrap()
            .timestamp()
    };
    assert_eq!(created("repro/app"), created("repro/base"));
    let log = stdout(&env.ok(&[
        "task",
        "logs",
        "--run-id",
        second["runId"].as_str().unwrap(),
    ]));
    assert!(
        log.contains("Timestamps: ") && log.contains("the creation time of the base"),
        "{log}"
    );
    let table = stdout(&env.ok(&["task", "list-runs", "-n", "repro-app", "-o", "table"]));
    assert_eq!(table.matches("Succeeded (unchanged)").count(), 1, "{table}");

    env.push_patched_base("repro/base:1", "repro-v2");
    let third = run_task(&env, "repro-app");
    assert_ne!(digest(&third), digest(&second), "a new base, a new image");
    assert_eq!(third["unchanged"], json!(false));
    assert_eq!(
        env.file_in_image(&format!("{reg}/repro/app:1"), "/patch.txt", None),
        "repro-v2"
    );
}

#[test]
fn timestamps_come_from_the_task_else_the_commit() {
    let env = TestEnv::builder().registry().build();
    let repo = env.busybox_context(
        "repo",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "one"]);
    let commit_time: i64 = git(&repo, &["log", "-1", "--format=%ct"]).parse().unwrap();
    let url = format!("file://{}#main", repo.display());
    env.ok(&[
        "task",
        "create",
        "-n",
        "from-git",
        "-c",
        &url,
        "-t",
        "git/app:1",
        "-o",
        "none",
    ]);
    run_task(&env, "from-git");
    let created = env.registry(0).get_config("git/app", "1")["created"].clone();
    let expected = chrono::DateTime::from_timestamp(commit_time, 0).unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(created.as_str().unwrap()).unwrap(),
        expected,
        "the commit's time"
    );

    let task = env.json(&[
        "task",
        "update",
        "-n",
        "from-git",
        "--source-date-epoch",
        "1000",
    ]);
    assert_eq!(task["sourceDateEpoch"], json!(1000));
    run_task(&env, "from-git");
    assert_eq!(
        env.registry(0).get_config("git/app", "1")["created"],
        json!("1970-01-01T00:16:40Z")
    );
    let history = env.registry(0).get_config("git/app", "1")["history"].clone();
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["created"] == "1970-01-01T00:16:40Z"),
        "{history}"
    );

    // Not a number: refused, naming the flag, and the task keeps its value.
    let error = env.fails(
        &[
            "task",
            "update",
            "-n",
            "from-git",
            "--source-date-epoch",
            "yesterday",
        ],
        2,
    );
    assert!(error.contains("--source-date-epoch 'yesterday'"), "{error}");
    let shown = env.json(&["task", "show", "-n", "from-git"]);
    assert_eq!(shown["sourceDateEpoch"], json!(1000));
    // "" clears it.
    let cleared = env.json(&[
        "task",
        "update",
        "-n",
        "from-git",
        "--source-date-epoch",
        "",
    ]);
    assert!(cleared.get("sourceDateEpoch").is_none(), "{cleared}");
}

#[test]
fn a_timer_rebuild_that_changes_nothing_starts_no_dependent_and_notifies_no_one() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    // A base of this test's own: buildah's history names a base by a name its storage has
    // for that image, and tests share one storage.
    env.push_patched_base("noop/base:1", "noop-v1");
    let mid = env.dir_with(
        "mid",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/noop/base:1\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo mid > /mid.txt\"]\n"
            ),
        )],
    );
    let top = env.dir_with(
        "top",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/noop/mid:1\nENV LAYER=top\n"),
        )],
    );
    let (hook, posts) = capture_posts();
    env.ok(&[
        "task",
        "create",
        "-n",
        "noop-mid",
        "-c",
        mid.to_str().unwrap(),
        "-t",
        "noop/mid:1",
        "--no-cache",
        "--schedule",
        "every:* * * * *",
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "create",
        "-n",
        "noop-top",
        "-c",
        top.to_str().unwrap(),
        "-t",
        "noop/top:1",
        "--update-trigger-endpoint",
        &hook,
        "-o",
        "none",
    ]);
    let mid = run_task(&env, "noop-mid");
    run_task(&env, "noop-top");
    // The first watch learns where the timers start; nothing is due.
    env.ok(&["watch", "--once"]);

    // An occurrence of the timer has come: mid rebuilds, on the same base, from the same
    // files.
    let mut store = acrt::store::Store::open(&env.state_dir()).unwrap();
    let key = acrt::store::TimerKey {
        task_registry: reg.clone(),
        task: "noop-mid".to_string(),
        timer: "every".to_string(),
    };
    let mark = acrt::store::TimerMark {
        next: chrono::Utc::now() - chrono::Duration::minutes(3),
        schedule: Some("* * * * *".to_string()),
    };
    store.set_timer_marks(&[(key, mark)]).unwrap();
    drop(store);
    env.ok(&["watch", "--once"]);
    // A second cycle finds nothing either (the registry's tag is where top was built).
    env.ok(&["watch", "--once"]);
    let top_runs = env.json(&[
        "task",
        "list-runs",
        "-n",
        "noop-top",
        "--query",
        "length(@)",
    ]);
    assert_eq!(top_runs, json!(1), "no dependent started");
    assert!(posts.lock().unwrap().is_empty(), "no notification");
    let timer_runs = env.json(&[
        "task",
        "list-runs",
        "-n",
        "noop-mid",
        "--query",
        "[?timerTrigger != null]",
    ]);
    let timer_runs = timer_runs.as_array().unwrap();
    assert!(!timer_runs.is_empty(), "the timer fired");
    for run in timer_runs {
        assert_eq!(run["status"], "Succeeded");
        assert_eq!(digest(run), digest(&mid), "no new digest pushed");
        assert_eq!(run["unchanged"], json!(true), "{run}");
    }
}

#[test]
fn a_task_file_s_build_steps_take_the_task_s_time_and_a_rerun_changes_nothing() {
    let env = TestEnv::builder().registry().build();
    let yaml = "version: v1.1.0\nsteps:\n  - build: -t $Registry/steps/app:1 .\n  - push: [\"$Registry/steps/app:1\"]\n";
    let dir = env.busybox_context(
        "steps",
        &[
            ("acb.yaml", yaml),
            (
                "Dockerfile",
                "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo s > /s.txt\"]\n",
            ),
        ],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "steps-app",
        "-c",
        dir.to_str().unwrap(),
        "-f",
        "acb.yaml",
        "--source-date-epoch",
        "1000",
        "-o",
        "none",
    ]);
    let first = run_task(&env, "steps-app");
    assert_eq!(
        env.registry(0).get_config("steps/app", "1")["created"],
        json!("1970-01-01T00:16:40Z")
    );
    let second = run_task(&env, "steps-app");
    assert_eq!(digest(&second), digest(&first));
    assert_eq!(second["unchanged"], json!(true), "{second}");
}

/// The manifest PUTs the registry has seen for `repository`.
fn manifest_puts(env: &TestEnv, repository: &str) -> usize {
    env.registry(0)
        .requests(&format!("PUT /v2/{repository}/manifests/"))
}

fn run_log(env: &TestEnv, run: &Value) -> String {
    stdout(&env.ok(&["task", "logs", "--run-id", run["runId"].as_str().unwrap()]))
}

/// A task run again on the same inputs pushes nothing (not one manifest PUT) and keeps its
/// last image, which `why` names in its log; a tag someone else moved is pushed again, and a
/// changed file is a new image. `task_flags` are the app task's own (how reproducible its
/// builder is made).
pub(crate) fn a_rerun_of_the_same_image_pushes_nothing(
    builder: crate::harness::TestEnvBuilder,
    task_flags: &[&str],
    why: &str,
) {
    let env = builder.registry().build();
    let reg = env.registry(0).addr.clone();
    let app = env.busybox_context(
        "np-app",
        &[
            (
                "Dockerfile",
                "FROM scratch\nCOPY busybox /busybox\nCOPY app.txt /app.txt\n",
            ),
            ("app.txt", "one"),
        ],
    );
    let dep = env.dir_with(
        "np-dep",
        &[("Dockerfile", &format!("FROM {reg}/np/app:1\nENV DEP=1\n"))],
    );
    let mut create = vec![
        "task",
        "create",
        "-n",
        "np-app",
        "-c",
        app.to_str().unwrap(),
        "-t",
        "np/app:1",
        "-o",
        "none",
    ];
    create.extend(task_flags);
    env.ok(&create);
    env.ok(&[
        "task",
        "create",
        "-n",
        "np-dep",
        "-c",
        dep.to_str().unwrap(),
        "-t",
        "np/dep:1",
        "-o",
        "none",
    ]);
    let first = run_task(&env, "np-app");
    run_task(&env, "np-dep");
    env.ok(&["watch", "--once"]);

    let puts = manifest_puts(&env, "np/app");
    assert!(puts > 0, "the first run pushed");
    let second = run_task(&env, "np-app");
    let log = run_log(&env, &second);
    assert_eq!(
        manifest_puts(&env, "np/app"),
        puts,
        "no manifest PUT: {log}"
    );
    assert_eq!(digest(&second), digest(&first));
    assert_eq!(second["unchanged"], json!(true), "{second}");
    assert!(
        log.contains("nothing is pushed") && log.contains(why),
        "{log}"
    );
    env.ok(&["watch", "--once"]);
    let dep_runs = env.json(&["task", "list-runs", "-n", "np-dep", "--query", "length(@)"]);
    assert_eq!(dep_runs, json!(1), "no dependent started");

    // Someone else pushes another image under the tag: the run puts its image back.
    env.push_busybox_base("np/app:1");
    assert_ne!(
        env.registry(0).digest("np/app", "1", None),
        Some(digest(&first))
    );
    let puts = manifest_puts(&env, "np/app");
    let third = run_task(&env, "np-app");
    assert!(manifest_puts(&env, "np/app") > puts, "pushed again");
    assert_eq!(
        env.registry(0).digest("np/app", "1", None),
        Some(digest(&third))
    );
    let log = run_log(&env, &third);
    assert!(log.contains("someone moved it"), "{log}");

    // A changed file: a new image, pushed.
    std::fs::write(app.join("app.txt"), "two").unwrap();
    let puts = manifest_puts(&env, "np/app");
    let fourth = run_task(&env, "np-app");
    assert!(manifest_puts(&env, "np/app") > puts, "pushed");
    assert_ne!(digest(&fourth), digest(&first));
    assert_eq!(fourth["unchanged"], json!(false), "{fourth}");
    assert_eq!(
        env.registry(0).digest("np/app", "1", None),
        Some(digest(&fourth))
    );
}

#[test]
fn a_buildah_rerun_of_the_same_image_pushes_nothing() {
    a_rerun_of_the_same_image_pushes_nothing(
        TestEnv::builder(),
        &["--source-date-epoch", "1000"],
        "byte for byte",
    );
}

#[test]
fn a_build_with_source_date_epoch_is_reproducible_and_another_value_gives_another_image() {
    let env = TestEnv::builder().registry().build();
    // From scratch out of a local directory: without the flag nothing fixes its time.
    let app = env.busybox_context(
        "app",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    let build = |seconds: &str| {
        let run = env.json(&[
            "build",
            "-t",
            "sde/app:1",
            "--source-date-epoch",
            seconds,
            "--no-logs",
            app.to_str().unwrap(),
        ]);
        assert_eq!(run["status"], "Succeeded", "{run}");
        digest(&run)
    };
    let first = build("1000");
    assert_eq!(build("1000"), first, "the same time, the same image");
    assert_eq!(
        env.registry(0).get_config("sde/app", "1")["created"],
        json!("1970-01-01T00:16:40Z")
    );
    assert_ne!(build("2000"), first, "another time, another image");
    // The task flag's rule: refused naming the flag, nothing built.
    let error = env.fails(
        &[
            "build",
            "-t",
            "sde/app:2",
            "--source-date-epoch",
            "yesterday",
            ".",
        ],
        2,
    );
    assert!(error.contains("--source-date-epoch 'yesterday'"), "{error}");
    assert_eq!(env.registry(0).digest("sde/app", "2", None), None);
}
