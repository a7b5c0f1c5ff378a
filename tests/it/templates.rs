//! Task files' Go templates as acr-builder renders them: pipelines with sprig functions,
//! variables, `if` and `range` making steps, missing fields, secrets read by `index`, and
//! errors that quote the failing line.

use base64::Engine as _;

use crate::harness::{TestEnv, busybox_image, stderr, stdout};
use crate::taskfiles::{run_file, step, with_tools};

#[test]
fn go_templates_choose_and_repeat_steps_and_render_pipelines_dates_and_variables() {
    let env = with_tools();
    let reg = env.registry(0).addr.clone();
    let yaml = format!(
        r#"version: v1.1.0
# {{{{ a comment line is never rendered
{{{{ $tag := "1" }}}}
steps:
  - id: pipes
    cmd: {reg}/tools/busybox:{{{{ $tag }}}} echo short={{{{ .Run.ID | upper | substr 0 2 }}}} year={{{{ now | date "2006" }}}} date=[{{{{ .Date }}}}] nope=[{{{{ .Run.Nope }}}}]
{{{{- if .Values.fast }}}}
  - id: chosen-fast
    cmd: {reg}/tools/busybox:1 echo fast
{{{{- else }}}}
  - id: chosen-slow
    cmd: {reg}/tools/busybox:1 echo slow
{{{{- end }}}}
{{{{- range $i, $name := list "a" "b" }}}}
  - id: each-{{{{ $name }}}}
    cmd: {reg}/tools/busybox:1 echo item-{{{{ $i }}}}-{{{{ $name | quote }}}}
{{{{- end }}}}
"#
    );
    let (out, run) = run_file(&env, "go-templates", &yaml, &["--set", "fast=yes"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let log = stdout(&out);
    let id = run["runId"].as_str().unwrap();
    let year = chrono::Utc::now().format("%Y").to_string();
    let short = id[..2].to_uppercase();
    assert!(
        log.contains(&format!("short={short} year={year} date=[] nope=[]")),
        "{log}"
    );
    assert!(
        log.contains("item-0-a") && log.contains("item-1-b"),
        "{log}"
    );
    for id in ["pipes", "chosen-fast", "each-a", "each-b"] {
        assert_eq!(step(&run, id)["status"], "successful", "{id}: {run}");
    }
    let ids: Vec<&str> = run["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(!ids.contains(&"chosen-slow"), "{ids:?}");
}

#[test]
fn a_secret_read_by_index_with_a_hyphenated_id_is_masked_in_the_log() {
    // A step given a secret runs a script, so its image has a shell.
    let env = TestEnv::builder().registry().build();
    let image = busybox_image(&env);
    let user = "robot-4f7e2a";
    let encoded = base64::engine::general_purpose::STANDARD.encode(user);
    let yaml = format!(
        r#"version: v1.1.0
secrets:
  - id: registry-user
    env: REG_USER
steps:
  - cmd: {image} echo plain={{{{ index .Secrets "registry-user" }}}} encoded={{{{ $u := index .Secrets "registry-user" }}}}{{{{ $u | b64enc }}}} cut={{{{ index .Secrets "registry-user" | trunc 9 }}}}
"#
    );
    let dir = env.dir_with("hyphen-secret", &[("acb.yaml", &yaml)]);
    let out = env
        .acrt()
        .args(["run", "-f", "acb.yaml", "--secret-env", "REG_USER"])
        .arg(&dir)
        .env("REG_USER", user)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let log = stdout(&out);
    assert!(
        log.contains("plain=*** encoded=*** cut=***"),
        "every value computed from the secret is masked: {log}"
    );
    for shown in [user, encoded.as_str(), &user[..9]] {
        assert!(!log.contains(shown), "{shown} shown: {log}");
    }
}

#[test]
fn a_template_error_quotes_only_its_line_with_its_number() {
    let env = with_tools();
    let reg = env.registry(0).addr.clone();
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - id: first\n    cmd: {reg}/tools/busybox:1 echo one\n  - cmd: {reg}/tools/busybox:1 echo {{{{ .Run.ID | frobnicate }}}}\n  - cmd: {reg}/tools/busybox:1 echo three\n"
    );
    let (out, run) = run_file(&env, "bad-template", &yaml, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = run["runErrorMessage"].as_str().unwrap();
    assert!(
        message.contains("line 5")
            && message.contains("frobnicate")
            && message.contains("5 |   - cmd: "),
        "{message}"
    );
    assert!(
        !message.contains("echo one") && !message.contains("echo three"),
        "only the failing line is quoted: {message}"
    );

    // A file given on stdin is checked before a run is queued, with the same line.
    let out = env
        .acrt()
        .args(["run", "-f", "-", "/dev/null"])
        .write_stdin(yaml)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("line 5") && err.contains("frobnicate") && !err.contains("echo one"),
        "{err}"
    );
}
