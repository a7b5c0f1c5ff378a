//! The one harness every integration test goes through: a private state dir and config dir,
//! and the real `acrt` binary run against them.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

pub struct TestEnv {
    root: TempDir,
    env: Vec<(String, String)>,
    registries: Vec<Registry>,
}

/// A registry to start: its login (htpasswd) if any, where it sends notifications, and
/// whether it serves TLS with a certificate of a private CA.
type RegistrySpec = (Option<(String, String)>, Option<String>, bool);

#[derive(Default)]
pub struct TestEnvBuilder {
    env: Vec<(String, String)>,
    registries: Vec<RegistrySpec>,
    private_storage: bool,
}

impl TestEnvBuilder {
    /// Gives this environment's builds a buildah storage of their own (no layer cache shared
    /// with other tests): for tests that count the containers left in it.
    pub fn private_storage(mut self) -> Self {
        self.private_storage = true;
        self
    }

    /// Sets an environment variable for every acrt this environment runs.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The registry commands use when -r is left out.
    pub fn default_registry(self, registry: &str) -> Self {
        self.env("ACRT_REGISTRY", registry)
    }

    /// Starts a distribution registry on a free loopback port; the first one is also the
    /// default registry.
    pub fn registry(mut self) -> Self {
        self.registries.push((None, None, false));
        self
    }

    /// Starts a registry that sends its push notifications to `url`.
    pub fn notifying_registry(mut self, url: &str) -> Self {
        self.registries.push((None, Some(url.to_string()), false));
        self
    }

    /// Starts a registry that wants `user` and `password` (htpasswd).
    pub fn auth_registry(mut self, user: &str, password: &str) -> Self {
        self.registries
            .push((Some((user.into(), password.into())), None, false));
        self
    }

    /// Starts a registry that serves https with a certificate of a private CA, under this
    /// machine's host name (which resolves to loopback but is no loopback literal, so acrt
    /// speaks https to it). The CA is at [`TestEnv::ca_file`].
    pub fn tls_registry(mut self) -> Self {
        self.registries.push((None, None, true));
        self
    }

    pub fn build(mut self) -> TestEnv {
        let root = tempfile::Builder::new()
            .prefix("acrt-it-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir_all(root.path().join("context")).unwrap();
        std::fs::write(root.path().join("context/Dockerfile"), "FROM scratch\n").unwrap();
        let registries: Vec<Registry> = self
            .registries
            .iter()
            .enumerate()
            .map(|(i, (auth, notify, tls))| {
                Registry::start(
                    &root.path().join(format!("registry-{i}")),
                    auth.clone(),
                    notify.clone(),
                    *tls,
                )
            })
            .collect();
        if let Some(first) = registries.first()
            && !self.env.iter().any(|(k, _)| k == "ACRT_REGISTRY")
        {
            self.env.push(("ACRT_REGISTRY".into(), first.addr.clone()));
        }
        if !registries.is_empty() {
            require("buildah");
            // What buildah needs on machines without user namespaces or overlay support.
            if self.private_storage {
                let dir = root.path().join("storage");
                std::fs::create_dir_all(&dir).unwrap();
                let conf = dir.join("storage.conf");
                std::fs::write(
                    &conf,
                    format!(
                        "[storage]\ndriver = \"vfs\"\ngraphroot = \"{}\"\nrunroot = \"{}\"\n",
                        dir.join("graph").display(),
                        dir.join("run").display()
                    ),
                )
                .unwrap();
                self.env.push(("BUILDAH_ISOLATION".into(), "chroot".into()));
                self.env.push(("CONTAINERS_STORAGE_CONF".into(), conf.display().to_string()));
            } else {
                self.env.extend(buildah_env());
            }
        }
        TestEnv {
            root,
            env: self.env,
            registries,
        }
    }
}

impl TestEnv {
    pub fn builder() -> TestEnvBuilder {
        TestEnvBuilder::default()
    }

    /// The registries this environment started, in the order asked for.
    pub fn registry(&self, index: usize) -> &Registry {
        &self.registries[index]
    }

