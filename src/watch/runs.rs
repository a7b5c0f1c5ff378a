//! Running what a cycle found due: once per task, dependents after the images they are
//! built on, and the image-update webhook.

use chrono::Utc;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::due::{Due, DueTasks, TaskKey, merge_due, merge_into, same_change};
use super::scheduler::Schedule;
use super::summary::{RunOutcome, SkippedBuilder};
use super::{Shared, WatchOptions, exits};
use crate::engine::{self, RunPool, RunSpec};
use crate::error::Result;
use crate::model::RunKey;
use crate::model::Task;
use crate::model::graph::{self, TaskLinks};
use crate::model::pool::{Load, Seat};
use crate::model::run::{ImageUpdateTrigger, UpdatedImage};
use crate::model::status::RunStatus;

/// Starts the due tasks' runs, in the graph's order, each on a builder of the pool.
pub(super) struct Runner {
    max_concurrency: Option<usize>,
    builder: Option<crate::model::BuilderKind>,
    builder_url: Option<String>,
    pool: Load,
    secret_env: Vec<crate::model::names::EnvVarName>,
    task_aliases: std::collections::BTreeMap<String, String>,
    retention_days: u32,
}

impl Runner {
    pub(super) fn new(options: &WatchOptions) -> Runner {
        Runner {
            max_concurrency: options.max_concurrency,
            builder: options.builder,
            builder_url: options.builder_url.clone(),
            pool: options.pool.clone(),
            secret_env: options.secret_env.clone(),
            task_aliases: options.task_aliases.clone(),
            retention_days: options.retention_days,
        }
    }

    /// Runs every due task once, as many at a time as the pool takes (at most
    /// `max_concurrency`), each on a builder with a free seat, in the order of the
    /// task graph: a task waits while an upstream of it is due or running (whoever started
    /// it), and pushes by these runs make their dependents due in this same cycle. What is
    /// decided is written before it starts ([`Store::decide_starts`]), so that a watcher
    /// started again finds its runs going instead of starting them twice. `pushed` gives
    /// the tasks made due by what the ended runs pushed.
    pub(super) fn run_due(
        &self,
        sh: &mut Shared,
        due: DueTasks,
        mut pushed: impl FnMut(&mut Shared) -> Result<DueTasks>,
    ) -> Result<()> {
        engine::reap_dead_runs(&mut sh.store)?;
        let mut schedule = Schedule::new(BTreeMap::new());
        // Each pending task's links, read once: they change only when its own run ends,
        // and then it is no longer pending.
        let mut links = BTreeMap::new();
        let mut load = answering(sh, &self.pool);
        let limit = self
            .max_concurrency
            .map_or(load.capacity(), |m| m.min(load.capacity()));
        // The seats each run of this cycle holds, one on each builder it uses (runs adopted
        // from an earlier watcher have none: they count against the limit only).
        let mut seats: BTreeMap<TaskKey, Vec<Seat>> = BTreeMap::new();
        let due = adopt_going_runs(sh, due, &mut schedule)?;
        for (key, reason) in due {
            decide(sh, &key, &reason)?;
            schedule.add(key, reason, merge_due);
        }
        if load.capacity() == 0 {
            // What was decided is due again next cycle (adopt_going_runs).
            sh.report
                .warn("no builder of the pool answers: the due runs wait for the next cycle");
            return Ok(());
        }
        loop {
            schedule.set_upstreams(upstreams(sh, &schedule.pending(), &mut links)?);
            while let Some((key, reason)) = schedule.next(limit) {
                let trigger = reason.label();
                // Read whole only now: the index keeps no task parsed.
                let Some(task) = sh.store.get_task(&key.0, &key.1)? else {
                    sh.store.forget_starts(&key.0, &key.1, None)?;
                    continue;
                };
                let mut spec = RunSpec::for_task(&key.0, &task)?;
                // With nothing of its own running, a run never waits for room.
                let overfill = seats.is_empty();
                let Some(taken) = self.place(sh, &key, &mut spec, &mut load, overfill)? else {
                    // Its platforms' builders are full: it starts when a run ends.
                    schedule.put_back(key, reason);
                    break;
                };
                let run_id = self.start(sh, &key, reason, &task, spec)?;
                seats.insert(key.clone(), taken);
                sh.summary.runs.push(RunOutcome {
                    registry: key.0.clone(),
                    task: key.1.clone(),
                    run_id: run_id.clone(),
                    trigger: trigger.into(),
                    status: RunStatus::Running,
                });
                schedule.started(key, run_id);
            }
            if schedule.is_over() {
                return Ok(());
            }
            wait_for_runs(sh, &mut schedule)?;
            seats.retain(|key, held| {
                let going = schedule.running().contains_key(key);
                if !going {
                    load.free(held);
                }
                going
            });
            // A task whose run ended has new links, should it be pending again.
            let pending = schedule.pending();
            links.retain(|k, _| pending.contains(k));
            // What the finished runs pushed may make their dependents due now.
            for (key, reason) in pushed(sh)? {
                if schedule.accepts(&key) {
                    decide(sh, &key, &reason)?;
                    schedule.add(key, reason, merge_due);
                }
            }
        }
    }

