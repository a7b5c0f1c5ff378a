//! The timer poller: each enabled timer's next occurrence is a typed row in the store,
//! read with every other in one query and written only when it fires (or is first seen).

use chrono::Utc;

use super::Shared;
use super::due::{Due, DueTasks};
use super::index::Index;
use super::summary::Fired;
use super::triggers;
use crate::error::Result;
use crate::store::{TimerKey, TimerMark};

/// Fires timers; keeps nothing in memory (the rows are its state).
pub(super) struct TimerPoller;

impl TimerPoller {
    /// Timers cost nothing until they fire: each one's next occurrence is kept, read with
    /// every other in one query, and written only when it fires (or is first seen).
    /// Returns the earliest next occurrence of any timer (after now).
    pub(super) fn poll(
        &self,
        sh: &mut Shared,
        index: &Index,
        due: &mut DueTasks,
    ) -> Result<Option<chrono::DateTime<Utc>>> {
        let now = Utc::now();
        let marks = sh.store.timer_marks()?;
        let mut fired = Vec::new();
        let mut writes = Vec::new();
        // The earliest next occurrence of any timer: until then nothing is looked at.
        let mut earliest: Option<chrono::DateTime<Utc>> = None;
        let mut note = |next: chrono::DateTime<Utc>| {
            earliest = Some(earliest.map_or(next, |e| e.min(next)));
        };
        for ((registry, name), task) in &index.tasks {
            for (timer, schedule) in &task.timers {
                let key = TimerKey {
                    task_registry: registry.clone(),
                    task: name.clone(),
                    timer: timer.clone(),
                };
                let after = match check(marks.get(&key), schedule, now) {
                    Check::NotYet(next) => {
                        note(next);
                        continue;
                    }
                    Check::FiresAfter(after) => Some(after),
                    Check::Afresh => None,
                };
                if let Some(after) = after
                    && let Some(occurrence) = triggers::latest_occurrence(schedule, after, now)
                {
                    fired.push(((registry.clone(), name.clone()), timer.clone(), occurrence));
                }
                if let Some(next) = triggers::next_occurrence(schedule, now) {
                    note(next);
                    let schedule = Some(schedule.clone());
                    writes.push((key, TimerMark { next, schedule }));
                }
            }
        }
        sh.store.set_timer_marks(&writes)?;
        for (key, timer, occurrence) in fired {
            sh.report
                .event(&format!("timer {timer} of {} fired ({occurrence})", key.1));
            sh.summary.timers_fired.push(Fired {
                registry: key.0.clone(),
                task: key.1.clone(),
                what: timer.clone(),
            });
            due.entry(key)
                .or_insert_with(|| Due::Timer(triggers::timer_descriptor(&timer, occurrence)));
        }
        Ok(earliest)
    }
}

/// What a timer's mark says of it now.
#[derive(Debug, PartialEq, Eq)]
enum Check {
    /// Not due before its next occurrence.
    NotYet(chrono::DateTime<Utc>),
    /// The latest occurrence after this time fires (once, never a backlog).
    FiresAfter(chrono::DateTime<Utc>),
    /// New, or its schedule changed: it fires from its next occurrence on.
    Afresh,
}

fn check(mark: Option<&TimerMark>, schedule: &str, now: chrono::DateTime<Utc>) -> Check {
    let Some(mark) = mark else {
        return Check::Afresh;
    };
    match mark.schedule.as_deref() {
        // The schedule it was computed from, and not due yet.
        Some(was) if was == schedule && mark.next > now => Check::NotYet(mark.next),
        Some(was) if was == schedule => Check::FiresAfter(mark.next - chrono::Duration::seconds(1)),
        Some(_) => Check::Afresh,
        // Kept without its schedule (converted from an older store): its time is a lower
        // bound, what fell since then fires.
        None => Check::FiresAfter(mark.next - chrono::Duration::seconds(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::{Check, check};
    use crate::store::TimerMark;
    use chrono::{Duration, Utc};

    fn mark(next: chrono::DateTime<Utc>, schedule: Option<&str>) -> TimerMark {
        TimerMark {
            next,
            schedule: schedule.map(str::to_string),
        }
    }

    #[test]
    fn a_mark_says_whether_its_timer_waits_fires_or_starts_afresh() {
        let now = Utc::now();
        let every = "* * * * *";
        let later = now + Duration::minutes(1);
        let past = now - Duration::minutes(3);
        let second = Duration::seconds(1);
        assert_eq!(check(None, every, now), Check::Afresh);
        assert_eq!(
            check(Some(&mark(later, Some(every))), every, now),
            Check::NotYet(later)
        );
        assert_eq!(
            check(Some(&mark(past, Some(every))), every, now),
            Check::FiresAfter(past - second)
        );
        assert_eq!(
            check(Some(&mark(past, Some("0 * * * *"))), every, now),
            Check::Afresh
        );
        assert_eq!(
            check(Some(&mark(past, None)), every, now),
            Check::FiresAfter(past - second)
        );
    }
}
