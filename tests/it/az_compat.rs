//! What scripts copied from az carry: Azure-only options, az's names for flags, az's
//! JMESPath literals.

use serde_json::json;

use crate::harness::{TestEnv, stderr, stdout};

#[test]
fn azure_only_options_are_accepted_and_explained_once() {
    let env = TestEnv::new();
    let out = env.ok(&[
        "task",
        "create",
        "-n",
        "azscript",
        "-c",
        "/dev/null",
        "--cmd",
        "echo hi",
        "-g",
        "my-group",
        "--subscription",
        "0000",
        "--agent-pool",
        "pool1",
        "--assign-identity",
        "--is-system-task",
        "-o",
        "none",
    ]);
    let err = stderr(&out);
    for (flag, instead) in [
        ("--resource-group", "per registry (-r)"),
        ("--subscription", "no subscriptions"),
        ("--agent-pool", "--builder"),
        ("--assign-identity", "acrt task credential add"),
        ("--is-system-task", "a task like any other"),
    ] {
        assert_eq!(err.matches(flag).count(), 1, "{flag} explained once: {err}");
        assert!(err.contains(instead), "{flag}: {err}");
    }
    // Anywhere on any command, before or after the subcommand.
    let names = env.json(&["-g", "rg", "task", "list", "--query", "[].name"]);
    assert_eq!(names, json!(["azscript"]));
    env.ok(&["task", "show", "-n", "azscript", "--resource-group", "rg"]);
    // --only-show-errors silences the explanations, as it does az's warnings.
    let out = env.ok(&["task", "list", "-g", "rg", "--only-show-errors"]);
    assert_eq!(stderr(&out), "");
    // ACRT_HOME (set for every test) is not shown as a required --state-dir in usage lines.
    let err = env.fails(&["task", "show"], 2);
    assert!(
        err.contains("--name") && !err.contains("--state-dir"),
        "{err}"
    );
    // az's --no-format is accepted where az has it.
    for command in [
        &["build", "--help"][..],
        &["run", "--help"],
        &["task", "logs", "--help"],
    ] {
        assert!(
            stdout(&env.ok(command)).contains("--no-format"),
            "{command:?}"
        );
    }
}

#[test]
fn login_takes_az_s_name_flag_and_queries_take_az_s_literals() {
    let env = TestEnv::builder().auth_registry("azuser", "azpass").build();
    let registry = env.registry(0).addr.clone();
    let mut login = env.acrt();
    login
        .args(["login", "-n", &registry, "-u", "azuser", "--password-stdin"])
        .write_stdin("azpass\n");
    let out = login.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    env.fails(
        &["login", "-n", &registry, "-r", &registry, "-u", "azuser"],
        2,
    );
    // A person at a terminal is asked for the user and the password.
    env.ok(&["logout", "-r", &registry]);
    let screen = env.on_terminal(
        &format!("login -r {registry}"),
        &[],
        Some("azuser\nazpass\n"),
    );
    assert!(
        screen.contains("Username: ")
            && screen.contains("Password: ")
            && screen.contains("Login Succeeded"),
        "{screen}"
    );
    // Without a terminal nothing is asked: the error says how to give it.
    let err = env.fails(&["login", "-r", &registry, "-u", "azuser"], 2);
    assert!(err.contains("--password-stdin"), "{err}");
    // az's -t: the login is checked and the token printed, not stored (a basic-auth
    // registry has none); a wrong password still fails.
    let expose = env.run_with_stdin(
        &[
            "login",
            "-n",
            &registry,
            "-u",
            "azuser",
            "--password-stdin",
            "-t",
        ],
        "azpass\n",
    );
    let out = expose;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        json!({"accessToken": null, "loginServer": registry})
    );
    let wrong = env.run_with_stdin(
        &[
            "login",
            "-n",
            &registry,
            "-u",
            "azuser",
            "--password-stdin",
            "-t",
        ],
        "nope\n",
    );
    assert_eq!(wrong.status.code(), Some(1));

    env.create_task("literal-a", &["-t", "a:1"]);
    env.create_task("literal-b", &["-t", "b:1", "--status", "Disabled"]);
    // `Disabled` in backticks is not JSON: az (jmespath.py) reads it as a string.
    assert_eq!(
        env.json(&["task", "list", "--query", "[?status==`Disabled`].name"]),
        json!(["literal-b"])
    );
    assert_eq!(
        env.json(&["task", "list", "--query", "[?timeout==`3600`] | length(@)"]),
        json!(2)
    );
}

