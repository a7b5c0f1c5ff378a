//! Timers and commit triggers.

use super::*;

impl Watcher {
    /// Timers cost nothing until they fire: each one's next occurrence is kept, read with
    /// every other in one query, and written only when it fires (or is first seen).
    /// Returns the earliest next occurrence of any timer (after now).
    pub(super) fn check_timers(
        &mut self,
        due: &mut BTreeMap<TaskKey, Due>,
    ) -> Result<Option<chrono::DateTime<Utc>>> {
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
            for (timer, schedule) in &task.timers {
                let key = format!("timer:{registry}/{name}/{timer}");
                let state = states
                    .get(&key)
                    .and_then(|v| triggers::parse_timer_state(v));
                let after = match state {
                    // Not due yet, and the schedule is the one it was computed from.
                    Some((next, Some(was))) if was == *schedule && next > now => {
                        note(next);
                        continue;
                    }
                    Some((next, Some(was))) if was == *schedule => {
                        Some(next - chrono::Duration::seconds(1))
                    }
                    // An older acrt kept the last check: what fell since then fires.
                    Some((last, None)) => Some(last),
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
                    writes.push((key, triggers::timer_state(next, schedule)));
                }
            }
        }
        self.store.watch_set_many(&writes)?;
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
        Ok(earliest)
    }

    pub(super) fn check_commits(&mut self, due: &mut BTreeMap<TaskKey, Due>) -> Result<()> {
        let sources: Vec<(TaskKey, String, Option<String>, Option<String>)> = self
            .tasks
            .iter()
            .filter_map(|(k, t)| {
                let (url, branch, token) = t.commit.as_deref().cloned()?;
                Some((k.clone(), url, branch, token))
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
}
