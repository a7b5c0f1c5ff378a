//! Every transfer bounded, none failed for being slow: a blob may take as long as it needs
//! while bytes keep coming, a silence fails it naming the registry that went silent, a 503 on
//! a blob costs an attempt, a manifest is read at most 4 MiB, and errors quoting what a
//! registry sent stay short. The source registry here is a small HTTP server of the test's
//! own (a real registry cannot drip, stall or serve 1 GiB manifests on demand); the target
//! is a real one.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{TestEnv, stderr};

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// What the source does when the image's layer is asked for.
#[derive(Clone, Copy)]
enum Layer {
    /// All at once.
    Steady,
    /// In `chunks` pieces, one every `every`: slower in all than the timeout, never silent
    /// as long.
    Drip { chunks: usize, every: Duration },
    /// The first `bytes`, then silence while the connection stays open.
    StallAfter(usize),
    /// A 503 the first time, then the layer.
    FailOnce,
}

/// What the source serves as the image's manifest.
#[derive(Clone)]
enum Manifest {
    /// A single-platform image: a config and one layer.
    Image,
    /// A body of `bytes` bytes, generated as it is sent, with its length announced or not.
    Huge { bytes: u64, announced: bool },
    /// An index as given.
    Index(Arc<Vec<u8>>),
}

struct Content {
    manifest: String,
    config: Vec<u8>,
    layer: Vec<u8>,
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

impl Content {
    fn new() -> Content {
        let layer: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
        let config = format!(
            r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":["{}"]}}}}"#,
            sha256(&layer)
        )
        .into_bytes();
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{}","size":{}}}]}}"#,
            sha256(&config),
            config.len(),
            sha256(&layer),
            layer.len()
        );
        Content {
            manifest,
            config,
            layer,
        }
    }
}

/// A source registry on loopback serving `src:1`, one thread per connection.
struct Source {
    addr: String,
    layer_requests: Arc<AtomicUsize>,
}

impl Source {
    fn start(layer: Layer, manifest: Manifest) -> Source {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let layer_requests = Arc::new(AtomicUsize::new(0));
        let content = Arc::new(Content::new());
        let counted = layer_requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (content, counted, manifest) =
                    (content.clone(), counted.clone(), manifest.clone());
                std::thread::spawn(move || serve(stream, &content, layer, &manifest, &counted));
            }
        });
        Source {
            addr,
            layer_requests,
        }
    }

    fn image(&self) -> String {
        format!("{}/src:1", self.addr)
    }
}

/// Answers one request, then closes the connection.
fn serve(
    mut stream: TcpStream,
    content: &Content,
    layer: Layer,
    manifest: &Manifest,
    layer_requests: &AtomicUsize,
) {
    let Some((method, path)) = read_request(&mut stream) else {
        return;
    };
    let head = |status: &str, headers: &str| {
        format!("HTTP/1.1 {status}\r\n{headers}Connection: close\r\n\r\n")
    };
    let ok = |body: &[u8], content_type: &str| {
        let mut out = head(
            "200 OK",
            &format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\nDocker-Content-Digest: {}\r\n",
                body.len(),
                sha256(body)
            ),
        )
        .into_bytes();
        if method != "HEAD" {
            out.extend_from_slice(body);
        }
        out
    };
    let _ = if path == "/v2/" {
        stream.write_all(head("200 OK", "Content-Length: 0\r\n").as_bytes())
    } else if path.starts_with("/v2/src/manifests/") {
        match manifest {
            Manifest::Image => stream.write_all(&ok(content.manifest.as_bytes(), OCI_MANIFEST)),
            Manifest::Index(body) => stream.write_all(&ok(body, OCI_INDEX)),
            Manifest::Huge { bytes, announced } => {
                send_huge(&mut stream, &method, *bytes, *announced)
            }
        }
    } else if path == format!("/v2/src/blobs/{}", sha256(&content.config)) {
        stream.write_all(&ok(&content.config, "application/octet-stream"))
    } else if path == format!("/v2/src/blobs/{}", sha256(&content.layer)) {
        let n = layer_requests.fetch_add(1, Ordering::SeqCst);
        send_layer(&mut stream, &content.layer, layer, n)
    } else {
        stream.write_all(head("404 Not Found", "Content-Length: 0\r\n").as_bytes())
    };
}

