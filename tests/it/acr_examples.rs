//! The examples of ACR's task-file reference and of `az acr run --help` / `az acr task create
//! --help`, adapted to a local registry (images are built here, never pulled from a public
//! registry): each runs as written, templates and aliases included.

use std::time::Duration;

use crate::harness::{TestEnv, free_port, stdout, wait_until};

/// An environment whose registry has tools/busybox:1 (busybox as its entrypoint), and a
/// context with hello-world.dockerfile built on it.
fn with_hello_world() -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_tools_image();
    let dockerfile = format!("FROM {reg}/tools/busybox:1\nCMD [\"echo\", \"Hello from acrt\"]\n");
    let context = env.dir_with("hello", &[("hello-world.dockerfile", dockerfile.as_str())]);
    (env, context)
}

/// Runs `acrt run -f FILE CONTEXT` with `yaml` as FILE, and returns the run's log.
fn run_file(env: &TestEnv, context: &std::path::Path, file: &str, yaml: &str) -> String {
    run_file_with(env, context, file, yaml, &[])
}

fn newest_run_id(env: &TestEnv) -> String {
    env.json(&["task", "list-runs", "--top", "1", "--query", "[0].runId"])
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_task_file_reference_examples_run() {
    let (env, context) = with_hello_world();
    let reg = env.registry(0).addr.clone();

    // build-push-hello-world.yaml, with templates: rejected before templates were rendered
    // ahead of the YAML.
    run_file(
        &env,
        &context,
        "build-push-hello-world.yaml",
        "version: v1.1.0\nsteps:\n  - build: -t {{.Run.Registry}}/hello-world:{{.Run.ID}} -f hello-world.dockerfile .\n  - push: [\"{{.Run.Registry}}/hello-world:{{.Run.ID}}\"]\n",
    );
    let id = newest_run_id(&env);
    assert!(
        env.registry(0).digest("hello-world", &id, None).is_some(),
        "hello-world:{id} pushed"
    );

    // The same with the predefined aliases.
    run_file(
        &env,
        &context,
        "build-push-hello-world-alias.yaml",
        "version: v1.1.0\nsteps:\n  - build: -t $Registry/hello-world:$ID -f hello-world.dockerfile .\n  - push:\n    - $Registry/hello-world:$ID\n",
    );
    let id = newest_run_id(&env);
    assert!(
        env.registry(0).digest("hello-world", &id, None).is_some(),
        "hello-world:{id} pushed"
    );

    // A cmd step running the image just built, and every run variable rendered.
    let log = run_file(
        &env,
        &context,
        "build-run-hello-world.yaml",
        "version: v1.1.0\nsteps:\n  - build: -t $Registry/hello-world -f hello-world.dockerfile .\n  - cmd: $Registry/hello-world\n  - cmd: $Registry/tools/busybox:1 echo os={{.Run.OS}} arch={{.Run.Architecture}} name={{.Run.RegistryName}} registry={{.Run.Registry}} volume={{.Run.SharedVolume}}\n",
    );
    assert!(log.contains("Hello from acrt"), "{log}");
    // RegistryName is the login server up to its first dot, as ACR cuts it.
    let name = reg.split('.').next().unwrap();
    assert!(
        log.contains(&format!(
            "os=linux arch=amd64 name={name} registry={reg} volume=/"
        )),
        "{log}"
    );
}

/// The multi-step file of ACR's "Run a multi-step task" tutorial (taskmulti.yaml), without
/// its `docker stop` step (no Docker daemon here) and so without `detach`: its cmd line starts
/// with docker run's `-t`.
#[test]
fn the_multi_step_tutorial_runs_its_image_with_docker_run_options() {
    let (env, context) = with_hello_world();
    let log = run_file(
        &env,
        &context,
        "taskmulti.yaml",
        "version: v1.1.0\nsteps:\n  - build: -t {{.Run.Registry}}/hello-world:{{.Run.ID}} -f hello-world.dockerfile .\n  - cmd: -t {{.Run.Registry}}/hello-world:{{.Run.ID}}\n    id: test\n  - push:\n    - {{.Run.Registry}}/hello-world:{{.Run.ID}}\n",
    );
    assert!(log.contains("Hello from acrt"), "{log}");
    let id = newest_run_id(&env);
    assert!(
        env.registry(0).digest("hello-world", &id, None).is_some(),
        "hello-world:{id} pushed"
    );
}

#[test]
fn the_az_help_examples_run() {
    let (env, context) = with_hello_world();
    let ctx = context.to_str().unwrap();

    // az acr run -r MyRegistry --cmd '$Registry/myimage' /dev/null
    let log = stdout(&env.ok(&[
        "run",
        "--cmd",
        "$Registry/tools/busybox:1 echo ran by cmd",
        "/dev/null",
    ]));
    assert!(log.contains("ran by cmd"), "{log}");

    // cat task.yaml | az acr run -r MyRegistry -f - /dev/null
    let mut piped = env.command();
    piped
        .args(["run", "-f", "-", "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    let mut child = piped.spawn().unwrap();
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        b"version: v1.1.0\nsteps:\n  - cmd: $Registry/tools/busybox:1 echo from a pipe {{.Values.who}}\n",
    )
    .unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("from a pipe"));

    // az acr run -r MyRegistry -f bash-echo.yaml ./workspace (with --set, as in the reference)
    let log = run_file_with(
        &env,
        &context,
        "bash-echo.yaml",
        "version: v1.1.0\nsteps:\n  - cmd: $Registry/tools/busybox:1 echo hello {{.Values.who}}\n",
        &["--set", "who=world"],
    );
    assert!(log.contains("hello world"), "{log}");

    // az acr task create -n hello-world -r MyRegistry --cmd '$Registry/myimage' -c /dev/null
    env.ok(&[
        "task",
        "create",
        "-n",
        "hello-world",
        "--cmd",
        "$Registry/tools/busybox:1 echo task by cmd",
        "-c",
        "/dev/null",
        "-o",
        "none",
    ]);
    let log = stdout(&env.ok(&["task", "run", "-n", "hello-world"]));
    assert!(log.contains("task by cmd"), "{log}");

    // az acr task create -t hello-world:{{.Run.ID}} -n hello-world -r MyRegistry -c CONTEXT
    //   -f Dockerfile (a local context here, and no git token)
    env.ok(&[
        "task",
        "create",
        "-t",
        "hello-world:{{.Run.ID}}",
        "-n",
        "hello-world-file",
        "-c",
        ctx,
        "-f",
        "hello-world.dockerfile",
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "run",
        "-n",
        "hello-world-file",
        "--no-logs",
        "-o",
        "none",
    ]);
    let id = newest_run_id(&env);
    assert!(
        env.registry(0).digest("hello-world", &id, None).is_some(),
        "hello-world:{id} pushed"
    );
}

fn run_file_with(
    env: &TestEnv,
    context: &std::path::Path,
    file: &str,
    yaml: &str,
    extra: &[&str],
) -> String {
    std::fs::write(context.join(file), yaml).unwrap();
    let mut args = vec!["run", "-f", file];
    args.extend_from_slice(extra);
    let ctx = context.to_str().unwrap().to_string();
    args.push(&ctx);
    stdout(&env.ok(&args))
}

/// The ACR samples' network-curl.yaml: a detached server, then a client of it. Steps share
/// the host's network here (no per-run network, so a step id is no host name): the client
/// asks 127.0.0.1. The server is done as soon as it starts, and stopped when the run ends.
#[test]
fn a_detached_step_serves_the_steps_after_it_and_stops_with_the_run() {
    let (env, context) = with_hello_world();
    std::fs::write(context.join("page.txt"), "served by the detached step").unwrap();
    let port = free_port();
    let server = format!("httpd -f -p 127.0.0.1:{port} -h /workspace");
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - id: web\n    cmd: $Registry/tools/busybox:1 {server}\n    detach: true\n  - id: client\n    cmd: $Registry/tools/busybox:1 sh -c 'for i in $(seq 50); do wget -q -O- http://127.0.0.1:{port}/page.txt && exit 0; sleep 0.2; done; exit 1'\n"
    );
    let log = run_file(&env, &context, "network-curl.yaml", &yaml);
    assert!(log.contains("served by the detached step"), "{log}");
    assert!(log.contains("Step ID: web is detached"), "{log}");
    assert!(
        log.contains("Stopping the detached step(s) still running: web"),
        "{log}"
    );
    assert!(!log.contains("detach cannot be honoured"), "{log}");
    let run = env.json(&["task", "list-runs", "--top", "1"]);
    assert_eq!(run[0]["status"], "Succeeded", "{run}");
    // Nothing of the server is left running.
    wait_until(
        "the detached server to stop",
        Duration::from_secs(10),
        || !processes().iter().any(|p| p.contains(&server)),
    );
}

/// The command lines of this machine's processes.
fn processes() -> Vec<String> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .collect()
}
