//! `acrt watch`: each cycle, the recorded base images of every enabled task are checked (one
//! request per unique base), pushes by acrt's own runs are read from the store, timers and
//! branch heads are looked at, and every task that is due runs once, dependents after the
//! tasks whose images they are built on.

mod deadlines;
mod exits;
mod index;
pub mod listen;
pub mod lock;
mod logins;
mod poll;
mod runs;
mod scheduled;
mod scheduler;

use runs::mark_image_update;
mod metrics;
pub mod report;
mod summary;
pub mod triggers;
mod wake;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::model::Platform;
use crate::model::image::{ImageRef, short_digest};
use crate::model::run::{SourceTriggerDescriptor, TimerTriggerDescriptor, UpdatedImage};
use crate::registry::probe::ManifestProbe;
use crate::store::{EventsCursor, Store, WatchedBase};
use deadlines::Deadlines;
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
    pub builder: Option<crate::model::BuilderKind>,
    /// A podman service to build on (`core.builder_url`).
    pub builder_url: Option<String>,
    /// `core.secret_env`: variables every task file may read as secrets.
    pub secret_env: Vec<crate::model::names::EnvVarName>,
    pub retention_days: u32,
    /// Concurrent manifest requests per cycle.
    pub request_concurrency: usize,
    /// How long one `git ls-remote` of a commit trigger may take (`core.registry_timeout`).
    pub commit_check_timeout: Duration,
}

pub use summary::WatchSummary;

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
    /// Manifest HEADs, with each registry's auth answer and tokens cached.
    probe: ManifestProbe,
    report: Reporter,
    /// Of each task, what decides whether it is due ([`index::WatchedTask`]).
    tasks: BTreeMap<TaskKey, index::WatchedTask>,
    /// The registries that have tasks (acrt pushes to them).
    task_registries: BTreeSet<String>,
    /// The bases that triggers follow, by unique base: computed once per load.
    watched: BTreeMap<BaseKey, Vec<WatchedBase>>,
    /// Pushes the registry notified (`--listen`), coalesced until a cycle takes them.
    inbox: Option<std::sync::Arc<listen::Inbox>>,
    /// Registries that sent a notification though no watched base is on them (said once).
    unknown_notifiers: BTreeSet<String>,
    summary: WatchSummary,
    /// What `--listen` serves on /metrics.
    metrics: std::sync::Arc<metrics::Metrics>,
    /// The store's tasks version ([`Store::tasks_version`]) when tasks and bases were last
    /// read into the index.
    loaded_version: Option<i64>,
    /// SQLite's data version at the last cycle: when it moves, another process wrote.
    seen_data_version: Option<i64>,
    /// When each registry check, the commit check and the timers are next due.
    deadlines: Deadlines,
    /// Rung by a notification or a write to the store by another process.
    alarm: std::sync::Arc<wake::Alarm>,
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
        probe: ManifestProbe::new()?,
        report,
        tasks: BTreeMap::new(),
        task_registries: BTreeSet::new(),
        watched: BTreeMap::new(),
        inbox: None,
        unknown_notifiers: BTreeSet::new(),
        summary: WatchSummary::default(),
        metrics: Default::default(),
        loaded_version: None,
        seen_data_version: None,
        deadlines: Deadlines::default(),
        alarm: Default::default(),
    };
    watcher.start_events_cursor()?;
    if let Some(addr) = watcher.options.listen.clone() {
        let inbox = std::sync::Arc::new(listen::Inbox::ringing(watcher.alarm.clone()));
        let bound = listen::start(&addr, inbox.clone(), watcher.metrics.clone())?;
        watcher.report.event(&format!(
            "listening for registry notifications on http://{bound}/"
        ));
        watcher.inbox = Some(inbox);
    }
    if watcher.options.once {
        watcher.cycle()?;
        watcher.report.finish();
        return Ok(watcher.summary);
    }
    wake::on_store_writes(watcher.store.dir(), watcher.alarm.clone());
    loop {
        watcher.cycle()?;
        if let Some(next) = watcher.deadlines.next_registry_check() {
            watcher.report.status(&format!(
                "watching; next registry check in {}s",
                next.saturating_duration_since(Instant::now()).as_secs()
            ));
        }
        watcher.wait()?;
    }
}

