//! A task file's build steps on a pool of builders: each platform a step builds goes where a
//! Dockerfile run's would (the builder the run placed it on; for a platform only the step
//! names, a builder of the pool that builds it natively when the run's cannot), and what a
//! step built elsewhere is pushed from the layout it came back as. A podman service on
//! loopback stands for an arm64 machine.

use crate::harness::{TestEnv, require, stderr, stdout};
use crate::platforms::{index_of, manifest_and_config, os_arch};
use crate::podman::PodmanService;
use crate::pool::{arm64_checking_dockerfile, name_podman_builder_for};

const BOTH: &str = "linux/amd64,linux/arm64";

/// A context with `acb.yaml` and a COPY-only Dockerfile.
fn copy_only_task_file(env: &TestEnv, name: &str, yaml: &str) -> std::path::PathBuf {
    env.dir_with(
        name,
        &[
            ("acb.yaml", yaml),
            ("Dockerfile", "FROM scratch\nCOPY file.txt /file.txt\n"),
            ("file.txt", "steps on the pool\n"),
        ],
    )
}

/// A run of two platforms: a step naming none builds amd64 here and arm64 on the service
/// that lists it, as a Dockerfile run does, and its push pushes one index of both; a step
/// building arm64 alone builds it there too, and its push pushes that image from its layout.
#[test]
fn a_task_file_s_steps_build_each_platform_on_the_builder_the_run_placed_it_on() {
    require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let service = PodmanService::start(&env);
    name_podman_builder_for(&env, "arm", &service.url, "linux/arm64");
    let yaml = "version: v1.1.0\nsteps:\n  - build: -t $Registry/steps/tf:1 .\n  - push: [\"$Registry/steps/tf:1\"]\n  - build: -t $Registry/steps/tf:arm --platform linux/arm64 .\n  - push: [\"$Registry/steps/tf:arm\"]\n";
    let dir = copy_only_task_file(&env, "steps-placed", yaml);
    let out = env.run(&["run", "--platform", BOTH, dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let log = stdout(&out);
    assert!(
        log.contains("[linux/amd64] Building linux/amd64 on buildah ("),
        "{log}"
    );
    assert!(
        log.contains("[linux/arm64] Building linux/arm64 on arm"),
        "{log}"
    );
    let saved = format!("--url {} save --format oci-dir", service.url);
    assert_eq!(
        log.matches(&saved).count(),
        2,
        "arm64 came back twice: {log}"
    );

    let (_, children) = index_of(&env, "steps/tf", "1");
    let platforms: Vec<&str> = children.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(platforms, ["linux/amd64", "linux/arm64"]);
    for (platform, digest) in &children {
        let (_, config) = manifest_and_config(&env, "steps/tf", digest);
        assert_eq!(os_arch(&config), *platform);
    }
    let registry = env.registry(0);
    let arm = registry.digest("steps/tf", "arm", None).unwrap();
    let (manifest, config) = manifest_and_config(&env, "steps/tf", &arm);
    assert!(manifest["layers"].is_array(), "a single image: {manifest}");
    assert_eq!(os_arch(&config), "linux/arm64");
    assert!(
        log.contains(&format!(
            "Pushed {}/steps/tf:arm: {arm} (built for linux/arm64 on arm)",
            registry.addr
        )),
        "{log}"
    );
    let query = "[0].outputImages[].digest";
    let pushed = env.json(&["task", "list-runs", "--top", "1", "--query", query]);
    let index = registry.digest("steps/tf", "1", None).unwrap();
    assert_eq!(pushed, serde_json::json!([index, arm]));
}

/// A cmd step cannot run an image a step built on another builder: the run's builder has no
/// copy of it and cannot execute its platform. The step fails saying so, not with the
/// runtime's "image not known".
#[test]
fn a_cmd_step_of_an_image_built_on_another_builder_fails_saying_where_it_was_built() {
    require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let service = PodmanService::start(&env);
    name_podman_builder_for(&env, "arm", &service.url, "linux/arm64");
    let yaml = "version: v1.1.0\nsteps:\n  - build: -t steps-arm --platform linux/arm64 .\n  - cmd: steps-arm\n";
    let dir = copy_only_task_file(&env, "steps-cmd", yaml);
    let out = env.run(&["run", "--platform", BOTH, dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    let error = run["runErrorMessage"].as_str().unwrap();
    assert!(
        error.contains("steps-arm:latest was built for linux/arm64 on the builder arm")
            && error.contains("a cmd step runs on the run's builder"),
        "{error}"
    );
}

/// A step names arm64, which the run (amd64 only) did not place, and runs a command for it:
/// without a builder of arm64 it is refused before anything is built, naming the fix; with
/// one in the pool that step's arm64 goes there, while amd64 stays here. The service runs on
/// this (amd64) machine, so the RUN's check that it runs on aarch64 fails there, and the
/// failure names the builder and the platform.
#[test]
fn a_step_s_foreign_run_goes_to_the_builder_of_the_pool_that_lists_its_platform() {
    require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    let Some(dockerfile) = arm64_checking_dockerfile(&env, "steps/tools:1") else {
        return;
    };
    let yaml = format!(
        "version: v1.1.0\nsteps:\n  - build: -t {reg}/steps/foreign:1 --platform {BOTH} .\n  - push: [\"{reg}/steps/foreign:1\"]\n"
    );
    let dir = env.dir_with(
        "steps-foreign",
        &[("acb.yaml", &yaml), ("Dockerfile", &dockerfile)],
    );
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains("runs commands (RUN, line 3) for linux/arm64")
            && said.contains("builders.NAME.platforms=linux/arm64"),
        "{said}"
    );
    assert!(!said.contains("STEP 1"), "nothing was built: {said}");

    let service = PodmanService::start(&env);
    name_podman_builder_for(&env, "arm", &service.url, "linux/arm64");
    let out = env.run(&["run", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains("[linux/amd64] Building linux/amd64 on buildah ("),
        "{said}"
    );
    assert!(
        said.contains("[linux/arm64] Building linux/arm64 on arm"),
        "{said}"
    );
    assert!(
        said.contains(&format!("--url {} build", service.url)),
        "arm64 was built on the service: {said}"
    );
    assert!(!said.contains("no emulation registered"), "{said}");
    assert!(env.registry(0).digest("steps/foreign", "1", None).is_none());
}