    /// A path under the HOME acrt runs with (where Docker's config lives).
    pub fn path_of_home(&self, rel: &str) -> PathBuf {
        self.root.path().join("home").join(rel)
    }

    /// Stops a registry, as an outage would.
    pub fn stop_registry(&mut self, index: usize) {
        let r = &mut self.registries[index];
        let _ = r.child.kill();
        let _ = r.child.wait();
    }

    /// The environment buildah runs with for this test environment's builds.
    pub fn builder_env(&self) -> Vec<(String, String)> {
        self.env
            .iter()
            .filter(|(k, _)| k == "BUILDAH_ISOLATION" || k == "CONTAINERS_STORAGE_CONF")
            .cloned()
            .collect()
    }

    /// Reads a file inside an image, with buildah (as a user would check what was built).
    pub fn file_in_image(&self, image: &str, path: &str, creds: Option<&str>) -> String {
        let buildah = |args: &[&str]| {
            let mut cmd = std::process::Command::new("buildah");
            cmd.args(args)
                .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let out = cmd.output().expect("buildah");
            assert!(
                out.status.success(),
                "buildah {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        };
        let mut from = vec!["from", "--quiet", "--tls-verify=false", "--pull-always"];
        if let Some(c) = creds {
            from.extend(["--creds", c]);
        }
        from.push(image);
        let container = buildah(&from);
        let content = buildah(&["run", &container, "--", "/bin/busybox", "cat", path]);
        buildah(&["rm", &container]);
        content
    }

    /// A directory under this environment's root with the given files (path, content).
    pub fn dir_with(&self, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = self.root.path().join(name);
        for (path, content) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content).unwrap();
        }
        dir
    }

    /// A context holding a static busybox, for images built from scratch.
    pub fn busybox_context(&self, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = self.dir_with(name, files);
        std::fs::copy(busybox(), dir.join("busybox")).expect("copy busybox");
        dir
    }

    /// An environment whose default registry is localhost:5000.
    pub fn new() -> TestEnv {
        TestEnv::builder()
            .default_registry("localhost:5000")
            .build()
    }

    pub fn state_dir(&self) -> PathBuf {
        self.root.path().join("state")
    }

    pub fn config_dir(&self) -> PathBuf {
        self.root.path().join("config")
    }

    /// A directory with a Dockerfile, for `-c`.
    pub fn context(&self) -> PathBuf {
        self.root.path().join("context")
    }

    /// The acrt binary with this environment's state and config dirs and nothing of the user's.
    pub fn acrt(&self) -> Command {
        Command::from_std(self.command())
    }

    /// Like [`TestEnv::acrt`], as a plain process to spawn.
    pub fn command(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("acrt"));
        let home = self.root.path().join("home");
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("ACRT_HOME", self.state_dir())
            .env("ACRT_CONFIG_DIR", self.config_dir())
            .current_dir(self.root.path());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs acrt with `args`; the output, whatever the exit.
    pub fn run(&self, args: &[&str]) -> Output {
        self.acrt().args(args).output().expect("run acrt")
    }