impl Watcher {
    /// One cycle: find what is due (pushes, notifications, and the registry checks, commit
    /// check and timers whose time has come), then run it.
    fn cycle(&mut self) -> Result<()> {
        let started = Instant::now();
        // Tasks and bases are read again only when they changed (a task created, changed or
        // deleted, a run's bases recorded), not for a push event or a registry check.
        self.seen_data_version = Some(self.store.data_version()?);
        let version = self.store.tasks_version()?;
        let changed = self.loaded_version != Some(version);
        if changed {
            self.load()?;
            self.loaded_version = Some(version);
            if self.watched.is_empty() {
                self.report.event(
                    "no task has recorded base images to check yet (a task records them when it runs)",
                );
            }
        }
        let notified = self.take_notifications();
        let mut due: BTreeMap<TaskKey, Due> = BTreeMap::new();
        self.read_push_events(&mut due)?;
        self.read_notifications(notified, &mut due)?;
        let registries = self.deadlines.take_registries(&self.poll_periods());
        if !registries.is_empty() {
            // A registry's auth answer is asked once per cycle.
            self.probe.new_cycle();
            self.poll_bases(&mut due, &registries)?;
        }
        if self.deadlines.take_commits(self.options.interval) {
            self.check_commits(&mut due)?;
        }
        // Timers are looked at when the earliest one is due, or when tasks changed.
        if self.deadlines.take_timers(changed)
            && let Some(earliest) = self.check_timers(&mut due)?
        {
            self.deadlines.next_timer(earliest);
        }
        // Runs an earlier watcher decided on and did not start are due too.
        let undone = self
            .store
            .watch_starts()?
            .iter()
            .any(|s| s.run_id.is_none());
        if !due.is_empty() || undone {
            self.run_due(due)?;
        }
        // Only a cycle that did something is numbered, logged and counted: waking to find
        // nothing due is not a cycle.
        if self.options.once || !self.summary.is_empty() {
            self.summary.cycles += 1;
            self.metrics
                .add_cycle(&self.summary, started.elapsed().as_secs_f64());
            if !self.options.once {
                self.log_cycle();
                // A long-running watch reports each cycle and keeps nothing of it: months of
                // cycles cost no memory.
                self.summary = WatchSummary {
                    cycles: self.summary.cycles,
                    ..WatchSummary::default()
                };
            }
        }
        Ok(())
    }

