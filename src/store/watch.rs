//! What `acrt watch` remembers between cycles, and the task/base queries a cycle needs.

use rusqlite::{OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet};

use super::{RecordedBase, RunFilter, Store};
use crate::error::Result;
use crate::model::graph::TaskLinks;
use crate::model::image::ImageRef;
use crate::model::run::UpdatedImage;
use crate::model::status::RunStatus;

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
    /// A task's place in the task graph: the bases its last successful run was built on
    /// (those recorded) and the images that run pushed. `acrt task graph` and watch's order
    /// of work both read it, so that both follow one rule ([`crate::model::graph::upstreams`]).
    pub fn task_links(&self, registry: &str, task: &str) -> Result<TaskLinks> {
        let bases = self
            .base_images(registry, task)?
            .iter()
            .map(|b| b.image().to_string())
            .collect();
        let filter = RunFilter {
            task: Some(task),
            status: Some(RunStatus::Succeeded),
            top: 1,
            ..RunFilter::default()
        };
        let pushed = self
            .list_runs(registry, &filter)?
            .into_iter()
            .next()
            .and_then(|run| run.output_images)
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                ImageRef {
                    registry: i.registry,
                    repository: i.repository,
                    tag: i.tag,
                    digest: None,
                }
                .to_string()
            })
            .collect();
        Ok(TaskLinks {
            task: task.to_string(),
            bases,
            pushed,
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

/// A base change watch decided to run a task for, and the run it started for it (none until
/// the run is queued).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchStart {
    pub task_registry: String,
    pub task: String,
    pub image: UpdatedImage,
    pub run_id: Option<String>,
}

impl Store {
    /// Notes that watch will run `task` for each of `images` (a base's tag moved to its
    /// digest); a change already noted keeps its run.
    pub fn decide_starts(
        &mut self,
        task_registry: &str,
        task: &str,
        images: &[UpdatedImage],
    ) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO watch_starts (task_registry, task, base_registry,
                     repository, tag, previous_digest, digest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for i in images {
                let Some(digest) = &i.digest else { continue };
                stmt.execute(params![
                    task_registry,
                    task,
                    i.registry,
                    i.repository,
                    i.tag.as_deref().unwrap_or_default(),
                    i.previous_digest,
                    digest
                ])?;
            }
            Ok(())
        })
    }

    /// Gives the changes decided for `task` and not yet started the run that now takes them.
    pub fn mark_started(&mut self, task_registry: &str, task: &str, run_id: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE watch_starts SET run_id = ?3
                 WHERE task_registry = ?1 AND task = ?2 AND run_id IS NULL",
                params![task_registry, task, run_id],
            )?;
            Ok(())
        })
    }

    /// Every base change watch decided or started a run for.
    pub fn watch_starts(&self) -> Result<Vec<WatchStart>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT task_registry, task, base_registry, repository, tag, previous_digest, digest,
                    run_id
             FROM watch_starts ORDER BY task_registry, task, rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            let tag: String = r.get(4)?;
            Ok(WatchStart {
                task_registry: r.get(0)?,
                task: r.get(1)?,
                image: UpdatedImage {
                    registry: r.get(2)?,
                    repository: r.get(3)?,
                    tag: (!tag.is_empty()).then_some(tag),
                    previous_digest: r.get(5)?,
                    digest: Some(r.get(6)?),
                },
                run_id: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Forgets what was decided for `task`: the changes its run `run_id` took (it ended), or
    /// with none, those never started.
    pub fn forget_starts(
        &mut self,
        task_registry: &str,
        task: &str,
        run_id: Option<&str>,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM watch_starts WHERE task_registry = ?1 AND task = ?2 AND run_id IS ?3",
                params![task_registry, task, run_id],
            )?;
            Ok(())
        })
    }
}

/// Where a watcher is in the push events acrt's runs record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventsCursor {
    /// No watcher has read them yet.
    Unset,
    /// The last event acted on.
    At(i64),
    /// The stored cursor is not a number (a store edited by hand, a broken copy): what it holds.
    Unreadable(String),
}

/// A registry backed off after failures in a row: not checked until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub until: chrono::DateTime<chrono::Utc>,
    pub failures: u32,
}

