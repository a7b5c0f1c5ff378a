//! A task of several platforms whose base moved on some: rebased platform by platform
//! (`--base-image-update rebase`), a platform that cannot be rebased built alone, and
//! `--platform-lockstep`, which takes every platform along. Images from scratch with ENV and
//! COPY only, so that no emulation is needed.

use serde_json::{Value, json};

use crate::harness::{TestEnv, stderr, stdout};
use crate::platforms::{
    BOTH, child_of, entry_of, index_of, manifest_and_config, put_base_index, watch_once,
};
use crate::rebase::layer_digests;

/// A new base's ENV: NODE_VERSION moves, SHARED stays.
const NODE_2: &str = "ENV NODE_VERSION=2 SHARED=base";

/// Builds multi/base:`tag` for `platforms` from scratch: `instructions` (ENV lines), then a
/// file holding `text`.
fn build_base(env: &TestEnv, tag: &str, platforms: &str, instructions: &str, text: &str) {
    let dir = env.dir_with(
        &format!("base-{tag}"),
        &[
            (
                "Dockerfile",
                &format!("FROM scratch\n{instructions}\nCOPY file.txt /file.txt\n"),
            ),
            ("file.txt", text),
        ],
    );
    let image = format!("multi/base:{tag}");
    let dir = dir.to_str().unwrap();
    env.ok(&[
        "build",
        "--platform",
        platforms,
        "-t",
        &image,
        "--no-logs",
        "-o",
        "none",
        dir,
    ]);
}

/// The index entry of the single-platform multi/base:`tag`, as `like`'s platform.
fn entry_for(env: &TestEnv, tag: &str, like: &Value) -> Value {
    let registry = env.registry(0);
    let mut entry = like.clone();
    entry["digest"] = json!(registry.digest("multi/base", tag, None).unwrap());
    entry["size"] = json!(registry.get_manifest("multi/base", tag).len());
    entry
}

/// Builds multi/base:`tag` for one platform (`like`'s, an entry of multi/base:1) with
/// `instructions` and `text`; its entry for an index.
fn moved_base(env: &TestEnv, tag: &str, like: &Value, instructions: &str, text: &str) -> Value {
    let platform = format!(
        "{}/{}",
        like["platform"]["os"].as_str().unwrap(),
        like["platform"]["architecture"].as_str().unwrap()
    );
    build_base(env, tag, &platform, instructions, text);
    entry_for(env, tag, like)
}

/// The base index multi/base:1 for both platforms, and its two entries (amd64, arm64).
fn base_for_both(env: &TestEnv) -> (Value, Value) {
    build_base(env, "1", BOTH, "ENV NODE_VERSION=1 SHARED=base", "base 1\n");
    let base = crate::platforms::json(&env.registry(0).get_index("multi/base", "1"));
    (
        entry_of(&base, "linux/amd64"),
        entry_of(&base, "linux/arm64"),
    )
}

/// A task `name` for both platforms on multi/base:1, setting its own APP and SHARED and
/// adding a file, with `extra` options; run once.
fn app_task(env: &TestEnv, name: &str, extra: &[&str]) {
    let reg = env.registry(0).addr.clone();
    let dir = env.dir_with(
        &format!("app-{name}"),
        &[
            (
                "Dockerfile",
                &format!(
                    "FROM {reg}/multi/base:1\nENV APP=own SHARED=app\nCOPY app.txt /app.txt\n"
                ),
            ),
            ("app.txt", "app\n"),
        ],
    );
    let image = format!("multi/{name}:1");
    let dir = dir.to_str().unwrap();
    let mut args = vec![
        "task",
        "create",
        "-n",
        name,
        "-t",
        &image,
        "-c",
        dir,
        "--platform",
        BOTH,
        "-o",
        "none",
    ];
    args.extend_from_slice(extra);
    env.ok(&args);
    env.ok(&["task", "run", "-n", name, "--no-logs", "-o", "none"]);
}

fn env_of(config: &Value) -> Vec<String> {
    config["config"]["Env"]
        .as_array()
        .unwrap_or_else(|| panic!("no Env in {config}"))
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect()
}

fn newest_run(env: &TestEnv, task: &str) -> Value {
    env.json(&["task", "list-runs", "-n", task, "--top", "1"])[0].clone()
}

