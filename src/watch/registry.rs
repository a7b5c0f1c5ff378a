//! The registry poller: which registries are due, one HEAD per unique base with the logins
//! of the tasks built on it, what changed, what is missing, and back-off for registry-wide
//! failures only. It owns the manifest probe (each registry's auth answer and tokens) and
//! keeps its back-offs, missing bases and refused logins as typed rows in the store.

use chrono::Utc;
use futures_util::StreamExt;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::base_check::{Checked, Failure, check_one};
use super::deadlines::jittered;
use super::due::{BaseKey, DueTasks, api_registry, mark_image_update};
use super::index::Index;
use super::settle::{SettleCycle, SettleWindows, Verdict};
use super::summary::{BaseProblem, SettlingBase};
use super::{Shared, WatchOptions, logins};
use crate::error::Result;
use crate::model::Platform;
use crate::model::image::short_digest;
use crate::registry::RegistryClient;
use crate::registry::ResolvedImage;
use crate::registry::probe::ManifestProbe;
use crate::registry::probe::Tagged;
use crate::store::{MissingBase, RefusedLogin, WatchedBase};

/// Reads the watched bases' digests from their registries.
pub(super) struct RegistryPoller {
    /// Manifest HEADs, with each registry's auth answer and tokens cached.
    probe: ManifestProbe,
    interval: Duration,
    /// Per registry (login server): how often its bases are checked, instead of `interval`.
    poll_intervals: BTreeMap<String, Duration>,
    /// For registries no task pushes to: how often, instead of `interval`.
    external_interval: Option<Duration>,
    /// Concurrent manifest requests per check.
    request_concurrency: usize,
    /// How long a changed base index settles before its tasks are rebuilt.
    settle: SettleWindows,
    /// Under `--once` the next invocation is the first retry.
    once: bool,
}

impl RegistryPoller {
    pub(super) fn new(options: &WatchOptions) -> Result<RegistryPoller> {
        Ok(RegistryPoller {
            probe: ManifestProbe::new()?,
            interval: options.interval,
            poll_intervals: options.poll_intervals.clone(),
            external_interval: options.external_interval,
            request_concurrency: options.request_concurrency,
            settle: SettleWindows {
                per_registry: options.settles.clone(),
                external: options.external_settle,
            },
            once: options.once,
        })
    }

    /// Each watched registry and how often its bases are checked
    /// ([`RegistryPoller::interval_for`]).
    pub(super) fn periods(&self, index: &Index) -> BTreeMap<String, Duration> {
        index
            .watched
            .keys()
            .map(|k| (k.registry.clone(), self.interval_for(index, &k.registry)))
            .collect()
    }

    /// How often a registry's bases are checked: its `registries.<name>.poll_interval`; else
    /// for a registry no task pushes to, `core.external_poll_interval`; else `--interval`.
    fn interval_for(&self, index: &Index, registry: &str) -> Duration {
        if let Some(i) = self.poll_intervals.get(registry) {
            return *i;
        }
        let pushed_to = index.task_registries.contains(registry);
        match self.external_interval {
            Some(i) if !pushed_to => i,
            _ => self.interval,
        }
    }

    /// One HEAD per unique base (deduplicated by registry, repository, tag and platform) of
    /// `registries`; a registry's auth answer is asked once per poll.
    pub(super) fn poll(
        &mut self,
        sh: &mut Shared,
        index: &Index,
        registries: &BTreeSet<String>,
        due: &mut DueTasks,
    ) -> Result<()> {
        self.probe.new_cycle();
        let keys: BTreeSet<BaseKey> = index
            .watched
            .keys()
            .filter(|k| registries.contains(&k.registry))
            .cloned()
            .collect();
        if keys.is_empty() {
            return Ok(());
        }
        let count = keys.len();
        let registries: BTreeSet<&str> = keys.iter().map(|k| k.registry.as_str()).collect();
        let registries = registries.len();
        sh.report.status(&format!("checking {count} base image(s)"));
        let before = due.len();
        self.check(sh, index, keys, due)?;
        sh.report.event(&format!(
            "checked {count} base image(s) in {registries} registr{}: {} task(s) due",
            if registries == 1 { "y" } else { "ies" },
            due.len() - before
        ));
        Ok(())
    }

