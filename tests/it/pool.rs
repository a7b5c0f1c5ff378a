//! A pool of builders: runs sent to a named builder by `--builder NAME` or
//! `defaults.builder`, recorded by its name; two podman services on loopback stand for the
//! pool's machines.

use serde_json::Value;

use crate::harness::{TestEnv, free_port, require, stderr, stdout};
use crate::platforms::build_copy_only;
use crate::podman::PodmanService;

const BOTH: &str = "linux/amd64,linux/arm64";

/// The builder a run of `task` (the latest) recorded.
fn builder_of_latest_run(env: &TestEnv, task: &str) -> Value {
    env.json(&[
        "task",
        "list-runs",
        "-n",
        task,
        "--top",
        "1",
        "--query",
        "[0].builder",
    ])
}

/// Names a podman builder of the pool at `url`.
fn name_podman_builder(env: &TestEnv, name: &str, url: &str) {
    let (kind, url) = (
        format!("builders.{name}.kind=podman"),
        format!("builders.{name}.url={url}"),
    );
    env.ok(&["config", "set", &kind, &url]);
}

#[test]
fn a_run_goes_to_the_named_builder_and_records_its_name() {
    require("podman");
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("pool/base:1");
    let dockerfile =
        format!("FROM {reg}/pool/base:1\nRUN [\"/bin/busybox\", \"touch\", \"/on-pm\"]\n");
    let ctx = env.dir_with("pool-app", &[("Dockerfile", &dockerfile)]);
    let ctx = ctx.to_str().unwrap();
    let service = PodmanService::start(&env);
    name_podman_builder(&env, "pm", &service.url);
    let out = env.ok(&["build", "--builder", "pm", "-t", "pool/app:1", ctx]);
    let log = stdout(&out);
    assert!(log.contains(&format!("--url {}", service.url)), "{log}");
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(run["builder"], "pm", "{run}");
    assert_eq!(
        env.file_in_image(&format!("{reg}/pool/app:1"), "/on-pm", None),
        ""
    );

    // A name that is neither a kind nor a builder of the pool names both.
    let err = env.fails(
        &["build", "--builder", "nosuch", "-t", "pool/app:2", ctx],
        2,
    );
    assert!(
        err.contains("unknown builder 'nosuch'")
            && err.contains("buildah, docker, podman")
            && err.contains("pm"),
        "{err}"
    );
    let err = env.fails(&["config", "set", "defaults.builder=nosuch"], 2);
    assert!(err.contains("unknown builder 'nosuch'"), "{err}");

    // defaults.builder names it for a task's runs; --builder with a kind still goes local.
    env.ok(&["config", "set", "defaults.builder=pm"]);
    env.ok(&[
        "task",
        "create",
        "-n",
        "on-pm",
        "-r",
        &reg,
        "-t",
        "pool/task:1",
        "-c",
        ctx,
        "-o",
        "none",
    ]);
    let run = [
        "task",
        "run",
        "-n",
        "on-pm",
        "-r",
        &reg,
        "--no-logs",
        "-o",
        "none",
    ];
    env.ok(&run);
    assert_eq!(builder_of_latest_run(&env, "on-pm"), "pm");
    env.ok(&[&run[..], &["--builder", "buildah"]].concat());
    let local = builder_of_latest_run(&env, "on-pm");
    assert!(local.as_str().unwrap().starts_with("buildah ("), "{local}");
}

/// The image-update run of `task` (the one watch started).
fn image_update_run(env: &TestEnv, task: &str) -> Value {
    let runs = crate::watch_graph::image_update_runs_of(env, task);
    assert_eq!(runs.len(), 1, "{task} ran once for the base: {runs:?}");
    runs[0].clone()
}

