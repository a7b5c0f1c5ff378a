use serde_json::json;

use crate::harness::{TestEnv, stdout};

#[test]
fn credentials_are_stored_and_never_printed() {
    let env = TestEnv::new();
    env.create_task("credtask", &["-t", "c:1"]);
    let added = env.json(&[
        "task",
        "credential",
        "add",
        "-n",
        "credtask",
        "--login-server",
        "LocalHost:5001",
        "-u",
        "ci",
        "-p",
        "pa55word",
    ]);
    assert_eq!(
        added,
        // az's SecretObject shape; the password's value is never printed.
        json!({"localhost:5001": {
            "identity": null,
            "password": {"type": "Opaque", "value": null},
            "userName": {"type": "Opaque", "value": "ci"}
        }})
    );

    let out = env
        .acrt()
        .args([
            "task",
            "credential",
            "add",
            "-n",
            "credtask",
            "--login-server",
            "reg.example.com",
            "-u",
            "bot",
            "--password-stdin",
        ])
        .write_stdin("from-stdin\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let secure = env.json(&["task", "show", "-n", "credtask", "--with-secure-properties"]);
    let registries = &secure["credentials"]["customRegistries"];
    assert_eq!(
        registries["localhost:5001"]["password"]["value"],
        "pa55word"
    );
    assert_eq!(
        registries["reg.example.com"]["password"]["value"],
        "from-stdin"
    );
    assert_eq!(
        secure["credentials"]["sourceRegistry"]["loginMode"],
        "Default"
    );

    for args in [
        &["task", "credential", "list", "-n", "credtask"][..],
        &[
            "task",
            "credential",
            "list",
            "-n",
            "credtask",
            "-o",
            "table",
        ],
        &["task", "show", "-n", "credtask", "-o", "yaml"],
        &["task", "list", "-o", "tsv"],
    ] {
        let text = stdout(&env.ok(args));
        assert!(
            !text.contains("pa55word") && !text.contains("from-stdin"),
            "{args:?} printed a password: {text}"
        );
    }

    let err = env.fails(
        &[
            "task",
            "credential",
            "add",
            "-n",
            "credtask",
            "--login-server",
            "localhost:5001",
            "-u",
            "x",
            "-p",
            "y",
        ],
        1,
    );
    assert!(
        err.contains("already has credentials") && err.contains("credential update"),
        "{err}"
    );
    assert!(!err.contains("pa55word"));

    env.ok(&[
        "task",
        "credential",
        "update",
        "-n",
        "credtask",
        "--login-server",
        "localhost:5001",
        "-p",
        "n3w",
    ]);
    let secure = env.json(&["task", "show", "-n", "credtask", "--with-secure-properties"]);
    assert_eq!(
        secure["credentials"]["customRegistries"]["localhost:5001"],
        json!({
            "identity": null,
            "password": {"type": "Opaque", "value": "n3w"},
            "userName": {"type": "Opaque", "value": "ci"}
        })
    );

    let err = env.fails(
        &[
            "task",
            "credential",
            "update",
            "-n",
            "credtask",
            "--login-server",
            "other:1",
            "-p",
            "x",
        ],
        3,
    );
    assert!(err.contains("credential add"), "{err}");

    let left = env.json(&[
        "task",
        "credential",
        "remove",
        "-n",
        "credtask",
        "--login-server",
        "localhost:5001",
    ]);
    assert_eq!(
        left.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["reg.example.com"]
    );
    env.fails(
        &[
            "task",
            "credential",
            "remove",
            "-n",
            "credtask",
            "--login-server",
            "localhost:5001",
        ],
        3,
    );

    let err = env.fails(
        &[
            "task",
            "credential",
            "add",
            "-n",
            "credtask",
            "--login-server",
            "x.io",
            "-u",
            "a",
        ],
        2,
    );
    assert!(err.contains("--password-stdin"), "{err}");
    let err = env.fails(
        &[
            "task",
            "credential",
            "add",
            "-n",
            "credtask",
            "--login-server",
            "x.io",
            "--use-identity",
            "[system]",
        ],
        2,
    );
    assert!(err.contains("managed identities"), "{err}");
    // With a user and a password as well, an az script's --use-identity is explained once.
    let out = env.ok(&[
        "task",
        "credential",
        "add",
        "-n",
        "credtask",
        "--login-server",
        "x.io",
        "--use-identity",
        "[system]",
        "-u",
        "bot",
        "-p",
        "pw",
        "-o",
        "none",
    ]);
    let err = crate::harness::stderr(&out);
    assert_eq!(err.matches("--use-identity").count(), 1, "{err}");
    env.fails(&["task", "credential", "list", "-n", "nosuchtask"], 3);
}
