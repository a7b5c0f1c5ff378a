//! Build contexts: git repositories (file://), tarballs served on loopback, local directories
//! with .dockerignore, and `acrt scan`.

use serde_json::json;

use crate::harness::{TestEnv, git, serve_file, stderr, stdout};

#[test]
fn git_context_with_branch_and_folder_sets_commit_and_branch() {
    let env = TestEnv::builder().registry().build();
    let repo = env.busybox_context(
        "repo",
        &[(
            "app/Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\n",
        )],
    );
    std::fs::rename(repo.join("busybox"), repo.join("app/busybox")).unwrap();
    git(&repo, &["init", "-q", "-b", "release"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    let commit = git(&repo, &["rev-parse", "HEAD"]);
    let url = format!("file://{}#release:app", repo.display());

    let t = env.json(&[
        "task",
        "create",
        "-n",
        "from-git",
        "-c",
        &url,
        "-t",
        "git:{{.Run.Branch}}-{{.Run.Commit}}",
    ]);
    assert_eq!(
        t["trigger"]["sourceTriggers"][0]["sourceRepository"]["branch"],
        "release"
    );
    let run: serde_json::Value = serde_json::from_slice(
        &env.ok(&["task", "run", "-n", "from-git", "--no-logs"])
            .stdout,
    )
    .unwrap();
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(
        run["outputImages"][0]["tag"],
        json!(format!("release-{commit}"))
    );

    let bad = format!("file://{}#nosuchbranch", repo.display());
    let out = env.run(&["build", "--no-logs", "-o", "none", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let message = env.json(&[
        "task",
        "list-runs",
        "--top",
        "1",
        "--query",
        "[0].runErrorMessage",
    ]);
    assert!(
        message.as_str().unwrap().contains("nosuchbranch"),
        "{message}"
    );
}

fn tarball(entries: &[(&str, &[u8])], gzip: bool) -> Vec<u8> {
    let mut raw = Vec::new();
    {
        let mut builder = tar::Builder::new(&mut raw);
        for (name, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o755);
            let bytes = name.as_bytes();
            header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
            header.set_cksum();
            builder.append(&header, *data).unwrap();
        }
        builder.finish().unwrap();
    }
    if !gzip {
        return raw;
    }
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&raw).unwrap();
    gz.finish().unwrap()
}

#[test]
fn tarball_contexts_build_and_escaping_entries_are_refused() {
    let env = TestEnv::builder().registry().build();
    let busybox = std::fs::read(crate::harness::busybox()).unwrap();
    let good = tarball(
        &[
            ("Dockerfile", b"FROM scratch\nCOPY busybox /bin/busybox\n"),
            ("busybox", &busybox),
        ],
        true,
    );
    let url = format!("{}/context.tar.gz", serve_file(good, 1));
    let run: serde_json::Value = serde_json::from_slice(
        &env.ok(&["build", "-t", "from-tar:1", "--no-logs", &url])
            .stdout,
    )
    .unwrap();
    assert_eq!(run["status"], "Succeeded");
    assert!(env.registry(0).digest("from-tar", "1", None).is_some());

    let evil = tarball(
        &[("Dockerfile", b"FROM scratch\n"), ("../../escaped", b"x")],
        false,
    );
    let url = format!("{}/context.tar", serve_file(evil, 1));
    let out = env.run(&["build", "--no-logs", "-o", "none", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("escapes the context"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn local_contexts_honour_dockerignore() {
    let env = TestEnv::builder().registry().build();
    let dir = env.busybox_context(
        "ignoring",
        &[
            ("Dockerfile", "FROM scratch\nCOPY . /ctx/\n"),
            (".dockerignore", "secret.txt\n"),
            ("secret.txt", "do not ship"),
            ("kept.txt", "ship"),
        ],
    );
    let out = env.ok(&["build", "--no-push", dir.to_str().unwrap()]);
    let log = stdout(&out);
    assert!(log.contains("was successful"), "{log}");
    // buildah reads .dockerignore itself; prove it by a build that needs the ignored file.
    std::fs::write(dir.join("Dockerfile"), "FROM scratch\nCOPY secret.txt /\n").unwrap();
    let out = env.run(&["build", "--no-push", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the ignored file is not in the context"
    );
}

#[test]
fn scan_prints_base_images_and_resolves_them() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("tools/base:1");
    let digest = env.registry(0).digest("tools/base", "1", None).unwrap();
    let dir = env.dir_with(
        "multi",
        &[("Dockerfile.multi", "ARG REG\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM ${REG}/tools/base:1\nCOPY --from=build /a /a\n")],
    );
    let ctx = dir.to_str().unwrap();
    let deps = env.json(&[
        "scan",
        "-f",
        "Dockerfile.multi",
        "--build-arg",
        &format!("REG={reg}"),
        ctx,
    ]);
    assert_eq!(
        deps,
        json!([
            {"type": "Runtime", "registry": reg, "repository": "tools/base", "tag": "1", "digest": null},
            {"type": "BuildTime", "registry": "registry.hub.docker.com", "repository": "library/golang", "tag": "1.22", "digest": null}
        ])
    );
    let target = env.json(&[
        "scan",
        "-f",
        "Dockerfile.multi",
        "--target",
        "build",
        "--build-arg",
        &format!("REG={reg}"),
        "--query",
        "[].repository",
        ctx,
    ]);
    assert_eq!(target, json!(["library/golang"]));
    // Every stage's base must be a valid reference, reached or not (BuildKit parses them all).
    let err = env.fails(
        &["scan", "-f", "Dockerfile.multi", "--target", "build", ctx],
        2,
    );
    assert!(
        err.contains("line 3") && err.contains("/tools/base:1"),
        "{err}"
    );

    let local = env.dir_with(
        "local",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/tools/base:1 AS b\nFROM b\n"),
        )],
    );
    let resolved = env.json(&["scan", "--resolve", local.to_str().unwrap()]);
    assert_eq!(
        resolved,
        json!([{"type": "Runtime", "registry": reg, "repository": "tools/base", "tag": "1", "digest": digest}])
    );
    let table = stdout(&env.ok(&["scan", "--resolve", "-o", "table", local.to_str().unwrap()]));
    assert!(
        table.starts_with("TYPE     REGISTRY") && table.contains(&digest),
        "{table}"
    );

    let missing = env.dir_with(
        "missing",
        &[("Dockerfile", &format!("FROM {reg}/tools/nothere:1\n"))],
    );
    let out = env.run(&["scan", "--resolve", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("registry {reg}")) && stderr(&out).contains("tools/nothere"),
        "{}",
        stderr(&out)
    );

    let broken = env.dir_with("broken", &[("Dockerfile", "FROM scratch\nCOPY\n")]);
    let err = env.fails(&["scan", broken.to_str().unwrap()], 2);
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn a_stage_the_target_does_not_reach_is_neither_pulled_nor_recorded() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("reach/base:1");
    // The first stage's image does not exist: BuildKit never pulls it, and neither does acrt.
    env.built_task("reached", &reg, "reach/app:1", &format!(
        "FROM {reg}/nowhere/tools:1 AS tools\nRUN [\"/bin/busybox\", \"true\"]\nFROM {reg}/reach/base:1\nRUN [\"/bin/busybox\", \"touch\", \"/ok\"]\n"
    ));
    let deps = env.json(&[
        "task",
        "show",
        "-n",
        "reached",
        "--query",
        "step.baseImageDependencies[].repository",
    ]);
    assert_eq!(deps, json!(["reach/base"]));
    assert_eq!(
        env.file_in_image(&format!("{reg}/reach/app:1"), "/ok", None),
        ""
    );
}