/// A pool of two podman services and this machine's builder takes a base patch's six runs:
/// the three tasks on the base at once, one on each builder, then each dependent after its
/// upstream; every run records its builder. A third service that does not answer is skipped
/// and reported.
#[test]
fn watch_runs_due_tasks_across_the_pool_in_the_graph_s_order() {
    require("podman");
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_patched_base("fleet/base:1", "1");
    let services = [PodmanService::start(&env), PodmanService::start(&env)];
    for (name, service) in ["p1", "p2"].iter().zip(&services) {
        name_podman_builder(&env, name, &service.url);
    }
    let gone = format!("tcp://127.0.0.1:{}", free_port());
    name_podman_builder(&env, "gone", &gone);
    let uppers = ["upper-a", "upper-b", "upper-c"];
    for up in uppers {
        env.built_task(
            up,
            &reg,
            &format!("fleet/{up}:1"),
            &format!(
                "FROM {reg}/fleet/base:1\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"cat /patch.txt > /{up}\"]\n"
            ),
        );
        env.built_task(
            &format!("{up}-dep"),
            &reg,
            &format!("fleet/{up}-dep:1"),
            &format!(
                "FROM {reg}/fleet/{up}:1\nRUN [\"/bin/busybox\", \"cp\", \"/{up}\", \"/dep\"]\n"
            ),
        );
    }

    env.push_patched_base("fleet/base:1", "2");
    let report = env.json(&["watch", "--once", "-o", "json"]);
    let skipped = &report["skippedBuilders"];
    assert_eq!(skipped.as_array().unwrap().len(), 1, "{report}");
    assert_eq!(skipped[0]["name"], "gone", "{report}");
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("does not answer"),
        "{report}"
    );

    let upstream_runs: Vec<Value> = uppers.iter().map(|up| image_update_run(&env, up)).collect();
    let mut builders: Vec<String> = upstream_runs
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "Succeeded", "{r}");
            let b = r["builder"].as_str().unwrap();
            match b.starts_with("buildah (") {
                true => "local".to_string(),
                false => b.to_string(),
            }
        })
        .collect();
    builders.sort();
    assert_eq!(builders, ["local", "p1", "p2"], "{upstream_runs:?}");
    // All three were started before any of them ended: they ran at once.
    let first_end = upstream_runs
        .iter()
        .map(|r| r["finishTime"].as_str().unwrap())
        .min()
        .unwrap();
    for r in &upstream_runs {
        assert!(
            r["createTime"].as_str().unwrap() < first_end,
            "{upstream_runs:?}"
        );
    }
    for (up, upstream) in uppers.iter().zip(&upstream_runs) {
        let dep = image_update_run(&env, &format!("{up}-dep"));
        assert_eq!(dep["status"], "Succeeded", "{dep}");
        assert!(
            dep["createTime"].as_str().unwrap() >= upstream["finishTime"].as_str().unwrap(),
            "{up}-dep started after {up} ended: {upstream} {dep}"
        );
        let on = dep["builder"].as_str().unwrap();
        assert!(
            ["p1", "p2"].contains(&on) || on.starts_with("buildah ("),
            "{dep}"
        );
        assert_eq!(
            env.file_in_image(&format!("{reg}/fleet/{up}-dep:1"), "/dep", None),
            "2",
            "{up}-dep was built on {up}'s new image"
        );
    }
}

/// Names a podman builder of the pool at `url` that builds `platforms` natively.
pub(crate) fn name_podman_builder_for(env: &TestEnv, name: &str, url: &str, platforms: &str) {
    name_podman_builder(env, name, url);
    env.ok(&[
        "config",
        "set",
        &format!("builders.{name}.platforms={platforms}"),
    ]);
}

/// What [`builders_by_platform`] gives for amd64 built here and arm64 on `arm64_builder`.
fn amd64_here_arm64_on(arm64_builder: &str) -> [(String, String); 2] {
    [
        ("linux/amd64".to_string(), "local".to_string()),
        ("linux/arm64".to_string(), arm64_builder.to_string()),
    ]
}

/// The builder each platform of `run` records, by `os/architecture`.
fn builders_by_platform(run: &Value) -> Vec<(String, String)> {
    run["platforms"]
        .as_array()
        .unwrap_or_else(|| panic!("no platforms in {run}"))
        .iter()
        .map(|p| {
            let builder = p["builder"].as_str().unwrap_or_default();
            let builder = match builder.starts_with("buildah (") {
                true => "local",
                false => builder,
            };
            (
                format!(
                    "{}/{}",
                    p["os"].as_str().unwrap(),
                    p["architecture"].as_str().unwrap()
                ),
                builder.to_string(),
            )
        })
        .collect()
}

