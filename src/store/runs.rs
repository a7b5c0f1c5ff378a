//! Runs and run IDs in the store.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use crate::error::Result;
use crate::model::RunKey;
use crate::model::base::RecordedBase;
use crate::model::run::{Run, format_run_id, preferred_prefix};
use crate::model::status::RunStatus;
use crate::model::task::now_rfc3339;

/// A stored run with what only acrt needs: who runs it.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub registry: String,
    pub run: Run,
    pub runner_pid: Option<i64>,
    pub runner_start: Option<i64>,
    /// The process groups of the run's running steps.
    pub groups: Vec<ProcessGroup>,
}

/// A process group a run's step runs in, with its leader's start time, so that a reused pid
/// is never signalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessGroup {
    pub pgid: i64,
    pub start: Option<i64>,
}

/// Filters of `task list-runs`.
#[derive(Debug, Default)]
pub struct RunFilter<'a> {
    pub task: Option<&'a str>,
    pub status: Option<RunStatus>,
    /// (repository, tag): runs whose output images include it.
    pub image: Option<(&'a str, Option<&'a str>)>,
    pub top: usize,
}

fn decode(body: &str) -> Result<Run> {
    serde_json::from_str(body).map_err(|e| anyhow::anyhow!("a stored run could not be read: {e}"))
}

const RUN_COLUMNS: &str = "registry, run_id, body, runner_pid, runner_start";

/// A `RUN_COLUMNS` row before its body is decoded.
type RawRun = (String, String, String, Option<i64>, Option<i64>);

fn record(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawRun> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    ))
}

fn to_record(conn: &rusqlite::Connection, raw: RawRun) -> Result<RunRecord> {
    let (registry, run_id, body, runner_pid, runner_start) = raw;
    let groups = run_groups(conn, &registry, &run_id)?;
    Ok(RunRecord {
        registry,
        run: decode(&body)?,
        runner_pid,
        runner_start,
        groups,
    })
}

