//! What a tarball context may cost: a server that stalls, a gzip bomb, an entry-count bomb.
//! Each is refused within a bound, names the limit, and leaves nothing behind.

use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use crate::harness::{TestEnv, serve_file, stderr};

/// A server on loopback that answers one request with headers promising a large body, sends
/// a few bytes of it and then nothing, holding the connection open.
fn stalling_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut buf = [0u8; 4096];
        let _ = stream.read(&mut buf);
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n");
        let _ = stream.write_all(&[0u8; 512]);
        let _ = stream.flush();
        // Held until the client gives up: the thread waits for its close.
        let _ = stream.read(&mut buf);
    });
    format!("http://{addr}/context.tar")
}

/// A tar of a Dockerfile plus `files` (name, size in zero bytes), gzipped as it is written.
fn tar_gz(files: &[(String, u64)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    let dockerfile = b"FROM scratch\n";
    let mut header = tar::Header::new_gnu();
    header.set_size(dockerfile.len() as u64);
    header.set_mode(0o644);
    builder
        .append_data(&mut header, "Dockerfile", &dockerfile[..])
        .unwrap();
    for (name, size) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(*size);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, name, std::io::repeat(0).take(*size))
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

/// `acrt scan URL` with its temporary files under `tmp`, killed (and the test failed) if it
/// runs longer than `limit`.
fn scan_within(
    env: &TestEnv,
    url: &str,
    tmp: &std::path::Path,
    limit: Duration,
) -> std::process::Output {
    let started = Instant::now();
    let out = env
        .acrt()
        .env("TMPDIR", tmp)
        .args(["scan", url])
        .timeout(limit)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < limit && out.status.code().is_some(),
        "acrt scan {url} was still running after {limit:?} (killed): {}",
        stderr(&out)
    );
    out
}

/// An empty directory of this environment's own, for acrt's temporary files.
fn temp_dir(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.dir_with("tmp", &[]);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What is left under `dir`, in bytes.
fn bytes_under(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                dirs.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}

#[test]
fn a_tarball_server_that_stalls_after_its_headers_fails_within_the_deadline() {
    let env = TestEnv::new();
    env.ok(&["config", "set", "core.registry_timeout=2"]);
    let url = stalling_server();
    let tmp = temp_dir(&env);
    let out = scan_within(&env, &url, &tmp, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&url) && err.contains("stalled"), "{err}");
    assert!(err.contains("core.registry_timeout"), "{err}");
    assert_eq!(bytes_under(&tmp), 0, "the partial download was left behind");
}

#[test]
fn a_gzip_bomb_is_refused_at_the_size_limit_and_leaves_nothing() {
    let env = TestEnv::new();
    env.fails(&["config", "set", "core.context_max_size=lots"], 2);
    env.ok(&["config", "set", "core.context_max_size=4MiB"]);
    // 64 MiB of zeros in well under 1 MiB of gzip.
    let bomb = tar_gz(&[("zeros".into(), 64 << 20)]);
    assert!(bomb.len() < 1 << 20);
    let url = format!("{}/bomb.tar.gz", serve_file(bomb, 1));
    let tmp = temp_dir(&env);
    let out = scan_within(&env, &url, &tmp, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&url) && err.contains("4MiB") && err.contains("core.context_max_size"),
        "{err}"
    );
    assert_eq!(
        bytes_under(&tmp),
        0,
        "the refused tarball left files behind"
    );
}

#[test]
fn an_entry_count_bomb_is_refused_at_the_entry_limit() {
    let env = TestEnv::new();
    env.ok(&["config", "set", "core.context_max_entries=1000"]);
    let files: Vec<(String, u64)> = (0..5000).map(|i| (format!("f/{i}"), 0)).collect();
    let url = format!("{}/many.tar.gz", serve_file(tar_gz(&files), 1));
    let tmp = temp_dir(&env);
    let out = scan_within(&env, &url, &tmp, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("more than 1000 entries") && err.contains("core.context_max_entries"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "the refused tarball left files behind"
    );
}
