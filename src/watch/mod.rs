//! `acrt watch`: each cycle, the recorded base images of every enabled task are checked (one
//! request per unique base), pushes by acrt's own runs are read from the store, timers and
//! branch heads are looked at, and every task that is due runs once, dependents after the
//! tasks whose images they are built on.

pub mod listen;
pub mod lock;
mod logins;
mod metrics;
pub mod report;
mod summary;
pub mod triggers;

use chrono::Utc;
use futures_util::StreamExt;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::engine::{self, RunSpec};
use crate::error::Result;
use crate::model::Platform;
use crate::model::Task;
use crate::model::image::{ImageRef, short_digest};
use crate::model::run::{
    ImageUpdateTrigger, SourceTriggerDescriptor, TimerTriggerDescriptor, UpdatedImage,
};
use crate::model::status::RunStatus;
use crate::registry::{Credentials, RegistryClient};
use crate::store::{Store, WatchedBase};
use report::Reporter;

pub struct WatchOptions {
    pub state_dir: PathBuf,
    pub once: bool,
    pub interval: Duration,
    /// Per registry (login server): how often its bases are checked, instead of `interval`.
    pub poll_intervals: BTreeMap<String, Duration>,
    /// For registries no task pushes to (public ones): how often, instead of `interval`.
    pub external_interval: Option<Duration>,
    pub max_concurrency: usize,
    pub listen: Option<String>,
    pub builder: Option<String>,
    /// A podman service to build on (`core.builder_url`).
    pub builder_url: Option<String>,
    pub retention_days: u32,
    /// Concurrent manifest requests per cycle.
    pub request_concurrency: usize,
}

pub use summary::WatchSummary;
use summary::{BaseProblem, Fired, RunOutcome};

type TaskKey = (String, String); // (registry, task name)

/// Why a task is due this cycle; the first reason found wins (one run per task per cycle).
#[derive(Debug, Clone)]
enum Due {
    ImageUpdate(Vec<UpdatedImage>),
    Commit(SourceTriggerDescriptor),
    Timer(TimerTriggerDescriptor),
}

impl Due {
    /// As `task list-runs` names the trigger.
    fn label(&self) -> &'static str {
        match self {
            Due::ImageUpdate(_) => "Image Update",
            Due::Commit(_) => "Commit",
            Due::Timer(_) => "Timer",
        }
    }
}

/// A unique base: one manifest request serves every task built on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct BaseKey {
    registry: String,
    repository: String,
    tag: String,
    platform: String,
}

struct Watcher {
    options: WatchOptions,
    store: Store,
    rt: tokio::runtime::Runtime,
    report: Reporter,
    tasks: BTreeMap<TaskKey, Task>,
    bases: Vec<WatchedBase>,
    /// The bases that triggers follow, by unique base: computed once per load.
    watched: BTreeMap<BaseKey, Vec<WatchedBase>>,
    pushed_rx: Option<std::sync::mpsc::Receiver<listen::PushedRef>>,
    summary: WatchSummary,
    /// What `--listen` serves on /metrics.
    metrics: std::sync::Arc<metrics::Metrics>,
    /// The store's data version when tasks and bases were last read.
    loaded_version: Option<i64>,
    /// When the earliest timer is next due (None: look every cycle).
    next_timer: Option<chrono::DateTime<Utc>>,
    /// When each registry's bases are next checked.
    next_poll: BTreeMap<String, Instant>,
    /// When the commit triggers are next checked.
    next_commits: Instant,
}