fn run_groups(
    conn: &rusqlite::Connection,
    registry: &str,
    run_id: &str,
) -> Result<Vec<ProcessGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pgid, start FROM run_groups WHERE registry = ?1 AND run_id = ?2 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![registry, run_id], |r| {
        Ok(ProcessGroup {
            pgid: r.get(0)?,
            start: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Store {
    /// Takes the next run ID of `registry`; unique however many processes ask at once.
    pub fn next_run_id(tx: &Transaction<'_>, registry: &str) -> Result<String> {
        let existing: Option<(String, i64)> = tx
            .query_row(
                "SELECT prefix, counter FROM run_ids WHERE registry = ?1",
                params![registry],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (prefix, counter) = match existing {
            Some((prefix, counter)) => (prefix, counter + 1),
            None => {
                let mut attempt = 0;
                let prefix = loop {
                    let candidate = preferred_prefix(registry, attempt);
                    let taken: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM run_ids WHERE prefix = ?1)",
                        params![candidate],
                        |r| r.get(0),
                    )?;
                    if !taken {
                        break candidate;
                    }
                    attempt += 1;
                };
                tx.execute(
                    "INSERT INTO run_ids (registry, prefix, counter) VALUES (?1, ?2, 0)",
                    params![registry, prefix],
                )?;
                (prefix, 1)
            }
        };
        tx.execute(
            "UPDATE run_ids SET counter = ?2 WHERE registry = ?1",
            params![registry, counter],
        )?;
        Ok(format_run_id(&prefix, counter as u64))
    }

    /// Stores a new run, giving it the next run ID; `make` builds the run from its ID. `spec`
    /// is what executing it needs (secrets included: the store is private).
    pub fn insert_run(
        &mut self,
        registry: &str,
        spec: &str,
        make: impl FnOnce(String) -> Run,
    ) -> Result<Run> {
        self.write(|tx| {
            let run_id = Store::next_run_id(tx, registry)?;
            let run = make(run_id);
            tx.execute(
                "INSERT INTO runs (registry, run_id, task, status, create_time, archived, spec, body, task_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
                         (SELECT task_id FROM tasks WHERE registry = ?1 AND name = ?3))",
                params![registry, run.run_id, run.task, run.status.to_string(), run.create_time, run.is_archive_enabled, spec, serde_json::to_string(&run)?],
            )?;
            Ok(run)
        })
    }

    pub fn run_spec(&self, key: &RunKey) -> Result<Option<String>> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        Ok(self
            .conn()
            .query_row(
                "SELECT spec FROM runs WHERE registry = ?1 AND run_id = ?2",
                params![registry, run_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Ends a run in one transaction: its process groups forgotten; its final state; for a successful task run also the
    /// base images it was built on (the task's only record of them); every push as an
    /// event, unless the run changed nothing. Nothing changes (and false is returned) if the
    /// run had already ended, e.g. canceled from elsewhere.
    pub fn complete_run(
        &mut self,
        registry: &str,
        run: &Run,
        bases: &[RecordedBase],
    ) -> Result<bool> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM run_groups WHERE registry = ?1 AND run_id = ?2",
                params![registry, run.run_id],
            )?;
            if !save_run(tx, registry, run, true)? {
                return Ok(false);
            }
            if run.status != RunStatus::Succeeded {
                return Ok(true);
            }
            // Only for the task the run was started for: not for a new task that took the
            // name of one deleted meanwhile.
            let own_task: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM runs r JOIN tasks t
                                ON t.registry = r.registry AND t.task_id = r.task_id
                                WHERE r.registry = ?1 AND r.run_id = ?2)",
                params![registry, run.run_id],
                |r| r.get(0),
            )?;
            if let Some(task) = run.task.as_ref().filter(|_| own_task) {
                Store::record_base_images(tx, registry, task, &run.run_id, bases)?;
            }
            // A run that changed nothing pushed nothing new: no dependent is due for it.
            if run.unchanged == Some(true) {
                return Ok(true);
            }
            for image in run.output_images.iter().flatten() {
                if let Some(digest) = &image.digest {
                    Store::record_push(
                        tx,
                        &image.registry,
                        &image.repository,
                        image.tag.as_deref(),
                        digest,
                        &run.run_id,
                    )?;
                }
            }
            Ok(true)
        })
    }

    /// Writes a run back. With `only_if_unfinished`, a run that already reached a final status
    /// (canceled from elsewhere, say) is left alone, and false is returned.
    pub fn save_run(
        &mut self,
        registry: &str,
        run: &Run,
        only_if_unfinished: bool,
    ) -> Result<bool> {
        self.write(|tx| save_run(tx, registry, run, only_if_unfinished))
    }

    /// Runs `f` on the stored run in one transaction, then writes it back.
    pub fn update_run(
        &mut self,
        key: &RunKey,
        f: impl FnOnce(&mut Run) -> Result<()>,
    ) -> Result<Option<Run>> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        self.write(|tx| {
            let Some(mut run) = read_run(tx, registry, run_id)? else {
                return Ok(None);
            };
            f(&mut run)?;
            save_run(tx, registry, &run, false)?;
            Ok(Some(run))
        })
    }

    /// Starts a queued run in one transaction: this process (`runner`: pid and start time)
    /// recorded as its runner and the run marked Running with its `builder`, unless it already
    /// ended (canceled while queued). The run; None if there is no such run.
    pub fn start_run(
        &mut self,
        key: &RunKey,
        runner: (i64, Option<i64>),
        builder: Option<&str>,
    ) -> Result<Option<Run>> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        self.write(|tx| {
            let Some(mut run) = read_run(tx, registry, run_id)? else {
                return Ok(None);
            };
            if !run.status.is_final() {
                run.status = RunStatus::Running;
                run.builder = builder.map(str::to_string);
                let now = now_rfc3339();
                run.start_time = Some(now.clone());
                run.touch(&now);
            }
            tx.execute(
                "UPDATE runs SET runner_pid = ?3, runner_start = ?4 WHERE registry = ?1 AND run_id = ?2",
                params![registry, run_id, runner.0, runner.1],
            )?;
            save_run(tx, registry, &run, false)?;
            Ok(Some(run))
        })
    }

    /// The task a run was started for, as it is now: found by its task id (a task created
    /// since under the same name is not it).
    pub fn task_of_run(&self, key: &RunKey) -> Result<Option<crate::model::Task>> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        let body: Option<String> = self
            .conn()
            .query_row(
                "SELECT t.body FROM runs r JOIN tasks t
                 ON t.registry = r.registry AND t.task_id = r.task_id
                 WHERE r.registry = ?1 AND r.run_id = ?2",
                params![registry, run_id],
                |r| r.get(0),
            )
            .optional()?;
        body.map(|b| {
            serde_json::from_str(&b)
                .map_err(|e| anyhow::anyhow!("a stored task could not be read: {e}"))
        })
        .transpose()
    }

    /// Runs `change` on a run still in progress and writes it back, in one transaction; a run
    /// that already ended (canceled from elsewhere) is left as it is. The groups `ended` are
    /// forgotten in the same transaction.
    pub fn update_unfinished_run(
        &mut self,
        key: &RunKey,
        change: &mut dyn FnMut(&mut Run),
        ended: &[i64],
    ) -> Result<()> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        self.write(|tx| {
            forget_groups(tx, registry, run_id, ended)?;
            if let Some(mut run) = read_run(tx, registry, run_id)?
                && !run.status.is_final()
            {
                change(&mut run);
                save_run(tx, registry, &run, true)?;
            }
            Ok(())
        })
    }

    pub fn set_runner(&mut self, key: &RunKey, pid: i64, start: Option<i64>) -> Result<()> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        self.write(|tx| {
            tx.execute(
                "UPDATE runs SET runner_pid = ?3, runner_start = ?4 WHERE registry = ?1 AND run_id = ?2",
                params![registry, run_id, pid, start],
            )?;
            Ok(())
        })
    }

    /// Records a process group one of the run's steps started in, and forgets the groups
    /// `ended` (steps that ended since the last write), in one transaction.
    pub fn add_run_group(
        &mut self,
        key: &RunKey,
        group: ProcessGroup,
        ended: &[i64],
    ) -> Result<()> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        self.write(|tx| {
            forget_groups(tx, registry, run_id, ended)?;
            tx.execute(
                "INSERT OR REPLACE INTO run_groups (registry, run_id, pgid, start) VALUES (?1, ?2, ?3, ?4)",
                params![registry, run_id, group.pgid, group.start],
            )?;
            Ok(())
        })
    }

    /// Forgets a process group whose step ended; with None, every group of the run.
    pub fn remove_run_groups(&mut self, key: &RunKey, pgid: Option<i64>) -> Result<()> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        self.write(|tx| {
            tx.execute(
                "DELETE FROM run_groups WHERE registry = ?1 AND run_id = ?2 AND (?3 IS NULL OR pgid = ?3)",
                params![registry, run_id, pgid],
            )?;
            Ok(())
        })
    }

    /// The process groups of the run's running steps.
    pub fn run_groups(&self, key: &RunKey) -> Result<Vec<ProcessGroup>> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        run_groups(self.conn(), registry, run_id)
    }

    pub fn get_run(&self, key: &RunKey) -> Result<Option<RunRecord>> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        let raw = self
            .conn()
            .query_row(
                &format!("SELECT {RUN_COLUMNS} FROM runs WHERE registry = ?1 AND run_id = ?2"),
                params![registry, run_id.to_ascii_lowercase()],
                record,
            )
            .optional()?;
        raw.map(|raw| to_record(self.conn(), raw)).transpose()
    }

    /// Runs of a registry, newest first.
    pub fn list_runs(&self, registry: &str, filter: &RunFilter<'_>) -> Result<Vec<Run>> {
        let mut sql = String::from("SELECT body FROM runs WHERE registry = ?1");
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(registry.to_string())];
        if let Some(task) = filter.task {
            args.push(Box::new(task.to_string()));
            sql.push_str(&format!(" AND task = ?{}", args.len()));
        }
        if let Some(s) = filter.status {
            args.push(Box::new(s.to_string()));
            sql.push_str(&format!(" AND status = ?{}", args.len()));
        }
        if let Some((repository, tag)) = filter.image {
            args.push(Box::new(repository.to_string()));
            let repo_arg = args.len();
            let tag_clause = match tag {
                Some(t) => {
                    args.push(Box::new(t.to_string()));
                    format!(" AND json_extract(value, '$.tag') = ?{}", args.len())
                }
                None => String::new(),
            };
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM json_each(body, '$.outputImages')
                   WHERE json_extract(value, '$.repository') = ?{repo_arg}{tag_clause})"
            ));
        }
        args.push(Box::new(filter.top.max(1) as i64));
        sql.push_str(&format!(" ORDER BY seq DESC LIMIT ?{}", args.len()));
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            r.get::<_, String>(0)
        })?;
        rows.map(|b| decode(&b?)).collect()
    }

    /// The newest run of a registry (of a task, when given).
    pub fn latest_run(&self, registry: &str, task: Option<&str>) -> Result<Option<Run>> {
        Ok(self
            .list_runs(
                registry,
                &RunFilter {
                    task,
                    top: 1,
                    ..RunFilter::default()
                },
            )?
            .into_iter()
            .next())
    }

    /// Archived runs are kept past the retention period.
    pub fn set_archived(&mut self, key: &RunKey, archived: bool) -> Result<Option<Run>> {
        self.update_run(key, |r| {
            r.is_archive_enabled = archived;
            r.record_change(&now_rfc3339());
            Ok(())
        })
    }

    /// Runs that say they are in progress, with who runs them, for the dead-runner check.
    /// The registries that have a run of this id.
    pub fn registries_with_run(&self, run_id: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT registry FROM runs WHERE run_id = ?1")?;
        let rows = stmt.query_map([run_id], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn unfinished_runs(&self) -> Result<Vec<RunRecord>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE status IN ({})",
            RunStatus::unfinished_sql()
        ))?;
        let rows = stmt.query_map([], record)?;
        rows.map(|r| to_record(self.conn(), r?)).collect()
    }

    /// Deletes one finished run (and its process groups); None if there is no such run, Some
    /// with its status if it has not finished (it is not deleted).
    pub fn delete_finished_run(&mut self, key: &RunKey) -> Result<Option<Result<(), RunStatus>>> {
        let (registry, run_id) = (key.registry.as_str(), key.run_id.as_str());
        self.write(|tx| {
            let status: Option<String> = tx
                .query_row(
                    "SELECT status FROM runs WHERE registry = ?1 AND run_id = ?2",
                    params![registry, run_id],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(status) = status else {
                return Ok(None);
            };
            let status: RunStatus = serde_json::from_value(serde_json::Value::String(status))?;
            if !status.is_final() {
                return Ok(Some(Err(status)));
            }
            tx.execute(
                "DELETE FROM runs WHERE registry = ?1 AND run_id = ?2",
                params![registry, run_id],
            )?;
            tx.execute(
                "DELETE FROM run_groups WHERE registry = ?1 AND run_id = ?2",
                params![registry, run_id],
            )?;
            Ok(Some(Ok(())))
        })
    }

    /// Deletes unarchived runs created before `cutoff` (RFC 3339); returns their IDs.
    pub fn purge_runs(&mut self, cutoff: &str) -> Result<Vec<(String, String)>> {
        self.write(|tx| {
            let mut stmt = tx.prepare(&format!(
                "DELETE FROM runs WHERE create_time < ?1 AND archived = 0
                 AND status NOT IN ({}) RETURNING registry, run_id",
                RunStatus::unfinished_sql()
            ))?;
            let rows = stmt.query_map(params![cutoff], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let purged = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            drop(stmt);
            tx.execute(
                "DELETE FROM run_groups WHERE NOT EXISTS (SELECT 1 FROM runs r
                    WHERE r.registry = run_groups.registry AND r.run_id = run_groups.run_id)",
                [],
            )?;
            Ok(purged)
        })
    }
}