    /// Checks `keys` now (those of a poll, or those a registry notified).
    pub(super) fn check(
        &self,
        sh: &mut Shared,
        index: &Index,
        keys: BTreeSet<BaseKey>,
        due: &mut DueTasks,
    ) -> Result<()> {
        let now = Utc::now();
        // Every back-off in one read, not one per base.
        let backoffs = sh.store.backoffs()?;
        let skipped: BTreeSet<String> = keys
            .iter()
            .map(|k| &k.registry)
            .filter(|r| backoffs.get(*r).is_some_and(|b| b.until > now))
            .cloned()
            .collect();
        for registry in &skipped {
            sh.report.warn(&format!(
                "registry {registry} is backed off after failures; skipping it this cycle"
            ));
        }
        for key in keys.iter().filter(|k| skipped.contains(&k.registry)) {
            sh.summary.bases.failed += 1;
            sh.summary.failed.push(problem(
                index,
                key,
                "the registry is backed off after failures in a row".into(),
            ));
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
                let dependents = index.watched.get(key).cloned().unwrap_or_default();
                let api = api_registry(&key.registry);
                let tries =
                    logins.candidates(&index.tasks, &dependents, &key.registry, &api, &mut known);
                (key.clone(), tries)
            })
            .collect();
        let concurrency = self.request_concurrency.max(1);
        let failed_registries = std::cell::RefCell::new(BTreeSet::<String>::new());
        let results: Vec<(BaseKey, Checked)> = sh.rt.block_on(
            futures_util::stream::iter(plan)
                .map(|(key, tries)| {
                    let failed = &failed_registries;
                    let logins = &logins;
                    let probe = &self.probe;
                    async move {
                        if failed.borrow().contains(&key.registry) {
                            let why = "skipped after an earlier failure of its registry this cycle";
                            return (
                                key,
                                Checked::failed(Failure::Registry(None), why.to_string()),
                            );
                        }
                        let checked = check_one(&key, &tries, logins, probe).await;
                        // A missing tag or a refused login is that base's; the rest its registry's.
                        if matches!(checked.result, Err((Failure::Registry(_), _))) {
                            failed.borrow_mut().insert(key.registry.clone());
                        }
                        (key, checked)
                    }
                })
                .buffer_unordered(concurrency)
                .collect(),
        );
        let backed_off = backoffs.into_keys().collect();
        self.settle_checks(sh, index, results, &logins, &backed_off, due)
    }

    /// Records what each base's check found: changes make tasks due, a missing tag is said
    /// once, a refused login is named, and only registry-wide failures back a registry off.
    fn settle_checks(
        &self,
        sh: &mut Shared,
        index: &Index,
        results: Vec<(BaseKey, Checked)>,
        logins: &logins::Logins,
        backed_off: &BTreeSet<String>,
        due: &mut DueTasks,
    ) -> Result<()> {
        let mut errors: BTreeMap<String, (String, Option<Duration>)> = BTreeMap::new();
        let mut ok_registries: BTreeSet<String> = BTreeSet::new();
        let known_missing = sh.store.missing_bases()?;
        // The bases found this cycle: those said missing before are back.
        let mut found = BTreeSet::new();
        let mut refused_logins = sh.store.refused_logins()?;
        let mut settle = SettleCycle::new(&self.settle);
        for (key, checked) in results {
            report_refused_logins(sh, &checked, &mut refused_logins)?;
            match checked.result {
                Ok((tagged, by)) => {
                    ok_registries.insert(key.registry.clone());
                    found.insert(missing_key(&key));
                    let client = &logins.clients[by];
                    match compare(sh, index, client, &key, &tagged, &mut settle, due)? {
                        Compared::Unchanged => sh.summary.bases.unchanged += 1,
                        Compared::Changed | Compared::Settling => sh.summary.bases.changed += 1,
                        // Its tag moved, and where to could not be read: not checked.
                        Compared::Unreadable(message) => {
                            sh.report
                                .warn(&format!("{message}; no run is triggered for it this cycle"));
                            sh.summary.bases.failed += 1;
                            sh.summary.failed.push(problem(index, &key, message));
                            continue;
                        }
                    }
                    sh.summary.bases.checked += 1;
                }
                Err((Failure::Missing, message)) => {
                    ok_registries.insert(key.registry.clone());
                    sh.summary.bases.checked += 1;
                    sh.summary.bases.missing += 1;
                    let state = missing_key(&key);
                    if !known_missing.contains(&state) {
                        sh.report.warn(&format!(
                            "{message}; the tasks built on it are not rebuilt until the tag is back (said once)"
                        ));
                        sh.store.mark_missing(&state, true)?;
                    }
                    sh.summary.missing.push(problem(index, &key, message));
                }
                Err((Failure::Denied, message)) => {
                    // The registry answered: no back-off; the fix is in the message.
                    ok_registries.insert(key.registry.clone());
                    sh.summary.bases.failed += 1;
                    sh.summary.failed.push(problem(index, &key, message));
                }
                Err((Failure::Registry(retry_after), message)) => {
                    sh.summary.bases.failed += 1;
                    sh.summary
                        .failed
                        .push(problem(index, &key, message.clone()));
                    let entry = errors
                        .entry(key.registry.clone())
                        .or_insert((message, None));
                    entry.1 = entry.1.max(retry_after);
                }
            }
        }
        // A base that is back, or no longer watched, is forgotten (and warned of again if it
        // goes missing again); one not checked this cycle (its registry not due, a
        // notification for another tag) stays missing.
        let watched: BTreeSet<MissingBase> = index.watched.keys().map(missing_key).collect();
        for state in &known_missing {
            if found.contains(state) || !watched.contains(state) {
                sh.store.mark_missing(state, false)?;
            }
        }
        for (registry, (message, retry_after)) in &errors {
            let failures = self.record_failure(sh, registry, *retry_after)?;
            sh.report.warn(&format!(
                "{message}; no run is triggered from {registry} and nothing recorded changes; backing off ({failures} failure(s) in a row)"
            ));
        }
        // A back-off ends on the first success (written only when there was one).
        for registry in ok_registries.difference(&errors.keys().cloned().collect()) {
            if backed_off.contains(registry) {
                sh.store.end_backoff(registry)?;
            }
        }
        Ok(())
    }

    /// Backs a failing registry off: the interval, doubled with each failure, at most 30 min;
    /// and never less than the registry's own Retry-After.
    fn record_failure(
        &self,
        sh: &mut Shared,
        registry: &str,
        retry_after: Option<Duration>,
    ) -> Result<u32> {
        let failures = sh.store.backoffs()?.get(registry).map_or(0, |b| b.failures) + 1;
        // Jittered, so that watchers backed off by one outage do not come back in step.
        let delay = jittered(
            (self.interval * 2u32.saturating_pow(failures - 1)).min(Duration::from_secs(1800)),
        );
        // Under --once (cron) the next invocation is the retry; back off from the one after.
        let delay = if self.once && failures == 1 {
            Duration::ZERO
        } else {
            delay
        };
        let delay = delay.max(retry_after.unwrap_or_default());
        let until = Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
        sh.store
            .set_backoff(registry, crate::store::Backoff { until, failures })?;
        Ok(failures)
    }

    /// A base's platform digest now, read with its own task's logins (then the user's own),
    /// as the poll reads it.
    pub(super) fn resolve_platform(
        &self,
        sh: &Shared,
        index: &Index,
        base: &WatchedBase,
    ) -> Result<Option<String>> {
        let key = BaseKey::of(base);
        let platform = Platform::parse_any(&key.platform)?;
        let mut logins = logins::Logins::new();
        let api = api_registry(&key.registry);
        let tries = logins.candidates(
            &index.tasks,
            std::slice::from_ref(base),
            &key.registry,
            &api,
            &mut BTreeMap::new(),
        );
        let mut last = None;
        for (i, _) in tries {
            match sh
                .rt
                .block_on(logins.clients[i].resolve(&key.image(), &platform))
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
            sh.report.warn(&format!("{e:#}"));
        }
        Ok(None)
    }
}