fn send_layer(
    stream: &mut TcpStream,
    layer: &[u8],
    how: Layer,
    earlier_requests: usize,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        layer.len()
    );
    match how {
        Layer::Steady => {
            stream.write_all(head.as_bytes())?;
            stream.write_all(layer)
        }
        Layer::FailOnce if earlier_requests == 0 => stream.write_all(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
        Layer::FailOnce => {
            stream.write_all(head.as_bytes())?;
            stream.write_all(layer)
        }
        Layer::Drip { chunks, every } => {
            stream.write_all(head.as_bytes())?;
            for piece in layer.chunks(layer.len().div_ceil(chunks)) {
                // The drip is what this server is for: the test itself waits on the import.
                std::thread::sleep(every);
                stream.write_all(piece)?;
                stream.flush()?;
            }
            Ok(())
        }
        Layer::StallAfter(bytes) => {
            stream.write_all(head.as_bytes())?;
            stream.write_all(&layer[..bytes])?;
            stream.flush()?;
            // Silent, with the connection open, until the client gives up and closes it.
            let mut sink = [0u8; 1024];
            while stream.read(&mut sink).is_ok_and(|n| n > 0) {}
            Ok(())
        }
    }
}

/// A manifest of `bytes` bytes made as it is sent (the test holds none of it), until the
/// client stops reading.
fn send_huge(
    stream: &mut TcpStream,
    method: &str,
    bytes: u64,
    announced: bool,
) -> std::io::Result<()> {
    let length = match announced {
        true => format!("Content-Length: {bytes}\r\n"),
        false => String::new(),
    };
    stream.write_all(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {OCI_INDEX}\r\n{length}Connection: close\r\n\r\n"
        )
        .as_bytes(),
    )?;
    if method == "HEAD" {
        return Ok(());
    }
    let piece = vec![b' '; 1 << 20];
    let mut sent = 0u64;
    while sent < bytes {
        let n = piece.len().min((bytes - sent) as usize);
        stream.write_all(&piece[..n])?;
        sent += n as u64;
    }
    Ok(())
}

/// The method and path of the request on `stream`.
fn read_request(stream: &mut TcpStream) -> Option<(String, String)> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut words = text.split_whitespace();
    Some((words.next()?.to_string(), words.next()?.to_string()))
}

/// A real target registry, and acrt told to wait at most `timeout` seconds for a registry.
fn target_with_timeout(timeout: &str) -> TestEnv {
    let env = TestEnv::builder().registry().build();
    env.ok(&["config", "set", &format!("core.registry_timeout={timeout}")]);
    env
}

fn import(env: &TestEnv, source: &Source) -> std::process::Output {
    let target = env.registry(0).addr.clone();
    env.run(&[
        "import",
        "-n",
        &target,
        "--source",
        &source.image(),
        "-t",
        "copy/src:1",
    ])
}

#[test]
fn a_blob_slower_in_all_than_the_timeout_but_never_silent_is_imported() {
    let env = target_with_timeout("2");
    // 1 MiB in 20 pieces, one every 250 ms: 5 s in all, never 2 s without a byte.
    let source = Source::start(
        Layer::Drip {
            chunks: 20,
            every: Duration::from_millis(250),
        },
        Manifest::Image,
    );
    let started = Instant::now();
    let out = import(&env, &source);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        started.elapsed() > Duration::from_secs(4),
        "the drip took its time: {:?}",
        started.elapsed()
    );
    assert!(
        env.registry(0).digest("copy/src", "1", None).is_some(),
        "the copy is in the target"
    );
}