pub fn run(options: WatchOptions, quiet: bool) -> Result<WatchSummary> {
    let store = Store::open(&options.state_dir)?;
    let report = Reporter::new(quiet);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut watcher = Watcher {
        options,
        store,
        rt,
        report,
        tasks: BTreeMap::new(),
        bases: Vec::new(),
        watched: BTreeMap::new(),
        pushed_rx: None,
        summary: WatchSummary::default(),
        metrics: Default::default(),
        loaded_version: None,
        next_timer: None,
        next_poll: BTreeMap::new(),
        next_commits: Instant::now(),
    };
    if watcher.store.watch_get("events.last_id")?.is_none() {
        // A new watcher acts on pushes from now on; older ones are covered by the poll.
        let last = watcher.store.last_event_id()?;
        watcher
            .store
            .watch_set("events.last_id", &last.to_string())?;
    }
    if let Some(addr) = watcher.options.listen.clone() {
        let (tx, rx) = std::sync::mpsc::channel();
        let bound = listen::start(&addr, tx, watcher.metrics.clone())?;
        watcher.report.event(&format!(
            "listening for registry notifications on http://{bound}/"
        ));
        watcher.pushed_rx = Some(rx);
    }
    if watcher.options.once {
        watcher.cycle(true)?;
        watcher.report.finish();
        return Ok(watcher.summary);
    }
    let mut next_poll = Instant::now();
    loop {
        let poll = Instant::now() >= next_poll;
        if poll {
            next_poll = Instant::now() + jittered(watcher.options.interval);
        }
        watcher.cycle(poll)?;
        watcher.report.status(&format!(
            "watching; next registry check in {}s",
            next_poll
                .saturating_duration_since(Instant::now())
                .as_secs()
        ));
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The interval plus up to 10% at random, so that many watchers do not poll in step.
fn jittered(interval: Duration) -> Duration {
    let nanos = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .subsec_nanos(),
    );
    interval + interval.mul_f64((nanos % 1000) as f64 / 10_000.0)
}

impl Watcher {
    /// One cycle: find what is due (the registry poll only when `poll`), then run it.
    fn cycle(&mut self, poll: bool) -> Result<()> {
        let started = Instant::now();
        self.summary.cycles += 1;
        // Tasks and bases are read again only when another process changed the store (or
        // for a registry check): an idle watcher parses nothing twice a second.
        let version = self.store.data_version()?;
        let changed = self.loaded_version != Some(version);
        if poll || changed || !self.registries_to_poll().is_empty() {
            self.load()?;
            self.loaded_version = Some(version);
        }
        let registries = self.registries_to_poll();
        let poll = poll || !registries.is_empty();
        let mut due: BTreeMap<TaskKey, Due> = BTreeMap::new();
        self.read_push_events(&mut due)?;
        self.read_notifications(&mut due)?;
        if poll {
            self.poll_bases(&mut due, &registries)?;
        }
        if poll && (self.options.once || Instant::now() >= self.next_commits) {
            self.next_commits = Instant::now() + jittered(self.options.interval);
            self.check_commits(&mut due)?;
        }
        // Timers are looked at when the earliest one is due, or when tasks changed.
        if changed || self.next_timer.is_none_or(|next| Utc::now() >= next) {
            self.check_timers(&mut due)?;
        }
        if !due.is_empty() {
            self.run_due(due)?;
        }
        if !self.options.once && (poll || !self.summary.runs.is_empty()) {
            let s = &self.summary;
            self.report.event(&format!(
                "cycle {}: {} base(s) checked, {} changed, {} missing, {} could not be checked; {} run(s) started, {} did not succeed",
                s.cycles,
                s.bases.checked,
                s.bases.changed,
                s.bases.missing,
                s.bases.failed,
                s.runs.len(),
                s.failed_runs().len()
            ));
        }
        if poll || !self.summary.runs.is_empty() {
            self.metrics
                .add_cycle(&self.summary, started.elapsed().as_secs_f64());
        }
        if !self.options.once {
            // A long-running watch reports each cycle and keeps nothing of it: months of
            // cycles cost no memory.
            self.summary = WatchSummary {
                cycles: self.summary.cycles,
                ..WatchSummary::default()
            };
        }
        Ok(())
    }

    fn load(&mut self) -> Result<()> {
        self.tasks = self
            .store
            .list_all_tasks()?
            .into_iter()
            .map(|r| ((r.registry, r.task.name.clone()), r.task))
            .collect();
        self.bases = self.store.all_base_images()?;
        let mut watched: BTreeMap<BaseKey, Vec<WatchedBase>> = BTreeMap::new();
        for base in self.bases.iter().filter(|b| self.is_watched(b)) {
            watched
                .entry(base_key(base))
                .or_default()
                .push(base.clone());
        }
        self.watched = watched;
        Ok(())
    }

    /// Whether the base's task follows it ([`Task::watches`]).
    fn is_watched(&self, b: &WatchedBase) -> bool {
        self.tasks
            .get(&(b.task_registry.clone(), b.task.clone()))
            .is_some_and(|task| task.watches(b))
    }

    /// Every watched base.
    fn watched_bases(&self) -> Vec<&WatchedBase> {
        self.watched.values().flatten().collect()
    }

    fn credentials(&self) -> Credentials {
        Credentials::of_tasks(self.tasks.values())
    }

    /// Pushes by acrt's own runs, from the store: no registry request needed.
    fn read_push_events(&mut self, due: &mut BTreeMap<TaskKey, Due>) -> Result<()> {
        let last: i64 = self
            .store
            .watch_get("events.last_id")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let events = self.store.push_events_after(last)?;
        let Some(newest) = events.last().map(|e| e.id) else {
            return Ok(());
        };
        // The newest digest of each pushed tag.
        let mut latest: BTreeMap<(String, String, Option<String>), String> = BTreeMap::new();
        for e in events {
            latest.insert((e.registry, e.repository, e.tag), e.digest);
        }
        let mut changes = Vec::new();
        for ((registry, repository, tag), digest) in latest {
            for base in self.watched_bases() {
                if base.registry == registry && base.repository == repository && base.tag == tag {
                    let known = [&base.index_digest, &base.platform_digest]
                        .iter()
                        .any(|d| d.as_deref() == Some(digest.as_str()));
                    if !known {
                        changes.push((base.clone(), digest.clone()));
                    }
                }
            }
        }
        for (base, digest) in changes {
            // A single-manifest base pushed anew: the pushed digest is the new platform digest.
            // A multi-platform one needs the index read to know whether its platform moved.
            let single = base.index_digest == base.platform_digest;
            let new_platform = if single {
                Some(digest.clone())
            } else {
                self.resolve_platform(&base)?
            };
            if let Some(new_platform) = new_platform
                && Some(&new_platform) != base.platform_digest.as_ref()
            {
                self.report.event(&format!(
                    "{}/{}:{} was pushed ({}): {} is due",
                    base.registry,
                    base.repository,
                    base.tag.as_deref().unwrap_or(""),
                    short_digest(&new_platform),
                    base.task
                ));
                mark_image_update(due, &base, &new_platform);
            }
        }
        self.store.watch_set("events.last_id", &newest.to_string())
    }

    /// Pushes the registry told us about (`--listen`): check just those tags now.
    fn read_notifications(&mut self, due: &mut BTreeMap<TaskKey, Due>) -> Result<()> {
        let Some(rx) = &self.pushed_rx else {
            return Ok(());
        };
        let pushed: BTreeSet<listen::PushedRef> = rx.try_iter().collect();
        if pushed.is_empty() {
            return Ok(());
        }
        let keys: BTreeSet<BaseKey> = self
            .watched_bases()
            .into_iter()
            .filter(|b| {
                pushed.iter().any(|(r, repo, tag)| {
                    *r == b.registry && *repo == b.repository && Some(tag) == b.tag.as_ref()
                })
            })
            .map(base_key)
            .collect();
        if !keys.is_empty() {
            self.report.event(&format!(
                "registry notification: checking {} base image(s)",
                keys.len()
            ));
            self.check_keys(keys, due)?;
        }
        Ok(())
    }

    /// One HEAD per unique base (deduplicated by registry, repository, tag and platform).
    /// The registries whose bases are due for a check: all of them under `--once`; else
    /// each at its own interval ([`Watcher::interval_for`]).
    fn registries_to_poll(&self) -> BTreeSet<String> {
        let now = Instant::now();
        self.watched
            .keys()
            .map(|k| &k.registry)
            .filter(|r| self.options.once || self.next_poll.get(*r).is_none_or(|t| now >= *t))
            .cloned()
            .collect()
    }

    /// How often a registry's bases are checked: its `registries.<name>.poll_interval`; else
    /// for a registry no task pushes to, `core.external_poll_interval`; else `--interval`.
    fn interval_for(&self, registry: &str) -> Duration {
        if let Some(i) = self.options.poll_intervals.get(registry) {
            return *i;
        }
        let pushed_to = self.tasks.keys().any(|(r, _)| r == registry);
        match self.options.external_interval {
            Some(i) if !pushed_to => i,
            _ => self.options.interval,
        }
    }

    fn poll_bases(
        &mut self,
        due: &mut BTreeMap<TaskKey, Due>,
        registries: &BTreeSet<String>,
    ) -> Result<()> {
        let keys: BTreeSet<BaseKey> = self
            .watched
            .keys()
            .filter(|k| registries.contains(&k.registry))
            .cloned()
            .collect();
        let now = Instant::now();
        for registry in registries {
            let next = now + jittered(self.interval_for(registry));
            self.next_poll.insert(registry.clone(), next);
        }
        if self.watched.is_empty() {
            self.report.event(
                "no task has recorded base images to check yet (a task records them when it runs)",
            );
            return Ok(());
        }
        if keys.is_empty() {
            return Ok(());
        }
        let count = keys.len();
        let registries: BTreeSet<&str> = keys.iter().map(|k| k.registry.as_str()).collect();
        let registries = registries.len();
        self.report
            .status(&format!("checking {count} base image(s)"));
        let before = due.len();
        self.check_keys(keys, due)?;
        self.report.event(&format!(
            "checked {count} base image(s) in {registries} registr{}: {} task(s) due",
            if registries == 1 { "y" } else { "ies" },
            due.len() - before
        ));
        Ok(())
    }

    fn check_keys(
        &mut self,
        keys: BTreeSet<BaseKey>,
        due: &mut BTreeMap<TaskKey, Due>,
    ) -> Result<()> {
        let now = Utc::now();
        let mut skipped: BTreeSet<String> = BTreeSet::new();
        for key in &keys {
            if let Some(until) = self.backoff_until(&key.registry)?
                && until > now
            {
                skipped.insert(key.registry.clone());
            }
        }
        for registry in &skipped {
            self.report.warn(&format!(
                "registry {registry} is backed off after failures; skipping it this cycle"
            ));
        }
        for key in keys.iter().filter(|k| skipped.contains(&k.registry)) {
            self.summary.bases.failed += 1;
            self.summary.failed.push(BaseProblem {
                image: image_of(key).to_string(),
                registry: key.registry.clone(),
                reason: "the registry is backed off after failures in a row".into(),
            });
        }
        let wanted: Vec<BaseKey> = keys
            .into_iter()
            .filter(|k| !skipped.contains(&k.registry))
            .collect();
        // Each base is read with its own tasks' logins, then the user's own.
        let mut logins = logins::Logins::new();
        let mut known = BTreeMap::new();
        let plan: Vec<(BaseKey, Vec<logins::Try>)> = wanted
            .iter()
            .map(|key| {
                let dependents = self.watched.get(key).cloned().unwrap_or_default();
                let api = api_registry(&key.registry);
                let tries =
                    logins.candidates(&self.tasks, &dependents, &key.registry, &api, &mut known);
                (key.clone(), tries)
            })
            .collect();
        let concurrency = self.options.request_concurrency.max(1);
        let failed_registries = std::cell::RefCell::new(BTreeSet::<String>::new());
        let results: Vec<(BaseKey, Checked)> = self.rt.block_on(
            futures_util::stream::iter(plan)
                .map(|(key, tries)| {
                    let failed = &failed_registries;
                    let logins = &logins;
                    async move {
                        if failed.borrow().contains(&key.registry) {
                            let why = "skipped after an earlier failure of its registry this cycle";
                            return (key, Checked::failed(Failure::Registry, why.to_string()));
                        }
                        let checked = check_one(&key, &tries, logins).await;
                        // A missing tag or a refused login is that base's; the rest its registry's.
                        if matches!(checked.result, Err((Failure::Registry, _))) {
                            failed.borrow_mut().insert(key.registry.clone());
                        }
                        (key, checked)
                    }
                })
                .buffer_unordered(concurrency)
                .collect(),
        );
        let mut errors: BTreeMap<String, String> = BTreeMap::new();
        let mut ok_registries: BTreeSet<String> = BTreeSet::new();
        let known_missing = self.store.watch_keys("missing:")?;
        let mut still_missing = BTreeSet::new();
        for (key, checked) in results {
            self.report_refused_logins(&checked)?;
            match checked.result {
                Ok((index_digest, by)) => {
                    ok_registries.insert(key.registry.clone());
                    self.summary.bases.checked += 1;
                    if self.compare(&logins.clients[by], &key, &index_digest, due)? {
                        self.summary.bases.changed += 1;
                    } else {
                        self.summary.bases.unchanged += 1;
                    }
                }
                Err((Failure::Missing, message)) => {
                    ok_registries.insert(key.registry.clone());
                    self.summary.bases.checked += 1;
                    self.summary.bases.missing += 1;
                    let state = missing_key(&key);
                    if !known_missing.contains(&state) {
                        self.report.warn(&format!(
                            "{message}; the tasks built on it are not rebuilt until the tag is back (said once)"
                        ));
                        self.store.watch_set(&state, &Utc::now().to_rfc3339())?;
                    }
                    still_missing.insert(state);
                    self.summary.missing.push(BaseProblem {
                        image: image_of(&key).to_string(),
                        registry: key.registry.clone(),
                        reason: message,
                    });
                }
                Err((Failure::Denied, message)) => {
                    // The registry answered: no back-off; the fix is in the message.
                    ok_registries.insert(key.registry.clone());
                    self.summary.bases.failed += 1;
                    self.summary.failed.push(BaseProblem {
                        image: image_of(&key).to_string(),
                        registry: key.registry.clone(),
                        reason: message,
                    });
                }
                Err((Failure::Registry, message)) => {
                    self.summary.bases.failed += 1;
                    self.summary.failed.push(BaseProblem {
                        image: image_of(&key).to_string(),
                        registry: key.registry.clone(),
                        reason: message.clone(),
                    });
                    errors.entry(key.registry.clone()).or_insert(message);
                }
            }
        }
        // A base that is back, or no longer watched, is forgotten (and warned of again if it
        // goes missing again).
        for state in known_missing.difference(&still_missing) {
            self.store.watch_delete(state)?;
        }
        for (registry, message) in &errors {
            let failures = self.record_failure(registry)?;
            self.report.warn(&format!(
                "{message}; no run is triggered from {registry} and nothing recorded changes; backing off ({failures} failure(s) in a row)"
            ));
        }
        // A back-off ends on the first success (written only when there was one).
        let backed_off = self.store.watch_keys("backoff:")?;
        for registry in ok_registries.difference(&errors.keys().cloned().collect()) {
            let key = format!("backoff:{registry}");
            if backed_off.contains(&key) {
                self.store.watch_delete(&key)?;
            }
        }
        Ok(())
    }

    /// Compares what a base's tag points to now with what each dependent task was built on;
    /// whether the base changed for any of them.
    fn compare(
        &mut self,
        client: &RegistryClient,
        key: &BaseKey,
        index_digest: &str,
        due: &mut BTreeMap<TaskKey, Due>,
    ) -> Result<bool> {
        let dependents: Vec<WatchedBase> = self.watched.get(key).cloned().unwrap_or_default();
        if dependents
            .iter()
            .all(|b| b.index_digest.as_deref() == Some(index_digest))
        {
            return Ok(false);
        }
        // The tag moved: is it this platform's image that changed, or only the index?
        let platform = Platform::parse_any(&key.platform)?;
        let resolved = match self.rt.block_on(client.resolve(&image_of(key), &platform)) {
            Ok(r) => r,
            Err(e) => {
                self.report
                    .warn(&format!("{e:#}; no run is triggered for it this cycle"));
                return Ok(false);
            }
        };
        let mut changed = false;
        for base in dependents {
            if base.index_digest.as_deref() == Some(index_digest) {
                continue;
            }
            if base.platform_digest.as_deref() == Some(resolved.platform_digest.as_str()) {
                if let Some(old) = &base.index_digest {
                    self.store.update_index_digest(
                        &key.registry,
                        &key.repository,
                        Some(&key.tag),
                        &key.platform,
                        old,
                        &resolved.index_digest,
                    )?;
                }
                continue;
            }
            self.report.event(&format!(
                "{}/{}:{} changed ({} -> {}): {} is due",
                key.registry,
                key.repository,
                key.tag,
                short_digest(base.platform_digest.as_deref().unwrap_or("none")),
                short_digest(&resolved.platform_digest),
                base.task
            ));
            mark_image_update(due, &base, &resolved.platform_digest);
            changed = true;
        }
        Ok(changed)
    }

    /// A task's login refused is said once, when it starts failing, and once when it works
    /// again; not every cycle.
    fn report_refused_logins(&mut self, checked: &Checked) -> Result<()> {
        for (owner, _) in &checked.refused {
            let key = owner.state_key();
            if self.store.watch_get(&key)?.is_none() {
                self.report.warn(&owner.fix());
                self.store.watch_set(&key, &Utc::now().to_rfc3339())?;
            }
        }
        if let Some(owner) = &checked.accepted {
            let key = owner.state_key();
            if self.store.watch_get(&key)?.is_some() {
                self.report.event(&format!(
                    "the login stored for task {} works again for {}",
                    owner.task, owner.server
                ));
                self.store.watch_delete(&key)?;
            }
        }
        Ok(())
    }

    fn backoff_until(&self, registry: &str) -> Result<Option<chrono::DateTime<Utc>>> {
        Ok(self
            .store
            .watch_get(&format!("backoff:{registry}"))?
            .and_then(|v| v.split_whitespace().next().map(str::to_string))
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// Backs a failing registry off: the interval, doubled with each failure, at most 30 min.
    fn record_failure(&mut self, registry: &str) -> Result<u32> {
        let key = format!("backoff:{registry}");
        let failures = self
            .store
            .watch_get(&key)?
            .and_then(|v| {
                v.split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse::<u32>().ok())
            })
            .unwrap_or(0)
            + 1;
        let delay = (self.options.interval * 2u32.saturating_pow(failures - 1))
            .min(Duration::from_secs(1800));
        // Under --once (cron) the next invocation is the retry; back off from the one after.
        let delay = if self.options.once && failures == 1 {
            Duration::ZERO
        } else {
            delay
        };
        let until = Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
        self.store
            .watch_set(&key, &format!("{} {failures}", until.to_rfc3339()))?;
        Ok(failures)
    }

    /// Timers cost nothing until they fire: each one's next occurrence is kept, read with
    /// every other in one query, and written only when it fires (or is first seen).
    fn check_timers(&mut self, due: &mut BTreeMap<TaskKey, Due>) -> Result<()> {
        let now = Utc::now();
        let states = self.store.watch_entries("timer:")?;
        let mut fired = Vec::new();
        let mut writes = Vec::new();
        // The earliest next occurrence of any timer: until then nothing is looked at.
        let mut earliest: Option<chrono::DateTime<Utc>> = None;
        let mut note = |next: chrono::DateTime<Utc>| {
            earliest = Some(earliest.map_or(next, |e| e.min(next)));
        };
        for ((registry, name), task) in &self.tasks {
            if !task.status.is_enabled() {
                continue;
            }
            for timer in task
                .trigger
                .timer_triggers
                .iter()
                .flatten()
                .filter(|t| t.status.is_enabled())
            {
                let key = format!("timer:{registry}/{name}/{}", timer.name);
                let state = states
                    .get(&key)
                    .and_then(|v| triggers::parse_timer_state(v));
                let after = match state {
                    // Not due yet, and the schedule is the one it was computed from.
                    Some((next, Some(schedule))) if schedule == timer.schedule && next > now => {
                        note(next);
                        continue;
                    }
                    Some((next, Some(schedule))) if schedule == timer.schedule => {
                        Some(next - chrono::Duration::seconds(1))
                    }
                    // An older acrt kept the last check: what fell since then fires.
                    Some((last, None)) => Some(last),
                    // New, or its schedule changed: it fires from its next occurrence on.
                    _ => None,
                };
                if let Some(after) = after
                    && let Some(occurrence) =
                        triggers::latest_occurrence(&timer.schedule, after, now)
                {
                    fired.push((
                        (registry.clone(), name.clone()),
                        timer.name.clone(),
                        occurrence,
                    ));
                }
                if let Some(next) = triggers::next_occurrence(&timer.schedule, now) {
                    note(next);
                    writes.push((key, triggers::timer_state(next, &timer.schedule)));
                }
            }
        }
        self.store.watch_set_many(&writes)?;
        // Checked again at the earliest occurrence, or at the latest in a minute (a clock
        // that jumps, a timer state another process wrote).
        let cap = now + chrono::Duration::seconds(60);
        self.next_timer = Some(earliest.map_or(cap, |e| e.min(cap)));
        for (key, timer, occurrence) in fired {
            self.report
                .event(&format!("timer {timer} of {} fired ({occurrence})", key.1));
            self.summary.timers_fired.push(Fired {
                registry: key.0.clone(),
                task: key.1.clone(),
                what: timer.clone(),
            });
            due.entry(key)
                .or_insert_with(|| Due::Timer(triggers::timer_descriptor(&timer, occurrence)));
        }
        Ok(())
    }

    fn check_commits(&mut self, due: &mut BTreeMap<TaskKey, Due>) -> Result<()> {
        let sources: Vec<(TaskKey, String, Option<String>, Option<String>)> = self
            .tasks
            .iter()
            .filter(|(_, t)| t.status.is_enabled())
            .filter_map(|(k, t)| {
                triggers::commit_source(t).map(|(url, branch)| {
                    (
                        k.clone(),
                        url,
                        branch,
                        t.step.source().context_access_token.clone(),
                    )
                })
            })
            .collect();
        for (key, url, branch, token) in sources {
            let state = format!("commit:{}/{}", key.0, key.1);
            match triggers::branch_head(&url, branch.as_deref(), token.as_deref()) {
                Ok(head) => {
                    let seen = self.store.watch_get(&state)?;
                    if let Some(seen) = seen
                        && seen != head
                    {
                        self.report.event(&format!(
                            "{url} {} moved to {}: {} is due",
                            branch.as_deref().unwrap_or("HEAD"),
                            short_digest(&head),
                            key.1
                        ));
                        due.entry(key.clone()).or_insert_with(|| {
                            Due::Commit(triggers::source_descriptor(&url, branch.as_deref(), &head))
                        });
                        self.summary.commits_fired.push(Fired {
                            registry: key.0.clone(),
                            task: key.1.clone(),
                            what: head.clone(),
                        });
                    }
                    self.store.watch_set(&state, &head)?;
                }
                Err(e) => self
                    .report
                    .warn(&format!("cannot read the branch head of {url}: {e}")),
            }
        }
        Ok(())
    }

    /// Runs every due task once, at most `max_concurrency` at a time; a task whose bases are
    /// built by another due task waits for it, and pushes by these runs make their
    /// dependents due in this same cycle.
    fn run_due(&mut self, mut due: BTreeMap<TaskKey, Due>) -> Result<()> {
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
                        status: RunStatus::Running.to_string(),
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
                        outcome.status = record.run.status.to_string();
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
    fn has_pending_upstream(
        &self,
        key: &TaskKey,
        due: &BTreeMap<TaskKey, Due>,
        running: &BTreeMap<TaskKey, (String, String)>,
    ) -> Result<bool> {
        let mine: Vec<&WatchedBase> = self
            .bases
            .iter()
            .filter(|b| b.task_registry == key.0 && b.task == key.1)
            .collect();
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
    fn start(&mut self, key: &TaskKey, reason: Due) -> Result<Option<String>> {
        let Some(task) = self.tasks.get(key).cloned() else {
            return Ok(None);
        };
        let mut spec = RunSpec::for_task(&key.0, &task)?;
        spec.builder = self.options.builder.clone();
        spec.builder_url = self.options.builder_url.clone();
        let update = match &reason {
            Due::ImageUpdate(images) => {
                let trigger = ImageUpdateTrigger {
                    id: format!("image-update-{}", Utc::now().timestamp_millis()),
                    images: images.clone(),
                    timestamp: crate::model::task::now_rfc3339(),
                };
                spec.image_update_trigger = Some(trigger.clone());
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
        engine::spawn_detached(&mut self.store, &key.0, &run.run_id)?;
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
    fn notify_endpoint(
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

    fn resolve_platform(&self, base: &WatchedBase) -> Result<Option<String>> {
        let key = base_key(base);
        let client = RegistryClient::new(self.credentials(), &[api_registry(&key.registry)]);
        match self
            .rt
            .block_on(client.resolve(&image_of(&key), &Platform::parse_any(&key.platform)?))
        {
            Ok(r) => Ok(Some(r.platform_digest)),
            Err(e) => {
                self.report.warn(&format!("{e:#}"));
                Ok(None)
            }
        }
    }
}

fn mark_image_update(due: &mut BTreeMap<TaskKey, Due>, base: &WatchedBase, new_digest: &str) {
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

/// Why a base could not be read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Failure {
    /// The registry does not have the tag.
    Missing,
    /// Every login tried was refused.
    Denied,
    /// The registry is down, timed out, or keeps refusing requests (429, 5xx).
    Registry,
}

/// One base's check: its index digest and the client that read it, or why not; and the
/// tasks' logins that were refused on the way.
struct Checked {
    result: std::result::Result<(String, usize), (Failure, String)>,
    refused: Vec<(logins::Owner, String)>,
    accepted: Option<logins::Owner>,
}

impl Checked {
    fn failed(kind: Failure, message: String) -> Checked {
        Checked {
            result: Err((kind, message)),
            refused: Vec::new(),
            accepted: None,
        }
    }
}

/// Reads a base's digest with each login in `tries` until one is not refused.
async fn check_one(key: &BaseKey, tries: &[logins::Try], logins: &logins::Logins) -> Checked {
    let image = image_of(key);
    let mut refused: Vec<(logins::Owner, String)> = Vec::new();
    let mut own_refused = None;
    for (i, owner) in tries {
        let e = match logins.clients[*i].head_digest(&image).await {
            Ok(digest) => {
                return Checked {
                    result: Ok((digest, *i)),
                    refused,
                    accepted: owner.clone(),
                };
            }
            Err(e) => e,
        };
        let message = format!("{e:#}");
        let kind = if matches!(
            e.downcast_ref::<crate::error::Error>(),
            Some(crate::error::Error::Missing(_))
        ) {
            Failure::Missing
        } else if logins::is_auth_failure(&message) {
            Failure::Denied
        } else {
            Failure::Registry
        };
        if kind != Failure::Denied {
            return Checked {
                result: Err((kind, message)),
                refused,
                accepted: None,
            };
        }
        match owner {
            Some(owner) => refused.push((owner.clone(), message)),
            None => own_refused = Some(message),
        }
    }
    let reason = match (refused.first(), own_refused) {
        (Some((owner, _)), _) => format!("{}: {}", image, owner.fix()),
        (None, Some(message)) => message,
        (None, None) => format!("{image}: no login was accepted"),
    };
    Checked {
        result: Err((Failure::Denied, reason)),
        refused,
        accepted: None,
    }
}

/// The watch state key that says a base was found missing (and warned of).
fn missing_key(key: &BaseKey) -> String {
    format!(
        "missing:{}/{}:{}/{}",
        key.registry, key.repository, key.tag, key.platform
    )
}

fn base_key(base: &WatchedBase) -> BaseKey {
    BaseKey {
        registry: base.registry.clone(),
        repository: base.repository.clone(),
        tag: base.tag.clone().unwrap_or_default(),
        platform: base.platform.clone(),
    }
}

fn image_of(key: &BaseKey) -> ImageRef {
    ImageRef {
        registry: key.registry.clone(),
        repository: key.repository.clone(),
        tag: Some(key.tag.clone()),
        digest: None,
    }
}

fn api_registry(registry: &str) -> String {
    image_of(&BaseKey {
        registry: registry.into(),
        repository: "x".into(),
        tag: "x".into(),
        platform: String::new(),
    })
    .api_registry()
    .to_string()
}
