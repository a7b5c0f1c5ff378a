//! Task definitions in the store.

use rusqlite::{OptionalExtension, Transaction, params};

use rusqlite::Connection;
use std::collections::HashMap;

use super::{RecordedBase, Store};
use crate::error::{Error, Message, Result};
use crate::model::Task;
use crate::model::system_data::SystemData;

fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T> {
    serde_json::from_str(body).map_err(|e| anyhow::anyhow!("a stored task could not be read: {e}"))
}

/// The task's JSON as stored: without `baseImageDependencies`, which live in base_images only
/// and are filled in when a task is read.
fn encode(task: &Task) -> Result<String> {
    let mut task = task.clone();
    task.step.source_mut().base_image_dependencies = None;
    Ok(serde_json::to_string(&task)?)
}

/// A registry's base rows by (registry, lower-cased task name), for filling in many tasks
/// at once.
type BasesByTask = HashMap<(String, String), Vec<RecordedBase>>;

fn bases_by_task(conn: &Connection, registry: &str) -> Result<BasesByTask> {
    let mut stmt = conn.prepare_cached(
        "SELECT registry, task, dependency_type, base_registry, repository, tag, index_digest,
                platform_digest, platform, pinned
         FROM base_images WHERE registry = ?1 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![registry], |r| {
        Ok((
            (
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?.to_lowercase(),
            ),
            super::bases::recorded_base(r, 2)?,
        ))
    })?;
    let mut map = BasesByTask::new();
    for row in rows {
        let (key, base) = row?;
        map.entry(key).or_default().push(base);
    }
    Ok(map)
}

/// Sets the task's `baseImageDependencies` from its base rows (null before a successful run).
fn fill_dependencies(task: &mut Task, bases: Option<&Vec<RecordedBase>>) {
    task.step.source_mut().base_image_dependencies =
        bases.map(|b| b.iter().map(RecordedBase::dependency).collect());
}

impl Store {
    pub fn get_task(&self, registry: &str, name: &str) -> Result<Option<Task>> {
        let body: Option<String> = self
            .conn()
            .query_row(
                "SELECT body FROM tasks WHERE registry = ?1 AND name = ?2",
                params![registry, name],
                |r| r.get(0),
            )
            .optional()?;
        let Some(mut task) = body.as_deref().map(decode::<Task>).transpose()? else {
            return Ok(None);
        };
        let bases = super::bases::base_images_of(self.conn(), registry, &task.name)?;
        fill_dependencies(&mut task, (!bases.is_empty()).then_some(&bases));
        Ok(Some(task))
    }

    pub fn list_tasks(&self, registry: &str) -> Result<Vec<Task>> {
        let mut tasks = Vec::new();
        self.for_each_task(registry, |task| {
            tasks.push(task);
            Ok(())
        })?;
        Ok(tasks)
    }

    /// Hands each task of `registry` to `each` as it is read, in name order: a list of
    /// thousands is never held whole.
    pub fn for_each_task(
        &self,
        registry: &str,
        mut each: impl FnMut(Task) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT body FROM tasks WHERE registry = ?1 ORDER BY name")?;
        let rows = stmt.query_map(params![registry], |r| r.get::<_, String>(0))?;
        let bases = bases_by_task(self.conn(), registry)?;
        for body in rows {
            let mut task: Task = decode(&body?)?;
            let key = (registry.to_string(), task.name.to_lowercase());
            fill_dependencies(&mut task, bases.get(&key));
            each(task)?;
        }
        Ok(())
    }