#[test]
fn a_source_that_goes_silent_fails_the_import_naming_the_source() {
    let env = target_with_timeout("2");
    let source = Source::start(Layer::StallAfter(100_000), Manifest::Image);
    let started = Instant::now();
    let err = String::from_utf8_lossy(&import(&env, &source).stderr).into_owned();
    let target = env.registry(0).addr.clone();
    assert!(
        err.contains(&format!("registry {}", source.addr)) && err.contains("sent no bytes"),
        "the source is named: {err}"
    );
    assert!(
        !err.contains(&format!("registry {target}")),
        "the target is not blamed: {err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn one_503_on_a_blob_costs_an_attempt_not_the_import() {
    let env = target_with_timeout("10");
    let source = Source::start(Layer::FailOnce, Manifest::Image);
    let out = import(&env, &source);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(source.layer_requests.load(Ordering::SeqCst), 2);
    assert!(env.registry(0).digest("copy/src", "1", None).is_some());
}

#[test]
fn one_503_on_a_blob_costs_a_mirror_run_an_attempt_not_the_run() {
    let env = target_with_timeout("10");
    let source = Source::start(Layer::FailOnce, Manifest::Image);
    let target = env.registry(0).addr.clone();
    env.ok(&[
        "task",
        "create",
        "-n",
        "mirror-src",
        "-r",
        &target,
        "--import-source",
        &source.image(),
        "-t",
        "mirror/src:1",
        "-o",
        "none",
    ]);
    let run = env.json(&[
        "task",
        "run",
        "-n",
        "mirror-src",
        "-r",
        &target,
        "--no-logs",
    ]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert_eq!(source.layer_requests.load(Ordering::SeqCst), 2);
}

/// A context whose Dockerfile is built on `image`.
fn context_on(env: &TestEnv, image: &str) -> String {
    env.dir_with("on-source", &[("Dockerfile", &format!("FROM {image}\n"))])
        .display()
        .to_string()
}

#[test]
fn a_manifest_larger_than_4_mib_is_refused_before_it_is_read() {
    let env = target_with_timeout("30");
    for announced in [true, false] {
        let source = Source::start(
            Layer::Steady,
            Manifest::Huge {
                bytes: 1 << 30,
                announced,
            },
        );
        let started = Instant::now();
        let out = import(&env, &source);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("larger than 4 MiB")
                && stderr(&out).contains(&format!("registry {}", source.addr)),
            "import, length announced {announced}: {}",
            stderr(&out)
        );
        let context = context_on(&env, &source.image());
        let err = env.fails(&["scan", "--resolve", &context], 1);
        assert!(err.contains("larger than 4 MiB"), "scan --resolve: {err}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }
}

/// An index of `entries` entries, each a platform of its own, none linux/amd64.
fn index_of(entries: usize) -> Arc<Vec<u8>> {
    let digest = format!("sha256:{}", "0".repeat(64));
    let list: Vec<String> = (0..entries)
        .map(|i| {
            format!(r#"{{"digest":"{digest}","platform":{{"os":"linux","architecture":"a{i}"}}}}"#)
        })
        .collect();
    Arc::new(
        format!(
            r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{}]}}"#,
            list.join(",")
        )
        .into_bytes(),
    )
}

#[test]
fn an_index_of_many_entries_gives_an_error_of_bounded_size() {
    let env = target_with_timeout("30");
    // Over 4 MiB (refused whole), and under it (every platform it lists is named).
    for entries in [100_000, 25_000] {
        let source = Source::start(Layer::Steady, Manifest::Index(index_of(entries)));
        let context = context_on(&env, &source.image());
        let err = env.fails(&["scan", "--resolve", &context], 1);
        assert!(
            err.len() < 6000,
            "{entries} entries: an error of {} bytes: {}...",
            err.len(),
            &err[..err.len().min(300)]
        );
        assert!(
            err.contains("larger than 4 MiB") || err.contains("more bytes cut"),
            "{err}"
        );
    }
    // What a run stores of it is as short.
    let source = Source::start(Layer::Steady, Manifest::Index(index_of(25_000)));
    let context = context_on(&env, &source.image());
    env.fails(&["build", "-t", "app:1", "--no-logs", &context], 1);
    let runs = env.json(&["task", "list-runs"]);
    let stored = runs[0]["runErrorMessage"].as_str().unwrap_or_default();
    assert!(
        stored.contains("has no image for") && stored.len() < 6000,
        "a stored error of {} bytes",
        stored.len()
    );
}

#[test]
fn watch_once_exits_4_when_a_moved_base_cannot_be_read() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    env.push_busybox_base("base/os:1");
    env.built_task(
        "app-on-os",
        &reg,
        "app:1",
        &format!("FROM {reg}/base/os:1\n"),
    );
    // The tag moves to an index that has no image for this platform.
    let digest = env.registry(0).digest("base/os", "1", None).unwrap();
    let size = env.registry(0).get_manifest("base/os", &digest).len();
    let index = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{{"mediaType":"{OCI_MANIFEST}","digest":"{digest}","size":{size},"platform":{{"os":"linux","architecture":"s390x"}}}}]}}"#
    );
    env.registry(0)
        .put_manifest("base/os", "1", OCI_INDEX, &index);

    let out = env.run(&["watch", "--once", "-o", "json"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "the base was not checked: {}",
        stderr(&out)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["bases"]["failed"], 1, "{report}");
    assert_eq!(report["bases"]["checked"], 0, "{report}");
    let failed = &report["failed"][0];
    assert!(
        failed["image"].as_str().unwrap().contains("base/os:1")
            && failed["reason"]
                .as_str()
                .unwrap()
                .contains("has no image for"),
        "{report}"
    );
    assert_eq!(report["runs"], serde_json::json!([]), "{report}");
}