/// Compares what a base's tag points to now with what each dependent task was built on:
/// whether the base changed for any of them, or could not be read where its tag moved.
fn compare(
    sh: &mut Shared,
    index: &Index,
    client: &RegistryClient,
    key: &BaseKey,
    tagged: &Tagged,
    settle: &mut SettleCycle<'_>,
    due: &mut DueTasks,
) -> Result<Compared> {
    let index_digest = tagged.digest.as_str();
    let dependents: Vec<WatchedBase> = index.watched.get(key).cloned().unwrap_or_default();
    if dependents
        .iter()
        .all(|b| b.index_digest.as_deref() == Some(index_digest))
    {
        return Ok(Compared::Unchanged);
    }
    // The tag moved: is it this platform's image that changed, or only the index?
    let resolved = if tagged.single {
        // A single image: its digest is the platform's, no read needed.
        ResolvedImage {
            index_digest: tagged.digest.clone(),
            platform_digest: tagged.digest.clone(),
        }
    } else {
        let platform = Platform::parse_any(&key.platform)?;
        match sh.rt.block_on(client.resolve(&key.image(), &platform)) {
            Ok(r) => r,
            Err(e) => return Ok(Compared::Unreadable(format!("{e:#}"))),
        }
    };
    let mut moved = Vec::new();
    for base in dependents {
        if base.index_digest.as_deref() == Some(index_digest) {
            continue;
        }
        if base.platform_digest.as_deref() == Some(resolved.platform_digest.as_str()) {
            if let Some(old) = &base.index_digest {
                sh.store.update_index_digest(
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
        moved.push(base);
    }
    if moved.is_empty() {
        return Ok(Compared::Unchanged);
    }
    let image = format!("{}/{}:{}", key.registry, key.repository, key.tag);
    if let (Verdict::Settling { due: at }, first) =
        settle.verdict(sh, index, client, key, &resolved.index_digest)?
    {
        if first {
            let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            sh.report
                .event(&format!("{image} changed; settling, due at {at}"));
            sh.summary.settling.push(SettlingBase { image, due_at: at });
        }
        return Ok(Compared::Settling);
    }
    for base in moved {
        sh.report.event(&format!(
            "{image} changed ({} -> {}): {} is due",
            short_digest(base.platform_digest.as_deref().unwrap_or("none")),
            short_digest(&resolved.platform_digest),
            base.task
        ));
        mark_image_update(due, &base, &resolved.platform_digest);
    }
    Ok(Compared::Changed)
}

/// A task's login refused is said once, when it starts failing, and once when it works
/// again; not every cycle.
/// `known` holds the refused logins already said (read once per cycle).
fn report_refused_logins(
    sh: &mut Shared,
    checked: &Checked,
    known: &mut BTreeSet<RefusedLogin>,
) -> Result<()> {
    for (owner, _) in &checked.refused {
        let key = owner.refused_row();
        if !known.contains(&key) {
            sh.report.warn(&owner.fix());
            sh.store.mark_refused_login(&key, true)?;
            known.insert(key);
        }
    }
    if let Some(owner) = &checked.accepted {
        let key = owner.refused_row();
        if known.remove(&key) {
            sh.report.event(&format!(
                "the login stored for task {} works again for {}",
                owner.task, owner.server
            ));
            sh.store.mark_refused_login(&key, false)?;
        }
    }
    Ok(())
}

/// What comparing a base with what its tasks were built on found.
pub(super) enum Compared {
    Unchanged,
    Changed,
    /// Changed, and in its settle window: nothing is due yet.
    Settling,
    /// The tag moved, and what it points to now could not be read (too large, no image for
    /// the platform): the base was not checked.
    Unreadable(String),
}

/// The row that says a base was found missing (and warned of).
fn missing_key(key: &BaseKey) -> MissingBase {
    MissingBase {
        registry: key.registry.clone(),
        repository: key.repository.clone(),
        tag: key.tag.clone(),
        platform: key.platform.clone(),
    }
}

/// A base this cycle could not check, or found missing, with the tasks built on it (which are
/// not rebuilt for it this cycle).
fn problem(index: &Index, key: &BaseKey, reason: String) -> BaseProblem {
    let mut tasks: Vec<String> = index
        .watched
        .get(key)
        .into_iter()
        .flatten()
        .map(|w| w.task.clone())
        .collect();
    tasks.sort();
    tasks.dedup();
    BaseProblem {
        image: key.image().to_string(),
        registry: key.registry.clone(),
        reason,
        tasks,
    }
}
