//! `acrt watch`: separate pollers find what is due, one scheduler runs it. Each cycle the
//! driver here asks the pollers whose time has come (registries for base digests, acrt's own
//! push events, registry webhooks, timers, commit triggers) for the tasks they make due, and
//! hands those to the runner, which starts each once, dependents after the tasks whose images
//! they are built on (the order `acrt task graph` prints). Between cycles it sleeps until an
//! event or a deadline, never on a tick.

mod base_check;
mod commits;
mod deadlines;
mod due;
mod events;
mod exits;
mod index;
pub mod listen;
pub mod lock;
mod logins;
mod metrics;
mod registry;
pub mod report;
mod runs;
mod scheduler;
mod settle;
mod summary;
mod timers;
pub mod triggers;
mod wake;
mod webhooks;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::store::Store;
use commits::CommitPoller;
use deadlines::Deadlines;
use due::DueTasks;
use events::EventsPoller;
use index::Index;
use registry::RegistryPoller;
use report::Reporter;
use runs::Runner;
use timers::TimerPoller;
use webhooks::WebhookPoller;

pub struct WatchOptions {
    pub state_dir: PathBuf,
    pub once: bool,
    pub interval: Duration,
    /// Per registry (login server): how often its bases are checked, instead of `interval`.
    pub poll_intervals: BTreeMap<String, Duration>,
    /// For registries no task pushes to (public ones): how often, instead of `interval`.
    pub external_interval: Option<Duration>,
    /// Per registry (login server): how long a changed base index must stay as it is before
    /// its tasks are rebuilt.
    pub settles: BTreeMap<String, Duration>,
    /// The settle window of registries no task pushes to.
    pub external_settle: Option<Duration>,
    /// `--max-concurrency`: at most this many runs at once, whatever the pool takes.
    pub max_concurrency: Option<usize>,
    pub listen: Option<String>,
    /// This machine's builder, when it is in the pool.
    pub builder: Option<crate::model::BuilderKind>,
    /// A podman service this machine's builder builds on (`core.builder_url`).
    pub builder_url: Option<String>,
    /// The builders runs go to, each up to its capacity.
    pub pool: crate::model::pool::Load,
    /// `core.secret_env`: variables every task file may read as secrets.
    pub secret_env: Vec<crate::model::names::EnvVarName>,
    /// `[task_aliases]`: this machine's default aliases for task files.
    pub task_aliases: std::collections::BTreeMap<String, String>,
    pub retention_days: u32,
    /// Concurrent manifest requests per cycle.
    pub request_concurrency: usize,
    /// How long one `git ls-remote` of a commit trigger may take (`core.registry_timeout`).
    pub commit_check_timeout: Duration,
}

pub use summary::WatchSummary;

/// What the pollers and the runner share: the store, what is said, what a cycle counted, and
/// the runtime their requests run on.
struct Shared {
    store: Store,
    report: Reporter,
    summary: WatchSummary,
    rt: tokio::runtime::Runtime,
}

/// The cycle driver: the pollers, the index they read, and when each is next due.
struct Watch {
    sh: Shared,
    once: bool,
    interval: Duration,
    /// Of each task what decides whether it is due; read again only when tasks changed.
    index: Index,
    /// The store's tasks version ([`Store::tasks_version`]) the index was read at.
    loaded_version: Option<i64>,
    /// SQLite's data version at the last cycle: when it moves, another process wrote.
    seen_data_version: Option<i64>,
    registries: RegistryPoller,
    events: EventsPoller,
    webhooks: Option<WebhookPoller>,
    timers: TimerPoller,
    commits: CommitPoller,
    runner: Runner,
    /// When each registry check, the commit check and the timers are next due.
    deadlines: Deadlines,
    /// What `--listen` serves on /metrics.
    metrics: Arc<metrics::Metrics>,
    /// Rung by a notification or a write to the store by another process.
    alarm: Arc<wake::Alarm>,
}

pub fn run(options: WatchOptions, quiet: bool) -> Result<WatchSummary> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut sh = Shared {
        store: Store::open(&options.state_dir)?,
        report: Reporter::new(quiet),
        summary: WatchSummary::default(),
        rt,
    };
    let events = EventsPoller::start(&mut sh)?;
    let mut watch = Watch {
        once: options.once,
        interval: options.interval,
        index: Index::default(),
        loaded_version: None,
        seen_data_version: None,
        registries: RegistryPoller::new(&options)?,
        events,
        webhooks: None,
        timers: TimerPoller,
        commits: CommitPoller {
            timeout: options.commit_check_timeout,
        },
        runner: Runner::new(&options),
        deadlines: Deadlines::default(),
        metrics: Default::default(),
        alarm: Default::default(),
        sh,
    };
    if let Some(addr) = &options.listen {
        let inbox = Arc::new(listen::Inbox::ringing(watch.alarm.clone()));
        let bound = listen::start(addr, inbox.clone(), watch.metrics.clone())?;
        watch.sh.report.event(&format!(
            "listening for registry notifications on http://{bound}/"
        ));
        watch.webhooks = Some(WebhookPoller::new(inbox));
    }
    if watch.once {
        watch.cycle()?;
        watch.sh.report.finish();
        return Ok(watch.sh.summary);
    }
    wake::on_store_writes(watch.sh.store.dir(), watch.alarm.clone());
    loop {
        watch.cycle()?;
        if let Some(next) = watch.deadlines.next_registry_check() {
            watch.sh.report.status(&format!(
                "watching; next registry check in {}s",
                next.saturating_duration_since(Instant::now()).as_secs()
            ));
        }
        watch.wait()?;
    }
}