/// A pass-through proxy for pulls from a real registry that, when armed, drips the body of
/// the next blob it serves: its headers at once, then a byte every 200 ms.
struct DrippingProxy {
    addr: String,
    armed: Arc<std::sync::atomic::AtomicBool>,
    dripped: Arc<AtomicUsize>,
}

impl DrippingProxy {
    fn start(upstream: String) -> DrippingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let armed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let dripped = Arc::new(AtomicUsize::new(0));
        let (armed2, dripped2) = (armed.clone(), dripped.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (upstream, armed, dripped) =
                    (upstream.clone(), armed2.clone(), dripped2.clone());
                std::thread::spawn(move || {
                    let _ = forward(stream, &upstream, &armed, &dripped);
                });
            }
        });
        DrippingProxy {
            addr,
            armed,
            dripped,
        }
    }
}

/// Forwards one GET or HEAD (no request body) to `upstream`, one connection each.
fn forward(
    mut client: TcpStream,
    upstream: &str,
    armed: &std::sync::atomic::AtomicBool,
    dripped: &AtomicUsize,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines: Vec<&str> = text
        .trim_end()
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    let mut server = TcpStream::connect(upstream)?;
    server.write_all(format!("{}\r\n\r\n", lines.join("\r\n")).as_bytes())?;
    let mut response = Vec::new();
    server.read_to_end(&mut response)?;
    let is_blob = text.starts_with("GET ") && lines[0].contains("/blobs/");
    if !(is_blob && armed.swap(false, Ordering::SeqCst)) {
        return client.write_all(&response);
    }
    dripped.fetch_add(1, Ordering::SeqCst);
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |p| p + 4);
    client.write_all(&response[..split])?;
    for byte in &response[split..] {
        // The drip is what this proxy is for: the test waits on the rebase, not on it.
        std::thread::sleep(Duration::from_millis(200));
        client.write_all(std::slice::from_ref(byte))?;
        client.flush()?;
    }
    Ok(())
}

#[test]
fn a_rebase_against_a_registry_that_drips_a_config_gives_up_and_builds() {
    let env = target_with_timeout("2");
    let proxy = DrippingProxy::start(env.registry(0).addr.clone());
    env.push_busybox_base("rebase/base:1");
    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!("FROM {}/rebase/base:1\nCOPY Dockerfile /own\n", proxy.addr),
        )],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "dripped-app",
        "-c",
        app.to_str().unwrap(),
        "-t",
        "rebase/app:1",
        "--base-image-update",
        "rebase",
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "run",
        "-n",
        "dripped-app",
        "--no-logs",
        "-o",
        "none",
    ]);

    // The next blob read through the proxy (the base's config, for the rebase) drips.
    proxy.armed.store(true, Ordering::SeqCst);
    let mut rebase = env
        .command()
        .args(["task", "rebase", "-n", "dripped-app", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while rebase.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = rebase.kill();
            let _ = rebase.wait();
            panic!("the rebase did not end within 60 s: a dripped config held it");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = rebase.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(proxy.dripped.load(Ordering::SeqCst), 1, "the drip was met");
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(run["rebase"].is_null(), "built, not rebased: {run}");
    let log = crate::harness::stdout(&env.ok(&[
        "task",
        "logs",
        "--run-id",
        run["runId"].as_str().unwrap(),
    ]));
    assert!(
        log.contains("Not rebased: ")
            && log.contains(&format!("registry {}", proxy.addr))
            && log.contains("timed out"),
        "{log}"
    );
}
