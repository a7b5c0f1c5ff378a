//! Registries that use bearer tokens (Docker Hub, ACR, GHCR, Quay, Harbor, GitLab): a real
//! distribution registry with token auth and the harness's token service.

use crate::harness::{TestEnv, TokenUser, stderr, stdout};

fn login(env: &TestEnv, registry: &str, user: &str, password: &str) {
    let out = env.run_with_stdin(
        &["login", "-r", registry, "-u", user, "--password-stdin"],
        password,
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_token_registry_takes_builds_and_imports() {
    let env = TestEnv::builder()
        .token_registry(vec![TokenUser::admin("ci", "ci-pa55")])
        .build();
    let reg = env.registry(0).addr.clone();
    login(&env, &reg, "ci", "ci-pa55");
    let image = format!("{reg}/tokens/base:1");
    env.push_busybox_base(&image);
    let tokens = env.token_server(0);
    tokens.clear_requests();
    let out = env.run(&[
        "import",
        "-n",
        &reg,
        "--source",
        &image,
        "-t",
        "tokens/copy:1",
    ]);
    println!("{}{}", stdout(&out), stderr(&out));
    for r in tokens.requests() {
        println!("{r:?}");
    }
    assert!(out.status.success());
}
