//! The SQLite state store: one file in the state directory, WAL mode, versioned migrations.

mod bases;
mod migrations;
mod runs;
mod tasks;
mod watch;

use anyhow::Context as _;
use rusqlite::Connection;
use std::fs;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Result;

pub const DB_FILE: &str = "acrt.db";

pub struct Store {
    conn: Connection,
    dir: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`. The directory is 0700 and the file 0600.
    pub fn open(dir: &Path) -> Result<Store> {
        create_private_dir(dir)?;
        let path = dir.join(DB_FILE);
        // Create the file ourselves so that it is 0600 from its first byte; SQLite gives its
        // -wal and -shm files the same mode.
        fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("cannot create the state file {}", path.display()))?;
        let conn = Connection::open(&path)
            .with_context(|| format!("cannot open the state file {}", path.display()))?;
        conn.busy_timeout(Duration::from_secs(30))?;
        enable_wal(&conn)?;
        // FULL: a committed change survives a power loss, not just a crash of acrt.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // A removed password is overwritten, not left in a free page.
        conn.pragma_update(None, "secure_delete", true)?;
        migrations::migrate(&conn)
            .with_context(|| format!("cannot prepare the state file {}", path.display()))?;
        Ok(Store {
            conn,
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Copies the WAL into the file and empties it: after a change that may have removed a
    /// secret, so that no earlier version of it stays in the WAL while another connection (a
    /// watcher) keeps the WAL from being removed. Only a read in progress at that moment
    /// can hold old frames back, until the next checkpoint.
    fn forget_old_versions(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Runs `f` in a write transaction taken up front (BEGIN IMMEDIATE), so that concurrent
    /// writers queue on the busy timeout instead of failing on a lock upgrade.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A number that moves whenever a task or a recorded base changes (kept by triggers):
    /// what watch's index is built from.
    pub fn tasks_version(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT version FROM changes WHERE what = 'tasks'",
            [],
            |r| r.get(0),
        )?)
    }

    /// SQLite's data version: it changes when another connection commits a change.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    if !dir.exists() {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the state directory {}", dir.display()))?;
    }
    // An existing directory too: it holds secrets, and work directories with auth files.
    let private = fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o077 == 0);
    if !private {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot make {} private", dir.display()))?;
    }
    Ok(())
}

/// Switching to WAL needs a moment of exclusive access; under contention SQLite may answer
/// with the old mode, so ask again until it sticks.
fn enable_wal(conn: &Connection) -> Result<()> {
    // SQLite does not call the busy handler for a journal-mode change, so wait here.
    for _ in 0..1500 {
        match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0)) {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) => {}
            Err(e) => return Err(e.into()),
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    anyhow::bail!("the state file could not be switched to WAL mode: another process holds it")
}

pub use bases::{PushEvent, RecordedBase};
pub use runs::{ProcessGroup, RunFilter, RunRecord};
pub use watch::{
    Backoff, EventsCursor, MissingBase, RefusedLogin, Settling, SettlingTag, TimerKey, TimerMark,
    WatchStart, WatchedBase,
};