impl Store {
    pub fn events_cursor(&self) -> Result<EventsCursor> {
        let row: Option<(String, rusqlite::types::Value)> = self
            .conn()
            .query_row(
                "SELECT typeof(last_id), last_id FROM watch_cursor WHERE stream = 'events'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match row {
            None => EventsCursor::Unset,
            Some((_, rusqlite::types::Value::Integer(id))) if id >= 0 => EventsCursor::At(id),
            Some((kind, value)) => EventsCursor::Unreadable(match value {
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Real(f) => f.to_string(),
                _ => kind,
            }),
        })
    }

    pub fn set_events_cursor(&mut self, last_id: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO watch_cursor (stream, last_id) VALUES ('events', ?1)
                 ON CONFLICT (stream) DO UPDATE SET last_id = excluded.last_id",
                params![last_id],
            )?;
            Ok(())
        })
    }

    /// Every registry backed off, in one read. A row that does not read as a back-off is
    /// left out (its registry is checked).
    pub fn backoffs(&self) -> Result<std::collections::BTreeMap<String, Backoff>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT registry, until_ms, failures FROM watch_backoff
             WHERE typeof(until_ms) = 'integer' AND typeof(failures) = 'integer'",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut backoffs = std::collections::BTreeMap::new();
        for row in rows {
            let (registry, until_ms, failures) = row?;
            if let (Some(until), Ok(failures)) = (
                chrono::DateTime::from_timestamp_millis(until_ms),
                u32::try_from(failures),
            ) {
                backoffs.insert(registry, Backoff { until, failures });
            }
        }
        Ok(backoffs)
    }

    pub fn set_backoff(&mut self, registry: &str, backoff: Backoff) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO watch_backoff (registry, until_ms, failures) VALUES (?1, ?2, ?3)
                 ON CONFLICT (registry) DO UPDATE
                 SET until_ms = excluded.until_ms, failures = excluded.failures",
                params![registry, backoff.until.timestamp_millis(), backoff.failures],
            )?;
            Ok(())
        })
    }

    pub fn end_backoff(&mut self, registry: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM watch_backoff WHERE registry = ?1",
                params![registry],
            )?;
            Ok(())
        })
    }
}

/// A base's tag (registry, repository, tag) whose index changed and is settling.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SettlingTag {
    pub registry: String,
    pub repository: String,
    pub tag: String,
}

/// Since when a settling tag has pointed to `digest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settling {
    pub digest: String,
    pub since: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// Every settling tag, in one read.
    pub fn settling(&self) -> Result<std::collections::BTreeMap<SettlingTag, Settling>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT registry, repository, tag, digest, since_ms FROM watch_settling
             WHERE typeof(since_ms) = 'integer'",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                SettlingTag {
                    registry: r.get(0)?,
                    repository: r.get(1)?,
                    tag: r.get(2)?,
                },
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut settling = std::collections::BTreeMap::new();
        for row in rows {
            let (tag, digest, since_ms) = row?;
            if let Some(since) = chrono::DateTime::from_timestamp_millis(since_ms) {
                settling.insert(tag, Settling { digest, since });
            }
        }
        Ok(settling)
    }

    /// Starts (or starts again) a tag's settle window, or ends it (None).
    pub fn set_settling(&mut self, tag: &SettlingTag, settling: Option<&Settling>) -> Result<()> {
        self.write(|tx| {
            match settling {
                Some(s) => tx.execute(
                    "INSERT INTO watch_settling (registry, repository, tag, digest, since_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (registry, repository, tag) DO UPDATE
                     SET digest = excluded.digest, since_ms = excluded.since_ms",
                    params![tag.registry, tag.repository, tag.tag, s.digest, s.since.timestamp_millis()],
                )?,
                None => tx.execute(
                    "DELETE FROM watch_settling WHERE registry = ?1 AND repository = ?2 AND tag = ?3",
                    params![tag.registry, tag.repository, tag.tag],
                )?,
            };
            Ok(())
        })
    }
}

/// A timer of a task.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimerKey {
    pub task_registry: String,
    pub task: String,
    pub timer: String,
}

/// What watch keeps of a timer: its next occurrence, and the schedule it was computed from
/// (a changed schedule starts afresh). Without a schedule (a state kept by an older acrt),
/// `next` is only the lower bound of what fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerMark {
    pub next: chrono::DateTime<chrono::Utc>,
    pub schedule: Option<String>,
}

/// A base found missing and warned of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MissingBase {
    pub registry: String,
    pub repository: String,
    pub tag: String,
    pub platform: String,
}

/// A task's stored login refused by its login server, and said so.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefusedLogin {
    pub task_registry: String,
    pub task: String,
    pub server: String,
}