/// `--auth-mode None` gives a task's runs no login of the user's for the task's registry, as
/// az's; and a build to a registry that wants a login it lacks fails before building, naming
/// the fix, not after the build with the builder's error.
#[test]
fn auth_mode_none_and_a_missing_login_fail_before_the_build() {
    let env = TestEnv::builder().auth_registry("ci", "s3cret").build();
    let registry = env.registry(0).addr.clone();
    let context = env.busybox_context(
        "img",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    let context = context.to_str().unwrap();

    // Fails naming `acrt login`; the run's log.
    let fails_wanting_login = |args: &[&str]| {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("wants a login") && err.contains(&format!("acrt login -r {registry}")),
            "{err}"
        );
        stdout(&env.ok(&["task", "logs"]))
    };
    let log = fails_wanting_login(&["build", "-t", "first:1", "--no-logs", "-o", "none", context]);
    assert!(!log.contains("STEP 1/"), "no build was started: {log}");

    // A task file's push steps are checked before its first step runs.
    let steps = env.busybox_context(
        "steps",
        &[
            ("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n"),
            (
                "acb.yaml",
                "version: v1.1.0\nsteps:\n  - build: -t $Registry/multi:1 .\n  - push: [\"$Registry/multi:1\"]\n",
            ),
        ],
    );
    let steps = steps.to_str().unwrap();
    let log = fails_wanting_login(&["run", "-f", "acb.yaml", "--no-logs", "-o", "none", steps]);
    assert!(
        !log.contains("Executing step"),
        "no step was started: {log}"
    );

    let login = env.run_with_stdin(
        &["login", "-r", &registry, "-u", "ci", "--password-stdin"],
        "s3cret\n",
    );
    assert!(login.status.success(), "{}", stderr(&login));
    env.ok(&["build", "-t", "first:1", "--no-logs", "-o", "none", context]);
    env.ok(&["run", "-f", "acb.yaml", "--no-logs", "-o", "none", steps]);
    assert!(
        env.registry(0)
            .digest("multi", "1", Some(("ci", "s3cret")))
            .is_some()
    );

    // A quick build's --auth-mode None leaves the user's login out, as az's; az's other
    // quick-run options are accepted and explained.
    let out = env.run(&[
        "build",
        "-t",
        "first:2",
        "--auth-mode",
        "None",
        "--no-logs",
        "-o",
        "none",
        context,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--auth-mode None gives this run no login of yours"),
        "{}",
        stderr(&out)
    );
    let out = env.ok(&[
        "build",
        "-t",
        "first:2",
        "--auth-mode",
        "Default",
        "--log-template",
        "acr/logs:{{.Run.ID}}",
        "--source-acr-auth-id",
        "[caller]",
        "--no-logs",
        "-o",
        "none",
        context,
    ]);
    let err = stderr(&out);
    assert!(
        err.contains("--log-template is for ACR's log artifacts")
            && err.contains("--source-acr-auth-id is Azure's"),
        "{err}"
    );

    for (name, mode) in [("authdefault", "Default"), ("authnone", "None")] {
        env.ok(&[
            "task",
            "create",
            "-n",
            name,
            "-c",
            context,
            "-t",
            "app:{{.Run.ID}}",
            "--auth-mode",
            mode,
            "-o",
            "none",
        ]);
    }
    // az's run options: the update trigger token is recorded on the run.
    let run = env.json(&[
        "task",
        "run",
        "-n",
        "authdefault",
        "--update-trigger-token",
        "dG9rZW4=",
        "--log-template",
        "acr/logs:{{.Run.ID}}",
        "--no-logs",
    ]);
    assert_eq!(run["updateTriggerToken"], "dG9rZW4=");
    let out = env.run(&["task", "run", "-n", "authnone", "--no-logs", "-o", "none"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("--auth-mode None") && err.contains("acrt task credential add -n authnone"),
        "{err}"
    );
    // The task's own login is what its runs use.
    env.ok(&[
        "task",
        "credential",
        "add",
        "-n",
        "authnone",
        "--login-server",
        &registry,
        "-u",
        "ci",
        "-p",
        "s3cret",
        "-o",
        "none",
    ]);
    env.ok(&["task", "run", "-n", "authnone", "--no-logs", "-o", "none"]);
}

#[test]
fn forms_from_real_az_scripts_are_read_as_az_reads_them() {
    let env = TestEnv::new();
    let repo = "https://example.com/org/app.git";
    // --branch beside a git context; an unambiguous prefix of a long option.
    env.ok(&[
        "task",
        "create",
        "-n",
        "branched",
        "-c",
        repo,
        "--branch",
        "dev",
        "-f",
        "acb.yaml",
        "--value",
        "values.yaml",
        "--commit-trigger",
        "true",
        "-o",
        "none",
    ]);
    let task = env.json(&["task", "show", "-n", "branched"]);
    assert_eq!(task["step"]["contextPath"], format!("{repo}#dev"), "{task}");
    assert_eq!(task["step"]["valuesFilePath"], "values.yaml", "{task}");
    assert_eq!(
        task["trigger"]["sourceTriggers"][0]["sourceRepository"]["branch"], "dev",
        "{task}"
    );
    let err = env.fails(&["task", "update", "-n", "branched", "--branch", "main"], 2);
    assert!(err.contains("two branches"), "{err}");

    // A bare NAME with no such variable is an empty value, as az passes it.
    env.create_task("emptyarg", &["--arg", "NOT_SET_ANYWHERE"]);
    let task = env.json(&["task", "show", "-n", "emptyarg"]);
    assert_eq!(
        task["step"]["arguments"],
        json!([{"name": "NOT_SET_ANYWHERE", "value": "", "isSecret": false}])
    );

    // --image and --arg on a task file's task: az ignores them; acrt says so.
    let out = env.ok(&[
        "task",
        "create",
        "-n",
        "filewithimage",
        "-c",
        repo,
        "-f",
        "acb.yaml",
        "-t",
        "app:1",
        "--arg",
        "A=1",
        "--set",
        "ALSO_NOT_SET",
        "-o",
        "none",
    ]);
    let warned = stderr(&out);
    assert!(
        warned.contains("--image is for Dockerfile tasks") && warned.contains("--arg is for"),
        "{warned}"
    );
    let task = env.json(&["task", "show", "-n", "filewithimage"]);
    assert_eq!(task["step"]["values"][0]["value"], "", "{task}");

    // An ARM resource ID names a registry by its last segment.
    env.ok(&["config", "set", "registries.local=localhost:5999"]);
    let id = "/subscriptions/00000000-0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/local";
    let tasks = env.json(&["task", "list", "-r", id]);
    assert_eq!(tasks, json!([]));

    // NAME.azurecr.io is the registry NAME in Azure: with an alias NAME, its server.
    let context = env.context();
    let out = env.ok(&[
        "task",
        "create",
        "-n",
        "aliasedimg",
        "-r",
        "local",
        "-c",
        context.to_str().unwrap(),
        "-t",
        "local.azurecr.io/app:1",
        "-o",
        "none",
    ]);
    assert!(
        stderr(&out).contains("localhost:5999/app:1"),
        "{}",
        stderr(&out)
    );
    let task = env.json(&["task", "show", "-n", "aliasedimg", "-r", "local.azurecr.io"]);
    assert_eq!(
        task["step"]["imageNames"],
        json!(["localhost:5999/app:1"]),
        "{task}"
    );
}

#[test]
fn build_id_is_the_run_id_and_a_manual_run_is_a_quick_run() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let context = env.context();
    let run = env.json(&[
        "build",
        "-t",
        "app:{{.Build.ID}}",
        "--no-logs",
        context.to_str().unwrap(),
    ]);
    let run_id = run["runId"].as_str().unwrap();
    assert_eq!(run["outputImages"][0]["tag"], run_id, "{run}");
    assert_eq!(run["outputImages"][0]["registry"], reg.as_str());
    env.create_task("manual", &["-t", "app:{{.Run.ID}}"]);
    let run = env.json(&["task", "run", "-n", "manual", "--no-logs"]);
    assert_eq!(run["runType"], "QuickRun", "{run}");
}