/// A COPY-only image for two platforms: arm64 goes to the podman service that lists it,
/// amd64 stays on this machine, and the run records each platform's builder beside its
/// digest (the run's own `builder` is the first platform's).
#[test]
fn each_platform_of_a_run_builds_on_a_builder_that_lists_it() {
    require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let service = PodmanService::start(&env);
    name_podman_builder_for(&env, "arm", &service.url, "linux/arm64");
    let run = build_copy_only(&env, "pool/multi:1", BOTH, "scratch", "two builders\n");
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(
        builders_by_platform(&run),
        amd64_here_arm64_on("arm"),
        "{run}"
    );
    assert!(
        run["builder"].as_str().unwrap().starts_with("buildah ("),
        "{run}"
    );
    let index = env.registry(0).digest("pool/multi", "1", None).unwrap();
    assert_eq!(
        run["outputImages"][0]["digest"],
        Value::from(index),
        "{run}"
    );
    for p in run["platforms"].as_array().unwrap() {
        assert!(
            p["digest"].as_str().unwrap().starts_with("sha256:"),
            "{run}"
        );
    }
    let run_id = run["runId"].as_str().unwrap();
    let log = stdout(&env.ok(&["task", "logs", "--run-id", run_id]));
    assert!(log.contains("Building linux/arm64 on arm"), "{log}");
    assert!(
        log.contains(&format!("--url {} save --format oci-dir", service.url)),
        "arm64's image came back from the service: {log}"
    );
}

/// A Dockerfile whose RUN checks that it executes on the machine of its platform (on a base
/// of busybox pushed as `tools` for both platforms); None, said, on a machine that is not an
/// amd64 one without arm64 emulation, where the check would not tell where it ran.
pub(crate) fn arm64_checking_dockerfile(env: &TestEnv, tools: &str) -> Option<String> {
    let here = std::env::consts::ARCH;
    if here != "x86_64" || std::path::Path::new("/proc/sys/fs/binfmt_misc/qemu-aarch64").exists() {
        eprintln!("skipped: this machine is not an amd64 one without arm64 emulation");
        return None;
    }
    let reg = env.registry(0).addr.clone();
    crate::platforms::push_tools_index(env, tools);
    Some(format!(
        "FROM {reg}/{tools}\nARG TARGETARCH\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \
         \"case $TARGETARCH in amd64) m=x86_64;; arm64) m=aarch64;; esac; test \\\"$(/bin/busybox uname -m)\\\" = $m\"]\n"
    ))
}

/// A RUN for arm64 is not refused before the build when a builder of the pool lists
/// linux/arm64: that platform goes there. The service stands for an arm64 machine but runs
/// on this one, so the RUN's check that it runs on aarch64 fails there, and the run's
/// failure names the builder and the platform.
#[test]
fn a_foreign_run_goes_to_the_builder_that_lists_its_platform() {
    require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let Some(dockerfile) = arm64_checking_dockerfile(&env, "pool/tools:1") else {
        return;
    };
    let ctx = env.dir_with("pool-foreign", &[("Dockerfile", &dockerfile)]);
    let build = [
        "build",
        "--platform",
        BOTH,
        "-t",
        "pool/foreign:1",
        ctx.to_str().unwrap(),
    ];
    // Without a builder of arm64, refused before anything is built, naming the fix.
    let out = env.run(&build);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains("runs commands (RUN, line 3) for linux/arm64")
            && said.contains("acrt config set builders.NAME.kind=podman")
            && said.contains("builders.NAME.platforms=linux/arm64"),
        "{said}"
    );
    assert!(!said.contains("STEP 1"), "nothing was built: {said}");

    let service = PodmanService::start(&env);
    name_podman_builder_for(&env, "arm", &service.url, "linux/arm64");
    let out = env.run(&build);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!said.contains("no emulation registered"), "{said}");
    assert!(
        said.contains(&format!("--url {} build", service.url)),
        "arm64 was built on the service: {said}"
    );
    let run = env.json(&["task", "list-runs", "--top", "1", "--query", "[0]"]);
    assert_eq!(run["status"], "Failed", "{run}");
    let error = run["runErrorMessage"].as_str().unwrap();
    assert!(
        error.contains("building linux/arm64 on the builder arm"),
        "{error}"
    );
    assert!(env.registry(0).digest("pool/foreign", "1", None).is_none());
}

