//! Rebase: a patched base taken into an image without a build, where that is sound.

use serde_json::Value;

use crate::harness::{TestEnv, stdout};

fn layers(env: &TestEnv, repository: &str, tag: &str) -> Vec<String> {
    let manifest: Value =
        serde_json::from_str(&env.registry(0).get_manifest(repository, tag)).unwrap();
    layer_digests(&manifest)
}

/// The digests of a manifest's layers, in order.
pub(crate) fn layer_digests(manifest: &Value) -> Vec<String> {
    manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_patched_base_is_rebased_in_without_a_build_and_the_app_s_layers_stay() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_patched_base("rebase/base:1", "v1");
    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/rebase/base:1\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo own > /own.txt\"]\n"
            ),
        )],
    );
    let task = env.json(&[
        "task",
        "create",
        "-n",
        "rebased-app",
        "-c",
        app.to_str().unwrap(),
        "-t",
        "rebase/app:1",
        "--base-image-update",
        "rebase",
    ]);
    assert_eq!(task["baseImageUpdate"], "rebase");
    env.ok(&[
        "task",
        "run",
        "-n",
        "rebased-app",
        "--no-logs",
        "-o",
        "none",
    ]);
    let base_layers = layers(&env, "rebase/base", "1").len();
    let before = layers(&env, "rebase/app", "1");
    let own = before[base_layers..].to_vec();

    env.push_patched_base("rebase/base:1", "v2");
    let run = env.json(&["task", "rebase", "-n", "rebased-app"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(run["rebase"]["baseImage"], format!("{reg}/rebase/base:1"));
    assert_ne!(run["rebase"]["fromDigest"], run["rebase"]["toDigest"]);
    let log = stdout(&env.ok(&["task", "logs", "--run-id", run["runId"].as_str().unwrap()]));
    assert!(
        log.contains("Rebasing") && !log.contains("STEP 1/"),
        "no build: {log}"
    );

    // The image runs, with the new base's content and its own; its own layers unchanged.
    let image = format!("{reg}/rebase/app:1");
    assert_eq!(env.file_in_image(&image, "/patch.txt", None), "v2");
    assert_eq!(env.file_in_image(&image, "/own.txt", None), "own");
    let after = layers(&env, "rebase/app", "1");
    assert_eq!(
        after[after.len() - own.len()..],
        own[..],
        "the app's own layers"
    );
    assert_eq!(
        after[..after.len() - own.len()],
        layers(&env, "rebase/base", "1")[..],
        "the new base's layers"
    );

    // Watch rebases it when the base changes again (trigger Image Update).
    env.push_patched_base("rebase/base:1", "v3");
    env.ok(&["watch", "--once"]);
    let newest = env.json(&[
        "task",
        "list-runs",
        "-n",
        "rebased-app",
        "--top",
        "1",
        "--query",
        "[0]",
    ]);
    assert!(newest["imageUpdateTrigger"].is_object(), "{newest}");
    assert!(newest["rebase"].is_object(), "{newest}");
    assert_eq!(env.file_in_image(&image, "/patch.txt", None), "v3");

    // No recorded base (FROM scratch): not sound, so it builds, and the log says why.
    let plain = env.busybox_context(
        "plain",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "scratch-app",
        "-c",
        plain.to_str().unwrap(),
        "-t",
        "rebase/plain:1",
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "run",
        "-n",
        "scratch-app",
        "--no-logs",
        "-o",
        "none",
    ]);
    let run = env.json(&["task", "rebase", "-n", "scratch-app"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(run["rebase"].is_null(), "{run}");
    let log = stdout(&env.ok(&["task", "logs", "--run-id", run["runId"].as_str().unwrap()]));
    assert!(
        log.contains("Not rebased: ") && log.contains("building instead"),
        "{log}"
    );
}

#[test]
fn a_rebased_image_takes_the_new_base_s_config_and_keeps_its_own_or_rebuilds_on_a_conflict() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_patched_base_with(
        "cfg/base:1",
        "v1",
        "ENV NODE_VERSION=1 SHARED=base\nWORKDIR /srv\n",
    );
    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/cfg/base:1\nENV APP=own SHARED=app\n"),
        )],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "cfg-app",
        "-c",
        app.to_str().unwrap(),
        "-t",
        "cfg/app:1",
        "--base-image-update",
        "rebase",
        "-o",
        "none",
    ]);
    env.ok(&["task", "run", "-n", "cfg-app", "--no-logs", "-o", "none"]);

    // The new base changes NODE_VERSION and the working dir, which the app left alone, and
    // SHARED, which the app set itself and the new base left as it was.
    env.push_patched_base_with(
        "cfg/base:1",
        "v2",
        "ENV NODE_VERSION=2 SHARED=base\nWORKDIR /opt\n",
    );
    let run = env.json(&["task", "rebase", "-n", "cfg-app"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(run["rebase"].is_object(), "rebased, not rebuilt: {run}");
    let config = env.registry(0).get_config("cfg/app", "1")["config"].clone();
    let env_list: Vec<&str> = config["Env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(env_list.contains(&"NODE_VERSION=2"), "{env_list:?}");
    assert!(
        env_list.contains(&"APP=own") && env_list.contains(&"SHARED=app"),
        "{env_list:?}"
    );
    assert!(!env_list.contains(&"NODE_VERSION=1"), "{env_list:?}");
    assert_eq!(config["WorkingDir"], "/opt");
    assert_eq!(
        run["rebase"]["carriedOver"],
        serde_json::json!([
            {"field": "WorkingDir", "key": null},
            {"field": "Env", "key": "NODE_VERSION"}
        ])
    );
    assert_eq!(
        env.file_in_image(&format!("{reg}/cfg/app:1"), "/patch.txt", None),
        "v2"
    );

    // Now the new base changes SHARED too, which the app had changed: a conflict; it builds,
    // and says which field.
    env.push_patched_base_with(
        "cfg/base:1",
        "v3",
        "ENV NODE_VERSION=2 SHARED=base3\nWORKDIR /opt\n",
    );
    let run = env.json(&["task", "rebase", "-n", "cfg-app"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(run["rebase"].is_null(), "rebuilt: {run}");
    let log = stdout(&env.ok(&["task", "logs", "--run-id", run["runId"].as_str().unwrap()]));
    assert!(
        log.contains("Not rebased: the image changed Env SHARED, which the new base changed too"),
        "{log}"
    );
    let config = env.registry(0).get_config("cfg/app", "1")["config"].clone();
    assert!(
        config["Env"]
            .as_array()
            .unwrap()
            .contains(&"SHARED=app".into()),
        "{config}"
    );
    assert_eq!(
        env.file_in_image(&format!("{reg}/cfg/app:1"), "/patch.txt", None),
        "v3"
    );
}
