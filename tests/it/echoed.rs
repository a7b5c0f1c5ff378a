//! What acrt echoes of what it was given or a peer sent reaches terminals and logs with its
//! control characters escaped; a builder that cannot start is explained by its real cause.

use std::io::Write as _;
use std::time::Duration;

use crate::harness::{TestEnv, free_port, stderr, stdout, wait_until};

/// Neither ESC nor BEL nor any other control character but line breaks and tabs.
fn assert_no_raw_controls(text: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(raw.is_empty(), "raw control characters {raw:?} in: {text}");
}

#[test]
fn a_name_with_terminal_escapes_is_echoed_escaped() {
    let env = TestEnv::new();
    let out = env.run(&["task", "show", "-n", "x\u{1b}[2J\u{1b}]0;title\u{7}"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_no_raw_controls(&err);
    assert!(err.contains("x\\u{1b}[2J\\u{1b}]0;title\\u{7}"), "{err}");
}

/// A process killed when the test ends, also when it fails.
struct KilledOnDrop(std::process::Child);

impl Drop for KilledOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_registry_notification_with_control_characters_reaches_the_log_escaped() {
    let env = TestEnv::builder().build();
    let listen = format!("127.0.0.1:{}", free_port());
    let log = env
        .dir_with("watch-log", &[("stderr.log", "")])
        .join("stderr.log");
    let _watcher = KilledOnDrop(
        env.command()
            .args(["watch", "--interval", "3600", "--listen", &listen])
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    wait_until("the watcher's listener", Duration::from_secs(20), || {
        std::net::TcpStream::connect(&listen).is_ok()
    });
    // A push whose names carry control characters is no valid reference: left out, it never
    // reaches the log; the valid one beside it does.
    let event = r#"{"events": [{"action": "push",
        "target": {"repository": "base/img\u001b[2J", "tag": "1\u0007"},
        "request": {"host": "evil.example:5000\u001b]0;pwned\u0007"}},
        {"action": "push", "target": {"repository": "base/img", "tag": "1"},
        "request": {"host": "evil.example:5000"}}]}"#;
    let mut stream = std::net::TcpStream::connect(&listen).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {listen}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{event}",
        event.len()
    )
    .unwrap();
    let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
    wait_until("the notification's line", Duration::from_secs(20), || {
        read_log().contains("registry notification of")
    });
    let text = read_log();
    assert_no_raw_controls(&text);
    assert!(
        text.contains("evil.example:5000/base/img:1 ignored: no watched base"),
        "{text}"
    );
    assert!(!text.contains("pwned"), "{text}");
}

#[test]
fn a_build_argument_too_long_for_the_system_is_reported_as_such() {
    let env = TestEnv::builder().registry().build();
    // One argument of 3 MiB: Linux takes at most 128 KiB in one. It comes from a values file,
    // as acrt's own command line could not carry it either.
    let big = "x".repeat(3 << 20);
    let dir = env.dir_with(
        "too-long",
        &[
            (
                "acb.yaml",
                "version: v1.1.0\nsteps:\n  - build: -t $Registry/big:1 --build-arg BIG={{.Values.big}} .\n",
            ),
            ("values.yaml", &format!("big: {big}\n")),
            ("Dockerfile", "FROM scratch\nARG BIG\n"),
        ],
    );
    let out = env.run(&[
        "run",
        "-f",
        "acb.yaml",
        "--values",
        "values.yaml",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains("too long for the system (E2BIG)") && said.contains("the longest 3.0 MiB"),
        "{said}"
    );
    assert!(!said.contains("is it installed"), "{said}");
}
