//! When each kind of a long-running watch's work next falls due: each registry's check, the
//! commit check, the timers. Work is taken when due, and taking it sets its next time after
//! now: the wait, which ends at the earliest deadline, cannot end at once twice for the same
//! work, so an idle watcher sleeps whatever the order its deadlines fall in.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// The least time before work that was just done falls due again, whatever an interval says.
const MIN_PERIOD: Duration = Duration::from_secs(1);

/// At the latest, how soon timers are looked at again (a clock that jumps, a timer state
/// another process wrote).
const TIMER_RECHECK: Duration = Duration::from_secs(60);

/// Work that has no deadline yet is due: at the start, everything is.
#[derive(Debug, Default)]
pub(super) struct Deadlines {
    /// Of each watched registry, its next check.
    registries: BTreeMap<String, Instant>,
    /// The next `git ls-remote` of the commit triggers.
    commits: Option<Instant>,
    /// The next look at the timers.
    timers: Option<Instant>,
}

impl Deadlines {
    /// The registries whose check is due, of `periods` (each watched registry and how often
    /// it is checked); each taken is next due its period from now.
    pub fn take_registries(&mut self, periods: &BTreeMap<String, Duration>) -> BTreeSet<String> {
        let now = Instant::now();
        // A registry no longer watched keeps no deadline (it would be due for ever).
        self.registries.retain(|r, _| periods.contains_key(r));
        let mut taken = BTreeSet::new();
        for (registry, period) in periods {
            if self.registries.get(registry).is_none_or(|t| now >= *t) {
                self.registries.insert(registry.clone(), after(*period));
                taken.insert(registry.clone());
            }
        }
        taken
    }

    /// Every registry's check is due now (a notification named more tags than it keeps).
    pub fn make_every_registry_due(&mut self) {
        self.registries.clear();
    }

    /// Whether the commit check is due; when it is, it is next due `period` from now.
    pub fn take_commits(&mut self, period: Duration) -> bool {
        let due = self.commits.is_none_or(|t| Instant::now() >= t);
        if due {
            self.commits = Some(after(period));
        }
        due
    }

    /// Whether the timers are to be looked at (due, or `forced`: tasks changed); when they
    /// are, they are next due in [`TIMER_RECHECK`], or sooner by [`Deadlines::next_timer`].
    pub fn take_timers(&mut self, forced: bool) -> bool {
        let now = Instant::now();
        let due = forced || self.timers.is_none_or(|t| now >= t);
        if due {
            self.timers = Some(now + TIMER_RECHECK);
        }
        due
    }

    /// The earliest occurrence of any timer, found by the look [`Deadlines::take_timers`]
    /// allowed; it lies after now, so the deadline still moves forward.
    pub fn next_timer(&mut self, occurrence: chrono::DateTime<chrono::Utc>) {
        let left = (occurrence - chrono::Utc::now())
            .to_std()
            .unwrap_or_default();
        let at = Instant::now() + left;
        self.timers = Some(self.timers.map_or(at, |t| t.min(at)));
    }

    /// When the next registry check is due, if any registry is watched.
    pub fn next_registry_check(&self) -> Option<Instant> {
        self.registries.values().min().copied()
    }

    /// When the wait between cycles ends, unless something wakes it earlier.
    pub fn earliest(&self) -> Option<Instant> {
        self.registries
            .values()
            .chain(&self.commits)
            .chain(&self.timers)
            .min()
            .copied()
    }
}

/// When work done now with `period` falls due again: the period plus jitter, never less than
/// [`MIN_PERIOD`].
fn after(period: Duration) -> Instant {
    Instant::now() + jittered(period).max(MIN_PERIOD)
}

/// The interval plus up to 10% at random, so that many watchers do not poll in step.
pub(super) fn jittered(interval: Duration) -> Duration {
    let nanos = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .subsec_nanos(),
    );
    interval + interval.mul_f64((nanos % 1000) as f64 / 10_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever is taken is not due again at once: after a cycle has taken its due work,
    /// the wait's end lies in the future.
    #[test]
    fn work_taken_is_not_due_again_at_once() {
        let mut deadlines = Deadlines::default();
        let periods = BTreeMap::from([
            ("a".to_string(), Duration::ZERO),
            ("b".to_string(), Duration::from_secs(2)),
        ]);
        let now = Instant::now();
        assert_eq!(deadlines.take_registries(&periods).len(), 2);
        assert!(deadlines.take_commits(Duration::ZERO));
        assert!(deadlines.take_timers(false));
        deadlines.next_timer(chrono::Utc::now() + chrono::Duration::seconds(5));
        assert!(deadlines.earliest().unwrap() >= now + MIN_PERIOD);
        assert!(deadlines.take_registries(&periods).is_empty());
        assert!(!deadlines.take_commits(Duration::ZERO));
        assert!(!deadlines.take_timers(false));
    }

    #[test]
    fn a_registry_no_longer_watched_has_no_deadline() {
        let mut deadlines = Deadlines::default();
        let periods = BTreeMap::from([("gone".to_string(), Duration::from_secs(60))]);
        deadlines.take_registries(&periods);
        deadlines.take_registries(&BTreeMap::new());
        assert_eq!(deadlines.next_registry_check(), None);
    }
}