/// Watch places each platform of a two-platform task's run as a command does (amd64 here,
/// arm64 on the service that lists it), and a run holds a seat on each builder it uses: with
/// room for one run on the arm64 builder, two due tasks run one after the other though this
/// machine takes two.
#[test]
fn watch_places_each_platform_and_a_run_holds_a_seat_on_each_builder() {
    require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let reg = env.registry(0).addr.clone();
    let service = PodmanService::start(&env);
    name_podman_builder_for(&env, "arm", &service.url, "linux/arm64");
    env.ok(&["config", "set", "builders.local.capacity=2"]);
    build_copy_only(&env, "seats/base:1", BOTH, "scratch", "base 1\n");
    let apps = ["app-a", "app-b"];
    for app in apps {
        let dir = env.dir_with(
            &format!("seats-{app}"),
            &[(
                "Dockerfile",
                &format!("FROM {reg}/seats/base:1\nCOPY Dockerfile /{app}\n"),
            )],
        );
        env.ok(&[
            "task",
            "create",
            "-n",
            app,
            "-t",
            &format!("seats/{app}:1"),
            "-c",
            dir.to_str().unwrap(),
            "--platform",
            BOTH,
            "-o",
            "none",
        ]);
        env.ok(&["task", "run", "-n", app, "--no-logs", "-o", "none"]);
    }
    build_copy_only(&env, "seats/base:1", BOTH, "scratch", "base 2\n");
    let report = env.json(&["watch", "--once", "-o", "json"]);
    let mut runs: Vec<Value> = apps.iter().map(|app| image_update_run(&env, app)).collect();
    for run in &runs {
        assert_eq!(run["status"], "Succeeded", "{report} {run}");
        assert_eq!(
            builders_by_platform(run),
            amd64_here_arm64_on("arm"),
            "{run}"
        );
    }
    runs.sort_by(|a, b| a["createTime"].as_str().cmp(&b["createTime"].as_str()));
    assert!(
        runs[1]["createTime"].as_str().unwrap() >= runs[0]["finishTime"].as_str().unwrap(),
        "the second run waited for the arm64 builder's one seat: {runs:?}"
    );
}

/// A context whose Dockerfile copies `file.txt`, holding `text`, into scratch: built for
/// any platform on any builder without emulation. Its path.
fn copy_one_file_context(env: &TestEnv, name: &str, text: &str) -> String {
    let ctx = env.dir_with(
        name,
        &[
            ("Dockerfile", "FROM scratch\nCOPY file.txt /file.txt\n"),
            ("file.txt", text),
        ],
    );
    ctx.to_str().unwrap().to_string()
}