fn log_of(env: &TestEnv, run: &Value) -> String {
    stdout(&env.ok(&["task", "logs", "--run-id", run["runId"].as_str().unwrap()]))
}

/// The platform image of a run's `platforms` for `platform`.
fn run_platform(run: &Value, platform: &str) -> Value {
    run["platforms"]
        .as_array()
        .unwrap_or_else(|| panic!("no platforms in {run}"))
        .iter()
        .find(|p| {
            format!(
                "{}/{}",
                p["os"].as_str().unwrap(),
                p["architecture"].as_str().unwrap()
            ) == platform
        })
        .cloned()
        .unwrap_or_else(|| panic!("no {platform} in {run}"))
}

#[test]
fn only_the_platform_whose_base_moved_is_rebased_and_the_new_index_keeps_the_other() {
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    let (amd, arm) = base_for_both(&env);
    app_task(&env, "rebased", &["--base-image-update", "rebase"]);
    let (old_index, before) = index_of(&env, "multi/rebased", "1");
    let old_index_digest = env.registry(0).digest("multi/rebased", "1", None).unwrap();
    let old_arm = child_of(&before, "linux/arm64").to_string();
    let (old_arm_manifest, _) = manifest_and_config(&env, "multi/rebased", &old_arm);
    let own_layers = layer_digests(&old_arm_manifest)[1..].to_vec();
    assert!(old_index.is_object());

    // From here on each image the run makes is signed.
    let keys = env.dir_with("keys", &[]);
    let (key, public) = crate::provenance::key_pair(&keys);
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);

    // Only arm64's base moves: NODE_VERSION, which the app left alone, and the file.
    let old_base_index = env.registry(0).digest("multi/base", "1", None).unwrap();
    let arm2 = moved_base(&env, "arm2", &arm, NODE_2, "base 2\n");
    put_base_index(&env, &[amd.clone(), arm2.clone()]);
    let new_base_index = env.registry(0).digest("multi/base", "1", None).unwrap();
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");

    let run = newest_run(&env, "rebased");
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(run["imageUpdateTrigger"].is_object(), "{run}");
    assert_eq!(
        run["rebase"]["baseImage"],
        format!("{reg}/multi/base:1"),
        "{run}"
    );
    assert_eq!(run["rebase"]["toDigest"], new_base_index.as_str(), "{run}");
    assert_eq!(
        run["rebase"]["fromDigest"],
        old_base_index.as_str(),
        "{run}"
    );
    let log = log_of(&env, &run);
    assert!(
        !log.contains("Building ") && !log.contains("STEP 1"),
        "nothing built: {log}"
    );

    let (index, after) = index_of(&env, "multi/rebased", "1");
    assert_eq!(
        child_of(&after, "linux/amd64"),
        child_of(&before, "linux/amd64"),
        "amd64's image is kept by digest"
    );
    let new_arm = child_of(&after, "linux/arm64").to_string();
    assert_ne!(new_arm, old_arm, "arm64 is rebased");
    assert_eq!(
        index["annotations"]["org.opencontainers.image.base.digest"],
        new_base_index.as_str(),
        "{index}"
    );
    // arm64's image: the new base's layers, then its own, unchanged.
    let (manifest, config) = manifest_and_config(&env, "multi/rebased", &new_arm);
    let (base_manifest, _) =
        manifest_and_config(&env, "multi/base", arm2["digest"].as_str().unwrap());
    let mut expected = layer_digests(&base_manifest);
    expected.extend(own_layers);
    assert_eq!(layer_digests(&manifest), expected, "{manifest}");
    assert_eq!(
        manifest["annotations"]["org.opencontainers.image.base.digest"], arm2["digest"],
        "{manifest}"
    );
    // Its config: the new base's NODE_VERSION, the app's own APP and SHARED.
    let vars = env_of(&config);
    for var in ["NODE_VERSION=2", "APP=own", "SHARED=app"] {
        assert!(vars.contains(&var.to_string()), "{var} in {vars:?}");
    }
    assert_eq!(config["architecture"], "arm64");

    // The run records each platform's image; arm64's with what its rebase swapped.
    assert_eq!(
        run_platform(&run, "linux/arm64")["digest"],
        new_arm.as_str(),
        "{run}"
    );
    assert_eq!(
        run_platform(&run, "linux/amd64")["digest"],
        child_of(&before, "linux/amd64"),
        "{run}"
    );
    let arm_rebase = &run_platform(&run, "linux/arm64")["rebase"];
    assert_eq!(arm_rebase["fromDigest"], arm["digest"], "{run}");
    assert_eq!(arm_rebase["toDigest"], arm2["digest"], "{run}");
    assert_eq!(
        arm_rebase["carriedOver"],
        json!([{"field": "Env", "key": "NODE_VERSION"}]),
        "{run}"
    );
    assert!(
        run_platform(&run, "linux/amd64").get("rebase").is_none(),
        "{run}"
    );
    // The task's recorded bases follow: watch has nothing more to do.
    let bases = env.json(&[
        "task",
        "show",
        "-n",
        "rebased",
        "--query",
        "step.baseImageDependencies[].digest",
    ]);
    assert_eq!(bases, json!([amd["digest"], arm2["digest"]]));
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(
        newest_run(&env, "rebased")["runId"],
        run["runId"],
        "{report}"
    );

    // Signed: the new index and the rebased arm64 image, each naming what it replaced;
    // amd64's image, kept, is not signed again.
    let index_digest = env.registry(0).digest("multi/rebased", "1", None).unwrap();
    let signed: Vec<&str> = run["attestations"]
        .as_array()
        .unwrap_or_else(|| panic!("no attestations in {run}"))
        .iter()
        .map(|a| a["image"].as_str().unwrap())
        .collect();
    assert_eq!(
        signed,
        [
            format!("{reg}/multi/rebased@{index_digest}"),
            format!("{reg}/multi/rebased@{new_arm}")
        ],
        "{run}"
    );
    let replaced = |digest: &str| {
        let found = crate::provenance::envelopes(env.registry(0), "multi/rebased", digest);
        let statement = crate::provenance::openssl_verified_statement(&keys, &public, &found[0].1);
        statement["predicate"]["buildDefinition"]["internalParameters"]["rebase"].clone()
    };
    let of_index = replaced(&index_digest);
    assert_eq!(of_index["replacedDigest"], old_index_digest.as_str());
    assert_eq!(of_index["toDigest"], new_base_index.as_str());
    let of_arm = replaced(&new_arm);
    assert_eq!(of_arm["replacedDigest"], old_arm.as_str());
    assert_eq!(of_arm["toDigest"], arm2["digest"]);
}