    /// The whole pool (whatever answers now): where a platform only a task file's step
    /// names builds when the run's builder cannot, and where a run of a task with
    /// `--retry-elsewhere` may be tried once more when its builder stops answering.
    fn run_pool(&self) -> RunPool {
        RunPool::of(&self.pool, self.builder, self.builder_url.clone())
    }

    /// Places each platform of a task's run on a builder of `load` (see [`Load::place`]),
    /// the one that built it last for the task preferred; the seats taken, or None when a
    /// platform's builders are full (and `overfill` is not given).
    fn place(
        &self,
        sh: &Shared,
        key: &TaskKey,
        spec: &mut RunSpec,
        load: &mut Load,
        overfill: bool,
    ) -> Result<Option<Vec<Seat>>> {
        let last = sh.store.latest_run(&key.0, Some(&key.1))?;
        let local = (self.builder, self.builder_url.clone());
        let prefer = engine::Prefer::LastRun(last.as_ref());
        Ok(spec.place_on(load, prefer, overfill, local))
    }

    /// Queues a run of a due task as `spec` places it and hands it to a worker.
    fn start(
        &self,
        sh: &mut Shared,
        key: &TaskKey,
        reason: Due,
        task: &Task,
        mut spec: RunSpec,
    ) -> Result<String> {
        spec.pool = Some(self.run_pool());
        spec.retry_elsewhere = Some(task.retry_elsewhere);
        spec.secret_env.extend(self.secret_env.iter().cloned());
        spec.task_aliases.clone_from(&self.task_aliases);
        let update = match &reason {
            Due::ImageUpdate(images) => {
                let trigger = ImageUpdateTrigger {
                    id: format!("image-update-{}", Utc::now().timestamp_millis()),
                    images: images.clone(),
                    timestamp: crate::model::task::now_rfc3339(),
                };
                spec.image_update_trigger = Some(trigger.clone());
                // A base changed: the task's way of taking it in (rebuild or rebase).
                if task.base_image_update == crate::model::status::BaseImageUpdate::Rebase {
                    spec.plan = spec.plan.rebased();
                }
                Some(trigger)
            }
            Due::Commit(source) => {
                spec.source_trigger = Some(source.clone());
                None
            }
            Due::Timer(timer) => {
                spec.timer_trigger = Some(timer.clone());
                None
            }
        };
        let run = engine::queue(&mut sh.store, &spec, self.retention_days)?;
        // Written before the run starts: a watcher killed from here on finds it going.
        sh.store.mark_started(&key.0, &key.1, &run.run_id)?;
        // The task's own secrets are read from the task by the worker.
        let given = engine::GivenSecrets::default();
        engine::spawn_detached(&mut sh.store, &RunKey::new(&key.0, &run.run_id), &given)?;
        let on = placed_on(&spec);
        sh.report.event(&format!(
            "started run {} of {} ({}){on}",
            run.run_id,
            key.1,
            run.trigger_label()
        ));
        if let (Some(trigger), Some(url)) = (
            update,
            task.trigger
                .base_image_trigger
                .as_ref()
                .and_then(|t| t.update_trigger_endpoint.clone()),
        ) {
            notify_endpoint(sh, &url, &key.0, task, &run.run_id, &trigger);
        }
        Ok(run.run_id)
    }
}

