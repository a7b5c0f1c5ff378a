//! Running what a cycle found due: once per task, dependents after the images they are
//! built on, and the image-update webhook.

use super::*;
use crate::model::Task;

impl Watcher {
    /// Runs every due task once, at most `max_concurrency` at a time; a task whose bases are
    /// built by another due task waits for it, and pushes by these runs make their
    /// dependents due in this same cycle.
    pub(super) fn run_due(&mut self, mut due: BTreeMap<TaskKey, Due>) -> Result<()> {
        let mut done: BTreeSet<TaskKey> = BTreeSet::new();
        let mut running: BTreeMap<TaskKey, (String, String)> = BTreeMap::new(); // key -> (registry, run id)
        loop {
            let waiting: Vec<TaskKey> = due.keys().cloned().collect();
            for key in waiting {
                if running.len() >= self.options.max_concurrency.max(1) {
                    break;
                }
                if done.contains(&key) {
                    due.remove(&key);
                    continue;
                }
                if running.contains_key(&key) || self.has_pending_upstream(&key, &due, &running)? {
                    continue;
                }
                let reason = due.remove(&key).expect("listed above");
                let trigger = reason.label();
                if let Some(run_id) = self.start(&key, reason)? {
                    self.summary.runs.push(RunOutcome {
                        registry: key.0.clone(),
                        task: key.1.clone(),
                        run_id: run_id.clone(),
                        trigger: trigger.into(),
                        status: RunStatus::Running,
                    });
                    running.insert(key.clone(), (key.0.clone(), run_id));
                }
                done.insert(key);
            }
            if running.is_empty() && due.keys().all(|k| done.contains(k)) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
            engine::reap_dead_runs(&mut self.store)?;
            let mut finished = Vec::new();
            for (key, (registry, run_id)) in &running {
                if let Some(record) = self.store.get_run(registry, run_id)?
                    && record.run.status.is_final()
                {
                    if let Some(outcome) = self
                        .summary
                        .runs
                        .iter_mut()
                        .find(|o| o.registry == *registry && o.run_id == *run_id)
                    {
                        outcome.status = record.run.status;
                    }
                    if record.run.status != RunStatus::Succeeded {
                        self.report.warn(&format!(
                            "run {run_id} of {} ended {}",
                            key.1, record.run.status
                        ));
                    } else {
                        self.report
                            .event(&format!("run {run_id} of {} succeeded", key.1));
                    }
                    finished.push(key.clone());
                }
            }
            for key in finished {
                running.remove(&key);
            }
            // What the finished runs pushed may make their dependents due now.
            self.load()?;
            let mut cascaded = BTreeMap::new();
            self.read_push_events(&mut cascaded)?;
            for (key, reason) in cascaded {
                if !done.contains(&key) {
                    due.entry(key).or_insert(reason);
                }
            }
        }
    }

    /// Whether a due or running task builds one of this task's base images.
    pub(super) fn has_pending_upstream(
        &self,
        key: &TaskKey,
        due: &BTreeMap<TaskKey, Due>,
        running: &BTreeMap<TaskKey, (String, String)>,
    ) -> Result<bool> {
        let mine = self.store.base_images(&key.0, &key.1)?;
        for other in due.keys().chain(running.keys()).filter(|k| *k != key) {
            let Some(last) = self.store.latest_run(&other.0, Some(&other.1))? else {
                continue;
            };
            let outputs = last.output_images.unwrap_or_default();
            if mine.iter().any(|b| {
                outputs.iter().any(|o| {
                    o.registry == b.registry && o.repository == b.repository && o.tag == b.tag
                })
            }) {
                return Ok(true);
            }
        }
        Ok(false)
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
                spec.rebase =
                    task.base_image_update == crate::model::status::BaseImageUpdate::Rebase;
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
