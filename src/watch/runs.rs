//! Running what a cycle found due: once per task, dependents after the images they are
//! built on, and the image-update webhook.

use chrono::Utc;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::scheduler::Schedule;
use super::summary::RunOutcome;
use super::{Due, TaskKey, Watcher, exits};
use crate::engine::{self, RunSpec};
use crate::error::Result;
use crate::model::Task;
use crate::model::graph::{self, TaskLinks};
use crate::model::run::{ImageUpdateTrigger, UpdatedImage};
use crate::model::status::RunStatus;
use crate::store::WatchedBase;

impl Watcher {
    /// Runs every due task once, at most `max_concurrency` at a time, in the order of the
    /// task graph: a task waits while an upstream of it is due or running (whoever started
    /// it), and pushes by these runs make their dependents due in this same cycle. What is
    /// decided is written before it starts ([`Store::decide_starts`]), so that a watcher
    /// started again finds its runs going instead of starting them twice.
    pub(super) fn run_due(&mut self, due: BTreeMap<TaskKey, Due>) -> Result<()> {
        engine::reap_dead_runs(&mut self.store)?;
        let mut schedule = Schedule::new(BTreeMap::new());
        // Each pending task's links, read once: they change only when its own run ends,
        // and then it is no longer pending.
        let mut links = BTreeMap::new();
        // The tasks version the index was last read at, within these runs.
        let mut loaded = self.loaded_version;
        let due = self.adopt_going_runs(due, &mut schedule)?;
        for (key, reason) in due {
            self.decide(&key, &reason)?;
            schedule.add(key, reason, merge_due);
        }
        loop {
            schedule.set_upstreams(self.upstreams(&schedule.pending(), &mut links)?);
            while let Some((key, reason)) = schedule.next(self.options.max_concurrency) {
                let trigger = reason.label();
                match self.start(&key, reason)? {
                    Some(run_id) => {
                        self.summary.runs.push(RunOutcome {
                            registry: key.0.clone(),
                            task: key.1.clone(),
                            run_id: run_id.clone(),
                            trigger: trigger.into(),
                            status: RunStatus::Running,
                        });
                        schedule.started(key, run_id);
                    }
                    None => self.store.forget_starts(&key.0, &key.1, None)?,
                }
            }
            if schedule.is_over() {
                return Ok(());
            }
            self.wait_for_runs(&mut schedule)?;
            // A task whose run ended has new links, should it be pending again.
            let pending = schedule.pending();
            links.retain(|k, _| pending.contains(k));
            // What the finished runs pushed may make their dependents due now.
            // (The next cycle still reads them again, and looks at the timers: tasks changed.)
            let version = Some(self.store.tasks_version()?);
            if loaded != version {
                self.load()?;
                loaded = version;
            }
            let mut cascaded = BTreeMap::new();
            self.read_push_events(&mut cascaded)?;
            for (key, reason) in cascaded {
                if schedule.accepts(&key) {
                    self.decide(&key, &reason)?;
                    schedule.add(key, reason, merge_due);
                }
            }
        }
    }

    /// Notes, before anything starts, the base changes a task is run for.
    fn decide(&mut self, key: &TaskKey, reason: &Due) -> Result<()> {
        match reason {
            Due::ImageUpdate(images) => self.store.decide_starts(&key.0, &key.1, images),
            _ => Ok(()),
        }
    }