/// " on NAME, ..." for a run placed on builders of the pool (this machine's by "local");
/// nothing for a run wholly on this machine's.
fn placed_on(spec: &RunSpec) -> String {
    let mut names: Vec<&str> = Vec::new();
    for b in &spec.platform_builders {
        let name = b.name.as_deref().unwrap_or(crate::model::pool::LOCAL);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.iter().all(|n| *n == crate::model::pool::LOCAL) {
        true => String::new(),
        false => format!(" on {}", names.join(", ")),
    }
}

/// The pool without the named builders that do not answer now (`builder::pool::answering`),
/// which are reported and given no run this cycle. Those reached are let go: the runs
/// build in workers of their own, which reach their builders themselves.
fn answering(sh: &mut Shared, pool: &Load) -> Load {
    let crate::builder::pool::Answers { load, silent, .. } = crate::builder::pool::answering(pool);
    for s in silent {
        sh.report.warn(&s.to_string());
        let skipped = SkippedBuilder {
            name: s.name,
            reason: s.reason,
        };
        if !sh.summary.skipped_builders.contains(&skipped) {
            sh.summary.skipped_builders.push(skipped);
        }
    }
    load
}

/// Notes, before anything starts, the base changes a task is run for.
fn decide(sh: &mut Shared, key: &TaskKey, reason: &Due) -> Result<()> {
    match reason {
        Due::ImageUpdate(images) => sh.store.decide_starts(&key.0, &key.1, images),
        _ => Ok(()),
    }
}

/// The runs an earlier watcher started and that still go: each counts as running (its
/// dependents wait for it), and the base changes it takes are not due again. What it
/// decided and did not start is due now. Ended runs are forgotten.
fn adopt_going_runs(
    sh: &mut Shared,
    mut due: DueTasks,
    schedule: &mut Schedule<TaskKey, Due>,
) -> Result<DueTasks> {
    for start in sh.store.watch_starts()? {
        let key = (start.task_registry.clone(), start.task.clone());
        let Some(run_id) = start.run_id else {
            merge_into(&mut due, key, Due::ImageUpdate(vec![start.image]));
            continue;
        };
        let going = sh
            .store
            .get_run(&RunKey::new(&key.0, &run_id))?
            .is_some_and(|r| !r.run.status.is_final());
        if !going {
            sh.store.forget_starts(&key.0, &key.1, Some(&run_id))?;
            continue;
        }
        if let Some(Due::ImageUpdate(images)) = due.get_mut(&key) {
            images.retain(|i| !same_change(i, &start.image));
            if images.is_empty() {
                due.remove(&key);
            }
        }
        if !schedule.running().contains_key(&key) {
            sh.report.event(&format!(
                "run {run_id} of {} (started earlier for {}) is still going",
                key.1,
                updated_image_name(&start.image)
            ));
            schedule.adopt(key, run_id);
        }
    }
    Ok(due)
}

/// Of `pending` tasks, the upstreams of each ([`crate::model::graph::upstreams`]), read
/// as `acrt task graph` reads them; `known` keeps the links read before.
fn upstreams(
    sh: &Shared,
    pending: &BTreeSet<TaskKey>,
    known: &mut BTreeMap<TaskKey, TaskLinks<TaskKey>>,
) -> Result<BTreeMap<TaskKey, BTreeSet<TaskKey>>> {
    for key in pending {
        if !known.contains_key(key) {
            let l = sh.store.task_links(&key.0, &key.1)?;
            let links = TaskLinks {
                task: key.clone(),
                bases: l.bases,
                pushed: l.pushed,
            };
            known.insert(key.clone(), links);
        }
    }
    let links: Vec<TaskLinks<TaskKey>> = pending
        .iter()
        .filter_map(|k| known.get(k).cloned())
        .collect();
    Ok(graph::upstreams(&links))
}

/// Sleeps until a running run's process ends, then notes every run that ended.
fn wait_for_runs(sh: &mut Shared, schedule: &mut Schedule<TaskKey, Due>) -> Result<()> {
    let mut runners = Vec::new();
    let mut ended = false;
    for (key, run_id) in schedule.running() {
        match sh.store.get_run(&RunKey::new(&key.0, run_id))? {
            Some(r) if !r.run.status.is_final() => {
                if let Some(pid) = r.runner_pid {
                    runners.push(exits::Runner {
                        pid,
                        start: r.runner_start,
                    });
                }
            }
            _ => ended = true,
        }
    }
    if !ended {
        exits::wait_any(&runners, None);
        engine::reap_dead_runs(&mut sh.store)?;
    }
    let running: Vec<(TaskKey, String)> = schedule
        .running()
        .iter()
        .map(|(k, r)| (k.clone(), r.clone()))
        .collect();
    for (key, run_id) in running {
        let status = sh
            .store
            .get_run(&RunKey::new(&key.0, &run_id))?
            .map(|r| r.run.status);
        if status.is_some_and(|s| !s.is_final()) {
            continue;
        }
        let status = status.unwrap_or(RunStatus::Failed);
        note_ended(sh, &key, &run_id, status);
        sh.store.forget_starts(&key.0, &key.1, Some(&run_id))?;
        schedule.finished(&key);
    }
    Ok(())
}

fn note_ended(sh: &mut Shared, key: &TaskKey, run_id: &str, status: RunStatus) {
    if let Some(outcome) = sh
        .summary
        .runs
        .iter_mut()
        .find(|o| o.registry == key.0 && o.run_id == run_id)
    {
        outcome.status = status;
    }
    if status == RunStatus::Succeeded {
        sh.report
            .event(&format!("run {run_id} of {} succeeded", key.1));
    } else {
        sh.report
            .warn(&format!("run {run_id} of {} ended {status}", key.1));
    }
}

/// POSTs an image-update run to the task's --update-trigger-endpoint; failures only warn.
fn notify_endpoint(
    sh: &Shared,
    url: &str,
    registry: &str,
    task: &Task,
    run_id: &str,
    trigger: &ImageUpdateTrigger,
) {
    let payload = serde_json::json!({
        "eventType": "ImageUpdate",
        "registry": registry,
        "task": task.name,
        "runId": run_id,
        "timestamp": trigger.timestamp,
        "baseImages": trigger.images,
    });
    let result = sh.rt.block_on(async {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()?
            .post(url)
            .json(&payload)
            .send()
            .await?
            .error_for_status()
    });
    if let Err(e) = result {
        sh.report
            .warn(&format!("could not notify {url} of run {run_id}: {e}"));
    }
}

fn updated_image_name(image: &UpdatedImage) -> String {
    format!(
        "{}/{}:{}",
        image.registry,
        image.repository,
        image.tag.as_deref().unwrap_or_default()
    )
}