/// A hand run asks the pool's named builders whether they answer, as watch does: one that
/// does not is skipped with a warning naming it and the run goes to one that answers; a
/// platform only a silent builder builds natively has nowhere to go, and `--builder` naming
/// the silent one fails naming it, each with `acrt builder check`.
#[test]
fn a_hand_run_skips_a_builder_that_does_not_answer() {
    require("podman");
    let env = TestEnv::builder().registry().private_storage().build();
    let service = PodmanService::start(&env);
    let gone = format!("tcp://127.0.0.1:{}", free_port());
    // Both build arm64 natively, and "gone" comes first: unasked, it would take arm64.
    name_podman_builder_for(&env, "gone", &gone, "linux/arm64");
    name_podman_builder_for(&env, "pm", &service.url, "linux/arm64");
    let ctx = copy_one_file_context(&env, "skip-ctx", "skipped\n");
    let ctx = ctx.as_str();
    let build = |tag: &str, extra: &[&str]| {
        let image = format!("pool/skip:{tag}");
        let mut args = vec!["build", "--platform", BOTH, "-t", &image, "--no-logs", ctx];
        args.extend(extra);
        env.run(&args)
    };
    let out = build("1", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warned = stderr(&out);
    assert!(
        warned.contains("warning: builder gone does not answer, skipped"),
        "{warned}"
    );
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(
        builders_by_platform(&run),
        amd64_here_arm64_on("pm"),
        "{run}"
    );

    // With pm building amd64 only, arm64 has only the silent builder.
    env.ok(&["config", "set", "builders.pm.platforms=linux/amd64"]);
    let runs_before = env.json(&["task", "list-runs", "--query", "length(@)"]);
    let out = build("2", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("linux/arm64 has no builder to go to")
            && err.contains("(gone) do not answer")
            && err.contains("hint: see whether they answer with 'acrt builder check gone'"),
        "{err}"
    );
    assert_eq!(
        env.json(&["task", "list-runs", "--query", "length(@)"]),
        runs_before,
        "no run was queued"
    );

    // --builder naming the silent builder.
    let out = build("3", &["--builder", "gone"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the builder 'gone' of the pool does not answer")
            && err.contains("hint: see whether it answers with 'acrt builder check gone'"),
        "{err}"
    );
}

/// A hand run asks each named builder of its pool once whether it answers and builds on
/// the one it asked, not reaching it again when the run starts; the command opens the
/// store once. Counted through a podman that notes each service asked `version`.
#[test]
fn a_hand_run_reaches_its_builder_once() {
    require("podman");
    let env0 = TestEnv::builder().registry().build();
    let reg = env0.registry(0).addr.clone();
    let service = PodmanService::start(&env0);
    let wrapper_dir = env0.dir_with("asked-podman", &[("README", "a podman wrapper\n")]);
    let asked = wrapper_dir.join("asked.log");
    let wrapper = wrapper_dir.join("podman");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nif [ \"$3\" = version ]; then echo \"$2\" >> {}; fi\nexec {} \"$@\"\n",
            asked.display(),
            require("podman").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        wrapper_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = env0.with_env("PATH", &path);
    name_podman_builder_for(&env, "pm", &service.url, "linux/arm64");
    let ctx = copy_one_file_context(&env, "once-ctx", "once\n");
    let ctx = ctx.as_str();
    let times_asked = || {
        let said = std::fs::read_to_string(&asked).unwrap_or_default();
        std::fs::remove_file(&asked).ok();
        said.lines().filter(|l| *l == service.url).count()
    };
    let opened = |out: &std::process::Output| stderr(out).matches("state: ").count();

    let out = env.ok(&[
        "build",
        "--platform",
        "linux/arm64",
        "-t",
        "pool/once:1",
        "--no-logs",
        "-o",
        "none",
        "--verbose",
        ctx,
    ]);
    let latest = ["task", "list-runs", "--top", "1", "--query", "[0].builder"];
    assert_eq!(env.json(&latest), "pm");
    assert_eq!(times_asked(), 1, "acrt build asked pm once");
    assert_eq!(opened(&out), 1, "{}", stderr(&out));

    env.ok(&[
        "task",
        "create",
        "-n",
        "reach-once",
        "-r",
        &reg,
        "-t",
        "pool/once:2",
        "-c",
        ctx,
        "--platform",
        "linux/arm64",
        "-o",
        "none",
    ]);
    let out = env.ok(&[
        "task",
        "run",
        "-n",
        "reach-once",
        "-r",
        &reg,
        "--no-logs",
        "-o",
        "none",
        "--verbose",
    ]);
    assert_eq!(builder_of_latest_run(&env, "reach-once"), "pm");
    assert_eq!(times_asked(), 1, "task run asked pm once");
    assert_eq!(opened(&out), 1, "{}", stderr(&out));
}
