//! Run logs: plain files beside the store (0600), secrets masked as `***` in every line.

use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::model::RunKey;

/// Where a run's log lives: `<state>/logs/<registry>/<run id>.log`.
pub fn log_path(state_dir: &Path, key: &RunKey) -> PathBuf {
    state_dir
        .join("logs")
        .join(safe_name(&key.registry))
        .join(format!("{}.log", key.run_id))
}

/// A registry's name as a directory name: `localhost:5000` -> `localhost_5000`.
pub fn safe_name(registry: &str) -> String {
    registry
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The values a run masks as `***`.
#[derive(Debug, Clone, Default)]
pub struct SecretSet(Vec<String>);

impl SecretSet {
    /// A set of `secrets`.
    pub fn of<'a>(secrets: impl IntoIterator<Item = &'a str>) -> SecretSet {
        let mut set = SecretSet::default();
        for s in secrets {
            set.add(s);
        }
        set
    }

    /// Adds a value to mask. A multi-line value is also masked line by line: an excerpt
    /// that quotes it with line numbers or indentation splits it across lines.
    pub fn add(&mut self, secret: &str) {
        for piece in std::iter::once(secret).chain(secret.lines().map(str::trim)) {
            // Short secrets would mask ordinary words.
            if piece.len() >= 3 && !self.0.iter().any(|s| s == piece) {
                self.0.push(piece.to_string());
            }
        }
        // Longer ones first so that none leaves a tail of another unmasked.
        self.0.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every secret masked.
    pub fn mask(&self, text: &str) -> String {
        mask(text, &self.0)
    }
}

/// Writes a run's output to its log file and, when streaming, to stdout.
pub struct RunLog {
    file: RefCell<File>,
    stream: bool,
    secrets: RefCell<SecretSet>,
    disk_full: std::cell::Cell<bool>,
    tls_failure: std::cell::Cell<bool>,
    /// Where the run's builder takes a private CA from (its `trust_hint`), once chosen.
    trust_hint: std::cell::Cell<Option<&'static str>>,
    /// The last line that said something, as written.
    last_line: RefCell<String>,
}

impl RunLog {
    pub fn create(path: &Path, stream: bool, secrets: Vec<String>) -> Result<RunLog> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
            let logs = dir.parent().unwrap_or(dir);
            for d in [logs, dir] {
                std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))?;
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        let log = RunLog {
            file: RefCell::new(file),
            stream,
            secrets: RefCell::new(SecretSet::default()),
            disk_full: std::cell::Cell::new(false),
            tls_failure: std::cell::Cell::new(false),
            trust_hint: std::cell::Cell::new(None),
            last_line: RefCell::new(String::new()),
        };
        for s in &secrets {
            log.add_secret(s);
        }
        Ok(log)
    }

    /// Adds a value to mask from here on (secrets known only once the run has started).
    pub fn add_secret(&self, secret: &str) {
        self.secrets.borrow_mut().add(secret);
    }

    /// `text` with every secret masked: for error messages that are stored or printed.
    pub fn masked(&self, text: &str) -> String {
        self.secrets.borrow().mask(text)
    }

    /// Whether a line said the disk is full (a builder's "no space left on device").
    pub fn saw_disk_full(&self) -> bool {
        self.disk_full.get()
    }

    /// The last line logged that was not blank (masked): what a builder said last before it
    /// failed.
    pub fn last_line(&self) -> String {
        self.last_line.borrow().clone()
    }

    /// Notes where the run's builder takes a private CA from, for a certificate failure.
    pub fn set_trust_hint(&self, hint: &'static str) {
        self.trust_hint.set(Some(hint));
    }

    /// Where the run's builder takes a private CA from, if one was chosen.
    pub fn trust_hint(&self) -> Option<&'static str> {
        self.trust_hint.get()
    }

    /// Whether a line was a builder's certificate failure (x509).
    pub fn saw_tls_failure(&self) -> bool {
        self.tls_failure.get()
    }

    pub fn line(&self, text: &str) {
        let lower = text.to_ascii_lowercase();
        if lower.contains("no space left on device") {
            self.disk_full.set(true);
        }
        if lower.contains("x509:") || lower.contains("certificate signed by unknown authority") {
            self.tls_failure.set(true);
        }
        let masked = self.secrets.borrow().mask(text);
        // Builder output and the run's error text reach a terminal (streamed, `task logs`).
        let masked = crate::echo::escape_controls(&masked);
        if !masked.trim().is_empty() {
            *self.last_line.borrow_mut() = masked.trim().to_string();
        }
        let mut file = self.file.borrow_mut();
        let _ = writeln!(file, "{masked}");
        let _ = file.flush();
        if self.stream {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{masked}");
            let _ = out.flush();
        }
    }
}

pub fn mask(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_secret() {
        let secrets = vec!["hunter22".to_string(), "hunter2".to_string()];
        assert_eq!(mask("pw=hunter22 and hunter2", &secrets), "pw=*** and ***");
    }

    #[test]
    fn a_multi_line_secret_is_masked_line_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let log = RunLog::create(
            &dir.path().join("l"),
            false,
            vec!["first-line\n  second-line".into()],
        )
        .unwrap();
        assert_eq!(
            log.masked("3 | first-line\n4 |   second-line"),
            "3 | ***\n4 |   ***"
        );
    }

    #[test]
    fn log_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = log_path(dir.path(), &RunKey::new("localhost:5000", "da1"));
        let log = RunLog::create(&path, false, vec!["s3cret".into()]).unwrap();
        log.line("token s3cret here");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "token *** here\n");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
