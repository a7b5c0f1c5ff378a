//! Hostile input: what a context, a task file or a registry sends cannot run code on the
//! host, change the builder, leak a secret or wedge acrt.

use crate::harness::{TestEnv, busybox_image, serve_file, stderr, stdout};

/// A context whose `tools/` holds fake builders and helpers that leave a marker when run.
fn trap_context(env: &TestEnv, dockerfile: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let marker = env.dir_with("markers", &[]).join("ran");
    let trap = format!(
        "#!/bin/sh\necho \"$0 $*\" >> {}\nexit 0\n",
        marker.display()
    );
    let ctx = env.busybox_context(
        "trap",
        &[
            ("Dockerfile", dockerfile),
            ("tools/buildah", &trap),
            ("tools/podman", &trap),
            ("tools/git", &trap),
        ],
    );
    for tool in ["buildah", "podman", "git"] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            ctx.join("tools").join(tool),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    (ctx, marker)
}

#[test]
fn build_args_never_change_how_the_builder_runs() {
    let env = TestEnv::builder().registry().build();
    let (ctx, marker) = trap_context(
        &env,
        "FROM scratch\nARG PATH\nARG HTTP_PROXY\nCOPY busybox /bin/busybox\n\
         RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo proxy-in-build=$HTTP_PROXY\"]\n",
    );
    let tools = ctx.join("tools");
    let path_arg = format!("PATH={}", tools.display());
    let out = env.run(&[
        "build",
        "--no-cache",
        "-t",
        "hostile/app:1",
        "--build-arg",
        &path_arg,
        "--build-arg",
        "LD_PRELOAD=/nonexistent/evil.so",
        "--build-arg",
        "HTTP_PROXY=http://127.0.0.1:9",
        "--build-arg",
        "BUILDAH_ISOLATION=bogus",
        "--build-arg",
        "CONTAINERS_REGISTRIES_CONF=/nonexistent/registries.conf",
        "--build-arg",
        "REGISTRY_AUTH_FILE=/nonexistent/auth.json",
        "--build-arg",
        "HOME=/nonexistent",
        "--build-arg",
        "TMPDIR=/nonexistent",
        ctx.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(
        !marker.exists(),
        "a program from the context ran on the host: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    assert!(out.status.success(), "{log}\n{}", stderr(&out));
    // The builder's environment was not touched; the build saw the proxy as a build arg.
    assert!(log.contains("proxy-in-build=http://127.0.0.1:9"), "{log}");
    assert!(
        log.contains("--build-arg PATH=") && log.contains("/usr/bin/buildah bud"),
        "builders start by absolute path with --build-arg NAME=VALUE: {log}"
    );
    assert!(env.registry(0).digest("hostile/app", "1", None).is_some());
}

#[test]
fn a_task_file_build_step_cannot_reach_the_builder_through_args_or_env() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let (ctx, marker) = trap_context(&env, "FROM scratch\nCOPY busybox /bin/busybox\n");
    let tools = ctx.join("tools");
    let task_file = format!(
        "version: v1.1.0\nsteps:\n  - build: -t {reg}/hostile/steps:1 --build-arg PATH={t} .\n    env: [\"PATH={t}\", \"LD_PRELOAD=/nonexistent/evil.so\"]\n  - push: [\"{reg}/hostile/steps:1\"]\n",
        t = tools.display()
    );
    std::fs::write(ctx.join("acb.yaml"), task_file).unwrap();
    let out = env.run(&["run", "-f", "acb.yaml", ctx.to_str().unwrap()]);
    assert!(
        !marker.exists(),
        "a program from the context ran: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(env.registry(0).digest("hostile/steps", "1", None).is_some());
}

#[test]
fn secret_build_args_stay_out_of_argv_and_out_of_the_image() {
    let env = TestEnv::builder().registry().build();
    // The Dockerfile checks the secret's sha256, so that the value itself is nowhere in it.
    let dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\n\
         RUN --mount=type=secret,id=NPM_TOKEN [\"/bin/busybox\", \"sh\", \"-c\", \
         \"/bin/busybox sha256sum /run/secrets/NPM_TOKEN | /bin/busybox grep -q ^cb6233dce430 && echo secret-mount-ok\"]\n";
    let ctx = env.busybox_context("secret", &[("Dockerfile", dockerfile)]);
    let out = env.run(&[
        "build",
        "--no-cache",
        "-t",
        "hostile/secret:1",
        "--secret-build-arg",
        "NPM_TOKEN=tok-s3cret-value",
        ctx.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(out.status.success(), "{log}\n{}", stderr(&out));
    assert!(log.contains("secret-mount-ok"), "{log}");
    assert!(!log.contains("tok-s3cret-value"), "{log}");
    assert!(
        log.contains("--build-arg NPM_TOKEN --secret id=NPM_TOKEN,type=file,src="),
        "{log}"
    );
    let manifest = env.registry(0).get_manifest("hostile/secret", "1");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let config = manifest["config"]["digest"].as_str().unwrap();
    let blob = env.registry(0).get_blob("hostile/secret", config);
    assert!(
        !blob.contains("tok-s3cret-value"),
        "a secret mount leaves no trace in the image: {blob}"
    );

    // A secret under a name the builder reads cannot travel safely: refused when given.
    let err = env.fails(
        &[
            "build",
            "--secret-build-arg",
            "PATH=/tmp",
            ctx.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("'PATH'") && err.contains("another name"),
        "{err}"
    );
    assert!(!err.contains("/tmp"), "{err}");
}

#[test]
fn output_that_is_not_utf8_is_kept_and_never_fails_a_build() {
    let env = TestEnv::builder().registry().build();
    let ctx = env.busybox_context(
        "bytes",
        &[(
            "Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\n\
             RUN [\"/bin/busybox\", \"sh\", \"-c\", \"printf 'bad \\\\377 byte\\\\n'; /bin/busybox seq 1 30000 >&2; echo after-bad-byte\"]\n",
        )],
    );
    let out = env.run(&[
        "build",
        "--no-cache",
        "-t",
        "hostile/bytes:1",
        ctx.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(
        out.status.success(),
        "{}\n{}",
        &log[log.len().saturating_sub(3000)..],
        stderr(&out)
    );
    assert!(
        log.contains("bad \u{fffd} byte"),
        "shown with a replacement character"
    );
    assert!(log.contains("after-bad-byte") && log.contains("\n30000\n"));

    // A cmd step's output after a bad byte is not dropped either.
    let image = busybox_image(&env);
    let task_file = format!(
        "version: v1.1.0\nsteps:\n  - cmd: {image} sh -c \"printf 'x\\\\377y\\\\n'; echo rest-of-the-output\"\n"
    );
    let dir = env.dir_with("cmdbytes", &[("acb.yaml", &task_file)]);
    let out = env.run(&["run", "-f", "acb.yaml", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("rest-of-the-output"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn dockerfiles_with_a_bom_or_bytes_that_are_not_utf8_scan_without_a_panic() {
    let env = TestEnv::new();
    let bom = env.dir_with("bom", &[("Dockerfile", "\u{feff}\nFROM scratch\n")]);
    let out = env.json(&["scan", bom.to_str().unwrap()]);
    assert_eq!(out[0]["repository"], "scratch", "{out}");
    let latin1 = env.dir_with("latin1", &[("README", "x\n")]);
    std::fs::write(
        latin1.join("Dockerfile"),
        b"# caf\xe9 au lait\nFROM example.com/base:1\n",
    )
    .unwrap();
    let out = env.json(&["scan", latin1.to_str().unwrap()]);
    assert_eq!(out[0]["repository"], "base", "{out}");
}

/// A tar of symlinks and files: (name, Some(link target)) or (name, None) with `data`.
fn tar_with_links(entries: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut raw = Vec::new();
    {
        let mut builder = tar::Builder::new(&mut raw);
        for (name, link, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_mode(0o777);
            match link {
                Some(target) => {
                    header.set_entry_type(tar::EntryType::Symlink);
                    header.set_size(0);
                    header.set_link_name(target).unwrap();
                    header.set_path(name).unwrap();
                    header.set_cksum();
                    builder.append(&header, &[][..]).unwrap();
                }
                None => {
                    header.set_size(data.len() as u64);
                    header.set_path(name).unwrap();
                    header.set_cksum();
                    builder.append(&header, *data).unwrap();
                }
            }
        }
        builder.finish().unwrap();
    }
    raw
}

#[test]
fn contexts_cannot_make_acrt_read_files_outside_them() {
    let env = TestEnv::new();
    // A secret on the host, and a chain of links each of which looks harmless on its own.
    let host_secret = env.dir_with("host", &[("secret.txt", "FROM host-secret-leaked\n")]);
    // Enough links to climb from wherever acrt unpacks the tarball up to /.
    let depth = 24;
    let mut entries: Vec<(String, Option<String>)> = vec![("s/x".into(), None)];
    entries.push(("l0".into(), Some("s/..".into())));
    for i in 1..depth {
        entries.push((format!("l{i}"), Some(format!("l{}/..", i - 1))));
    }
    entries.push((
        "Dockerfile".into(),
        Some(format!(
            "l{}{}",
            depth - 1,
            host_secret.join("secret.txt").display()
        )),
    ));
    let refs: Vec<(&str, Option<&str>, &[u8])> = entries
        .iter()
        .map(|(n, l)| (n.as_str(), l.as_deref(), &b"x"[..]))
        .collect();
    let url = format!("{}/context.tar", serve_file(tar_with_links(&refs), 2));
    let err = env.fails(&["scan", &url], 2);
    assert!(err.contains("outside the context"), "{err}");
    assert!(!err.contains("host-secret-leaked"), "{err}");

    // An absolute link committed in a git repository.
    let repo = env.dir_with("repo", &[("README", "x\n")]);
    std::os::unix::fs::symlink(host_secret.join("secret.txt"), repo.join("Dockerfile")).unwrap();
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "x",
        ],
    ] {
        assert!(
            std::process::Command::new("git")
                .current_dir(&repo)
                .args(args)
                .status()
                .unwrap()
                .success()
        );
    }
    let git_url = format!("file://{}", repo.display());
    let err = env.fails(&["scan", &git_url], 2);
    assert!(
        err.contains("outside the context") && err.contains("absolute"),
        "{err}"
    );
    assert!(!err.contains("host-secret-leaked"), "{err}");

    // A task file's alias source and values file climb out of the context.
    let dir = env.dir_with(
        "climb",
        &[
            (
                "acb.yaml",
                "version: v1.1.0\nalias:\n  src:\n    - ../host/secret.txt\nsteps:\n  - cmd: x\n",
            ),
            ("vals.yaml", "version: v1.1.0\nsteps:\n  - cmd: x\n"),
        ],
    );
    let out = env.run(&["run", "-f", "acb.yaml", dir.to_str().unwrap()]);
    assert!(!out.status.success());
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("outside the context"), "{text}");
    let out = env.run(&[
        "run",
        "-f",
        "vals.yaml",
        "--values",
        "../host/secret.txt",
        dir.to_str().unwrap(),
    ]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !out.status.success() && text.contains("outside the context"),
        "{text}"
    );
    assert!(!text.contains("host-secret-leaked"), "{text}");
}

#[test]
fn loopback_means_loopback_and_a_private_ca_can_be_trusted() {
    // A name that only looks like loopback gets https, for requests and for login.
    let env = TestEnv::new();
    let out = env.run(&[
        "login",
        "-r",
        "127.evil.test:5000",
        "-u",
        "u",
        "-p",
        "secret-pw",
    ]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("https://127.evil.test:5000/v2/"), "{err}");
    assert!(!err.contains("secret-pw"), "{err}");

    let env = TestEnv::builder().tls_registry().build();
    let reg = env.registry(0).addr.clone();
    let ctx = env.busybox_context(
        "tls",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    let app = env.dir_with(
        "tls-app",
        &[("Dockerfile", &format!("FROM {reg}/tls/base:1\n"))],
    );
    let err = env.fails(&["scan", "--resolve", app.to_str().unwrap()], 1);
    assert!(
        err.contains("TLS certificate problem") && err.contains("core.ca_file"),
        "a certificate failure says so and how to fix it: {err}"
    );
    // The builder's own certificate failure says so too.
    let image = format!("{reg}/tls/base:1");
    let out = env.run(&["build", "-t", &image, ctx.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("TLS certificate problem"),
        "{}",
        stderr(&out)
    );
    let ca = env.registry(0).ca_file.clone().unwrap();
    env.ok(&["config", "set", &format!("core.ca_file={}", ca.display())]);
    let image = format!("{reg}/tls/base:1");
    let out = env.run(&["build", "-t", &image, ctx.to_str().unwrap()]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("--cert-dir"), "{}", stdout(&out));
    let bases = env.json(&["scan", "--resolve", app.to_str().unwrap()]);
    assert!(
        bases[0]["digest"].as_str().unwrap().starts_with("sha256:"),
        "{bases}"
    );
}

#[test]
fn bad_values_are_refused_when_given_and_leave_the_store_as_it_was() {
    let env = TestEnv::new();
    env.create_task("goodtask", &["-t", "app:{{.Run.ID}}"]);
    let before = env.store_snapshot();
    let ctx = env.context();
    let ctx = ctx.to_str().unwrap();
    let long_tag = format!("app:{}", "t".repeat(200));
    let long_registry = "r".repeat(10_000);
    let bad_images = [
        "a:b:c",
        ":tag",
        "Q:1",
        "app:-tag",
        "app:.tag",
        long_tag.as_str(),
        "localhost:99999/q:1",
        "app:{{.Run.ID",
        "x@sha256:zz",
    ];
    for image in bad_images {
        let err = env.fails(
            &["task", "create", "-n", "badtask", "-c", ctx, "-t", image],
            2,
        );
        assert!(err.contains("invalid image"), "{image}: {err}");
        let err = env.fails(&["task", "update", "-n", "goodtask", "-t", image], 2);
        assert!(err.contains("invalid image"), "{image}: {err}");
        env.fails(&["build", "-t", image, ctx], 2);
    }
    let err = env.fails(&["task", "list", "-r", &long_registry], 2);
    assert!(
        err.contains("longer than 255"),
        "{}",
        &err[..err.len().min(300)]
    );
    let err = env.fails(
        &[
            "task",
            "credential",
            "add",
            "-n",
            "goodtask",
            "--login-server",
            &long_registry,
            "-u",
            "u",
            "-p",
            "p",
        ],
        2,
    );
    assert!(err.len() < 1000, "the message does not repeat a huge value");
    let err = env.fails(
        &[
            "task",
            "update",
            "-n",
            "goodtask",
            "-c",
            "https://example.com/r.git#-uhttps://evil",
        ],
        2,
    );
    assert!(err.contains("branch"), "{err}");
    let err = env.fails(&["configure", "--defaults", "acr=a b c"], 2);
    assert!(err.contains("invalid registry"), "{err}");
    // Commands still work afterwards, and nothing changed.
    assert_eq!(env.store_snapshot(), before);
    env.ok(&["task", "list"]);
}

/// Runs acrt to its end, collecting the command lines of every acrt and builder process seen
/// while it ran.
fn run_watching_argv(
    env: &TestEnv,
    args: &[&str],
    extra_env: &[(&str, &str)],
) -> (std::process::Output, Vec<String>) {
    let mut cmd = env.command();
    cmd.args(args).envs(extra_env.iter().copied());
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let pid = child.id();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (seen, done) = (seen.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
                    let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else {
                        continue;
                    };
                    let line = String::from_utf8_lossy(&raw).replace('\0', " ");
                    let program = line.split(' ').next().unwrap_or_default();
                    if program.ends_with("buildah")
                        || program.ends_with("acrt")
                        || program.ends_with("podman")
                    {
                        seen.lock().unwrap().push(line);
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        })
    };
    let out = child.wait_with_output().unwrap();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    watcher.join().unwrap();
    let _ = pid;
    let lines = seen.lock().unwrap().clone();
    (out, lines)
}

#[test]
fn task_file_secrets_never_reach_a_command_line_or_an_error() {
    let env = TestEnv::builder().registry().build();
    let image = busybox_image(&env);
    let task_file = format!(
        "version: v1.1.0\nsecrets:\n  - id: tok\n    env: ACRT_TEST_TOKEN\nsteps:\n  - cmd: {image} sh -c \"echo token-len=${{#TOKEN}}; test $TOKEN = {{{{.Secrets.tok}}}} && echo same-token; sleep 1\"\n    env: [\"TOKEN={{{{.Secrets.tok}}}}\"]\n"
    );
    let dir = env.dir_with("secret-steps", &[("acb.yaml", &task_file)]);
    let secret = "tok-VERY-s3cret-9f2";
    let (out, argvs) = run_watching_argv(
        &env,
        &[
            "run",
            "-f",
            "acb.yaml",
            "--secret-env",
            "ACRT_TEST_TOKEN",
            dir.to_str().unwrap(),
        ],
        &[("ACRT_TEST_TOKEN", secret)],
    );
    let log = stdout(&out);
    assert!(out.status.success(), "{log}\n{}", stderr(&out));
    assert!(
        log.contains("token-len=19") && log.contains("same-token"),
        "{log}"
    );
    assert!(
        argvs
            .iter()
            .any(|a| a.contains("buildah") && a.contains(" run ")),
        "the watcher saw the step: {argvs:?}"
    );
    for a in &argvs {
        assert!(!a.contains(secret), "a secret on a command line: {a}");
    }
    assert!(!log.contains(secret));

    // A secret that breaks the task file's YAML is not in the error, the log or the run.
    let breaking = "line-one-s3cret\"\n  : [broken\nline-two-s3cret";
    let task_file = "version: v1.1.0\nsecrets:\n  - id: tok\n    env: ACRT_TEST_TOKEN\nsteps:\n  - cmd: x\n    env: [\"T={{.Secrets.tok}}\"]\n";
    let dir = env.dir_with("breaking", &[("acb.yaml", task_file)]);
    let mut cmd = env.command();
    let out = cmd
        .args(["run", "-f", "acb.yaml", "--secret-env", "ACRT_TEST_TOKEN"])
        .arg(&dir)
        .env("ACRT_TEST_TOKEN", breaking)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    let shown = format!("{}{}{}", stdout(&out), stderr(&out), run);
    for piece in ["line-one-s3cret", "line-two-s3cret"] {
        assert!(!shown.contains(piece), "{piece} leaked: {shown}");
    }
    assert!(
        run["runErrorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("task file")),
        "{run}"
    );
}

/// A builder name acrt does not know, written into the config file by hand, is an error that
/// names the setting and the known builders, before a run is queued; never another builder.
/// `acrt config set` still works, to fix it.
#[test]
fn an_unknown_builder_in_the_config_file_is_refused_naming_the_known_ones() {
    let env = TestEnv::builder()
        .default_registry("localhost:5000")
        .build();
    std::fs::create_dir_all(env.config_dir()).unwrap();
    std::fs::write(
        env.config_dir().join("config.toml"),
        "[defaults]\nbuilder = \"kaniko\"\n",
    )
    .unwrap();
    let context = env.dir_with("ctx", &[("Dockerfile", "FROM scratch\n")]);
    let err = env.fails(
        &[
            "build",
            "-t",
            "app:1",
            "--no-wait",
            context.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("defaults.builder") && err.contains("'kaniko'"),
        "{err}"
    );
    assert!(err.contains("buildah, docker, podman"), "{err}");
    // Settings are read once, for every command; the config commands still work, to fix it.
    let err = env.fails(&["task", "list-runs"], 2);
    assert!(err.contains("defaults.builder"), "{err}");
    env.ok(&["config", "set", "defaults.builder=buildah"]);
    let runs = env.json(&["task", "list-runs"]);
    assert_eq!(runs, serde_json::json!([]));
}