    /// Runs acrt, insists on success, and parses its stdout as JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "acrt {args:?} printed no JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Runs acrt and insists on exit 0.
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "acrt {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs acrt, insists on the exit code, and returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "acrt {args:?}: wrong exit code\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Creates a Docker task on the test context.
    pub fn create_task(&self, name: &str, extra: &[&str]) -> Value {
        let context = self.context();
        let mut args = vec![
            "task",
            "create",
            "-n",
            name,
            "-c",
            context.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        self.json(&args)
    }

    /// Every stored task of the default registry, secrets included: a fingerprint of the store.
    pub fn store_snapshot(&self) -> Value {
        let tasks = self.json(&["task", "list", "--query", "[].name"]);
        let names: Vec<String> = serde_json::from_value(tasks).unwrap();
        let shown: Vec<Value> = names
            .iter()
            .map(|n| self.json(&["task", "show", "-n", n, "--with-secure-properties"]))
            .collect();
        Value::Array(shown)
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn file_mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A CNCF distribution registry (Debian's docker-registry) on a free loopback port, stopped
/// when dropped.
pub struct Registry {
    pub addr: String,
    child: std::process::Child,
    /// The private CA of a TLS registry.
    pub ca_file: Option<PathBuf>,
}

impl Registry {
    fn start(
        dir: &Path,
        auth: Option<(String, String)>,
        notify: Option<String>,
        tls: bool,
    ) -> Registry {
        require("docker-registry");
        std::fs::create_dir_all(dir).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let addr = if tls {
            format!("{}:{port}", loopback_host_name())
        } else {
            listen.clone()
        };
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n  secret: acrt-tests\n",
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
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let subject = format!("/CN={host}");
    std::fs::write(
        dir.join("leaf.ext"),
        format!("subjectAltName=DNS:{host}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"),
    )
    .unwrap();
    openssl(&["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=acrt test CA", "-keyout", "ca.key", "-out", "ca.pem"]);
    openssl(&["req", "-newkey", "rsa:2048", "-nodes", "-subj", &subject, "-keyout", "key.pem", "-out", "leaf.csr"]);
    openssl(&["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "leaf.ext", "-out", "cert.pem"]);
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

/// Fails (never skips) when a prerequisite is missing, naming the script that installs it.
pub fn require(program: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()));
    assert!(
        found,
        "{program} is not installed: run scripts/setup (it installs every test prerequisite)"
    );
}

pub fn busybox() -> PathBuf {
    for p in ["/bin/busybox", "/usr/bin/busybox"] {
        if Path::new(p).is_file() {
            return PathBuf::from(p);
        }
    }
    panic!("a static busybox is needed: run scripts/setup (it installs busybox-static)");
}

impl Registry {
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

/// Serves one file over http on loopback for a fixed number of requests, in a thread.
pub fn serve_file(body: Vec<u8>, requests: usize) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
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

    /// GETs a blob (a config, say) as text.
    pub fn get_blob(&self, repository: &str, digest: &str) -> String {
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
        let response = String::from_utf8_lossy(&response).into_owned();
        response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }

    /// GETs a manifest's body (single-image media types).
    pub fn get_manifest(&self, repository: &str, reference: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET /v2/{repository}/manifests/{reference} HTTP/1.1\r\nHost: {}\r\nAccept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json\r\nConnection: close\r\n\r\n",
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

/// An HTTP endpoint on loopback that records the bodies POSTed to it.
pub fn capture_posts() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(50) {
            let Ok(mut stream) = stream else { continue };
            let mut data = Vec::new();
            let mut buf = [0u8; 8192];
            loop {
                let n = stream.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    break;
                }
                data.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&data).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.split_once(':')
                                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                                .map(|(_, v)| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if body.len() >= len {
                        seen.lock().unwrap().push(body.to_string());
                        break;
                    }
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (format!("http://{addr}"), bodies)
}

/// What buildah runs with in tests: chroot isolation (no user namespaces needed) and a
/// storage of this test run's own (vfs, under the temp dir, shared by this run's tests for its
/// layer cache), so that neither the user's image storage nor another test run's is used.
/// Storages left by earlier runs whose process is gone are removed.
pub fn buildah_env() -> Vec<(String, String)> {
    static CONF: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let conf = CONF.get_or_init(|| {
        let tmp = std::env::temp_dir();
        for entry in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("acrt-tests-storage-")
                && !Path::new(&format!("/proc/{pid}")).exists()
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let root = tmp.join(format!("acrt-tests-storage-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let conf = root.join("storage.conf");
        let text = format!(
            "[storage]\ndriver = \"vfs\"\ngraphroot = \"{}\"\nrunroot = \"{}\"\n",
            root.join("graph").display(),
            root.join("run").display()
        );
        std::fs::write(&conf, text).unwrap();
        conf
    });
    vec![
        ("BUILDAH_ISOLATION".into(), "chroot".into()),
        ("CONTAINERS_STORAGE_CONF".into(), conf.display().to_string()),
    ]
}
