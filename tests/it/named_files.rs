//! `-f` as docker and az read it: for a local context the user names, the Dockerfile or task
//! file is the user's own (absolute as given, relative from the current directory, else the
//! context's, or stdin); for a git context and a task file's build step it stays inside.

use crate::harness::{TestEnv, stderr, stdout};

/// A context whose Dockerfile records which one was built in /which; another Dockerfile that
/// records "outside" beside it, out of the context.
fn contexts(env: &TestEnv) -> (std::path::PathBuf, std::path::PathBuf) {
    let dockerfile =
        |which: &str| format!("FROM scratch\nCOPY busybox /bin/busybox\nCOPY {which}.txt /which\n");
    let context = env.busybox_context(
        "own-context",
        &[
            ("Dockerfile", &dockerfile("inside")),
            ("sub/Dockerfile.sub", &dockerfile("sub")),
            ("inside.txt", "inside"),
            ("outside.txt", "outside"),
            ("stdin.txt", "stdin"),
            ("cwd.txt", "cwd"),
            ("sub.txt", "sub"),
        ],
    );
    let elsewhere = env.dir_with(
        "elsewhere",
        &[
            ("Dockerfile.outside", &dockerfile("outside")),
            ("Dockerfile.cwd", &dockerfile("cwd")),
        ],
    );
    (context, elsewhere)
}

#[test]
fn a_local_contexts_dockerfile_is_the_users_own_file() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let (context, elsewhere) = contexts(&env);
    let ctx = context.to_str().unwrap();
    let image = format!("{reg}/named/app:1");
    let built = |env: &TestEnv| env.file_in_image(&image, "/which", None);

    // An absolute path inside the context, as scripts write "$PWD/Dockerfile".
    let inside = context.join("Dockerfile");
    env.ok(&[
        "build",
        "-t",
        &image,
        "-f",
        inside.to_str().unwrap(),
        "--no-logs",
        "-o",
        "none",
        ctx,
    ]);
    assert_eq!(built(&env), "inside");

    // An absolute path outside it.
    let outside = elsewhere.join("Dockerfile.outside");
    env.ok(&[
        "build",
        "-t",
        &image,
        "-f",
        outside.to_str().unwrap(),
        "--no-logs",
        "-o",
        "none",
        ctx,
    ]);
    assert_eq!(built(&env), "outside");

    // A relative path from the current directory, which is not the context.
    let out = env
        .acrt()
        .current_dir(&elsewhere)
        .args([
            "build",
            "-t",
            &image,
            "-f",
            "Dockerfile.cwd",
            "--no-logs",
            "-o",
            "none",
            ctx,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(built(&env), "cwd");
    // A relative path the current directory does not have is the context's.
    let out = env
        .acrt()
        .current_dir(&elsewhere)
        .args([
            "build",
            "-t",
            &image,
            "-f",
            "sub/Dockerfile.sub",
            "--no-logs",
            "-o",
            "none",
            ctx,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(built(&env), "sub");

    // stdin.
    let out = env.run_with_stdin(
        &[
            "build",
            "-t",
            &image,
            "-f",
            "-",
            "--no-logs",
            "-o",
            "none",
            ctx,
        ],
        "FROM scratch\nCOPY busybox /bin/busybox\nCOPY stdin.txt /which\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(built(&env), "stdin");

    // A task on the local context keeps the user's file.
    env.ok(&[
        "task",
        "create",
        "-n",
        "ownfile",
        "-c",
        ctx,
        "-f",
        outside.to_str().unwrap(),
        "-t",
        &image,
        "-o",
        "none",
    ]);
    let task = env.json(&["task", "show", "-n", "ownfile"]);
    assert_eq!(
        task["step"]["dockerFilePath"],
        outside.canonicalize().unwrap().to_str().unwrap()
    );
    env.ok(&["task", "run", "-n", "ownfile", "--no-logs", "-o", "none"]);
    assert_eq!(built(&env), "outside");
}

#[test]
fn a_git_contexts_dockerfile_stays_inside_it() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let (_, elsewhere) = contexts(&env);
    let repo = env.git_repo("named-repo", &[("Dockerfile", "FROM scratch\n")]);
    let outside = elsewhere.join("Dockerfile.outside");
    let image = format!("{reg}/named/git:1");
    let out = env.run(&[
        "build",
        "-t",
        &image,
        "-f",
        outside.to_str().unwrap(),
        &repo,
    ]);
    assert!(!out.status.success());
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("outside the context"), "{text}");
    env.ok(&[
        "task",
        "create",
        "-n",
        "gitfile",
        "-c",
        &repo,
        "-f",
        outside.to_str().unwrap(),
        "-t",
        &image,
        "-o",
        "none",
    ]);
    let out = env.run(&["task", "run", "-n", "gitfile"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !out.status.success() && text.contains("outside the context"),
        "{text}"
    );
}

#[test]
fn a_build_steps_dockerfile_is_relative_to_its_working_directory() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let image = format!("{reg}/named/step:1");
    let dockerfile =
        |which: &str| format!("FROM scratch\nCOPY busybox /bin/busybox\nCOPY {which}.txt /which\n");
    // ./Dockerfile records "top" from the sub context; sub/Dockerfile records "sub".
    let context = env.busybox_context(
        "step-context",
        &[
            ("Dockerfile", &dockerfile("top")),
            ("sub/Dockerfile", &dockerfile("sub")),
            ("sub/top.txt", "top"),
            ("sub/sub.txt", "sub"),
        ],
    );
    std::fs::copy(context.join("busybox"), context.join("sub/busybox")).unwrap();
    for (file, expected) in [
        ("sub/Dockerfile", "sub"),
        ("Dockerfile", "top"),
        ("/workspace/sub/Dockerfile", "sub"),
    ] {
        let task_file = format!(
            "version: v1.1.0\nsteps:\n  - build: -t {image} -f {file} sub\n  - push: [\"{image}\"]\n"
        );
        std::fs::write(context.join("acb.yaml"), task_file).unwrap();
        let out = env.run(&["run", "-f", "acb.yaml", context.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "-f {file}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert_eq!(
            env.file_in_image(&image, "/which", None),
            expected,
            "-f {file}"
        );
    }
}