impl Watch {
    /// One cycle: ask each poller whose time has come what is due (pushes, notifications,
    /// the registry checks, commit check and timers), then run it.
    fn cycle(&mut self) -> Result<()> {
        let started = Instant::now();
        let changed = self.read_index()?;
        let due = self.poll(changed)?;
        // Runs an earlier watcher decided on and did not start are due too.
        let undone = self
            .sh
            .store
            .watch_starts()?
            .iter()
            .any(|s| s.run_id.is_none());
        if !due.is_empty() || undone {
            self.run_due(due)?;
        }
        // Only a cycle that did something is numbered, logged and counted: waking to find
        // nothing due is not a cycle.
        let summary = &mut self.sh.summary;
        if self.once || !summary.is_empty() {
            summary.cycles += 1;
            self.metrics
                .add_cycle(summary, started.elapsed().as_secs_f64());
            if !self.once {
                self.log_cycle();
                // A long-running watch reports each cycle and keeps nothing of it: months of
                // cycles cost no memory.
                self.sh.summary = WatchSummary {
                    cycles: self.sh.summary.cycles,
                    ..WatchSummary::default()
                };
            }
        }
        Ok(())
    }

    /// Reads tasks and bases again only when they changed (a task created, changed or
    /// deleted, a run's bases recorded), not for a push event or a registry check. Whether
    /// they did.
    fn read_index(&mut self) -> Result<bool> {
        self.seen_data_version = Some(self.sh.store.data_version()?);
        let version = self.sh.store.tasks_version()?;
        if self.loaded_version == Some(version) {
            return Ok(false);
        }
        self.index = Index::load(&self.sh.store)?;
        self.loaded_version = Some(version);
        if self.index.watched.is_empty() {
            self.sh.report.event(
                "no task has recorded base images to check yet (a task records them when it runs)",
            );
        }
        Ok(true)
    }

    /// The tasks due now, from every poller whose time has come.
    fn poll(&mut self, changed: bool) -> Result<DueTasks> {
        let (sh, index) = (&mut self.sh, &self.index);
        let notified = match &mut self.webhooks {
            Some(webhooks) => webhooks.poll(sh, index),
            None => webhooks::Notified::default(),
        };
        if notified.every_registry {
            self.deadlines.make_every_registry_due();
        }
        let mut due = self.events.poll(sh, index, &self.registries)?;
        if !notified.bases.is_empty() {
            sh.report.event(&format!(
                "registry notification: checking {} base image(s)",
                notified.bases.len()
            ));
            self.registries.check(sh, index, notified.bases, &mut due)?;
        }
        let registries = self
            .deadlines
            .take_registries(&self.registries.periods(index));
        if !registries.is_empty() {
            self.registries.poll(sh, index, &registries, &mut due)?;
        }
        if self.deadlines.take_commits(self.interval) {
            self.commits.poll(sh, index, &mut due)?;
        }
        // Timers are looked at when the earliest one is due, or when tasks changed.
        if self.deadlines.take_timers(changed)
            && let Some(earliest) = self.timers.poll(sh, index, &mut due)?
        {
            self.deadlines.next_timer(earliest);
        }
        Ok(due)
    }

    /// Hands the due tasks to the runner; what their runs push makes dependents due in the
    /// same cycle (the index read again first when tasks changed meanwhile).
    fn run_due(&mut self, due: DueTasks) -> Result<()> {
        // The tasks version the index was last read at, within these runs. (The next cycle
        // still reads the index again, and looks at the timers: tasks changed.)
        let mut loaded = self.loaded_version;
        let (index, events, registries) = (&mut self.index, &mut self.events, &self.registries);
        self.runner.run_due(&mut self.sh, due, |sh| {
            let version = Some(sh.store.tasks_version()?);
            if loaded != version {
                *index = Index::load(&sh.store)?;
                loaded = version;
            }
            events.poll(sh, index, registries)
        })
    }

    /// The long-running watch's line for a cycle.
    fn log_cycle(&self) {
        let s = &self.sh.summary;
        self.sh.report.event(&format!(
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
                || self.seen_data_version != Some(self.sh.store.data_version()?)
                || self.webhooks.as_ref().is_some_and(|w| w.has_pending())
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
}
