use serde_json::json;

use crate::harness::TestEnv;

#[test]
fn registry_from_flag_alias_default_or_environment() {
    let env = TestEnv::builder().build();
    let ctx = env.context();
    let ctx = ctx.to_str().unwrap();

    let err = env.fails(&["task", "list"], 2);
    assert!(
        err.contains("--registry") && err.contains("configure --defaults"),
        "{err}"
    );

    env.json(&[
        "task",
        "create",
        "-r",
        "localhost:5000",
        "-n",
        "same-name",
        "-c",
        ctx,
    ]);
    env.json(&[
        "task",
        "create",
        "-r",
        "myreg",
        "-n",
        "same-name",
        "-c",
        ctx,
    ]);
    let azure = env.json(&["task", "show", "-r", "myreg.azurecr.io", "-n", "same-name"]);
    assert_eq!(azure["id"], "/registries/myreg.azurecr.io/tasks/same-name");

    env.ok(&["config", "set", "registries.local=localhost:5000"]);
    let local = env.json(&["task", "show", "-r", "local", "-n", "same-name"]);
    assert_eq!(local["id"], "/registries/localhost:5000/tasks/same-name");

    env.ok(&["configure", "--defaults", "acr=local"]);
    assert_eq!(
        env.json(&["configure", "--list-defaults"]),
        json!([{"name": "acr", "source": "config", "value": "local"}])
    );
    assert_eq!(
        env.json(&["task", "list", "--query", "[].id"]),
        json!(["/registries/localhost:5000/tasks/same-name"])
    );

    // The environment wins over the config file, the flag over both.
    let from_env = env
        .acrt()
        .env("ACRT_REGISTRY", "myreg")
        .args(["task", "list", "--query", "[].id"])
        .output()
        .unwrap();
    let ids: serde_json::Value = serde_json::from_slice(&from_env.stdout).unwrap();
    assert_eq!(ids, json!(["/registries/myreg.azurecr.io/tasks/same-name"]));

    env.ok(&["task", "delete", "-r", "myreg", "-n", "same-name", "-y"]);
    assert_eq!(
        env.json(&["task", "list", "--query", "length(@)"]),
        json!(1)
    );

    let err = env.fails(&["task", "list", "-r", "https://localhost:5000"], 2);
    assert!(err.contains("host[:port]"), "{err}");
    let err = env.fails(&["config", "set", "core.colour=blue"], 2);
    assert!(err.contains("unknown config key"), "{err}");
}

#[test]
fn plain_http_only_for_loopback_and_configured_registries() {
    let env = TestEnv::builder().build();
    let ctx = env.dir_with(
        "remote",
        &[("Dockerfile", "FROM reg.invalid:5000/base/img:1\n")],
    );
    let ctx = ctx.to_str().unwrap();
    let out = env.run(&["scan", "--resolve", ctx]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("https://reg.invalid:5000/v2/"),
        "https by default: {err}"
    );

    env.ok(&[
        "config",
        "set",
        "core.insecure_registries=reg.invalid:5000, other.invalid",
    ]);
    let out = env.run(&["scan", "--resolve", ctx]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("http://reg.invalid:5000/v2/"),
        "configured as insecure: {err}"
    );
}
