//! What `acrt watch` remembers between cycles, and the task/base queries a cycle needs.

use rusqlite::{OptionalExtension, params};

use super::{RecordedBase, Store};
use crate::error::Result;

/// One recorded base of one task, for the watch cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchedBase {
    pub task_registry: String,
    pub task: String,
    pub base: RecordedBase,
}

impl std::ops::Deref for WatchedBase {
    type Target = RecordedBase;

    fn deref(&self) -> &RecordedBase {
        &self.base
    }
}

impl Store {
    pub fn watch_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT value FROM watch_state WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn watch_set(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO watch_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    /// The watch state entries whose keys start with `prefix`, in one query.
    pub fn watch_entries(
        &self,
        prefix: &str,
    ) -> Result<std::collections::BTreeMap<String, String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT key, value FROM watch_state WHERE substr(key, 1, length(?1)) = ?1",
        )?;
        let rows = stmt.query_map(params![prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The watch state keys that start with `prefix`.
    pub fn watch_keys(&self, prefix: &str) -> Result<std::collections::BTreeSet<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT key FROM watch_state WHERE substr(key, 1, length(?1)) = ?1")?;
        let rows = stmt.query_map(params![prefix], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets many entries in one transaction (one fsync, however many).
    pub fn watch_set_many(&mut self, entries: &[(String, String)]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO watch_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?;
            for (key, value) in entries {
                stmt.execute(params![key, value])?;
            }
            Ok(())
        })
    }

    pub fn watch_delete(&mut self, key: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM watch_state WHERE key = ?1", params![key])?;
            Ok(())
        })
    }

    /// Every recorded base of every task.
    /// Hands every recorded base to `each` as it is read, by task (registry, task, then the
    /// order they were recorded in): 100,000 are never collected at once.
    pub fn for_each_base_image(&self, mut each: impl FnMut(WatchedBase)) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT registry, task, dependency_type, base_registry, repository, tag, index_digest,
                    platform_digest, platform, pinned
             FROM base_images ORDER BY registry, task, rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(WatchedBase {
                task_registry: r.get(0)?,
                task: r.get(1)?,
                base: super::bases::recorded_base(r, 2)?,
            })
        })?;
        for row in rows {
            each(row?);
        }
        Ok(())
    }

    /// Notes a new index digest for a base whose platform digest did not change, so that the
    /// next cycle's HEAD matches again.
    pub fn update_index_digest(
        &mut self,
        registry: &str,
        repository: &str,
        tag: Option<&str>,
        platform: &str,
        old_index: &str,
        new_index: &str,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE base_images SET index_digest = ?6
                 WHERE base_registry = ?1 AND repository = ?2 AND tag IS ?3 AND platform = ?4 AND index_digest = ?5",
                params![registry, repository, tag, platform, old_index, new_index],
            )?;
            Ok(())
        })
    }

    /// The newest push event id, so a new watcher starts from now.
    pub fn last_event_id(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COALESCE(MAX(id), 0) FROM events", [], |r| r.get(0))?)
    }
}
