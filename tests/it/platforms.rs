//! Multi-platform images: one run builds each platform (COPY-only images from scratch, so no
//! emulation is needed), pushes each platform's image and one index of them.

use serde_json::Value;

use crate::harness::{TestEnv, stderr};

pub(crate) const BOTH: &str = "linux/amd64,linux/arm64";

/// Builds `image` for `platforms` from a COPY-only Dockerfile holding `text`, pushed to the
/// default registry; returns the run.
pub(crate) fn build_copy_only(
    env: &TestEnv,
    image: &str,
    platforms: &str,
    from: &str,
    text: &str,
) -> Value {
    build_copy_only_with(env, image, platforms, from, text, &[])
}

/// [`build_copy_only`] with `extra` arguments for `acrt build`.
pub(crate) fn build_copy_only_with(
    env: &TestEnv,
    image: &str,
    platforms: &str,
    from: &str,
    text: &str,
    extra: &[&str],
) -> Value {
    let dir = env.dir_with(
        &format!("ctx-{}", image.replace([':', '/'], "-")),
        &[
            (
                "Dockerfile",
                &format!("FROM {from}\nCOPY file.txt /file.txt\n"),
            ),
            ("file.txt", text),
        ],
    );
    let dir = dir.to_str().unwrap();
    let mut args = vec![
        "build",
        "--platform",
        platforms,
        "-t",
        image,
        "--no-logs",
        dir,
    ];
    args.extend_from_slice(extra);
    env.json(&args)
}

/// The manifest and the config of `repository@digest`.
pub(crate) fn manifest_and_config(env: &TestEnv, repository: &str, digest: &str) -> (Value, Value) {
    let registry = env.registry(0);
    let manifest = json(&registry.get_manifest(repository, digest));
    let config =
        json(&registry.get_blob(repository, manifest["config"]["digest"].as_str().unwrap()));
    (manifest, config)
}