#[test]
fn a_platform_whose_rebase_conflicts_is_built_alone_and_the_log_says_why() {
    let env = TestEnv::builder().registry().private_storage().build();
    let (amd, arm) = base_for_both(&env);
    app_task(&env, "conflict", &["--base-image-update", "rebase"]);
    let (_, before) = index_of(&env, "multi/conflict", "1");

    // Both move: amd64's new base changes NODE_VERSION only (a sound rebase); arm64's also
    // SHARED, which the app set itself (a conflict).
    let amd2 = moved_base(&env, "amd2", &amd, NODE_2, "base 2\n");
    let arm3 = moved_base(
        &env,
        "arm3",
        &arm,
        "ENV NODE_VERSION=2 SHARED=base3",
        "base 3\n",
    );
    put_base_index(&env, &[amd2.clone(), arm3.clone()]);
    let run = env.json(&["task", "rebase", "-n", "conflict"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(run["rebase"].is_null(), "arm64 was built: {run}");
    let log = log_of(&env, &run);
    assert!(
        log.contains(
            "linux/arm64: not rebased: the image changed Env SHARED, which the new base changed too; building linux/arm64 instead"
        ),
        "{log}"
    );
    assert!(
        log.contains("Building linux/arm64") && !log.contains("Building linux/amd64"),
        "only arm64 is built: {log}"
    );

    let (_, after) = index_of(&env, "multi/conflict", "1");
    let (new_amd, new_arm) = (
        child_of(&after, "linux/amd64"),
        child_of(&after, "linux/arm64"),
    );
    assert_ne!(new_amd, child_of(&before, "linux/amd64"));
    assert_ne!(new_arm, child_of(&before, "linux/arm64"));
    // amd64 rebased: the new base's NODE_VERSION, its layers; arm64 built on its new base.
    let (amd_manifest, amd_config) = manifest_and_config(&env, "multi/conflict", new_amd);
    assert!(env_of(&amd_config).contains(&"NODE_VERSION=2".to_string()));
    let (base_manifest, _) =
        manifest_and_config(&env, "multi/base", amd2["digest"].as_str().unwrap());
    assert_eq!(
        layer_digests(&amd_manifest)[0],
        layer_digests(&base_manifest)[0]
    );
    assert_eq!(
        run_platform(&run, "linux/amd64")["rebase"]["toDigest"],
        amd2["digest"],
        "{run}"
    );
    let (arm_manifest, arm_config) = manifest_and_config(&env, "multi/conflict", new_arm);
    assert_eq!(
        arm_manifest["annotations"]["org.opencontainers.image.base.digest"],
        arm3["digest"]
    );
    let vars = env_of(&arm_config);
    assert!(vars.contains(&"SHARED=app".to_string()), "{vars:?}");
    assert!(
        run_platform(&run, "linux/arm64").get("rebase").is_none(),
        "{run}"
    );
    assert_eq!(
        run_platform(&run, "linux/arm64")["digest"],
        new_arm,
        "{run}"
    );
}

#[test]
fn a_lockstep_task_rebuilds_every_platform_when_one_base_moved() {
    let env = TestEnv::builder().registry().private_storage().build();
    let (amd, arm) = base_for_both(&env);
    app_task(&env, "lockstep", &["--platform-lockstep"]);
    let shown = env.json(&["task", "show", "-n", "lockstep"]);
    assert_eq!(shown["platformLockstep"], true, "{shown}");

    let arm2 = moved_base(&env, "arm2", &arm, NODE_2, "base 2\n");
    put_base_index(&env, &[amd.clone(), arm2]);
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");
    let run = newest_run(&env, "lockstep");
    assert!(run["imageUpdateTrigger"].is_object(), "{run}");
    assert_eq!(run["status"], "Succeeded", "{run}");
    let log = log_of(&env, &run);
    assert!(
        log.contains("in lockstep: every platform is built")
            && log.contains("Building linux/amd64")
            && log.contains("Building linux/arm64")
            && !log.contains("did not move"),
        "{log}"
    );

    // Off again: the field goes, and the next change rebuilds arm64 alone.
    let task = env.json(&[
        "task",
        "update",
        "-n",
        "lockstep",
        "--platform-lockstep",
        "false",
    ]);
    assert!(task.get("platformLockstep").is_none(), "{task}");
    let arm3 = moved_base(
        &env,
        "arm3",
        &arm,
        "ENV NODE_VERSION=3 SHARED=base",
        "base 3\n",
    );
    put_base_index(&env, &[amd, arm3]);
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");
    let log = log_of(&env, &newest_run(&env, "lockstep"));
    assert!(
        log.contains("linux/amd64: its bases did not move")
            && !log.contains("Building linux/amd64"),
        "{log}"
    );

    // On a task of one platform it has nothing to act on, and says so.
    let dir = env.dir_with("one-platform", &[("Dockerfile", "FROM scratch\n")]);
    let out = env.run(&[
        "task",
        "create",
        "-n",
        "one-platform",
        "-c",
        dir.to_str().unwrap(),
        "--platform-lockstep",
        "-o",
        "none",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("--platform-lockstep has an effect only on a task of several platforms"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_lockstep_rebase_task_builds_every_platform_when_one_cannot_be_rebased() {
    let env = TestEnv::builder().registry().private_storage().build();
    let (amd, arm) = base_for_both(&env);
    let options = [
        "--base-image-update",
        "rebase",
        "--platform-lockstep",
        "true",
    ];
    app_task(&env, "locked-rebase", &options);
    // arm64's new base changes SHARED, which the app set itself: a conflict.
    let arm3 = moved_base(&env, "arm3", &arm, "ENV SHARED=base3", "base 3\n");
    put_base_index(&env, &[amd, arm3]);
    let run = env.json(&["task", "rebase", "-n", "locked-rebase"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(run["rebase"].is_null(), "{run}");
    let log = log_of(&env, &run);
    assert!(
        log.contains(
            "Not rebased: the task builds its platforms in lockstep, and linux/arm64 could not be rebased; building instead"
        ) && log.contains("Building linux/amd64")
            && log.contains("Building linux/arm64"),
        "{log}"
    );
}