/// A run as stored, read inside a transaction.
fn read_run(tx: &Transaction<'_>, registry: &str, run_id: &str) -> Result<Option<Run>> {
    let body: Option<String> = tx
        .query_row(
            "SELECT body FROM runs WHERE registry = ?1 AND run_id = ?2",
            params![registry, run_id],
            |r| r.get(0),
        )
        .optional()?;
    body.as_deref().map(decode).transpose()
}

/// Forgets the process groups `pgids` of a run (steps that ended).
fn forget_groups(tx: &Transaction<'_>, registry: &str, run_id: &str, pgids: &[i64]) -> Result<()> {
    for pgid in pgids {
        tx.execute(
            "DELETE FROM run_groups WHERE registry = ?1 AND run_id = ?2 AND pgid = ?3",
            params![registry, run_id, pgid],
        )?;
    }
    Ok(())
}

fn save_run(
    tx: &Transaction<'_>,
    registry: &str,
    run: &Run,
    only_if_unfinished: bool,
) -> Result<bool> {
    let guard = if only_if_unfinished {
        format!(" AND status IN ({})", RunStatus::unfinished_sql())
    } else {
        String::new()
    };
    let n = tx.execute(
        &format!("UPDATE runs SET status = ?3, archived = ?4, body = ?5 WHERE registry = ?1 AND run_id = ?2{guard}"),
        params![registry, run.run_id, run.status.to_string(), run.is_archive_enabled, serde_json::to_string(run)?],
    )?;
    Ok(n > 0)
}