pub(crate) fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The index `repository:tag` and its children by platform (`linux/arm64`).
pub(crate) fn index_of(
    env: &TestEnv,
    repository: &str,
    tag: &str,
) -> (Value, Vec<(String, String)>) {
    let index = json(&env.registry(0).get_index(repository, tag));
    let children = index["manifests"]
        .as_array()
        .unwrap_or_else(|| panic!("{repository}:{tag} is no index: {index}"))
        .iter()
        .map(|m| {
            (
                os_arch(&m["platform"]),
                m["digest"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (index, children)
}

/// `os/architecture` of a platform object (an index entry's, or a run's).
pub(crate) fn os_arch(platform: &Value) -> String {
    format!(
        "{}/{}",
        platform["os"].as_str().unwrap_or_default(),
        platform["architecture"].as_str().unwrap_or_default()
    )
}

/// The digests of a run's `baseImageDependencies`, in order.
fn base_digests(run: &Value) -> Vec<&str> {
    run["baseImageDependencies"]
        .as_array()
        .unwrap_or_else(|| panic!("no bases in {run}"))
        .iter()
        .map(|b| b["digest"].as_str().unwrap())
        .collect()
}

pub(crate) fn child_of<'a>(children: &'a [(String, String)], platform: &str) -> &'a str {
    &children
        .iter()
        .find(|(p, _)| p == platform)
        .unwrap_or_else(|| panic!("no {platform} in {children:?}"))
        .1
}

#[test]
fn a_two_platform_build_pushes_an_index_whose_children_are_their_platforms() {
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    build_copy_only(&env, "multi/base:1", BOTH, "scratch", "base\n");
    let (base_index, base_children) = index_of(&env, "multi/base", "1");
    assert_eq!(
        base_index["mediaType"],
        "application/vnd.oci.image.index.v1+json"
    );
    let base_index_digest = env.registry(0).digest("multi/base", "1", None).unwrap();

    let run = build_copy_only(
        &env,
        "multi/app:1",
        BOTH,
        &format!("{reg}/multi/base:1"),
        "app\n",
    );
    assert_eq!(run["status"], "Succeeded", "{run}");
    let (index, children) = index_of(&env, "multi/app", "1");
    assert_eq!(children.len(), 2, "{index}");
    let registry = env.registry(0);
    for (platform, digest) in &children {
        let (manifest, config) = manifest_and_config(&env, "multi/app", digest);
        assert_eq!(
            os_arch(&config),
            *platform,
            "the child's config is its platform"
        );
        // Each child names the base child of its own platform; the index, the base index.
        assert_eq!(
            manifest["annotations"]["org.opencontainers.image.base.digest"],
            child_of(&base_children, platform),
            "{manifest}"
        );
    }
    assert_eq!(
        index["annotations"]["org.opencontainers.image.base.digest"],
        base_index_digest.as_str(),
        "{index}"
    );

    // The run keeps az's shape (platform: the first) and lists each platform's digest.
    let index_digest = registry.digest("multi/app", "1", None).unwrap();
    assert_eq!(
        run["outputImages"][0]["digest"],
        index_digest.as_str(),
        "{run}"
    );
    assert_eq!(run["platform"]["architecture"], "amd64", "{run}");
    let listed: Vec<(String, String)> = run["platforms"]
        .as_array()
        .unwrap_or_else(|| panic!("no platforms in {run}"))
        .iter()
        .map(|p| (os_arch(p), p["digest"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(listed, children, "{run}");
    // Each platform's base is recorded with that platform's digest.
    let bases = base_digests(&run);
    assert_eq!(
        bases,
        vec![
            child_of(&base_children, "linux/amd64"),
            child_of(&base_children, "linux/arm64")
        ],
        "{run}"
    );
}

#[test]
fn a_platform_list_names_each_platform_once() {
    let env = TestEnv::builder().registry().private_storage().build();
    let dir = env.dir_with("twice", &[("Dockerfile", "FROM scratch\n")]);
    let err = env.fails(
        &[
            "build",
            "--platform",
            "linux/arm64,linux/arm64",
            "-t",
            "t/x:1",
            dir.to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("linux/arm64 is named twice"), "{err}");
    let out = env.run(&["task", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_task_keeps_its_platforms_and_its_runs_push_an_index() {
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    let dir = env.dir_with(
        "task-ctx",
        &[
            ("Dockerfile", "FROM scratch\nCOPY file.txt /file.txt\n"),
            ("file.txt", "task\n"),
        ],
    );
    let dir = dir.to_str().unwrap();
    let task = env.json(&[
        "task",
        "create",
        "-n",
        "multi",
        "-r",
        &reg,
        "-t",
        "multi/task:1",
        "-c",
        dir,
        "--platform",
        "linux/arm64,linux/amd64",
    ]);
    assert_eq!(
        task["platform"]["architecture"], "arm64",
        "the first, as az keeps one: {task}"
    );
    assert_eq!(
        task["platforms"].as_array().map(Vec::len),
        Some(2),
        "{task}"
    );
    let run = env.json(&["task", "run", "-n", "multi", "-r", &reg, "--no-logs"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    let (_, children) = index_of(&env, "multi/task", "1");
    let platforms: Vec<&str> = children.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(platforms, ["linux/arm64", "linux/amd64"]);
    let table = crate::harness::stdout(&env.ok(&["task", "list-runs", "-o", "table"]));
    assert!(table.contains("linux/arm64,linux/amd64"), "{table}");

    // One platform again: az's shape alone, and a run pushes a single image.
    let task = env.json(&[
        "task",
        "update",
        "-n",
        "multi",
        "-r",
        &reg,
        "--platform",
        "linux/amd64",
    ]);
    assert!(task.get("platforms").is_none(), "{task}");
    let run = env.json(&["task", "run", "-n", "multi", "-r", &reg, "--no-logs"]);
    assert!(run.get("platforms").is_none(), "{run}");
    let single = json(&env.registry(0).get_index("multi/task", "1"));
    assert!(single.get("manifests").is_none(), "{single}");

    // A run of its own platforms, without changing the task's.
    let run = env.json(&[
        "task",
        "run",
        "-n",
        "multi",
        "-r",
        &reg,
        "--no-logs",
        "--platform",
        BOTH,
    ]);
    assert_eq!(run["platforms"].as_array().map(Vec::len), Some(2), "{run}");
    let (_, children) = index_of(&env, "multi/task", "1");
    assert_eq!(children.len(), 2);
}

/// Whether this machine runs arm64 binaries (qemu registered with binfmt_misc).
fn emulates_arm64() -> bool {
    std::path::Path::new("/proc/sys/fs/binfmt_misc/qemu-aarch64").exists()
        || std::env::consts::ARCH == "aarch64"
}

#[test]
fn a_foreign_run_without_emulation_fails_before_any_build_and_says_how_to_fix_it() {
    a_foreign_run_is_refused_before_any_build(TestEnv::builder().private_storage());
}

/// A two-platform build whose arm64 stage runs a command, on the builder `env` makes:
/// refused before anything is built, naming the stage and the fixes.
pub(crate) fn a_foreign_run_is_refused_before_any_build(env: crate::harness::TestEnvBuilder) {
    if emulates_arm64() {
        eprintln!("skipped: this machine runs arm64 binaries, so an arm64 RUN is buildable here");
        return;
    }
    let env = env.registry().build();
    env.push_tools_image();
    let reg = env.registry(0).addr.clone();
    let dockerfile = format!(
        "FROM scratch AS files\nCOPY file.txt /file.txt\nFROM {reg}/tools/busybox:1 AS app\nENV A=1\nRUN echo built > /built\n"
    );
    let dir = env.dir_with("foreign", &[("Dockerfile", &dockerfile), ("file.txt", "x")]);
    let out = env.run(&[
        "build",
        "--platform",
        BOTH,
        "-t",
        "foreign/app:1",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = format!("{}{}", crate::harness::stdout(&out), stderr(&out));
    assert!(
        said.contains("stage 'app' runs commands (RUN, line 5) for linux/arm64")
            && said.contains("no emulation registered for aarch64"),
        "{said}"
    );
    for fix in [
        "qemu-user-static",
        "FROM --platform=$BUILDPLATFORM",
        "a builder of that architecture",
    ] {
        assert!(said.contains(fix), "the fix '{fix}' is named: {said}");
    }
    assert!(
        !said.contains("STEP 1") && !said.contains("Building linux/"),
        "nothing was built, not even amd64: {said}"
    );
    assert!(env.registry(0).digest("foreign/app", "1", None).is_none());
}

/// Pushes `image`, a tools index for amd64 and arm64: this machine's static busybox under
/// both (so it runs here either way).
pub(crate) fn push_tools_index(env: &TestEnv, image: &str) {
    let tools = env.busybox_context(
        &format!("tools-{}", image.replace([':', '/'], "-")),
        &[(
            "Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT [\"/bin/busybox\"]\n",
        )],
    );
    env.ok(&[
        "build",
        "--platform",
        BOTH,
        "-t",
        image,
        "--no-logs",
        "-o",
        "none",
        tools.to_str().unwrap(),
    ]);
}

#[test]
fn a_cross_compiling_stage_on_the_build_platform_builds_every_platform() {
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    push_tools_index(&env, "tools/multi:1");
    let (_, tool_children) = index_of(&env, "tools/multi", "1");
    // The RUN executes on this machine's platform; only files reach the target platform.
    let dockerfile = format!(
        "FROM --platform=$BUILDPLATFORM {reg}/tools/multi:1 AS build\nARG TARGETARCH\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo $TARGETARCH > /out\"]\nFROM scratch\nCOPY --from=build /out /out\n"
    );
    let dir = env.dir_with("cross", &[("Dockerfile", &dockerfile)]);
    let run = env.json(&[
        "build",
        "--platform",
        BOTH,
        "-t",
        "cross/app:1",
        "--no-logs",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    let (_, children) = index_of(&env, "cross/app", "1");
    let platforms: Vec<&str> = children.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(platforms, ["linux/amd64", "linux/arm64"]);
    // Each platform's build stage is recorded and pinned on the build machine's child.
    let here = match std::env::consts::ARCH {
        "aarch64" => "linux/arm64",
        _ => "linux/amd64",
    };
    let build_child = child_of(&tool_children, here);
    let bases = base_digests(&run);
    assert_eq!(bases, [build_child, build_child], "{run}");
}

/// An OCI index of `entries`.
fn index_json(entries: &[Value]) -> String {
    serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries})
        .to_string()
}

/// The entry of `index` for `platform`.
pub(crate) fn entry_of(index: &Value, platform: &str) -> Value {
    index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| os_arch(&m["platform"]) == platform)
        .cloned()
        .unwrap_or_else(|| panic!("no {platform} in {index}"))
}

/// A task `name` for both platforms on multi/base:1, pushing `image`, run once.
fn app_on_base(env: &TestEnv, name: &str, image: &str) {
    app_on_base_for(env, name, image, BOTH);
}

/// [`app_on_base`] for `platforms`.
fn app_on_base_for(env: &TestEnv, name: &str, image: &str, platforms: &str) {
    let reg = env.registry(0).addr.clone();
    let dir = env.dir_with(
        &format!("app-{name}"),
        &[(
            "Dockerfile",
            &format!("FROM {reg}/multi/base:1\nCOPY Dockerfile /app\n"),
        )],
    );
    let dir = dir.to_str().unwrap();
    env.ok(&[
        "task",
        "create",
        "-n",
        name,
        "-t",
        image,
        "-c",
        dir,
        "--platform",
        platforms,
        "-o",
        "none",
    ]);
    env.ok(&["task", "run", "-n", name, "--no-logs", "-o", "none"]);
}

/// Puts an index of `entries` under multi/base:1.
pub(crate) fn put_base_index(env: &TestEnv, entries: &[Value]) {
    env.registry(0).put_manifest(
        "multi/base",
        "1",
        "application/vnd.oci.image.index.v1+json",
        &index_json(entries),
    );
}

/// Watch's report of one cycle.
pub(crate) fn watch_once(env: &TestEnv) -> (Option<i32>, Value) {
    let out = env.run(&["watch", "--once", "-o", "json"]);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no report ({e}): {}", stderr(&out)));
    (out.status.code(), report)
}

#[test]
fn watch_follows_each_platform_s_child_of_a_base_index() {
    let env = TestEnv::builder().registry().private_storage().build();
    build_copy_only(&env, "multi/base:1", BOTH, "scratch", "base 1\n");
    let base = json(&env.registry(0).get_index("multi/base", "1"));
    let (amd, arm) = (
        entry_of(&base, "linux/amd64"),
        entry_of(&base, "linux/arm64"),
    );
    app_on_base(&env, "multi-app", "multi/app:1");
    let runs = || {
        env.json(&[
            "task",
            "list-runs",
            "-n",
            "multi-app",
            "--query",
            "length(@)",
        ])
    };
    assert_eq!(runs(), 1);

    // An attestation manifest joins the index: the index digest moves, no platform's does.
    let mut attestation = amd.clone();
    attestation["platform"] = serde_json::json!({"os": "unknown", "architecture": "unknown"});
    attestation["annotations"] = serde_json::json!({
        "vnd.docker.reference.type": "attestation-manifest",
        "vnd.docker.reference.digest": amd["digest"],
    });
    let put = |entries: &[Value]| put_base_index(&env, entries);
    put(&[amd.clone(), arm.clone(), attestation.clone()]);
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(runs(), 1, "an attestation triggers nothing: {report}");

    // A platform joins: nothing the task was built on moved.
    build_copy_only(
        &env,
        "multi/base:v7",
        "linux/arm/v7",
        "scratch",
        "base v7\n",
    );
    let v7 = json(&env.registry(0).get_index("multi/base", "v7"));
    let v7_digest = env.registry(0).digest("multi/base", "v7", None).unwrap();
    let v7_entry = serde_json::json!({"mediaType": v7["mediaType"], "digest": v7_digest,
        "size": env.registry(0).get_manifest("multi/base", "v7").len(),
        "platform": {"os": "linux", "architecture": "arm", "variant": "v7"}});
    put(&[
        amd.clone(),
        arm.clone(),
        attestation.clone(),
        v7_entry.clone(),
    ]);
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(runs(), 1, "a platform added triggers nothing: {report}");

    // Only arm64 moves: only arm64 is rebuilt; the new index keeps amd64's image by digest,
    // and the task records the new arm64 child beside the unchanged amd64 one.
    let (_, before) = index_of(&env, "multi/app", "1");
    build_copy_only(
        &env,
        "multi/base:arm2",
        "linux/arm64",
        "scratch",
        "base 2\n",
    );
    let arm2_digest = env.registry(0).digest("multi/base", "arm2", None).unwrap();
    let mut arm2 = arm.clone();
    arm2["digest"] = serde_json::json!(arm2_digest);
    arm2["size"] = serde_json::json!(env.registry(0).get_manifest("multi/base", "arm2").len());
    put(&[amd.clone(), arm2.clone(), v7_entry.clone()]);
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(runs(), 2, "arm64's move rebuilds the task once: {report}");
    let (_, after) = index_of(&env, "multi/app", "1");
    assert_eq!(
        child_of(&after, "linux/amd64"),
        child_of(&before, "linux/amd64"),
        "amd64's image is kept"
    );
    assert_ne!(
        child_of(&after, "linux/arm64"),
        child_of(&before, "linux/arm64"),
        "arm64 is rebuilt"
    );
    let log = crate::harness::stdout(&env.ok(&["task", "logs", "-n", "multi-app"]));
    assert!(
        log.contains("linux/amd64: its bases did not move")
            && !log.contains("Building linux/amd64"),
        "{log}"
    );
    let bases = env.json(&[
        "task",
        "show",
        "-n",
        "multi-app",
        "--query",
        "step.baseImageDependencies[].digest",
    ]);
    assert_eq!(
        bases,
        serde_json::json!([amd["digest"], arm2_digest]),
        "each platform's child is recorded"
    );

    // arm64 leaves the index: reported as a base that cannot be checked, nothing rebuilt.
    put(&[amd.clone(), v7_entry]);
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(4), "{report}");
    assert_eq!(runs(), 2, "a platform removed pushes nothing: {report}");
    assert!(report.to_string().contains("linux/arm64"), "{report}");
    let marked: Vec<&serde_json::Value> = report["missing"]
        .as_array()
        .into_iter()
        .chain(report["failed"].as_array())
        .flatten()
        .filter(|p| p["tasks"] == serde_json::json!(["multi-app"]))
        .collect();
    assert_eq!(marked.len(), 1, "the task is marked: {report}");
}

#[test]
fn a_task_file_build_step_builds_each_platform_its_push_pushes_an_index() {
    let env = TestEnv::builder().registry().private_storage().build();
    let yaml = "version: v1.1.0\nsteps:\n  - build: -t $Registry/multi/tf:1 --platform=linux/arm64,linux/amd64 .\n  - push: [\"$Registry/multi/tf:1\"]\n  - build: -t $Registry/multi/tf:2 .\n  - push: [\"$Registry/multi/tf:2\"]\n";
    let dir = env.dir_with(
        "taskfile",
        &[
            ("acb.yaml", yaml),
            ("Dockerfile", "FROM scratch\nCOPY file.txt /file.txt\n"),
            ("file.txt", "tf\n"),
        ],
    );
    // The run's platforms are what a build step naming none builds.
    let out = env.run(&["run", "--platform", BOTH, dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, first) = index_of(&env, "multi/tf", "1");
    let platforms: Vec<&str> = first.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        platforms,
        ["linux/arm64", "linux/amd64"],
        "the step's own list"
    );
    let (_, second) = index_of(&env, "multi/tf", "2");
    let platforms: Vec<&str> = second.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(platforms, ["linux/amd64", "linux/arm64"], "the run's list");
    let registry = env.registry(0);
    for (platform, digest) in first.iter().chain(&second) {
        let (_, config) = manifest_and_config(&env, "multi/tf", digest);
        assert_eq!(os_arch(&config), *platform);
    }
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    let pushed: Vec<&str> = run["outputImages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["digest"].as_str().unwrap())
        .collect();
    let expected = [
        registry.digest("multi/tf", "1", None).unwrap(),
        registry.digest("multi/tf", "2", None).unwrap(),
    ];
    assert_eq!(pushed, expected, "{run}");
}

/// The entry for `platform` of the index acrt pushed as multi/base:`tag`.
fn child_entry(env: &TestEnv, tag: &str, platform: &str) -> Value {
    let index = json(&env.registry(0).get_index("multi/base", tag));
    entry_of(&index, platform)
}

#[test]
fn a_settle_window_turns_one_push_per_platform_into_one_rebuild() {
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    env.ok(&["config", "set", &format!("registries.{reg}.settle=2")]);
    build_copy_only(&env, "multi/base:1", BOTH, "scratch", "base 1\n");
    build_copy_only(&env, "multi/base:2", BOTH, "scratch", "base 2\n");
    build_copy_only(&env, "multi/base:3", BOTH, "scratch", "base 3\n");
    app_on_base(&env, "settled", "multi/settled:1");
    let runs = || env.json(&["task", "list-runs", "-n", "settled", "--query", "length(@)"]);
    let put = |amd: Value, arm: Value| put_base_index(&env, &[amd, arm]);
    let arm1 = child_entry(&env, "1", "linux/arm64");
    let (amd2, arm2) = (
        child_entry(&env, "2", "linux/amd64"),
        child_entry(&env, "2", "linux/arm64"),
    );

    // amd64 lands first: the index settles, nothing runs.
    put(amd2.clone(), arm1.clone());
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(runs(), 1, "{report}");
    assert_eq!(
        report["settling"][0]["image"],
        format!("{reg}/multi/base:1"),
        "{report}"
    );
    assert!(report["settling"][0]["dueAt"].is_string(), "{report}");
    // arm64 lands seconds later: every platform has moved, one rebuild at once.
    put(amd2.clone(), arm2.clone());
    let (code, report) = watch_once(&env);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(runs(), 2, "one rebuild for both pushes: {report}");
    assert!(report.get("settling").is_none(), "{report}");

    // Only amd64 moves again: it settles, and once its window has passed, it rebuilds.
    let amd3 = child_entry(&env, "3", "linux/amd64");
    put(amd3, arm2);
    let (_, report) = watch_once(&env);
    assert_eq!(runs(), 2, "settling: {report}");
    let due: chrono::DateTime<chrono::Utc> = report["settling"][0]["dueAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // check-base says so, one row per platform: amd64's base settles, arm64's did not move.
    let rows = env.json(&["task", "check-base", "-n", "settled"]);
    let row = |platform: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["platform"] == platform)
            .cloned()
            .unwrap_or_else(|| panic!("no {platform} row: {rows}"))
    };
    let amd = row("linux/amd64");
    assert!(
        amd["note"]
            .as_str()
            .unwrap_or_default()
            .contains("settling, due at"),
        "{rows}"
    );
    assert_eq!(row("linux/arm64")["rebuildDue"], false, "{rows}");
    crate::harness::wait_until(
        "the window ends and the task rebuilds",
        std::time::Duration::from_secs(30),
        || {
            let (_, report) = watch_once(&env);
            let rebuilt = runs() == 3;
            assert!(
                rebuilt || chrono::Utc::now() < due + chrono::Duration::seconds(1),
                "due at {due} and not rebuilt: {report}"
            );
            rebuilt
        },
    );
}

#[test]
fn podman_builds_each_platform_and_acrt_pushes_the_index() {
    crate::harness::require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let run = build_copy_only_with(
        &env,
        "multi/podman:1",
        BOTH,
        "scratch",
        "podman\n",
        &["--builder", "podman"],
    );
    assert_eq!(run["status"], "Succeeded", "{run}");
    let (_, children) = index_of(&env, "multi/podman", "1");
    for (platform, digest) in &children {
        let (_, config) = manifest_and_config(&env, "multi/podman", digest);
        assert_eq!(os_arch(&config), *platform);
    }
    assert_eq!(children.len(), 2);
}

/// The `digest` of each row of a scan, with its `platform` (empty where it has none).
fn scan_digests(rows: &Value) -> Vec<(String, String)> {
    rows.as_array()
        .unwrap_or_else(|| panic!("no rows: {rows}"))
        .iter()
        .map(|r| {
            (
                r["platform"].as_str().unwrap_or_default().to_string(),
                r["digest"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn scan_resolves_each_platform_s_bases_as_buildkit_does() {
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    build_copy_only(&env, "multi/base:1", BOTH, "scratch", "base\n");
    build_copy_only(&env, "tools/multi:1", BOTH, "scratch", "tools\n");
    let (_, base_children) = index_of(&env, "multi/base", "1");
    let (_, tool_children) = index_of(&env, "tools/multi", "1");
    let dockerfile = format!(
        "FROM --platform=$BUILDPLATFORM {reg}/tools/multi:1 AS build\nFROM {reg}/multi/base:1\nCOPY --from=build /file.txt /tools.txt\n"
    );
    let dir = env.dir_with("scan-multi", &[("Dockerfile", &dockerfile)]);
    let dir = dir.to_str().unwrap();
    let rows = env.json(&["scan", "--resolve", "--platform", BOTH, dir]);
    // The build stage resolves to the build machine's child for every target platform.
    let here = match std::env::consts::ARCH {
        "aarch64" => "linux/arm64",
        _ => "linux/amd64",
    };
    let build_child = child_of(&tool_children, here);
    let expected: Vec<(String, String)> = [
        ("linux/amd64", child_of(&base_children, "linux/amd64")),
        ("linux/amd64", build_child),
        ("linux/arm64", child_of(&base_children, "linux/arm64")),
        ("linux/arm64", build_child),
    ]
    .iter()
    .map(|(p, d)| (p.to_string(), d.to_string()))
    .collect();
    assert_eq!(scan_digests(&rows), expected, "{rows}");

    let table = crate::harness::stdout(&env.ok(&[
        "scan",
        "--resolve",
        "--platform",
        BOTH,
        "-o",
        "table",
        dir,
    ]));
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("PLATFORM"), "{table}");
    assert_eq!(lines.len(), 2 + 4, "{table}");
    assert!(
        lines[4].starts_with("linux/arm64")
            && lines[4].contains(child_of(&base_children, "linux/arm64")),
        "{table}"
    );

    // One platform: no platform field, as before.
    let one = env.json(&["scan", "--resolve", "--platform", "linux/arm64", dir]);
    assert_eq!(
        scan_digests(&one),
        [
            (
                String::new(),
                child_of(&base_children, "linux/arm64").to_string()
            ),
            (String::new(), build_child.to_string()),
        ],
        "{one}"
    );
}

#[test]
fn task_graph_shows_a_task_s_platforms_and_its_base_s_digest_for_each() {
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    build_copy_only(&env, "multi/base:1", BOTH, "scratch", "base\n");
    let (_, base_children) = index_of(&env, "multi/base", "1");
    app_on_base(&env, "multiapp", "multi/app:1");
    // A task of one platform beside it shows as before: no platforms, no digests.
    app_on_base_for(&env, "oneplat", "one:1", "linux/amd64");

    let base = format!("{reg}/multi/base:1");
    let graph = env.json(&["task", "graph"]);
    assert_eq!(
        graph["platforms"],
        serde_json::json!({"task:multiapp": ["linux/amd64", "linux/arm64"]}),
        "{graph}"
    );
    let edge = |to: &str| {
        graph["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["from"] == base.as_str() && e["to"] == to)
            .cloned()
            .unwrap_or_else(|| panic!("no edge {base} -> {to} in {graph}"))
    };
    let amd64 = child_of(&base_children, "linux/amd64");
    let arm64 = child_of(&base_children, "linux/arm64");
    assert_eq!(
        edge("task:multiapp")["digests"],
        serde_json::json!([
            {"platform": "linux/amd64", "digest": amd64},
            {"platform": "linux/arm64", "digest": arm64}
        ]),
        "{graph}"
    );
    assert_eq!(
        edge("task:oneplat"),
        serde_json::json!({"from": base, "to": "task:oneplat"}),
        "{graph}"
    );

    let tree = crate::harness::stdout(&env.ok(&["task", "graph", "-o", "table"]));
    assert!(
        tree.contains("── task:multiapp (linux/amd64, linux/arm64)\n"),
        "{tree}"
    );
    assert!(
        tree.contains(&format!("base on linux/arm64: {arm64}\n")),
        "{tree}"
    );
    assert!(tree.contains("── task:oneplat\n"), "{tree}");

    let dot = crate::harness::stdout(&env.ok(&["task", "graph", "--format", "dot"]));
    assert!(
        dot.contains(
            "\"task:multiapp\" [shape=box, label=\"task:multiapp\\nlinux/amd64, linux/arm64\"];"
        ),
        "{dot}"
    );
    assert!(
        dot.contains(&format!(
            "\"{base}\" -> \"task:multiapp\" [label=\"linux/amd64 {amd64}\\nlinux/arm64 {arm64}\"];"
        )),
        "{dot}"
    );
    assert!(dot.contains("\"task:oneplat\" [shape=box];"), "{dot}");
    assert!(
        dot.contains(&format!("\"{base}\" -> \"task:oneplat\";")),
        "{dot}"
    );
}

/// A task `name` pushing `tags`, built for both platforms from a COPY-only context with a
/// fixed source date (so that a rerun of the same context builds the same images); its
/// context directory.
fn same_each_time_task(env: &TestEnv, name: &str, tags: &[&str]) -> std::path::PathBuf {
    let dir = env.dir_with(
        name,
        &[
            ("Dockerfile", "FROM scratch\nCOPY file.txt /file.txt\n"),
            ("file.txt", "one\n"),
        ],
    );
    let mut args = vec!["task", "create", "-n", name];
    for tag in tags {
        args.extend(["-t", tag]);
    }
    args.extend(["-c", dir.to_str().unwrap(), "--platform", BOTH]);
    env.ok(&[&args[..], &["--source-date-epoch", "1000", "-o", "none"]].concat());
    dir
}

/// A run of task `name` on the default registry, which must succeed.
fn succeeded_run(env: &TestEnv, name: &str) -> Value {
    let reg = env.registry(0).addr.clone();
    let run = env.json(&["task", "run", "-n", name, "-r", &reg, "--no-logs"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    run
}

#[test]
fn a_rerun_whose_every_platform_is_the_same_pushes_no_child_and_no_index() {
    let env = TestEnv::builder().registry().build();
    let dir = same_each_time_task(&env, "np-multi", &["np/multi:1"]);
    let run = |env: &TestEnv| succeeded_run(env, "np-multi");
    let puts = |env: &TestEnv| env.registry(0).requests("PUT /v2/np/multi/manifests/");
    let first = run(&env);
    let before = puts(&env);
    assert_eq!(before, 3, "two children and the index");
    let second = run(&env);
    let log = crate::harness::stdout(&env.ok(&[
        "task",
        "logs",
        "--run-id",
        second["runId"].as_str().unwrap(),
    ]));
    assert_eq!(puts(&env), before, "no manifest PUT: {log}");
    assert_eq!(second["outputImages"], first["outputImages"]);
    assert_eq!(second["platforms"], first["platforms"]);
    assert_eq!(second["unchanged"], serde_json::json!(true), "{second}");
    assert!(
        log.contains("linux/arm64: the built image is the last run's"),
        "{log}"
    );

    // One file changed: both children and the index are new.
    std::fs::write(dir.join("file.txt"), "two\n").unwrap();
    let third = run(&env);
    assert_eq!(puts(&env), before + 3);
    assert_ne!(third["outputImages"], first["outputImages"]);
    assert_eq!(third["unchanged"], serde_json::json!(false), "{third}");
}

#[test]
fn a_rerun_with_two_tags_of_one_repository_reads_each_kept_child_once() {
    let env = TestEnv::builder().registry().build();
    same_each_time_task(&env, "np-tags", &["np/tags:1", "np/tags:latest"]);
    let run = || succeeded_run(&env, "np-tags");
    run();
    let (_, children) = index_of(&env, "np/tags", "1");
    let reads = |child: &str| {
        env.registry(0)
            .requests(&format!("GET /v2/np/tags/manifests/{child}"))
    };
    let before: Vec<usize> = children.iter().map(|(_, c)| reads(c)).collect();
    let second = run();
    assert_eq!(second["unchanged"], serde_json::json!(true), "{second}");
    // Each child: once to compare it with the build, once to see that the repository has it.
    for ((platform, child), before) in children.iter().zip(before) {
        assert_eq!(reads(child) - before, 2, "{platform}'s {child}");
    }
}