    /// The long-running watch's line for a cycle.
    fn log_cycle(&self) {
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

    /// Sleeps until something may be due: a registry notification, a write to the store by
    /// another process (a push, a new task), or the next registry check, commit check or
    /// timer ([`Deadlines`]). Nothing is read or parsed meanwhile; no tick wakes it.
    fn wait(&mut self) -> Result<()> {
        let until = self.deadlines.earliest();
        loop {
            // Another process's commit moves the data version; the watcher's own do not.
            if until.is_some_and(|u| Instant::now() >= u)
                || self.seen_data_version != Some(self.store.data_version()?)
                || self.inbox.as_ref().is_some_and(|i| i.has_pending())
            {
                return Ok(());
            }
            let limit = if self.alarm.is_deaf() {
                let look = Instant::now() + wake::WITHOUT_INOTIFY;
                Some(until.map_or(look, |u| u.min(look)))
            } else {
                until
            };
            self.alarm.wait_until(limit);
        }
    }

    /// Every watched base.
    fn watched_bases(&self) -> Vec<&WatchedBase> {
        self.watched.values().flatten().collect()
    }

    /// Pushes by acrt's own runs, from the store: no registry request needed.
    fn read_push_events(&mut self, due: &mut BTreeMap<TaskKey, Due>) -> Result<()> {
        let last = self.events_cursor()?;
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
        self.store.set_events_cursor(newest)
    }

    /// A new watcher acts on pushes from now on (older ones are covered by the poll); one
    /// whose cursor is unreadable starts from now too, saying so, rather than act on every
    /// push ever recorded.
    fn start_events_cursor(&mut self) -> Result<()> {
        let newest = self.store.last_event_id()?;
        match self.store.events_cursor()? {
            EventsCursor::At(_) => Ok(()),
            EventsCursor::Unset => self.store.set_events_cursor(newest),
            EventsCursor::Unreadable(value) => {
                self.report.warn(&format!(
                    "watch's place in the push events is unreadable ({value:?}): starting from \
                     the newest event; pushes before it are found by the registry check"
                ));
                self.store.set_events_cursor(newest)
            }
        }
    }

    /// The last push event acted on; the cursor is set when the watcher starts.
    fn events_cursor(&mut self) -> Result<i64> {
        match self.store.events_cursor()? {
            EventsCursor::At(id) => Ok(id),
            _ => {
                self.start_events_cursor()?;
                Ok(self.store.last_event_id()?)
            }
        }
    }

    /// The pushes notified since the last cycle. Past the inbox's cap some tags are not
    /// named: then every registry is due now, so that no change is lost.
    fn take_notifications(&mut self) -> BTreeSet<listen::PushedRef> {
        let Some(inbox) = &self.inbox else {
            return BTreeSet::new();
        };
        let pending = inbox.take();
        if pending.overflowed {
            self.report.event(&format!(
                "more than {} different tags were notified at once: checking every base image",
                listen::MAX_PENDING_PUSHES
            ));
            self.deadlines.make_every_registry_due();
        }
        pending.pushes
    }

    /// Pushes the registry told us about (`--listen`): check just those tags now.
    fn read_notifications(
        &mut self,
        pushed: BTreeSet<listen::PushedRef>,
        due: &mut BTreeMap<TaskKey, Due>,
    ) -> Result<()> {
        if pushed.is_empty() {
            return Ok(());
        }
        self.report_unknown_notifiers(&pushed);
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

    /// Says, once per registry, that a notification came from a registry no watched base is
    /// on: a registry names itself as the pusher reached it, which tasks may name otherwise.
    fn report_unknown_notifiers(&mut self, pushed: &BTreeSet<listen::PushedRef>) {
        // A sender of endless names fills no memory.
        const MAX_REPORTED: usize = 64;
        let known: BTreeSet<String> = self
            .watched_bases()
            .iter()
            .map(|b| b.registry.clone())
            .collect();
        for (registry, repository, tag) in pushed {
            if known.contains(registry)
                || self.unknown_notifiers.len() >= MAX_REPORTED
                || !self.unknown_notifiers.insert(registry.clone())
            {
                continue;
            }
            let on = if known.is_empty() {
                "none".to_string()
            } else {
                known.iter().cloned().collect::<Vec<_>>().join(", ")
            };
            self.report.warn(&format!(
                "registry notification of {registry}/{repository}:{tag} ignored: no watched base \
                 is on {registry} (watched registries: {on}); a notification names the registry as \
                 the pusher reached it, so a base on it under another name (an IP, a port) is not \
                 matched"
            ));
        }
    }

    /// A base's platform digest now, read with its own task's logins (then the user's own),
    /// as the poll reads it.
    fn resolve_platform(&self, base: &WatchedBase) -> Result<Option<String>> {
        let key = base_key(base);
        let platform = Platform::parse_any(&key.platform)?;
        let mut logins = logins::Logins::new();
        let api = api_registry(&key.registry);
        let tries = logins.candidates(
            &self.tasks,
            std::slice::from_ref(base),
            &key.registry,
            &api,
            &mut BTreeMap::new(),
        );
        let mut last = None;
        for (i, _) in tries {
            match self
                .rt
                .block_on(logins.clients[i].resolve(&image_of(&key), &platform))
            {
                Ok(r) => return Ok(Some(r.platform_digest)),
                Err(e) => {
                    let refused = matches!(
                        e.downcast_ref::<crate::error::Error>(),
                        Some(crate::error::Error::Refused(_))
                    );
                    last = Some(e);
                    if !refused {
                        break;
                    }
                }
            }
        }
        if let Some(e) = last {
            self.report.warn(&format!("{e:#}"));
        }
        Ok(None)
    }
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