    /// The runs an earlier watcher started and that still go: each counts as running (its
    /// dependents wait for it), and the base changes it takes are not due again. What it
    /// decided and did not start is due now. Ended runs are forgotten.
    fn adopt_going_runs(
        &mut self,
        mut due: BTreeMap<TaskKey, Due>,
        schedule: &mut Schedule<TaskKey, Due>,
    ) -> Result<BTreeMap<TaskKey, Due>> {
        for start in self.store.watch_starts()? {
            let key = (start.task_registry.clone(), start.task.clone());
            let Some(run_id) = start.run_id else {
                merge_into(&mut due, key, Due::ImageUpdate(vec![start.image]));
                continue;
            };
            let going = self
                .store
                .get_run(&key.0, &run_id)?
                .is_some_and(|r| !r.run.status.is_final());
            if !going {
                self.store.forget_starts(&key.0, &key.1, Some(&run_id))?;
                continue;
            }
            if let Some(Due::ImageUpdate(images)) = due.get_mut(&key) {
                images.retain(|i| !same_change(i, &start.image));
                if images.is_empty() {
                    due.remove(&key);
                }
            }
            if !schedule.running().contains_key(&key) {
                self.report.event(&format!(
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
        &self,
        pending: &BTreeSet<TaskKey>,
        known: &mut BTreeMap<TaskKey, TaskLinks<TaskKey>>,
    ) -> Result<BTreeMap<TaskKey, BTreeSet<TaskKey>>> {
        for key in pending {
            if !known.contains_key(key) {
                let l = self.store.task_links(&key.0, &key.1)?;
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
    fn wait_for_runs(&mut self, schedule: &mut Schedule<TaskKey, Due>) -> Result<()> {
        let mut runners = Vec::new();
        let mut ended = false;
        for (key, run_id) in schedule.running() {
            match self.store.get_run(&key.0, run_id)? {
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
            engine::reap_dead_runs(&mut self.store)?;
        }
        let running: Vec<(TaskKey, String)> = schedule
            .running()
            .iter()
            .map(|(k, r)| (k.clone(), r.clone()))
            .collect();
        for (key, run_id) in running {
            let status = self.store.get_run(&key.0, &run_id)?.map(|r| r.run.status);
            if status.is_some_and(|s| !s.is_final()) {
                continue;
            }
            let status = status.unwrap_or(RunStatus::Failed);
            self.note_ended(&key, &run_id, status);
            self.store.forget_starts(&key.0, &key.1, Some(&run_id))?;
            schedule.finished(&key);
        }
        Ok(())
    }

    fn note_ended(&mut self, key: &TaskKey, run_id: &str, status: RunStatus) {
        if let Some(outcome) = self
            .summary
            .runs
            .iter_mut()
            .find(|o| o.registry == key.0 && o.run_id == run_id)
        {
            outcome.status = status;
        }
        if status == RunStatus::Succeeded {
            self.report
                .event(&format!("run {run_id} of {} succeeded", key.1));
        } else {
            self.report
                .warn(&format!("run {run_id} of {} ended {status}", key.1));
        }
    }

    /// Queues a run of a due task and hands it to a worker; None when the task cannot run.
    pub(super) fn start(&mut self, key: &TaskKey, reason: Due) -> Result<Option<String>> {
        // Read whole only now: the index keeps no task parsed.
        let Some(task) = self.store.get_task(&key.0, &key.1)? else {
            return Ok(None);
        };
        let mut spec = RunSpec::for_task(&key.0, &task)?;
        spec.builder = self.options.builder;
        spec.builder_url = self.options.builder_url.clone();
        spec.secret_env
            .extend(self.options.secret_env.iter().cloned());
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
        let run = engine::queue(&mut self.store, &spec, self.options.retention_days)?;
        // Written before the run starts: a watcher killed from here on finds it going.
        self.store.mark_started(&key.0, &key.1, &run.run_id)?;
        // The task's own secrets are read from the task by the worker.
        let given = engine::GivenSecrets::default();
        engine::spawn_detached(&mut self.store, &key.0, &run.run_id, &given)?;
        self.report.event(&format!(
            "started run {} of {} ({})",
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
            self.notify_endpoint(&url, &key.0, &task, &run.run_id, &trigger);
        }
        Ok(Some(run.run_id))
    }

    /// POSTs an image-update run to the task's --update-trigger-endpoint; failures only warn.
    pub(super) fn notify_endpoint(
        &self,
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
        let result = self.rt.block_on(async {
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
            self.report
                .warn(&format!("could not notify {url} of run {run_id}: {e}"));
        }
    }
}

pub(super) fn mark_image_update(
    due: &mut BTreeMap<TaskKey, Due>,
    base: &WatchedBase,
    new_digest: &str,
) {
    let image = UpdatedImage {
        digest: Some(new_digest.to_string()),
        previous_digest: base.platform_digest.clone(),
        registry: base.registry.clone(),
        repository: base.repository.clone(),
        tag: base.tag.clone(),
    };
    let entry = due
        .entry((base.task_registry.clone(), base.task.clone()))
        .or_insert_with(|| Due::ImageUpdate(Vec::new()));
    // One run per task per cycle: every base that moved is listed on it.
    if let Due::ImageUpdate(images) = entry
        && !images.contains(&image)
    {
        images.push(image);
    }
}

/// Joins a second reason a task is due into the first: the base changes of both are listed on
/// its one run; any other reason keeps the first.
fn merge_due(was: &mut Due, more: Due) {
    if let (Due::ImageUpdate(images), Due::ImageUpdate(more)) = (was, more) {
        for image in more {
            if !images.iter().any(|i| same_change(i, &image)) {
                images.push(image);
            }
        }
    }
}

fn merge_into(due: &mut BTreeMap<TaskKey, Due>, key: TaskKey, reason: Due) {
    match due.get_mut(&key) {
        Some(was) => merge_due(was, reason),
        None => {
            due.insert(key, reason);
        }
    }
}

/// The same base moved to the same digest.
fn same_change(a: &UpdatedImage, b: &UpdatedImage) -> bool {
    a.registry == b.registry
        && a.repository == b.repository
        && a.tag == b.tag
        && a.digest == b.digest
}

fn updated_image_name(image: &UpdatedImage) -> String {
    format!(
        "{}/{}:{}",
        image.registry,
        image.repository,
        image.tag.as_deref().unwrap_or_default()
    )
}
