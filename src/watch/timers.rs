//! The timer poller: each enabled timer's next occurrence is a typed row in the store,
//! read with every other in one query and written only when it fires (or is first seen).

use chrono::Utc;

use super::Shared;
use super::due::{Due, DueTasks};
use super::index::Index;
use super::summary::Fired;
use super::triggers;
use crate::error::Result;
use crate::store::TimerMark;

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
                let key = (registry.clone(), name.clone(), timer.clone());
                let after = match marks.get(&key) {
                    // Not due yet, and the schedule is the one it was computed from.
                    Some(m) if m.schedule.as_ref() == Some(schedule) && m.next > now => {
                        note(m.next);
                        continue;
                    }
                    Some(m) if m.schedule.as_ref() == Some(schedule) => {
                        Some(m.next - chrono::Duration::seconds(1))
                    }
                    // An older acrt kept the last check: what fell since then fires.
                    Some(m) if m.schedule.is_none() => Some(m.next - chrono::Duration::seconds(1)),
                    // New, or its schedule changed: it fires from its next occurrence on.
                    _ => None,
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
