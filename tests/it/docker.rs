//! The docker backend for real: a Docker daemon of each test's own (Debian's `docker.io`, its
//! client without buildx, so `docker build` with BuildKit and `docker push`), the registry of
//! the test, and the scenarios the buildah tests run: builds on pinned bases, task files (build,
//! cmd and push steps), watch, cancel, and what a killed run leaves.

use serde_json::{Value, json};
use std::time::Duration;

use crate::harness::{TestEnv, stdout, wait_until};

fn docker_env() -> TestEnv {
    TestEnv::builder().registry().with_docker().build()
}

/// The image's config as the registry serves it, read with the package's client.
fn labels(env: &TestEnv, image: &str) -> Value {
    env.docker().ask(&["pull", "--quiet", image]);
    let labels = env.docker().ask(&[
        "image",
        "inspect",
        "--format",
        "{{json .Config.Labels}}",
        image,
    ]);
    serde_json::from_str(&labels).unwrap()
}

#[test]
fn docker_builds_on_pinned_bases_with_secrets_and_labels_and_pushes() {
    let env = docker_env();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("dk/base:1");
    let base_digest = env.registry(0).digest("dk/base", "1", None).unwrap();
    // The secret is read through a secret mount and measured: its value never lands.
    let app = env.dir_with(
        "dk-app",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/dk/base:1\nRUN --mount=type=secret,id=TOKEN [\"/bin/busybox\", \"sh\", \"-c\", \
                 \"/bin/busybox wc -c < /run/secrets/TOKEN > /secret-length\"]\n"
            ),
        )],
    );
    let out = env.ok(&[
        "build",
        "-t",
        "dk/app:1",
        "--secret-build-arg",
        "TOKEN=s3cr3t-value",
        app.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(log.contains("docker build --progress plain"), "{log}");
    assert!(log.contains("docker push"), "{log}");
    assert!(!log.contains("s3cr3t-value"), "{log}");
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(
        run["builder"].as_str().unwrap().starts_with("docker"),
        "{run}"
    );
    // The digest recorded is what the registry serves.
    assert_eq!(
        run["outputImages"][0]["digest"],
        json!(env.registry(0).digest("dk/app", "1", None).unwrap())
    );
    assert_eq!(
        run["baseImageDependencies"][0]["digest"],
        json!(base_digest)
    );
    let image = format!("{reg}/dk/app:1");
    assert_eq!(env.file_in_image(&image, "/secret-length", None), "12");
    // docker's image store keeps no manifest annotations: the base is named in labels.
    let labels = labels(&env, &image);
    assert_eq!(
        labels["org.opencontainers.image.base.name"],
        json!(format!("{reg}/dk/base:1")),
        "{labels}"
    );
    assert_eq!(
        labels["org.opencontainers.image.base.digest"],
        json!(base_digest),
        "{labels}"
    );
    // Nothing of the run is left in the user's Docker config.
    assert!(!env.path_of_home(".docker/config.json").exists());
}

#[test]
fn docker_logins_go_through_a_private_config_never_argv() {
    let env = TestEnv::builder()
        .auth_registry("dkuser", "dk-password")
        .with_docker()
        .build();
    let reg = env.registry(0).addr.clone();
    let home_config = env.path_of_home(".docker");
    std::fs::create_dir_all(&home_config).unwrap();
    let user_config = "{\"auths\": {}, \"currentContext\": \"default\"}";
    std::fs::write(home_config.join("config.json"), user_config).unwrap();
    let out = env.run_with_stdin(
        &["login", "-r", &reg, "-u", "dkuser", "--password-stdin"],
        "dk-password",
    );
    assert!(out.status.success(), "{}", crate::harness::stderr(&out));
    let ctx = env.busybox_context(
        "dk-login",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    let out = env.ok(&["build", "-t", "private/app:1", ctx.to_str().unwrap()]);
    let log = stdout(&out);
    assert!(log.contains("docker push"), "{log}");
    assert!(!log.contains("dk-password"), "{log}");
    assert!(
        env.registry(0)
            .digest("private/app", "1", Some(("dkuser", "dk-password")))
            .is_some()
    );
    // The run's private config went with its work dir.
    let work = env.state_dir().join("work");
    let left: Vec<_> = walk(&work)
        .into_iter()
        .filter(|p| p.ends_with("config.json"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn on_docker_the_platform_asked_for_is_the_platform_built() {
    crate::runs::the_platform_asked_for_is_built(TestEnv::builder().with_docker());
}

#[test]
fn on_docker_file_and_cmd_tasks_run_like_any_task_and_record_their_bases() {
    let env = crate::taskfiles::with_tools_on(TestEnv::builder().with_docker());
    crate::taskfiles::file_and_cmd_tasks_run_like_any_task(&env);
    assert!(
        env.docker().containers().is_empty(),
        "cmd steps remove their containers"
    );
}

#[test]
fn a_task_file_on_docker_runs_what_its_build_step_made_and_pushes_it() {
    let env = docker_env();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("dkf/base:1");
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - id: build\n    build: -t {reg}/dkf/app:1 .\n  - id: test\n    cmd: {reg}/dkf/app:1 /bin/busybox cat /built\n  - id: push\n    push: [\"{reg}/dkf/app:1\"]\n"
    );
    let dir = env.dir_with(
        "dkf",
        &[
            ("acb.yaml", &yaml),
            (
                "Dockerfile",
                &format!(
                    "FROM {reg}/dkf/base:1\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo built-by-docker > /built\"]\n"
                ),
            ),
        ],
    );
    let out = env.ok(&["run", "-f", "acb.yaml", dir.to_str().unwrap()]);
    let log = stdout(&out);
    assert!(
        log.contains("built-by-docker"),
        "the cmd step ran the built image: {log}"
    );
    assert!(log.contains("docker push"), "{log}");
    assert!(!log.contains("buildah"), "{log}");
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(
        run["outputImages"][0]["digest"],
        json!(env.registry(0).digest("dkf/app", "1", None).unwrap()),
        "{run}"
    );
    assert!(env.docker().containers().is_empty());
}

#[test]
fn on_docker_canceling_a_run_stops_its_steps_and_their_containers() {
    let env = crate::taskfiles::with_tools_on(TestEnv::builder().with_docker());
    crate::taskfiles::cancel_run_stops_every_running_step(&env);
    let gone = (0..300).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        env.docker().containers().is_empty()
    });
    let run_id = env.json(&["task", "list-runs", "--top", "1", "--query", "[0].runId"]);
    let log = stdout(&env.ok(&["task", "logs", "--run-id", run_id.as_str().unwrap()]));
    assert!(
        gone,
        "the canceled steps' containers removed: {}\n{log}",
        env.docker().ask(&["ps", "--all"])
    );
}

#[test]
fn on_docker_a_patched_base_rebuilds_its_app_once() {
    crate::watch::a_patched_base_rebuilds_its_app_once(TestEnv::builder().with_docker());
}

/// Whether a process on this machine has `word` among its arguments.
fn process_with_argument(word: &str) -> bool {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            std::fs::read(entry.path().join("cmdline"))
                .is_ok_and(|c| c.split(|b| *b == 0).any(|a| a == word.as_bytes()))
        })
}

/// Waits until the run's log shows `text`; the run's worker pid.
fn worker_once_logged(env: &TestEnv, run_id: &str, text: &str) -> i64 {
    let registry = env.registry(0).addr.clone();
    let log_file = env
        .state_dir()
        .join("logs")
        .join(registry.replace(':', "_"))
        .join(format!("{run_id}.log"));
    wait_until(text, Duration::from_secs(120), || {
        std::fs::read_to_string(&log_file).is_ok_and(|l| l.contains(text))
    });
    let store = acrt::store::Store::open(&env.state_dir()).unwrap();
    store
        .get_run(&acrt::model::RunKey::new(&registry, run_id))
        .unwrap()
        .unwrap()
        .runner_pid
        .unwrap()
}

fn kill_9(pid: i64) {
    // SAFETY: a signal to the worker this test started.
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
    wait_until("the worker's end", Duration::from_secs(10), || {
        !acrt::engine::process::runner_alive(pid, None)
    });
}

#[test]
fn a_run_killed_on_docker_leaves_no_container_and_no_build_behind() {
    let env = docker_env();
    let image = crate::harness::busybox_image(&env);
    // A cmd step's container sleeps: killing its run leaves it to the daemon, until the next
    // command that opens the store reaps the run.
    let yaml = format!("version: v1.1.0\nsteps:\n  - cmd: {image} sleep 3171\n");
    let dir = env.dir_with("dk-sleeper", &[("acb.yaml", &yaml)]);
    let queued = env.json(&["run", "-f", "acb.yaml", "--no-wait", dir.to_str().unwrap()]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let worker = worker_once_logged(&env, &run_id, "sleep 3171");
    wait_until("the container runs", Duration::from_secs(60), || {
        env.docker().ask(&["ps", "--quiet"]).lines().count() == 1
    });
    kill_9(worker);
    assert_eq!(env.docker().containers().len(), 1, "the daemon keeps it");
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Failed", "{run}");
    assert!(
        env.docker().containers().is_empty(),
        "the step's container is removed"
    );
    assert!(!process_with_argument("3171"));

    // A build killed in its RUN step: BuildKit drops a build whose client went away.
    let ctx = env.busybox_context(
        "dk-slow",
        &[(
            "Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sleep\", \"3172\"]\n",
        )],
    );
    let queued = env.json(&["build", "--no-push", "--no-wait", ctx.to_str().unwrap()]);
    let run_id = queued["runId"].as_str().unwrap().to_string();
    let worker = worker_once_logged(&env, &run_id, "\"3172\"");
    wait_until("the RUN step's process", Duration::from_secs(60), || {
        process_with_argument("3172")
    });
    kill_9(worker);
    let run = env.json(&["task", "show-run", "--run-id", &run_id]);
    assert_eq!(run["status"], "Failed", "{run}");
    let ended = (0..300).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        !process_with_argument("3172")
    });
    let ps = std::process::Command::new("ps")
        .args(["-eo", "pid,pgid,ppid,args"])
        .output()
        .unwrap();
    assert!(
        ended,
        "the RUN step's process ends: {}",
        String::from_utf8_lossy(&ps.stdout)
            .lines()
            .filter(|l| l.contains("3172") || l.contains("docker"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(env.docker().containers().is_empty());
    // vfs copies each layer whole; these busybox images stay small.
    let used = env.docker().disk_use();
    assert!(
        used < 200 << 20,
        "the daemon's data root holds {used} bytes"
    );
}

#[test]
fn a_plain_http_registry_is_refused_until_the_daemon_is_told_of_it() {
    // A documentation address (TEST-NET-1): nothing answers there, and nothing needs to.
    let registry = "192.0.2.1:5000";
    let ctx_files = [("Dockerfile", "FROM scratch\nCOPY Dockerfile /Dockerfile\n")];
    let env = TestEnv::builder()
        .default_registry(registry)
        .with_docker()
        .build();
    env.ok(&[
        "config",
        "set",
        &format!("core.insecure_registries={registry}"),
    ]);
    let ctx = env.dir_with("dk-insecure", &ctx_files);
    let image = format!("{registry}/app:1");
    let args = ["build", "--no-push", "-t", &image, ctx.to_str().unwrap()];
    let err = env.fails(&args, 1);
    assert!(
        err.contains(&format!("\"insecure-registries\": [\"{registry}\"]")),
        "{err}"
    );
    assert!(
        env.docker().ask(&["images", "--quiet"]).is_empty(),
        "nothing was built"
    );

    let told = TestEnv::builder()
        .default_registry(registry)
        .with_docker_insecure(registry)
        .build();
    told.ok(&[
        "config",
        "set",
        &format!("core.insecure_registries={registry}"),
    ]);
    let ctx = told.dir_with("dk-insecure", &ctx_files);
    told.ok(&["build", "--no-push", "-t", &image, ctx.to_str().unwrap()]);
    assert_eq!(
        told.docker()
            .ask(&["images", "--quiet", &image])
            .lines()
            .count(),
        1
    );
}

#[test]
fn the_users_docker_context_names_the_daemon_through_the_private_config() {
    let env = docker_env();
    let socket = env.docker().host.clone();
    // The user's own config: a context of theirs, the current one, naming the daemon.
    let user_config = env.path_of_home(".docker");
    let docker_as_user = |args: &[&str]| {
        let out = std::process::Command::new(crate::harness::DOCKER_CLIENT)
            .env_clear()
            .env("DOCKER_CONFIG", &user_config)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "docker {args:?}: {}",
            crate::harness::stderr(&out)
        );
    };
    docker_as_user(&[
        "context",
        "create",
        "acrt-test",
        "--docker",
        &format!("host={socket}"),
    ]);
    docker_as_user(&["context", "use", "acrt-test"]);
    // No DOCKER_HOST: only the context says where the daemon is.
    let env = env.without_env("DOCKER_HOST");
    let ctx = env.busybox_context(
        "dk-context",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    env.ok(&[
        "build",
        "-t",
        "ctx/app:1",
        "--no-logs",
        "-o",
        "none",
        ctx.to_str().unwrap(),
    ]);
    assert!(env.registry(0).digest("ctx/app", "1", None).is_some());
    let config: Value =
        serde_json::from_slice(&std::fs::read(user_config.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["currentContext"], "acrt-test");
    assert!(
        config
            .get("auths")
            .is_none_or(|a| a.as_object().unwrap().is_empty()),
        "{config}"
    );
}

#[test]
fn on_docker_a_rerun_of_the_same_image_pushes_nothing() {
    // docker 20.10's BuildKit stamps its clock whatever SOURCE_DATE_EPOCH says; without a
    // layer cache the layers are built again the same, the times not.
    crate::reproducible::a_rerun_of_the_same_image_pushes_nothing(
        TestEnv::builder().with_docker(),
        &["--no-cache"],
        "only in its times",
    );
}

/// A layer blob's files (path and text), un-gzipped, and the digest of its tar (a diff id).
fn layer_files(env: &TestEnv, repository: &str, layer: &Value) -> (Vec<(String, String)>, String) {
    let (files, diff_id) = layer_bytes(env, repository, layer);
    let files = files
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect();
    (files, diff_id)
}

/// A layer blob's files (path and bytes), un-gzipped, and the digest of its tar (a diff id).
fn layer_bytes(env: &TestEnv, repository: &str, layer: &Value) -> (Vec<(String, Vec<u8>)>, String) {
    use sha2::Digest as _;
    use std::io::Read as _;
    let digest = layer["digest"].as_str().unwrap();
    let blob = env.registry(0).get_blob_bytes(repository, digest);
    assert_eq!(format!("sha256:{:x}", sha2::Sha256::digest(&blob)), digest);
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(&blob[..])
        .read_to_end(&mut tar)
        .unwrap_or_else(|e| panic!("layer {digest} is no gzip: {e}"));
    let diff_id = format!("sha256:{:x}", sha2::Sha256::digest(&tar));
    let mut files = Vec::new();
    for entry in tar::Archive::new(&tar[..]).entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().display().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.push((path, bytes));
    }
    (files, diff_id)
}

/// An index's children: each platform with its digest.
type Children = Vec<(String, String)>;

/// Builds `PREFIX/app:1` for both platforms on docker, a COPY-only image on `PREFIX/base:1`;
/// the base's children, and the app's index and children.
fn app_built_on_docker(env: &TestEnv, prefix: &str) -> (Children, (Value, Children)) {
    use crate::platforms::{BOTH, build_copy_only, index_of};
    let reg = env.registry(0).addr.clone();
    let app = format!("{prefix}/app");
    let run = build_copy_only(
        env,
        &format!("{app}:1"),
        BOTH,
        &format!("{reg}/{prefix}/base:1"),
        "app\n",
    );
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(
        run["builder"].as_str().unwrap().starts_with("docker"),
        "{run}"
    );
    let (_, base_children) = index_of(env, &format!("{prefix}/base"), "1");
    (base_children, index_of(env, &app, "1"))
}

#[test]
fn without_buildx_docker_builds_each_platform_and_acrt_pushes_the_index() {
    use crate::platforms::{BOTH, build_copy_only, child_of, manifest_and_config, os_arch};
    let env = docker_env();
    let base = build_copy_only(&env, "dkm/base:1", BOTH, "scratch", "base\n");
    assert_eq!(base["status"], "Succeeded", "{base}");
    let (base_children, (index, children)) = app_built_on_docker(&env, "dkm");
    assert_eq!(
        children.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["linux/amd64", "linux/arm64"],
        "{index}"
    );
    for (platform, digest) in &children {
        let (manifest, config) = manifest_and_config(&env, "dkm/app", digest);
        assert_eq!(os_arch(&config), *platform, "{config}");
        assert_eq!(
            manifest["mediaType"],
            "application/vnd.oci.image.manifest.v1+json"
        );
        // The annotations docker's store cannot keep are on the manifest acrt wrote.
        assert_eq!(
            manifest["annotations"]["org.opencontainers.image.base.digest"],
            child_of(&base_children, platform),
            "{manifest}"
        );
        let layers = manifest["layers"].as_array().unwrap();
        let mut diff_ids = Vec::new();
        let mut files = Vec::new();
        for layer in layers {
            assert_eq!(
                layer["mediaType"],
                "application/vnd.oci.image.layer.v1.tar+gzip"
            );
            let (in_layer, diff_id) = layer_files(&env, "dkm/app", layer);
            files.extend(in_layer);
            diff_ids.push(Value::from(diff_id));
        }
        assert_eq!(config["rootfs"]["diff_ids"], Value::from(diff_ids));
        assert_eq!(
            files,
            [
                ("file.txt".to_string(), "base\n".to_string()),
                ("file.txt".to_string(), "app\n".to_string())
            ]
        );
        // The base's layer, saved again with the app, compresses to the base's own blob.
        let (base_manifest, _) =
            manifest_and_config(&env, "dkm/base", child_of(&base_children, platform));
        assert_eq!(layers[0]["digest"], base_manifest["layers"][0]["digest"]);
    }
    let left = env
        .docker()
        .ask(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(
        !left.contains("acrt-platform-build"),
        "each platform's local name is removed: {left}"
    );
}

#[test]
fn on_docker_a_foreign_run_is_refused_before_any_build() {
    crate::platforms::a_foreign_run_is_refused_before_any_build(TestEnv::builder().with_docker());
}

#[test]
fn on_docker_a_base_built_elsewhere_keeps_its_own_layer_blobs_in_each_platform() {
    use crate::platforms::{BOTH, child_of, manifest_and_config};
    let env = TestEnv::builder()
        .registry()
        .private_storage()
        .with_docker()
        .build();
    // A base large enough that buildah's gzip and acrt's give different blobs of its layer.
    let dir = env.busybox_context(
        "dkb-base",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    let base = env.json(&[
        "build",
        "--builder",
        "buildah",
        "--platform",
        BOTH,
        "-t",
        "dkb/base:1",
        "--no-logs",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(base["status"], "Succeeded", "{base}");
    let (base_children, (_, children)) = app_built_on_docker(&env, "dkb");
    assert_eq!(children.len(), 2);
    for (platform, digest) in &children {
        let (manifest, config) = manifest_and_config(&env, "dkb/app", digest);
        let (base_manifest, base_config) =
            manifest_and_config(&env, "dkb/base", child_of(&base_children, platform));
        // buildah compressed the base's layer its own way: the app names that very blob,
        // which the push mounted into the app's repository.
        assert_eq!(
            manifest["layers"][0]["digest"], base_manifest["layers"][0]["digest"],
            "{manifest}"
        );
        assert_eq!(
            config["rootfs"]["diff_ids"][0],
            base_config["rootfs"]["diff_ids"][0]
        );
        let (files, _) = layer_bytes(&env, "dkb/app", &manifest["layers"][0]);
        assert!(
            files.iter().any(|(path, _)| path == "bin/busybox"),
            "{manifest}"
        );
        let (files, diff_id) = layer_files(&env, "dkb/app", &manifest["layers"][1]);
        assert_eq!(files, [("file.txt".to_string(), "app\n".to_string())]);
        assert_eq!(config["rootfs"]["diff_ids"][1], diff_id.as_str());
    }
}
