//! The one harness every integration test goes through: a private state dir and config dir,
//! and the real `acrt` binary run against them.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

mod docker;
mod registry;
mod token;
pub use docker::{CLIENT as DOCKER_CLIENT, DockerDaemon};
pub use registry::{Registry, loopback_host_name};
pub use token::{TokenRequest, TokenServer, TokenUser};

pub struct TestEnv {
    /// Before `root`: the daemon stops before its directory goes.
    docker: Option<DockerDaemon>,
    root: TempDir,
    env: Vec<(String, String)>,
    registries: Vec<Registry>,
    token_servers: Vec<Option<TokenServer>>,
}

/// A registry to start: its login (htpasswd) if any, where it sends notifications, whether
/// it serves TLS with a certificate of a private CA, and the users of its token service if
/// it has one.
type RegistrySpec = (
    Option<(String, String)>,
    Option<String>,
    bool,
    Option<Vec<TokenUser>>,
);

#[derive(Default)]
pub struct TestEnvBuilder {
    env: Vec<(String, String)>,
    registries: Vec<RegistrySpec>,
    private_storage: bool,
    docker: bool,
    docker_insecure: Vec<String>,
}

impl TestEnvBuilder {
    /// Gives this environment's builds a buildah storage of their own (no layer cache shared
    /// with other tests): for tests that count the containers left in it.
    pub fn private_storage(mut self) -> Self {
        self.private_storage = true;
        self
    }

    /// Starts a Docker daemon of this environment's own and makes docker the builder of every
    /// run (`ACRT_BUILDER=docker`, the daemon in DOCKER_HOST, the package's client first on
    /// PATH).
    pub fn with_docker(mut self) -> Self {
        self.docker = true;
        self
    }

    /// [`TestEnvBuilder::with_docker`], its daemon told that `registry` speaks plain http
    /// (`insecure-registries` in its daemon.json).
    pub fn with_docker_insecure(mut self, registry: &str) -> Self {
        self.docker_insecure.push(registry.to_string());
        self.with_docker()
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
        self.registries.push((None, None, false, None));
        self
    }

    /// Starts a registry that sends its push notifications to `url`.
    pub fn notifying_registry(mut self, url: &str) -> Self {
        self.registries
            .push((None, Some(url.to_string()), false, None));
        self
    }

    /// Starts a registry that wants `user` and `password` (htpasswd).
    pub fn auth_registry(mut self, user: &str, password: &str) -> Self {
        self.registries
            .push((Some((user.into(), password.into())), None, false, None));
        self
    }

    /// Starts a registry that serves https with a certificate of a private CA, under this
    /// machine's host name (which resolves to loopback but is no loopback literal, so acrt
    /// speaks https to it). The CA is at [`TestEnv::ca_file`].
    pub fn tls_registry(mut self) -> Self {
        self.registries.push((None, None, true, None));
        self
    }

    /// Starts a registry that wants bearer tokens from a token service of its own (as Docker
    /// Hub, ACR and GHCR do), which knows `users`.
    pub fn token_registry(mut self, users: Vec<TokenUser>) -> Self {
        self.registries.push((None, None, false, Some(users)));
        self
    }

    pub fn build(mut self) -> TestEnv {
        let root = tempfile::Builder::new()
            .prefix("acrt-it-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir_all(root.path().join("context")).unwrap();
        std::fs::write(root.path().join("context/Dockerfile"), "FROM scratch\n").unwrap();
        let token_servers: Vec<Option<TokenServer>> = self
            .registries
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let dir = root.path().join(format!("token-{i}"));
                spec.3.clone().map(|users| TokenServer::start(&dir, users))
            })
            .collect();
        let registries: Vec<Registry> = self
            .registries
            .iter()
            .zip(&token_servers)
            .enumerate()
            .map(|(i, ((auth, notify, tls, _), token))| {
                Registry::start(
                    &root.path().join(format!("registry-{i}")),
                    auth.clone(),
                    notify.clone(),
                    *tls,
                    token.as_ref(),
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
                self.env
                    .push(("CONTAINERS_STORAGE_CONF".into(), conf.display().to_string()));
            } else {
                self.env.extend(buildah_env());
            }
        }
        let docker = self.docker.then(|| {
            let daemon = DockerDaemon::start(&root.path().join("docker"), &self.docker_insecure);
            let path = std::env::var("PATH").unwrap_or_default();
            self.env
                .push(("PATH".into(), format!("{}:{path}", daemon.bin.display())));
            self.env.push(("DOCKER_HOST".into(), daemon.host.clone()));
            self.env.push(("ACRT_BUILDER".into(), "docker".into()));
            daemon
        });
        TestEnv {
            docker,
            root,
            env: self.env,
            registries,
            token_servers,
        }
    }
}

