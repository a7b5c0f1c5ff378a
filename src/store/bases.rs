//! What runs leave for watch in the store: each task's recorded base images, and push events.

use rusqlite::{Transaction, params};

use super::Store;
use crate::error::Result;
pub use crate::model::base::RecordedBase;

impl Store {
    /// Replaces the base images recorded for a task with those of its latest successful run.
    pub fn record_base_images(
        tx: &Transaction<'_>,
        registry: &str,
        task: &str,
        run_id: &str,
        bases: &[RecordedBase],
    ) -> Result<()> {
        tx.execute(
            "DELETE FROM base_images WHERE registry = ?1 AND task = ?2",
            params![registry, task],
        )?;
        for b in bases {
            tx.execute(
                "INSERT INTO base_images (registry, task, run_id, dependency_type, base_registry, repository, tag,
                                          index_digest, platform_digest, platform, pinned)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![registry, task, run_id, b.dependency_type.to_string(), b.registry, b.repository, b.tag, b.index_digest, b.platform_digest, b.platform, b.pinned],
            )?;
        }
        Ok(())
    }

    pub fn base_images(&self, registry: &str, task: &str) -> Result<Vec<RecordedBase>> {
        base_images_of(self.conn(), registry, task)
    }

    /// Records that a run pushed `repository:tag` with `digest`, for watchers to act on.
    pub fn record_push(
        tx: &Transaction<'_>,
        registry: &str,
        repository: &str,
        tag: Option<&str>,
        digest: &str,
        run_id: &str,
    ) -> Result<()> {
        tx.execute(
            "INSERT INTO events (kind, registry, repository, tag, digest, run_id, created_at)
             VALUES ('image pushed', ?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                registry,
                repository,
                tag,
                digest,
                run_id,
                crate::model::task::now_rfc3339()
            ],
        )?;
        Ok(())
    }

    /// Push events after `after_id`, oldest first: (id, registry, repository, tag, digest, run_id).
    pub fn push_events_after(&self, after_id: i64) -> Result<Vec<PushEvent>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, registry, repository, tag, digest, run_id FROM events
             WHERE kind = 'image pushed' AND id > ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![after_id], |r| {
            Ok(PushEvent {
                id: r.get(0)?,
                registry: r.get(1)?,
                repository: r.get(2)?,
                tag: r.get(3)?,
                digest: r.get(4)?,
                run_id: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushEvent {
    pub id: i64,
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: String,
    pub run_id: Option<String>,
}

/// The base images recorded for one task, in the order its run resolved them.
pub(super) fn base_images_of(
    conn: &rusqlite::Connection,
    registry: &str,
    task: &str,
) -> Result<Vec<RecordedBase>> {
    let mut stmt = conn.prepare_cached(
        "SELECT dependency_type, base_registry, repository, tag, index_digest, platform_digest, platform, pinned
         FROM base_images WHERE registry = ?1 AND task = ?2 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![registry, task], |r| recorded_base(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A base_images row from column `at` on: dependency_type, base_registry, repository, tag,
/// index_digest, platform_digest, platform.
pub(super) fn recorded_base(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<RecordedBase> {
    Ok(RecordedBase {
        dependency_type: r.get::<_, String>(at)?.parse().map_err(|e: String| {
            rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, e.into())
        })?,
        registry: r.get(at + 1)?,
        repository: r.get(at + 2)?,
        tag: r.get(at + 3)?,
        index_digest: r.get(at + 4)?,
        platform_digest: r.get(at + 5)?,
        platform: r.get(at + 6)?,
        pinned: r.get(at + 7)?,
    })
}
