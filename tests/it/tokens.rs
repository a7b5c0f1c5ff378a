//! Registries that use bearer tokens (Docker Hub, ACR, GHCR, Quay, Harbor, GitLab): a real
//! distribution registry with token auth and the harness's token service.

use serde_json::Value;

use crate::harness::{TestEnv, TokenUser, stderr, stdout};

fn login(env: &TestEnv, registry: &str, user: &str, password: &str) {
    let out = env.run_with_stdin(
        &["login", "-r", registry, "-u", user, "--password-stdin"],
        password,
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A token registry where `ci` may do anything and `reader` may only pull, with a base
/// image pushed as `tokens/base:1`; the user is logged in as `ci`.
fn token_env() -> (TestEnv, String) {
    let reader = TokenUser {
        push: Vec::new(),
        ..TokenUser::admin("reader", "read-only-pw")
    };
    let env = TestEnv::builder()
        .token_registry(vec![TokenUser::admin("ci", "ci-pa55"), reader])
        .build();
    let reg = env.registry(0).addr.clone();
    login(&env, &reg, "ci", "ci-pa55");
    env.push_busybox_base(&format!("{reg}/tokens/base:1"));
    (env, reg)
}

fn import(env: &TestEnv, reg: &str, target: &str) -> std::process::Output {
    env.run(&[
        "import",
        "-n",
        reg,
        "--source",
        &format!("{reg}/tokens/base:1"),
        "-t",
        target,
        "-o",
        "json",
    ])
}

#[test]
fn a_copy_within_a_token_registry_mounts_its_blobs_with_one_token_per_scope() {
    let (env, reg) = token_env();
    let tokens = env.token_server(0);
    tokens.clear_requests();
    let out = import(&env, &reg, "tokens/copy:1");
    assert!(out.status.success(), "{}", stderr(&out));
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&stats["blobsMounted"], &stats["blobsCopied"]),
        (&Value::from(2), &Value::from(0)),
        "{stats}"
    );
    let asked = tokens.requests();
    assert!(
        asked.len() <= 3,
        "one token per registry, repository and action: {asked:#?}"
    );
    assert!(
        asked.iter().any(|r| r.scopes
            == [
                "repository:tokens/copy:pull,push",
                "repository:tokens/base:pull"
            ]),
        "a mount asks for both scopes in one token: {asked:#?}"
    );
}

#[test]
fn an_identity_token_is_exchanged_and_handed_to_the_builder() {
    let (env, reg) = token_env();
    // What `az acr login` and `docker login` to such a registry keep: no password, a
    // refresh token.
    use base64::Engine as _;
    let config = serde_json::json!({"auths": {reg.clone(): {
        "auth": base64::engine::general_purpose::STANDARD
            .encode("00000000-0000-0000-0000-000000000000:"),
        "identitytoken": "refresh-ci-ci-pa55",
    }}});
    std::fs::write(env.path_of_home(".docker/config.json"), config.to_string()).unwrap();
    let tokens = env.token_server(0);
    tokens.clear_requests();
    let out = import(&env, &reg, "tokens/from-identity:1");
    assert!(out.status.success(), "{}", stderr(&out));
    let context = env.dir_with(
        "identity-app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/tokens/base:1\nCOPY Dockerfile /\n"),
        )],
    );
    let out = env.run(&[
        "build",
        "-t",
        &format!("{reg}/tokens/app:1"),
        "--no-logs",
        context.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}{}{:#?}",
        stdout(&out),
        stderr(&out),
        tokens.requests()
    );
    let asked = tokens.requests();
    assert!(
        asked.iter().all(|r| r.grant == "refresh_token"
            && r.status == 200
            && r.user.as_deref() == Some("ci")),
        "only the identity token was used: {asked:#?}"
    );
}

#[test]
fn a_login_that_may_not_push_is_told_so_before_anything_is_pushed_or_copied() {
    let (env, reg) = token_env();
    login(&env, &reg, "reader", "read-only-pw");
    let context = env.dir_with(
        "reader-app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/tokens/base:1\nCOPY Dockerfile /\n"),
        )],
    );
    let out = env.run(&[
        "build",
        "-t",
        &format!("{reg}/tokens/app:2"),
        context.to_str().unwrap(),
    ]);
    let shown = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success(), "{shown}");
    assert!(
        shown.contains("user 'reader' may not push tokens/app"),
        "{shown}"
    );
    // The check is answered while the build runs: the build is stopped, no push is started.
    assert!(
        !shown
            .lines()
            .any(|l| l.starts_with("$ ") && l.contains(" push ")),
        "no push was started: {shown}"
    );
    assert_eq!(
        env.registry(0).requests("PUT /v2/tokens/app/manifests/"),
        0,
        "nothing was pushed"
    );

    let out = import(&env, &reg, "tokens/copy:2");
    let shown = stderr(&out);
    assert!(
        !out.status.success() && shown.contains("user 'reader' may not push tokens/copy"),
        "{shown}"
    );
}

