//! A Docker daemon of a test's own (Debian's `docker.io`): its socket, data root, exec root,
//! pid file and config under the test's temp dir, the vfs storage driver, no bridge and no
//! iptables (nothing of the host's network is touched). Waited on by asking it `docker
//! version`; stopped and its data root removed when dropped.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::require;

/// The docker client tests build with: the package's own, whose `docker build` carries
/// BuildKit's client (a newer client needs the buildx plugin for that).
pub const CLIENT: &str = "/usr/bin/docker";

pub struct DockerDaemon {
    child: std::process::Child,
    dir: PathBuf,
    /// `unix://...`, for DOCKER_HOST.
    pub host: String,
    /// A directory holding only `docker` (the package's client), put first on acrt's PATH.
    pub bin: PathBuf,
}

impl DockerDaemon {
    /// Starts a daemon under `dir` that speaks plain http to the `insecure` registries; fails
    /// the test with the daemon's log if it does not answer.
    pub fn start(dir: &Path, insecure: &[String]) -> DockerDaemon {
        let dockerd = require("dockerd");
        assert!(
            Path::new(CLIENT).is_file(),
            "{CLIENT} (Debian's docker.io) is not installed: run scripts/setup"
        );
        std::fs::create_dir_all(dir).unwrap();
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(CLIENT, bin.join("docker")).unwrap();
        // The socket's path must stay short (a unix socket's path has 108 bytes at most).
        let socket = dir.join("sock");
        assert!(socket.as_os_str().len() < 100, "{}", socket.display());
        let config = serde_json::json!({ "insecure-registries": insecure });
        std::fs::write(dir.join("daemon.json"), config.to_string()).unwrap();
        let log = std::fs::File::create(dir.join("dockerd.log")).unwrap();
        let mut cmd = std::process::Command::new(dockerd);
        cmd.args([
            "--storage-driver",
            "vfs",
            "--iptables=false",
            "--ip6tables=false",
        ])
        .args(["--bridge=none", "--config-file"])
        .arg(dir.join("daemon.json"))
        .arg("--data-root")
        .arg(dir.join("data"))
        .arg("--exec-root")
        .arg(dir.join("exec"))
        .arg("--pidfile")
        .arg(dir.join("dockerd.pid"))
        .arg("-H")
        .arg(format!("unix://{}", socket.display()))
        .stdout(log.try_clone().unwrap())
        .stderr(log);
        // A group of its own: its containerd goes with it when it must be killed.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd.spawn().expect("start dockerd");
        let mut daemon = DockerDaemon {
            child,
            dir: dir.to_path_buf(),
            host: format!("unix://{}", socket.display()),
            bin,
        };
        daemon.wait_until_it_answers(Duration::from_secs(60));
        daemon
    }

    fn wait_until_it_answers(&mut self, limit: Duration) {
        let start = Instant::now();
        loop {
            let answered = self
                .client(&["version", "--format", "{{.Server.Version}}"])
                .output()
                .is_ok_and(|o| o.status.success());
            if answered {
                return;
            }
            let log = || std::fs::read_to_string(self.dir.join("dockerd.log")).unwrap_or_default();
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "dockerd ended ({status}) before it answered; its log:\n{}",
                    log()
                );
            }
            assert!(
                start.elapsed() < limit,
                "dockerd did not answer within {limit:?}; its log:\n{}",
                std::fs::read_to_string(self.dir.join("dockerd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The package's docker client, speaking to this daemon.
    pub fn client(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(CLIENT);
        cmd.env("DOCKER_HOST", &self.host)
            .env("DOCKER_CONFIG", self.dir.join("client-config"))
            .args(args);
        cmd
    }

    /// Runs the client; its stdout, insisting on success.
    pub fn ask(&self, args: &[&str]) -> String {
        let out = self.client(args).output().expect("docker client");
        assert!(
            out.status.success(),
            "docker {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The ids of every container the daemon has, running or not.
    pub fn containers(&self) -> Vec<String> {
        self.ask(&["ps", "--all", "--quiet", "--no-trunc"])
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Bytes under the daemon's data root (vfs copies each layer whole).
    pub fn disk_use(&self) -> u64 {
        fn walk(p: &Path) -> u64 {
            let Ok(meta) = std::fs::symlink_metadata(p) else {
                return 0;
            };
            if meta.is_dir() {
                std::fs::read_dir(p)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| walk(&e.path()))
                    .sum()
            } else {
                meta.len()
            }
        }
        walk(&self.dir.join("data"))
    }
}

/// The processes BuildKit's runc runs for builds of the daemon whose data root is `data`: a
/// daemon stopped mid-build leaves them running, orphaned.
fn build_processes(data: &Path) -> Vec<libc::pid_t> {
    let data = data.to_string_lossy().into_owned();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let args: Vec<String> = cmdline
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let is_runc = args.first().is_some_and(|a| a.ends_with("runc"));
        if !is_runc || !args.iter().any(|a| a.starts_with(&data)) {
            continue;
        }
        for task in std::fs::read_dir(entry.path().join("task"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let children =
                std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            found.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<libc::pid_t>().ok()),
            );
        }
    }
    found
}

/// The mount points under `dir`, deepest first (from /proc/self/mounts).
fn mounts_under(dir: &Path) -> Vec<PathBuf> {
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let mut found: Vec<PathBuf> = mounts
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(PathBuf::from)
        .filter(|p| p.starts_with(dir))
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    found
}

impl Drop for DockerDaemon {
    fn drop(&mut self) {
        for pid in build_processes(&self.dir.join("data")) {
            // SAFETY: a signal to a build process of this harness's own daemon.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signals to the daemon this harness started, by its pid and its group.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // SAFETY: as above; the group is the daemon's own (process_group(0)).
        unsafe { libc::kill(-pid, libc::SIGKILL) };
        let _ = self.child.wait();
        // The daemon leaves its default network namespace mounted in its exec root.
        for mount in mounts_under(&self.dir) {
            let path = std::ffi::CString::new(mount.into_os_string().into_encoded_bytes()).unwrap();
            // SAFETY: a detaching unmount of a path under this daemon's own directory.
            unsafe { libc::umount2(path.as_ptr(), libc::MNT_DETACH) };
        }
        let _ = std::fs::remove_dir_all(self.dir.join("data"));
        let _ = std::fs::remove_dir_all(self.dir.join("exec"));
    }
}
