//! Hostile input: what a context, a task file or a registry sends cannot run code on the
//! host, change the builder, leak a secret or wedge acrt.

use crate::harness::{TestEnv, stderr, stdout};

/// A context whose `tools/` holds fake builders and helpers that leave a marker when run.
fn trap_context(env: &TestEnv, dockerfile: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let marker = env.dir_with("markers", &[]).join("ran");
    let trap = format!("#!/bin/sh\necho \"$0 $*\" >> {}\nexit 0\n", marker.display());
    let ctx = env.busybox_context(
        "trap",
        &[
            ("Dockerfile", dockerfile),
            ("tools/buildah", &trap),
            ("tools/podman", &trap),
            ("tools/git", &trap),
        ],
    );
    for tool in ["buildah", "podman", "git"] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            ctx.join("tools").join(tool),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    (ctx, marker)
}

#[test]
fn build_args_never_change_how_the_builder_runs() {
    let env = TestEnv::builder().registry().build();
    let (ctx, marker) = trap_context(
        &env,
        "FROM scratch\nARG PATH\nARG HTTP_PROXY\nCOPY busybox /bin/busybox\n\
         RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo proxy-in-build=$HTTP_PROXY\"]\n",
    );
    let tools = ctx.join("tools");
    let path_arg = format!("PATH={}", tools.display());
    let out = env.run(&[
        "build",
        "--no-cache",
        "-t",
        "hostile/app:1",
        "--build-arg",
        &path_arg,
        "--build-arg",
        "LD_PRELOAD=/nonexistent/evil.so",
        "--build-arg",
        "HTTP_PROXY=http://127.0.0.1:9",
        "--build-arg",
        "BUILDAH_ISOLATION=bogus",
        "--build-arg",
        "CONTAINERS_REGISTRIES_CONF=/nonexistent/registries.conf",
        "--build-arg",
        "REGISTRY_AUTH_FILE=/nonexistent/auth.json",
        "--build-arg",
        "HOME=/nonexistent",
        "--build-arg",
        "TMPDIR=/nonexistent",
        ctx.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(
        !marker.exists(),
        "a program from the context ran on the host: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    assert!(out.status.success(), "{log}\n{}", stderr(&out));
    // The builder's environment was not touched; the build saw the proxy as a build arg.
    assert!(log.contains("proxy-in-build=http://127.0.0.1:9"), "{log}");
    assert!(
        log.contains("--build-arg PATH=") && log.contains("/usr/bin/buildah bud"),
        "builders start by absolute path with --build-arg NAME=VALUE: {log}"
    );
    assert!(env.registry(0).digest("hostile/app", "1", None).is_some());
}

#[test]
fn a_task_file_build_step_cannot_reach_the_builder_through_args_or_env() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let (ctx, marker) = trap_context(&env, "FROM scratch\nCOPY busybox /bin/busybox\n");
    let tools = ctx.join("tools");
    let task_file = format!(
        "version: v1.1.0\nsteps:\n  - build: -t {reg}/hostile/steps:1 --build-arg PATH={t} .\n    env: [\"PATH={t}\", \"LD_PRELOAD=/nonexistent/evil.so\"]\n  - push: [\"{reg}/hostile/steps:1\"]\n",
        t = tools.display()
    );
    std::fs::write(ctx.join("acb.yaml"), task_file).unwrap();
    let out = env.run(&["run", "-f", "acb.yaml", ctx.to_str().unwrap()]);
    assert!(
        !marker.exists(),
        "a program from the context ran: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(env.registry(0).digest("hostile/steps", "1", None).is_some());
}

#[test]
fn secret_build_args_stay_out_of_argv_and_out_of_the_image() {
    let env = TestEnv::builder().registry().build();
    // The Dockerfile checks the secret's sha256, so that the value itself is nowhere in it.
    let dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\n\
         RUN --mount=type=secret,id=NPM_TOKEN [\"/bin/busybox\", \"sh\", \"-c\", \
         \"/bin/busybox sha256sum /run/secrets/NPM_TOKEN | /bin/busybox grep -q ^cb6233dce430 && echo secret-mount-ok\"]\n";
    let ctx = env.busybox_context("secret", &[("Dockerfile", dockerfile)]);
    let out = env.run(&[
        "build",
        "--no-cache",
        "-t",
        "hostile/secret:1",
        "--secret-build-arg",
        "NPM_TOKEN=tok-s3cret-value",
        ctx.to_str().unwrap(),
    ]);
    let log = stdout(&out);
    assert!(out.status.success(), "{log}\n{}", stderr(&out));
    assert!(log.contains("secret-mount-ok"), "{log}");
    assert!(!log.contains("tok-s3cret-value"), "{log}");
    assert!(log.contains("--build-arg NPM_TOKEN --secret id=NPM_TOKEN,type=file,src="), "{log}");
    let manifest = env.registry(0).get_manifest("hostile/secret", "1");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let config = manifest["config"]["digest"].as_str().unwrap();
    let blob = env.registry(0).get_blob("hostile/secret", config);
    assert!(
        !blob.contains("tok-s3cret-value"),
        "a secret mount leaves no trace in the image: {blob}"
    );

    // A secret under a name the builder reads cannot travel safely: refused when given.
    let err = env.fails(
        &[
            "build",
            "--secret-build-arg",
            "PATH=/tmp",
            ctx.to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("'PATH'") && err.contains("another name"), "{err}");
    assert!(!err.contains("/tmp"), "{err}");
}