#[test]
fn a_failing_token_service_is_named_as_such() {
    let (env, reg) = token_env();
    let tokens = env.token_server(0);
    tokens.fail_with(Some(503));
    let out = import(&env, &reg, "tokens/copy:3");
    let shown = stderr(&out);
    assert!(!out.status.success());
    assert!(
        shown.contains("token service") && shown.contains(&tokens.realm) && shown.contains("503"),
        "{shown}"
    );
    assert!(!shown.contains("log in"), "not the login's fault: {shown}");
    // acrt login says the same.
    let out = env.run_with_stdin(
        &["login", "-r", &reg, "-u", "ci", "--password-stdin"],
        "ci-pa55",
    );
    let shown = stderr(&out);
    assert!(
        !out.status.success() && shown.contains("token service") && shown.contains("503"),
        "{shown}"
    );
    assert!(!shown.contains("check the user name"), "{shown}");
    tokens.fail_with(None);

    // A wrong password is the login's fault, and said so.
    login_anyway(&env, &reg, "ci", "wrong-password");
    let out = import(&env, &reg, "tokens/copy:4");
    let shown = stderr(&out);
    assert!(
        !out.status.success() && shown.contains("refused the login of user 'ci'"),
        "{shown}"
    );
}

/// Stores a login without checking it (as a password changed since would be).
fn login_anyway(env: &TestEnv, registry: &str, user: &str, password: &str) {
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let config = serde_json::json!({"auths": {registry: {"auth": auth}}});
    std::fs::write(env.path_of_home(".docker/config.json"), config.to_string()).unwrap();
}

#[test]
fn check_base_reads_a_base_as_watch_does() {
    let (env, reg) = token_env();
    let context = env.dir_with(
        "checked-app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/tokens/base:1\nCOPY Dockerfile /\n"),
        )],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "checked",
        "-c",
        context.to_str().unwrap(),
        "-t",
        &format!("{reg}/tokens/checked:1"),
        "-r",
        &reg,
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "run",
        "-n",
        "checked",
        "-r",
        &reg,
        "--no-logs",
        "-o",
        "none",
    ]);
    let registry = env.registry(0);
    let heads = |env: &TestEnv| {
        let _ = env;
        (
            registry.requests("HEAD /v2/tokens/base/manifests/1"),
            registry.requests("GET /v2/tokens/base/manifests/1"),
        )
    };
    let before = heads(&env);
    let rows = env.json(&["task", "check-base", "-n", "checked", "-r", &reg]);
    assert_eq!(rows[0]["rebuildDue"], false, "{rows}");
    let after = heads(&env);
    assert_eq!(
        (after.0 - before.0, after.1 - before.1),
        (1, 0),
        "one HEAD of the base, no GET"
    );
    let before = heads(&env);
    let out = env.run(&["watch", "--once", "-o", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = heads(&env);
    assert_eq!((after.0 - before.0, after.1 - before.1), (1, 0));
}

#[test]
fn a_rebuild_cycle_asks_each_token_once_per_process() {
    let (env, reg) = token_env();
    let base = format!("{reg}/tokens/base:1");
    let context = env.dir_with(
        "cycle-app",
        &[("Dockerfile", &format!("FROM {base}\nCOPY Dockerfile /\n"))],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "cycled",
        "-c",
        context.to_str().unwrap(),
        "-t",
        &format!("{reg}/tokens/cycled:1"),
        "-r",
        &reg,
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "run",
        "-n",
        "cycled",
        "-r",
        &reg,
        "--no-logs",
        "-o",
        "none",
    ]);
    env.push_patched_base(&base, "2");
    let tokens = env.token_server(0);
    tokens.clear_requests();
    let registry = env.registry(0);
    let manifest_reads = |env: &TestEnv| {
        let _ = env;
        registry.requests("HEAD /v2/tokens/base/manifests/")
            + registry.requests("GET /v2/tokens/base/manifests/")
    };
    let before = manifest_reads(&env);
    let lines_before = registry.logged("/v2/tokens/base/").len();
    let out = env.run(&["watch", "--once", "-o", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["runs"].as_array().map(Vec::len), Some(1), "{report}");
    let by_acrt: Vec<_> = tokens
        .requests()
        .into_iter()
        .filter(|r| !r.agent.starts_with("Buildah"))
        .collect();
    let base_scope = |r: &&crate::harness::TokenRequest| {
        r.scopes
            .iter()
            .any(|s| s.starts_with("repository:tokens/base:"))
    };
    let base_tokens = by_acrt.iter().filter(base_scope).count();
    eprintln!(
        "rebuild cycle: {} token request(s) by acrt ({base_tokens} for the base), {} by the builder; {} base manifest read(s) in all",
        by_acrt.len(),
        tokens.requests().len() - by_acrt.len(),
        manifest_reads(&env) - before
    );
    let lines: Vec<String> = registry
        .logged("/v2/tokens/base/")
        .into_iter()
        .skip(lines_before)
        .collect();
    for line in &lines {
        eprintln!(
            "  {}",
            line.split_once('"').map_or(line.as_str(), |(_, r)| r)
        );
    }
    // The watcher, and the run's own process: one token each for the base; the watcher's
    // HEAD of the tag, and the run's one read of the manifest it pins.
    assert!(base_tokens <= 2, "{by_acrt:#?}");
    let manifests_by_acrt = lines
        .iter()
        .filter(|l| l.contains("/manifests/") && !l.contains("Buildah"))
        .count();
    assert_eq!(manifests_by_acrt, 2, "{lines:#?}");
}
