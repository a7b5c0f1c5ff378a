//! What watch holds in memory between reads of the store: the watched bases by unique base,
//! and of each task only what decides whether it is due (its enabled timers and commit
//! trigger) and whose login reads its bases. A task is read whole from the store only when
//! it runs: 100,000 tasks are never held parsed.

use std::collections::{BTreeMap, BTreeSet};

use super::due::{BaseKey, TaskKey};
use super::triggers;
use crate::error::Result;
use crate::model::base::WatchFields;
use crate::model::task::registry_logins;
use crate::store::{Store, WatchedBase};

/// A commit trigger's repository URL, branch and token.
pub(super) type CommitSource = (String, Option<String>, Option<String>);

/// What watch keeps of one task. Boxed slices, not Vecs: at 100,000 tasks a Vec's spare
/// capacity and size cost tens of MB.
#[derive(Debug, Default)]
pub(super) struct WatchedTask {
    /// The logins the task stored (`task credential add`): (server, user, password).
    pub logins: Box<[(String, String, String)]>,
    /// Its enabled timers, (name, schedule); none when the task is disabled.
    pub timers: Box<[(String, String)]>,
    /// Its enabled commit trigger: repository URL, branch, token.
    pub commit: Option<Box<CommitSource>>,
}

impl WatchedTask {
    fn of(task: &WatchFields) -> WatchedTask {
        let enabled = task.status.is_enabled();
        WatchedTask {
            logins: registry_logins(task.credentials.as_ref())
                .map(|(s, u, p)| (s.to_string(), u.to_string(), p.to_string()))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
            timers: task
                .trigger
                .timer_triggers
                .iter()
                .flatten()
                .filter(|t| enabled && t.status.is_enabled())
                .map(|t| (t.name.clone(), t.schedule.clone()))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
            commit: enabled
                .then(|| triggers::commit_source(&task.trigger, &task.step))
                .flatten()
                .map(|(url, branch)| {
                    let token = task.step.context_access_token.clone();
                    Box::new((url, branch, token))
                }),
        }
    }

    fn is_empty(&self) -> bool {
        self.logins.is_empty() && self.timers.is_empty() && self.commit.is_none()
    }
}

/// The index: of each task what decides whether it is due, and the bases triggers follow.
#[derive(Default)]
pub(super) struct Index {
    /// Of each task, what decides whether it is due.
    pub tasks: BTreeMap<TaskKey, WatchedTask>,
    /// The registries that have tasks (acrt pushes to them).
    pub task_registries: BTreeSet<String>,
    /// The bases that triggers follow, by unique base.
    pub watched: BTreeMap<BaseKey, Vec<WatchedBase>>,
}

impl Index {
    /// Reads tasks and bases from the store, one task at a time.
    pub(super) fn load(store: &Store) -> Result<Index> {
        // Most tasks have one base: a Vec of capacity 1, not the default 4 (at 100,000 tasks
        // that was 80 MB of empty slots).
        let mut bases: BTreeMap<TaskKey, Vec<WatchedBase>> = BTreeMap::new();
        store.for_each_base_image(|base| {
            bases
                .entry((base.task_registry.clone(), base.task.clone()))
                .or_insert_with(|| Vec::with_capacity(1))
                .push(base);
        })?;
        let mut tasks = BTreeMap::new();
        let mut registries = BTreeSet::new();
        let mut watched: BTreeMap<BaseKey, Vec<WatchedBase>> = BTreeMap::new();
        store.for_each_stored_task(|registry, task: WatchFields| {
            let key = (registry, task.name.clone());
            for base in bases.remove(&key).into_iter().flatten() {
                if task.watches(&base) {
                    watched.entry(BaseKey::of(&base)).or_default().push(base);
                }
            }
            let kept = WatchedTask::of(&task);
            if !registries.contains(&key.0) {
                registries.insert(key.0.clone());
            }
            if !kept.is_empty() {
                tasks.insert(key, kept);
            }
            Ok(())
        })?;
        for dependents in watched.values_mut() {
            dependents.shrink_to_fit();
        }
        Ok(Index {
            tasks,
            task_registries: registries,
            watched,
        })
    }

    /// Every watched base.
    pub(super) fn watched_bases(&self) -> impl Iterator<Item = &WatchedBase> {
        self.watched.values().flatten()
    }
}