    /// Hands every task of every registry to `each` as it is read, without its recorded
    /// bases (for watch, which reads those apart).
    pub fn for_each_stored_task<T: serde::de::DeserializeOwned>(
        &self,
        mut each: impl FnMut(String, T) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT registry, body FROM tasks ORDER BY registry, name")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (registry, body) = row?;
            each(registry, decode(&body)?)?;
        }
        Ok(())
    }

    /// Adds a new task; fails with "already exists" if the registry has one of that name.
    pub fn insert_task(&mut self, registry: &str, task: &Task) -> Result<()> {
        self.write(|tx| insert_task(tx, registry, task))
    }

    /// Reads, changes and writes back one task in one transaction. `change` may fail, in
    /// which case nothing is written. A change may replace or remove a secret of the task:
    /// its old version is then forgotten.
    pub fn update_task(
        &mut self,
        registry: &str,
        name: &str,
        change: impl FnOnce(&mut Task) -> Result<()>,
    ) -> Result<Option<Task>> {
        let task = self.write(|tx| modify_task_in(tx, registry, name, change))?;
        self.forget_old_versions()?;
        Ok(task)
    }

    /// Deletes a task (and with it its secrets); false if there was none.
    pub fn delete_task(&mut self, registry: &str, name: &str) -> Result<bool> {
        let deleted = self.delete_task_rows(registry, name)?;
        self.forget_old_versions()?;
        Ok(deleted)
    }

    fn delete_task_rows(&mut self, registry: &str, name: &str) -> Result<bool> {
        self.write(|tx| {
            let n = tx.execute(
                "DELETE FROM tasks WHERE registry = ?1 AND name = ?2",
                params![registry, name],
            )?;
            // What watch would read or keep for it goes with it: a task created later under
            // the name starts afresh (its branch head and timers learnt, not inherited).
            let tables = [
                "base_images",
                "watch_timers",
                "watch_commits",
                "watch_starts",
                "watch_refused_logins",
            ];
            for table in tables {
                let column = if table == "base_images" {
                    "registry"
                } else {
                    "task_registry"
                };
                tx.execute(
                    &format!("DELETE FROM {table} WHERE {column} = ?1 AND task = ?2"),
                    params![registry, name],
                )?;
            }
            Ok(n > 0)
        })
    }
}

fn insert_task(tx: &Transaction<'_>, registry: &str, task: &Task) -> Result<()> {
    let now = now();
    tx.execute(
        "INSERT INTO task_ids (registry, name) VALUES (?1, ?2)",
        params![registry, task.name],
    )?;
    let task_id = tx.last_insert_rowid();
    let result = tx.execute(
        "INSERT INTO tasks (registry, name, body, created_at, updated_at, task_id) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        params![registry, task.name, encode(task)?, now, task_id],
    );
    match result {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(Error::Failed(Message::hinted(
                format!(
                    "the task '{}' already exists in registry '{registry}'",
                    task.name
                ),
                format!(
                    "choose another name, or change it with 'acrt task update -n {} -r {registry}'",
                    task.name
                ),
            ))
            .into())
        }
        Err(e) => Err(e.into()),
    }
}

fn now() -> String {
    crate::model::task::now_rfc3339()
}

/// Changes a stored task inside an open transaction; None if it does not exist. An error
/// from `change` writes nothing.
pub(super) fn modify_task_in(
    tx: &Transaction<'_>,
    registry: &str,
    name: &str,
    change: impl FnOnce(&mut Task) -> Result<()>,
) -> Result<Option<Task>> {
    let body: Option<String> = tx
        .query_row(
            "SELECT body FROM tasks WHERE registry = ?1 AND name = ?2",
            params![registry, name],
            |r| r.get(0),
        )
        .optional()?;
    let Some(body) = body else { return Ok(None) };
    let mut task: Task = decode(&body)?;
    change(&mut task)?;
    let now = now();
    SystemData::record_change(&mut task.system_data, &task.creation_date, &now);
    tx.execute(
        "UPDATE tasks SET body = ?3, updated_at = ?4 WHERE registry = ?1 AND name = ?2",
        params![registry, name, encode(&task)?, now],
    )?;
    let bases = super::bases::base_images_of(tx, registry, name)?;
    fill_dependencies(&mut task, (!bases.is_empty()).then_some(&bases));
    Ok(Some(task))
}