impl TestEnv {
    pub fn builder() -> TestEnvBuilder {
        TestEnvBuilder::default()
    }

    /// This environment with one more variable for every acrt it runs.
    pub fn with_env(mut self, key: &str, value: &str) -> TestEnv {
        self.env.push((key.into(), value.into()));
        self
    }

    /// This environment without the variable `key` (one the harness set).
    pub fn without_env(mut self, key: &str) -> TestEnv {
        self.env.retain(|(k, _)| k != key);
        self
    }

    /// The registries this environment started, in the order asked for.
    pub fn registry(&self, index: usize) -> &Registry {
        &self.registries[index]
    }

    /// The Docker daemon of an environment built [`TestEnvBuilder::with_docker`].
    pub fn docker(&self) -> &DockerDaemon {
        self.docker
            .as_ref()
            .expect("an environment built with_docker")
    }

    /// The token service of a registry started with [`TestEnvBuilder::token_registry`].
    pub fn token_server(&self, index: usize) -> &TokenServer {
        self.token_servers[index]
            .as_ref()
            .expect("a registry started with token_registry")
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
        // Output goes to a file: buildah's chroot isolation drops what a pipe cannot take
        // at once, and a loaded machine reads pipes late.
        let buildah = |args: &[&str]| {
            let out_file = tempfile::NamedTempFile::new().unwrap();
            let mut cmd = std::process::Command::new("buildah");
            cmd.args(args)
                .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .stdout(out_file.reopen().unwrap());
            let out = cmd.output().expect("buildah");
            assert!(
                out.status.success(),
                "buildah {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::fs::read_to_string(out_file.path())
                .unwrap()
                .trim()
                .to_string()
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

    /// A git repository under this environment's root with the given files, committed on
    /// `main`; its file:// URL.
    pub fn git_repo(&self, name: &str, files: &[(&str, &str)]) -> String {
        let dir = self.dir_with(name, files);
        git(&dir, &["init", "-q", "-b", "main"]);
        git(&dir, &["add", "."]);
        git(&dir, &["commit", "-q", "-m", "files"]);
        format!("file://{}", dir.display())
    }

    /// A context holding a static busybox, for images built from scratch.
    pub fn busybox_context(&self, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = self.dir_with(name, files);
        std::fs::copy(busybox(), dir.join("busybox")).expect("copy busybox");
        dir
    }

    /// A git repository of a busybox context (`FROM scratch`, busybox copied in) with one
    /// commit on `main`; its directory and its URL as a task's context (`file://...#main`).
    pub fn busybox_repo(&self, name: &str) -> (PathBuf, String) {
        let repo = self.busybox_context(
            name,
            &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
        );
        git(&repo, &["init", "-q", "-b", "main"]);
        git(&repo, &["add", "."]);
        git(&repo, &["commit", "-q", "-m", "one"]);
        let url = format!("file://{}#main", repo.display());
        (repo, url)
    }

    /// Builds `image` (scratch plus a static busybox) and pushes it to the default registry:
    /// a base for tests to build on.
    pub fn push_busybox_base(&self, image: &str) {
        let dir = self.busybox_context(
            "busybox-base",
            &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
        );
        self.ok(&[
            "build",
            "-t",
            image,
            "--no-logs",
            "-o",
            "none",
            dir.to_str().unwrap(),
        ]);
    }

    /// Builds `image` (scratch, a static busybox and /patch.txt holding `patch`) and pushes
    /// it to the default registry: a base that changes digest with each patch.
    pub fn push_patched_base(&self, image: &str, patch: &str) {
        self.push_patched_base_with(image, patch, "");
    }

    /// [`TestEnv::push_patched_base`] with more Dockerfile `instructions` after its files (a
    /// base's ENV, WORKDIR, ...).
    pub fn push_patched_base_with(&self, image: &str, patch: &str, instructions: &str) {
        let dir = self.busybox_context(
            &format!("patched-base-{patch}"),
            &[
                (
                    "Dockerfile",
                    &format!(
                        "FROM scratch\nCOPY busybox /bin/busybox\nCOPY patch.txt /patch.txt\n{instructions}"
                    ),
                ),
                ("patch.txt", patch),
            ],
        );
        let dir = dir.to_str().unwrap();
        self.ok(&["build", "-t", image, "--no-logs", "-o", "none", dir]);
    }

    /// Builds tools/busybox:1 (busybox as its entrypoint) into the default registry: the
    /// image cmd steps run.
    pub fn push_tools_image(&self) {
        let dir = self.busybox_context(
            "tools",
            &[(
                "Dockerfile",
                "FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT [\"/bin/busybox\"]\n",
            )],
        );
        self.ok(&[
            "build",
            "-t",
            "tools/busybox:1",
            "--no-logs",
            "-o",
            "none",
            dir.to_str().unwrap(),
        ]);
    }

    /// Creates task `name` in `registry` on a context holding `dockerfile`, pushing `image`,
    /// and runs it once: a task whose bases are recorded.
    pub fn built_task(&self, name: &str, registry: &str, image: &str, dockerfile: &str) {
        let dir = self.dir_with(&format!("task-{name}"), &[("Dockerfile", dockerfile)]);
        let dir = dir.to_str().unwrap();
        self.ok(&[
            "task", "create", "-n", name, "-r", registry, "-t", image, "-c", dir, "-o", "none",
        ]);
        self.ok(&[
            "task",
            "run",
            "-n",
            name,
            "-r",
            registry,
            "--no-logs",
            "-o",
            "none",
        ]);
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
            // Never the terminal the tests run in: acrt would ask it for passwords.
            .stdin(std::process::Stdio::null())
            .current_dir(self.root.path());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// What acrt prints with a terminal as its stdin and stdout (util-linux `script` gives it
    /// a pty; `input` is typed into it). `args` is split on spaces.
    pub fn on_terminal(&self, args: &str, envs: &[(&str, &str)], input: Option<&str>) -> String {
        use std::io::Write as _;
        let acrt = self.command();
        let mut cmd = std::process::Command::new("script");
        cmd.env_clear();
        for (k, v) in acrt.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd.envs(envs.iter().copied());
        let line = format!("{} {args}", acrt.get_program().to_string_lossy());
        let mut child = cmd
            .current_dir(acrt.get_current_dir().unwrap())
            .args(["-qec", &line, "/dev/null"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("script (util-linux)");
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.unwrap_or("").as_bytes()).unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "acrt {args} on a terminal: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
    }

    /// Runs acrt with `args`; the output, whatever the exit.
    pub fn run(&self, args: &[&str]) -> Output {
        self.acrt().args(args).output().expect("run acrt")
    }

    /// Runs acrt with `input` on its stdin (a password for --password-stdin).
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Output {
        self.acrt()
            .args(args)
            .write_stdin(input)
            .output()
            .expect("run acrt")
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

/// Fails (never skips) when a prerequisite is missing, naming the script that installs it.
pub fn require(program: &str) -> PathBuf {
    find_program(program).unwrap_or_else(|| {
        panic!(
            "{program} is not installed: run scripts/setup (it installs every test prerequisite)"
        )
    })
}

/// Where `program` is on the tests' PATH.
fn find_program(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

pub fn busybox() -> PathBuf {
    for p in ["/bin/busybox", "/usr/bin/busybox"] {
        if Path::new(p).is_file() {
            return PathBuf::from(p);
        }
    }
    panic!("a static busybox is needed: run scripts/setup (it installs busybox-static)");
}

/// Runs git in `dir` (with a committer set); its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git is needed: run scripts/setup");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A port on loopback that nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server on loopback that accepts up to `connections` connections and never says a word
/// (a stalled registry or git server).
pub fn silent_server(connections: usize) -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(connections) {
            held.push(stream);
        }
    });
    addr
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

/// Pushes a busybox image for cmd steps; returns its name.
pub fn busybox_image(env: &TestEnv) -> String {
    let reg = env.registry(0).addr.clone();
    let ctx = env.busybox_context(
        "bb",
        &[(
            "Dockerfile",
            "FROM scratch\nCOPY busybox /bin/busybox\n\
             RUN [\"/bin/busybox\", \"ln\", \"-s\", \"/bin/busybox\", \"/bin/sh\"]\n\
             ENTRYPOINT [\"/bin/busybox\"]\n",
        )],
    );
    let image = format!("{reg}/tools/busybox:1");
    env.ok(&[
        "build",
        "-t",
        &image,
        "--no-logs",
        "-o",
        "none",
        ctx.to_str().unwrap(),
    ]);
    image
}

/// Waits until `done` holds, polling; fails naming `what` after `limit`.
pub fn wait_until(what: &str, limit: std::time::Duration, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < limit,
            "{what} did not happen within {limit:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
