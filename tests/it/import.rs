//! `acrt import`, `acrt login` and `acrt logout` against two real registries (one with
//! htpasswd auth).

use serde_json::{Value, json};

use crate::harness::{TestEnv, stderr};

fn buildah(env: &TestEnv, args: &[&str]) -> String {
    let out = std::process::Command::new("buildah")
        .args(args)
        .envs(crate::harness::buildah_env())
        .current_dir(env.state_dir().parent().unwrap())
        .output()
        .expect("buildah is needed: run scripts/setup");
    assert!(
        out.status.success(),
        "buildah {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn login(env: &TestEnv, registry: &str, password: &str) -> std::process::Output {
    env.acrt()
        .args(["login", "-r", registry, "-u", "ci", "--password-stdin"])
        .write_stdin(password)
        .output()
        .unwrap()
}

/// An environment with an open registry (0) and a private one (1), Docker config in the
/// test's home, and baseimages/node:1 in the open registry.
fn two_registries() -> TestEnv {
    let env = TestEnv::builder()
        .registry()
        .auth_registry("ci", "pa55")
        .build();
    let base = env.busybox_context(
        "base",
        &[(
            "Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\nENV V=1\n",
        )],
    );
    env.ok(&[
        "build",
        "-t",
        "baseimages/node:1",
        "--no-logs",
        "-o",
        "none",
        base.to_str().unwrap(),
    ]);
    env
}

#[test]
fn login_checks_and_stores_credentials_where_docker_looks() {
    let env = two_registries();
    let private = env.registry(1).addr.clone();
    let out = login(&env, &private, "wrong");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("refused the login") && !stderr(&out).contains("wrong"),
        "{}",
        stderr(&out)
    );
    let out = login(&env, &private, "pa55");
    assert!(out.status.success(), "{}", stderr(&out));
    let config_path = env.path_of_home(".docker/config.json");
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(&config_path).unwrap()).unwrap();
    assert_eq!(config["auths"][&private]["auth"], "Y2k6cGE1NQ==");
    assert_eq!(crate::harness::file_mode(&config_path), 0o600);

    // Builds find the login, as buildah and docker would.
    let app = env.dir_with(
        "app",
        &[("Dockerfile", "FROM scratch\nCOPY Dockerfile /\n")],
    );
    env.ok(&[
        "build",
        "-r",
        &private,
        "-t",
        "private/app:1",
        "--no-logs",
        "-o",
        "none",
        app.to_str().unwrap(),
    ]);
    assert!(
        env.registry(1)
            .digest("private/app", "1", Some(("ci", "pa55")))
            .is_some()
    );

    env.ok(&["logout", "-r", &private]);
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(&config_path).unwrap()).unwrap();
    assert_eq!(config["auths"], json!({}));
    let out = env.ok(&["logout", "-r", &private]);
    assert!(stderr(&out).contains("Not logged in"), "{}", stderr(&out));
}

