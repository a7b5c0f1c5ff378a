//! The registry server tests run against: Debian's docker-registry on a free loopback port,
//! with htpasswd logins, notifications or TLS from a private CA where a test asks for them.

use std::path::{Path, PathBuf};

use super::require;

/// A CNCF distribution registry (Debian's docker-registry) on a free loopback port, stopped
/// when dropped.
pub struct Registry {
    pub addr: String,
    pub(super) child: std::process::Child,
    /// Its log (with each request, for a registry with a token service).
    log: PathBuf,
    /// The private CA of a TLS registry.
    pub ca_file: Option<PathBuf>,
}

impl Registry {
    pub(super) fn start(
        dir: &Path,
        auth: Option<(String, String)>,
        notify: Option<String>,
        tls: bool,
        token: Option<&super::TokenServer>,
    ) -> Registry {
        require("docker-registry");
        std::fs::create_dir_all(dir).unwrap();
        let port = super::free_port();
        let listen = format!("127.0.0.1:{port}");
        let addr = if tls {
            format!("{}:{port}", loopback_host_name())
        } else {
            listen.clone()
        };
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n  secret: acrt-tests\n",
            dir.join("data").display()
        )
        .replace(&format!("addr: {addr}"), &format!("addr: {listen}"));
        if tls {
            make_ca_and_certificate(dir, &loopback_host_name());
            config.push_str(&format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                dir.join("cert.pem").display(),
                dir.join("key.pem").display()
            ));
        }
        if let Some((user, password)) = &auth {
            let out = std::process::Command::new("htpasswd")
                .args(["-Bbn", user, password])
                .output()
                .expect("htpasswd (apache2-utils) is needed: run scripts/setup");
            std::fs::write(dir.join("htpasswd"), out.stdout).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: acrt-tests\n    path: {}\n",
                dir.join("htpasswd").display()
            ));
        }
        if let Some(token) = token {
            config.push_str(&token.registry_auth_config());
        }
        if let Some(url) = &notify {
            config.push_str(&format!(
                "notifications:\n  endpoints:\n    - name: acrt\n      url: {url}\n      timeout: 2s\n      threshold: 1\n      backoff: 1s\n"
            ));
        }
        std::fs::write(dir.join("config.yml"), config).unwrap();
        let log = std::fs::File::create(dir.join("registry.log")).unwrap();
        let child = std::process::Command::new("docker-registry")
            .arg("serve")
            .arg(dir.join("config.yml"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start docker-registry");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(&listen).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "the registry on {addr} did not start; see {}",
                dir.display()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Registry {
            addr,
            child,
            log: dir.join("registry.log"),
            ca_file: tls.then(|| dir.join("ca.pem")),
        }
    }
}

/// A private CA (`ca.pem`) and a server certificate it signed for `host` (`cert.pem`,
/// `key.pem`) in `dir`, with openssl.
fn make_ca_and_certificate(dir: &Path, host: &str) {
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .output()
            .expect("openssl is needed: run scripts/setup");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let subject = format!("/CN={host}");
    std::fs::write(
        dir.join("leaf.ext"),
        format!(
            "subjectAltName=DNS:{host}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
        ),
    )
    .unwrap();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=acrt test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", &subject, "-keyout", "key.pem", "-out",
        "leaf.csr",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
        "-out",
        "cert.pem",
    ]);
}

/// This machine's host name, which must resolve to a loopback address (it does on the
/// machines tests run on: /etc/hosts maps it); a TLS registry is reached under it.
pub fn loopback_host_name() -> String {
    use std::net::ToSocketAddrs;
    let name = std::fs::read_to_string("/etc/hostname")
        .map(|n| n.trim().to_string())
        .unwrap_or_default();
    let resolves_to_loopback = (name.as_str(), 0)
        .to_socket_addrs()
        .is_ok_and(|mut addrs| addrs.any(|a| a.ip().is_loopback()));
    assert!(
        !name.is_empty() && resolves_to_loopback,
        "the TLS registry tests need this machine's host name ('{name}') to resolve to 127.0.0.1 (/etc/hosts)"
    );
    name
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Registry {
    /// How many requests the registry's access log has whose request line starts with
    /// `request` (e.g. `HEAD /v2/app/manifests/`).
    pub fn requests(&self, request: &str) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(&format!("\"{request}")))
            .count()
    }

    /// The access log's lines holding `text` (for figures).
    pub fn logged(&self, text: &str) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(text))
            .map(str::to_string)
            .collect()
    }

    /// The digest the registry serves for `repository:reference` (HEAD, full Accept set).
    pub fn digest(
        &self,
        repository: &str,
        reference: &str,
        login: Option<(&str, &str)>,
    ) -> Option<String> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.addr).ok()?;
        let auth = login
            .map(|(u, p)| {
                use base64::Engine as _;
                format!(
                    "Authorization: Basic {}\r\n",
                    base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
                )
            })
            .unwrap_or_default();
        let accept = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, \
                      application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
        write!(
            stream,
            "HEAD /v2/{repository}/manifests/{reference} HTTP/1.1\r\nHost: {}\r\nAccept: {accept}\r\n{auth}Connection: close\r\n\r\n",
            self.addr
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        if !response.starts_with("HTTP/1.1 200") {
            return None;
        }
        response.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("docker-content-digest")
                .then(|| v.trim().to_string())
        })
    }
}

