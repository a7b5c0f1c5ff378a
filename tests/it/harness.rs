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
}

#[derive(Default)]
pub struct TestEnvBuilder {
    env: Vec<(String, String)>,
}

impl TestEnvBuilder {
    /// Sets an environment variable for every acrt this environment runs.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The registry commands use when -r is left out.
    pub fn default_registry(self, registry: &str) -> Self {
        self.env("ACRT_REGISTRY", registry)
    }

    pub fn build(self) -> TestEnv {
        let root = tempfile::Builder::new()
            .prefix("acrt-it-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir_all(root.path().join("context")).unwrap();
        std::fs::write(root.path().join("context/Dockerfile"), "FROM scratch\n").unwrap();
        TestEnv {
            root,
            env: self.env,
        }
    }
}

impl TestEnv {
    pub fn builder() -> TestEnvBuilder {
        TestEnvBuilder::default()
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