#[test]
fn import_copies_once_refuses_existing_tags_and_mounts_within_a_registry() {
    let env = two_registries();
    let (open, private) = (env.registry(0).addr.clone(), env.registry(1).addr.clone());
    let source = format!("{open}/baseimages/node:1");
    let source_digest = env
        .registry(0)
        .digest("baseimages/node", "1", None)
        .unwrap();

    // Without a login the private registry refuses, and the message says what to do.
    let out = env.run(&[
        "import",
        "-n",
        &private,
        "--source",
        &source,
        "-t",
        "mirror/node:1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("registry {private}"))
            && stderr(&out).contains("acrt login"),
        "{}",
        stderr(&out)
    );

    assert!(login(&env, &private, "pa55").status.success());
    let first = env.json(&[
        "import",
        "-n",
        &private,
        "--source",
        &source,
        "-t",
        "mirror/node:1",
    ]);
    assert_eq!(first["digest"], json!(source_digest));
    assert_eq!(first["blobsCopied"], 2);
    assert_eq!(
        env.registry(1)
            .digest("mirror/node", "1", Some(("ci", "pa55"))),
        Some(source_digest.clone())
    );

    let err = env.fails(
        &[
            "import",
            "-n",
            &private,
            "--source",
            &source,
            "-t",
            "mirror/node:1",
        ],
        1,
    );
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    let again = env.json(&[
        "import",
        "-n",
        &private,
        "--source",
        &source,
        "-t",
        "mirror/node:1",
        "--force",
    ]);
    assert_eq!(
        (again["blobsCopied"].clone(), again["blobsSkipped"].clone()),
        (json!(0), json!(2)),
        "no blob is sent again"
    );

    // Within one registry, blobs are mounted from the source repository.
    let mounted = env.json(&[
        "import",
        "-n",
        &open,
        "--source",
        &source,
        "-t",
        "copies/node:1",
    ]);
    assert_eq!(
        (
            mounted["blobsMounted"].clone(),
            mounted["blobsCopied"].clone()
        ),
        (json!(2), json!(0))
    );

    // --repository copies by digest only.
    let by_digest = env.json(&[
        "import",
        "-n",
        &private,
        "--source",
        &source,
        "--repository",
        "pinned/node",
    ]);
    assert_eq!(
        by_digest["targets"],
        json!([format!("{private}/pinned/node@{source_digest}")])
    );
    assert!(
        env.registry(1)
            .digest("pinned/node", &source_digest, Some(("ci", "pa55")))
            .is_some()
    );
    assert!(
        env.registry(1)
            .digest("pinned/node", "1", Some(("ci", "pa55")))
            .is_none()
    );

    // Source credentials from -u and --password-stdin.
    let out = env
        .acrt()
        .args([
            "import",
            "-n",
            &open,
            "--source",
            &format!("{private}/mirror/node:1"),
            "-t",
            "back/node:1",
            "-u",
            "ci",
            "--password-stdin",
        ])
        .env("DOCKER_CONFIG", env.path_of_home("no-docker-config"))
        .write_stdin("pa55")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_multi_platform_index_keeps_its_digest() {
    let env = two_registries();
    let (open, private) = (env.registry(0).addr.clone(), env.registry(1).addr.clone());
    let ctx = env.dir_with(
        "multi",
        &[
            ("Dockerfile", "FROM scratch\nCOPY Dockerfile /\n"),
            ("arch.txt", "x"),
        ],
    );
    let ctx = ctx.to_str().unwrap();
    let list = format!("acrt-test-list-{}", std::process::id());
    let _ = std::process::Command::new("buildah")
        .args(["manifest", "rm", &list])
        .envs(crate::harness::buildah_env())
        .output();
    buildah(&env, &["manifest", "create", &list]);
    for arch in ["amd64", "arm64"] {
        buildah(
            &env,
            &[
                "bud",
                "--quiet",
                "--platform",
                &format!("linux/{arch}"),
                "--manifest",
                &list,
                "-f",
                &format!("{ctx}/Dockerfile"),
                ctx,
            ],
        );
    }
    buildah(
        &env,
        &[
            "manifest",
            "push",
            "--all",
            "--tls-verify=false",
            &list,
            &format!("docker://{open}/multi/app:1"),
        ],
    );
    let _ = std::process::Command::new("buildah")
        .args(["manifest", "rm", &list])
        .envs(crate::harness::buildah_env())
        .output();
    let index_digest = env.registry(0).digest("multi/app", "1", None).unwrap();

    assert!(login(&env, &private, "pa55").status.success());
    let copied = env.json(&[
        "import",
        "-n",
        &private,
        "--source",
        &format!("{open}/multi/app:1"),
    ]);
    assert_eq!(copied["digest"], json!(index_digest));
    assert_eq!(
        copied["manifests"], 3,
        "the index and both platforms' manifests"
    );
    assert_eq!(
        env.registry(1)
            .digest("multi/app", "1", Some(("ci", "pa55"))),
        Some(index_digest)
    );
    // Each platform resolves in the copy.
    let check = env.dir_with(
        "check",
        &[("Dockerfile", &format!("FROM {private}/multi/app:1\n"))],
    );
    let arm = env.json(&[
        "scan",
        "--resolve",
        "--platform",
        "linux/arm64",
        check.to_str().unwrap(),
        "--query",
        "[0].digest",
    ]);
    let amd = env.json(&[
        "scan",
        "--resolve",
        "--platform",
        "linux/amd64",
        check.to_str().unwrap(),
        "--query",
        "[0].digest",
    ]);
    assert!(
        arm.is_string() && amd.is_string() && arm != amd,
        "{arm} {amd}"
    );
}

/// `import --no-wait` returns at once, prints nothing, and the copy lands in the background.
#[test]
fn import_no_wait_copies_in_the_background() {
    let env = crate::harness::TestEnv::builder().registry().build();
    let registry = env.registry(0).addr.clone();
    env.push_busybox_base("nowait/base:1");
    let out = env.ok(&[
        "import",
        "-n",
        &registry,
        "--source",
        &format!("{registry}/nowait/base:1"),
        "-t",
        "nowait/copy:1",
        "--no-wait",
    ]);
    assert_eq!(crate::harness::stdout(&out), "");
    crate::harness::wait_until(
        "the background import",
        std::time::Duration::from_secs(30),
        || env.registry(0).digest("nowait/copy", "1", None).is_some(),
    );
    assert_eq!(
        env.registry(0).digest("nowait/copy", "1", None),
        env.registry(0).digest("nowait/base", "1", None)
    );
}

/// A source the registry does not have (MANIFEST_UNKNOWN, and NAME_UNKNOWN for a repository
/// it has never seen) is the one "missing" outcome: the error says what is missing, and the
/// hint, on a line of its own, what to do.
#[test]
fn a_missing_source_is_said_once_with_its_hint_apart() {
    let env = TestEnv::builder().registry().build();
    let registry = env.registry(0).addr.clone();
    for source in [
        "never/pushed:1",
        "never/pushed@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let err = env.fails(
            &[
                "import",
                "-n",
                &registry,
                "--source",
                &format!("{registry}/{source}"),
                "-t",
                "copy/of:1",
            ],
            1,
        );
        let lines: Vec<&str> = err.lines().collect();
        let error = lines.iter().find(|l| l.starts_with("error: ")).unwrap();
        assert!(error.contains("cannot resolve"), "{err}");
        assert!(!error.contains("check the repository"), "{err}");
        assert!(
            lines.contains(&"hint: check the repository and tag: the registry does not have it"),
            "{err}"
        );
    }
}