impl Registry {
    /// PUTs a manifest (or index) under `reference`; returns the digest the registry gives it.
    pub fn put_manifest(
        &self,
        repository: &str,
        reference: &str,
        media_type: &str,
        body: &str,
    ) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "PUT /v2/{repository}/manifests/{reference} HTTP/1.1\r\nHost: {}\r\nContent-Type: {media_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(
            response.starts_with("HTTP/1.1 201"),
            "PUT manifest: {response}"
        );
        response
            .lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case("docker-content-digest"))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap()
    }

    /// Uploads a blob (POST, then PUT of the whole body); returns its digest.
    pub fn put_blob(&self, repository: &str, body: &[u8]) -> String {
        use sha2::Digest as _;
        let digest = format!("sha256:{:x}", sha2::Sha256::digest(body));
        let location = self
            .exchange(&format!("POST /v2/{repository}/blobs/uploads/"), "", b"")
            .lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case("location"))
                    .map(|(_, v)| v.trim().to_string())
            })
            .expect("an upload location");
        let path = location
            .split_once(&self.addr)
            .map_or(location.as_str(), |(_, p)| p);
        let separator = if path.contains('?') { '&' } else { '?' };
        let answer = self.exchange(
            &format!("PUT {path}{separator}digest={digest}"),
            "Content-Type: application/octet-stream\r\n",
            body,
        );
        assert!(answer.starts_with("HTTP/1.1 201"), "PUT blob: {answer}");
        digest
    }

    /// One request (`METHOD /path`) with `headers` and `body`; the whole answer as text.
    fn exchange(&self, request: &str, headers: &str, body: &[u8]) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "{request} HTTP/1.1\r\nHost: {}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        )
        .unwrap();
        stream.write_all(body).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        String::from_utf8_lossy(&response).into_owned()
    }

    /// GETs a blob (a config, say) as text.
    pub fn get_blob(&self, repository: &str, digest: &str) -> String {
        String::from_utf8_lossy(&self.get_blob_bytes(repository, digest)).into_owned()
    }

    /// GETs a blob (a layer, say) as it is stored.
    pub fn get_blob_bytes(&self, repository: &str, digest: &str) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET /v2/{repository}/blobs/{digest} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let body = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(response.len(), |at| at + 4);
        response.split_off(body)
    }

    /// The config of the single-platform image `repository:reference`, as JSON.
    pub fn get_config(&self, repository: &str, reference: &str) -> serde_json::Value {
        let manifest: serde_json::Value =
            serde_json::from_str(&self.get_manifest(repository, reference)).unwrap();
        let digest = manifest["config"]["digest"].as_str().unwrap();
        serde_json::from_str(&self.get_blob(repository, digest)).unwrap()
    }

    /// GETs a manifest's body (single-image media types).
    pub fn get_manifest(&self, repository: &str, reference: &str) -> String {
        self.get_manifest_accepting(
            repository,
            reference,
            "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json",
        )
    }

    /// GETs an index's body (or a single manifest's, where the tag is one).
    pub fn get_index(&self, repository: &str, reference: &str) -> String {
        self.get_manifest_accepting(
            repository,
            reference,
            "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, \
             application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json",
        )
    }

    /// GETs a manifest's (or an index's) body, accepting `accept`.
    pub fn get_manifest_accepting(
        &self,
        repository: &str,
        reference: &str,
        accept: &str,
    ) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET /v2/{repository}/manifests/{reference} HTTP/1.1\r\nHost: {}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }
}
