//! Where a login goes: a registry's token challenge may name any realm; a login reaches it
//! only over https, or plain http to loopback and configured insecure hosts.

use base64::Engine as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use crate::harness::{TestEnv, loopback_host_name, stderr};

const PASSWORD: &str = "realm-s3cret";

/// A token service on a free loopback port, named by this machine's host name (which resolves
/// to loopback but is no loopback literal: acrt treats it as a remote host). It records the
/// Authorization header of every request and hands out a token.
struct TokenService {
    port: u16,
    authorizations: Arc<Mutex<Vec<String>>>,
}

impl TokenService {
    fn start() -> TokenService {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let authorizations = Arc::new(Mutex::new(Vec::new()));
        let seen = authorizations.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let head = read_head(&mut stream);
                if let Some(auth) = header(&head, "authorization") {
                    seen.lock().unwrap().push(auth);
                }
                let body = r#"{"token": "t0ken", "access_token": "t0ken"}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        TokenService {
            port,
            authorizations,
        }
    }

    /// Its URL, under this machine's host name, over plain http.
    fn realm(&self) -> String {
        format!("http://{}/token", self.authority())
    }

    fn authority(&self) -> String {
        format!("{}:{}", loopback_host_name(), self.port)
    }

    /// The Authorization headers it was sent: a login in clear, if any.
    fn authorizations(&self) -> Vec<String> {
        self.authorizations.lock().unwrap().clone()
    }
}

/// A registry on `listener` that answers every request with a token challenge naming `realm`.
fn challenging_registry(listener: TcpListener, realm: String) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            read_head(&mut stream);
            let _ = write!(
                stream,
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"{realm}\",service=\"mock\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
}

/// A request's head (requests here have no body).
fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    })
}

/// The refusal names the registry, the realm, why, and the way out.
fn assert_refused(text: &str, registry: &str, realm: &TokenService) {
    for part in [
        registry,
        &realm.realm(),
        "not https",
        "was not sent",
        &format!("core.insecure_registries=...,{}", realm.authority()),
    ] {
        assert!(text.contains(part), "'{part}' missing from: {text}");
    }
    assert!(!text.contains(PASSWORD), "{text}");
}

/// A registry on a free loopback port whose challenge names `realm`; its address.
fn start_registry(realm: &TokenService) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    challenging_registry(listener, realm.realm());
    addr
}

#[test]
fn login_is_not_sent_to_a_plain_http_realm_unless_it_is_configured_insecure() {
    let env = TestEnv::builder().build();
    let realm = TokenService::start();
    let registry = start_registry(&realm);
    let login = ["login", "-r", &registry, "-u", "ci", "--password-stdin"];

    let out = env.run_with_stdin(&login, &format!("{PASSWORD}\n"));
    assert_eq!(realm.authorizations(), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_refused(&stderr(&out), &registry, &realm);
    assert!(!env.path_of_home(".docker/config.json").exists());

    // A realm the user trusts with plain http gets it.
    env.ok(&[
        "config",
        "set",
        &format!("core.insecure_registries={}", realm.authority()),
    ]);
    let out = env.run_with_stdin(&login, &format!("{PASSWORD}\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("ci:{PASSWORD}"));
    assert_eq!(realm.authorizations(), [format!("Basic {basic}")]);
}

#[test]
fn a_stored_login_is_not_sent_to_a_plain_http_realm_when_a_base_is_resolved() {
    let env = TestEnv::builder().build();
    let realm = TokenService::start();
    let registry = start_registry(&realm);
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("ci:{PASSWORD}"));
    let config = env.path_of_home(".docker/config.json");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        format!(r#"{{"auths": {{"{registry}": {{"auth": "{auth}"}}}}}}"#),
    )
    .unwrap();
    let ctx = env.dir_with(
        "app",
        &[("Dockerfile", &format!("FROM {registry}/base/img:1\n"))],
    );

    let out = env.run(&["scan", "--resolve", ctx.to_str().unwrap()]);
    assert_eq!(realm.authorizations(), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_refused(&stderr(&out), &registry, &realm);
}

#[test]
fn a_task_login_is_not_sent_to_a_plain_http_realm_by_check_base_or_watch() {
    let mut env = TestEnv::builder().registry().build();
    let registry = env.registry(0).addr.clone();
    env.push_busybox_base("base/img:1");
    env.built_task(
        "realm-app",
        &registry,
        "app:1",
        &format!("FROM {registry}/base/img:1\n"),
    );
    env.ok(&[
        "task",
        "credential",
        "add",
        "-n",
        "realm-app",
        "--login-server",
        &registry,
        "-u",
        "ci",
        "-p",
        PASSWORD,
    ]);
    // The registry is replaced, at the same address, by one whose challenge names a plain
    // http realm.
    env.stop_registry(0);
    let realm = TokenService::start();
    challenging_registry(TcpListener::bind(&registry).unwrap(), realm.realm());

    let rows = env.json(&["task", "check-base", "-n", "realm-app"]);
    assert_eq!(realm.authorizations(), Vec::<String>::new());
    let note = rows[0]["note"].as_str().unwrap_or_default().to_string();
    assert_refused(&note, &registry, &realm);

    let out = env.run(&["watch", "--once"]);
    assert_eq!(realm.authorizations(), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_refused(&stderr(&out), &registry, &realm);
}