impl Store {
    /// Every timer's mark, in one read. A row whose time does not read is left out (the
    /// timer starts afresh).
    pub fn timer_marks(&self) -> Result<BTreeMap<TimerKey, TimerMark>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT task_registry, task, timer, next_ms, schedule FROM watch_timers
             WHERE typeof(next_ms) = 'integer'",
        )?;
        let rows = stmt.query_map([], |r| {
            let key = TimerKey {
                task_registry: r.get(0)?,
                task: r.get(1)?,
                timer: r.get(2)?,
            };
            Ok((key, r.get::<_, i64>(3)?, r.get::<_, Option<String>>(4)?))
        })?;
        let mut marks = BTreeMap::new();
        for row in rows {
            let (key, next_ms, schedule) = row?;
            if let Some(next) = chrono::DateTime::from_timestamp_millis(next_ms) {
                marks.insert(key, TimerMark { next, schedule });
            }
        }
        Ok(marks)
    }

    /// Sets many timers' marks in one transaction (one fsync, however many).
    pub fn set_timer_marks(&mut self, marks: &[(TimerKey, TimerMark)]) -> Result<()> {
        if marks.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO watch_timers (task_registry, task, timer, next_ms, schedule)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (task_registry, task, timer) DO UPDATE
                 SET next_ms = excluded.next_ms, schedule = excluded.schedule",
            )?;
            for (key, mark) in marks {
                stmt.execute(params![
                    key.task_registry,
                    key.task,
                    key.timer,
                    mark.next.timestamp_millis(),
                    mark.schedule
                ])?;
            }
            Ok(())
        })
    }

    /// The branch head each commit trigger was last seen at, by (task registry, task).
    pub fn commit_heads(&self) -> Result<BTreeMap<(String, String), String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT task_registry, task, head FROM watch_commits")?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets many tasks' branch heads in one transaction.
    pub fn set_commit_heads(&mut self, heads: &[((String, String), String)]) -> Result<()> {
        if heads.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO watch_commits (task_registry, task, head) VALUES (?1, ?2, ?3)
                 ON CONFLICT (task_registry, task) DO UPDATE SET head = excluded.head",
            )?;
            for ((registry, task), head) in heads {
                stmt.execute(params![registry, task, head])?;
            }
            Ok(())
        })
    }

    /// The bases found missing and warned of.
    pub fn missing_bases(&self) -> Result<BTreeSet<MissingBase>> {
        self.all_rows(
            "SELECT registry, repository, tag, platform FROM watch_missing",
            |r| {
                Ok(MissingBase {
                    registry: r.get(0)?,
                    repository: r.get(1)?,
                    tag: r.get(2)?,
                    platform: r.get(3)?,
                })
            },
        )
    }

    /// Notes a base as missing (`true`) or forgets it (`false`).
    pub fn mark_missing(&mut self, base: &MissingBase, missing: bool) -> Result<()> {
        let sql = if missing {
            "INSERT OR IGNORE INTO watch_missing (registry, repository, tag, platform)
             VALUES (?1, ?2, ?3, ?4)"
        } else {
            "DELETE FROM watch_missing
             WHERE registry = ?1 AND repository = ?2 AND tag = ?3 AND platform = ?4"
        };
        let b = base;
        self.write_one(sql, params![b.registry, b.repository, b.tag, b.platform])
    }

    /// The tasks' stored logins found refused and said so.
    pub fn refused_logins(&self) -> Result<BTreeSet<RefusedLogin>> {
        self.all_rows(
            "SELECT task_registry, task, server FROM watch_refused_logins",
            |r| {
                Ok(RefusedLogin {
                    task_registry: r.get(0)?,
                    task: r.get(1)?,
                    server: r.get(2)?,
                })
            },
        )
    }

    /// Notes a task's login as refused (`true`) or working again (`false`).
    pub fn mark_refused_login(&mut self, login: &RefusedLogin, refused: bool) -> Result<()> {
        let sql = if refused {
            "INSERT OR IGNORE INTO watch_refused_logins (task_registry, task, server)
             VALUES (?1, ?2, ?3)"
        } else {
            "DELETE FROM watch_refused_logins
             WHERE task_registry = ?1 AND task = ?2 AND server = ?3"
        };
        let l = login;
        self.write_one(sql, params![l.task_registry, l.task, l.server])
    }

    /// Every row `sql` reads, each made by `row`.
    fn all_rows<T: Ord>(
        &self,
        sql: &str,
        row: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<BTreeSet<T>> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One statement in a transaction of its own.
    fn write_one(&mut self, sql: &str, params: impl rusqlite::Params) -> Result<()> {
        self.write(|tx| {
            tx.execute(sql, params)?;
            Ok(())
        })
    }
}
