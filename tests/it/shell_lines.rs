//! A `cmd` line as ACR's shell reads it: lists, redirections, continuations and `$VAR` from
//! the step's env carried out by acrt, never by a host shell; everything else refused before
//! the run starts.

use serde_json::Value;

use crate::harness::{TestEnv, stderr, stdout};

/// An environment with tools/busybox:1 (busybox as its entrypoint) in its registry, and a
/// variable in acrt's own environment that no task file may read.
fn with_tools() -> TestEnv {
    let env = TestEnv::builder()
        .registry()
        .env("ACRT_HOST_ONLY", "leaked-from-host")
        .build();
    env.push_tools_image();
    env
}

fn run_file(env: &TestEnv, name: &str, yaml: &str) -> std::process::Output {
    let dir = env.dir_with(name, &[("acb.yaml", yaml)]);
    env.run(&["run", "-f", "acb.yaml", dir.to_str().unwrap()])
}

fn tools(env: &TestEnv) -> String {
    format!("{}/tools/busybox:1", env.registry(0).addr)
}

#[test]
fn lists_redirections_continuations_and_variables_run_as_acrs_shell_reads_them() {
    let env = with_tools();
    let img = tools(&env);
    let yaml = format!(
        r#"version: v1.1.0
steps:
  - id: or-true
    cmd: {img} sh -c 'exit 3' || true
  - id: and
    cmd: {img} false && {img} sh -c 'echo never-$((1+1))' || {img} sh -c 'echo or-ran-$((2+2))'
  - id: and-runs
    cmd: {img} true && {img} sh -c 'echo and-ran-$((3+3))'
  - id: sequence
    cmd: {img} sh -c 'echo first-$((4+4))'; {img} sh -c 'echo second-$((5+5))'
  - id: to-null
    cmd: {img} sh -c 'echo swallowed-$((6*7))' > /dev/null
  - id: stderr-null
    cmd: {img} sh -c 'echo hidden-err-$((7*7)) >&2; echo shown-out-$((8*8))' 2> /dev/null
  - id: into-file
    cmd: {img} sh -c 'echo into-file-$((9*9))' > out.txt
  - id: append
    cmd: {img} sh -c 'echo appended-$((10*10)) >&2' >> /workspace/out.txt 2>&1
  - id: read
    cmd: {img} sh -c 'test "$(cat /workspace/out.txt)" = "$(printf "into-file-%s\nappended-%s" $((9*9)) $((10*10)))" && echo file-read-ok'
  - id: continued
    cmd: |
      {img} echo line \
        continued
  - id: variables
    env: ["GREETING=hi from env"]
    cmd: {img} echo [$GREETING] "[$GREETING]" [$ACRT_HOST_ONLY] [${{GREETING:+set}}]
"#
    );
    let out = run_file(&env, "lists", &yaml);
    let log = stdout(&out);
    assert!(out.status.success(), "{log}\n{}", stderr(&out));
    for shown in [
        "or-ran-4",
        "and-ran-6",
        "shown-out-64",
        "file-read-ok",
        "\nline continued\n",
        "\n[hi from env] [hi from env] [] [set]\n",
        "exited with code 3; the cmd line goes on",
    ] {
        assert!(log.contains(shown), "{shown:?} in {log}");
    }
    let first = log
        .find("\nfirst-8\n")
        .expect("the first command of a sequence ran");
    let second = log
        .find("\nsecond-10\n")
        .expect("the second command of a sequence ran");
    assert!(first < second, "{log}");
    for hidden in [
        "never-2",
        "swallowed-42",
        "hidden-err-49",
        "into-file-81",
        "appended-100",
        "leaked-from-host",
        "line \\",
    ] {
        assert!(!log.contains(hidden), "{hidden:?} in {log}");
    }
}

#[test]
fn exit_n_ends_the_step_with_its_code() {
    let env = with_tools();
    let img = tools(&env);
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - id: ends\n    cmd: {img} true && exit 3; {img} sh -c 'echo after-exit-$((1+1))'\n  - id: next\n    cmd: {img} true\n"
    );
    let out = run_file(&env, "exit", &yaml);
    assert!(!out.status.success(), "{}", stdout(&out));
    let log = stdout(&out);
    assert!(!log.contains("after-exit-2"), "{log}");
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    let steps = run["steps"].as_array().unwrap();
    let status = |id: &str| -> &Value { &steps.iter().find(|s| s["id"] == id).unwrap()["status"] };
    assert_eq!(status("ends"), "failed", "{run}");
    assert_eq!(status("next"), "skipped", "{run}");
    assert!(log.contains("'exit 3'"), "{log}");
}

#[test]
fn what_a_host_shell_would_do_is_refused_before_any_step_runs() {
    let env = TestEnv::builder().registry().build();
    let img = format!("{}/tools/busybox:1", env.registry(0).addr);
    for (line, construct) in [
        (
            format!("{img} echo $(id -u)"),
            "a command substitution ('$(...)'",
        ),
        (
            format!("{img} echo `id -u`"),
            "a command substitution (backticks",
        ),
        (format!("{img} echo hi | tee x"), "a pipe ('|')"),
        (
            format!("{img} echo hi > /etc/x"),
            "the redirection to '/etc/x'",
        ),
        (format!("{img} echo hi > ../x"), "the redirection to '../x'"),
        (
            format!("{img} sleep 5 & {img} true"),
            "a background command ('&')",
        ),
        (
            format!("{img} true && echo done"),
            "'echo' after '&&', '||' or ';' is a host command",
        ),
    ] {
        let yaml = format!(
            "version: v1.1.0\nsteps:\n  - id: first\n    cmd: {img} true\n  - id: refused\n    cmd: \"{}\"\n",
            line.replace('\\', "\\\\").replace('"', "\\\"")
        );
        let out = run_file(&env, "refused", &yaml);
        assert_eq!(out.status.code(), Some(1), "{line}: {}", stdout(&out));
        let err = stdout(&out);
        assert!(
            err.contains(construct) && err.contains("line 5, step 'refused'"),
            "{line}: {err}"
        );
        assert!(
            !stdout(&out).contains("Executing step"),
            "{line}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn a_run_cmd_line_goes_through_the_same_reading() {
    let env = with_tools();
    let img = tools(&env);
    let out = env.run(&[
        "run",
        "--cmd",
        &format!("{img} sh -c 'exit 3' || {img} sh -c 'echo recovered-$((2*3))' > /dev/null"),
        "/dev/null",
    ]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(!stdout(&out).contains("recovered-6"), "{}", stdout(&out));
    let err = env.fails(
        &[
            "run",
            "--cmd",
            &format!("{img} echo $(whoami)"),
            "/dev/null",
        ],
        1,
    );
    assert!(err.contains("a command substitution"), "{err}");
}
