//! Versioned schema migrations, tracked in `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::Result;

/// Each entry moves the schema one version up. Never edit a released entry; add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: task definitions, scoped by registry. `body` is the task's JSON, secrets included.
    "CREATE TABLE tasks (
        registry   TEXT NOT NULL,
        name       TEXT NOT NULL COLLATE NOCASE,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (registry, name)
    );",
];

pub fn migrate(conn: &Connection) -> Result<()> {
    let target = MIGRATIONS.len() as i64;
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == target {
        return Ok(());
    }
    // Re-read the version under the write lock: another process may have migrated meanwhile.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > target {
        anyhow::bail!(
            "the state file has schema version {current}, newer than this acrt knows ({target}); \
             upgrade acrt"
        );
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
