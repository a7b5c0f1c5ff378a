//! Timers and commit triggers.

use chrono::Utc;
use futures_util::StreamExt;
use std::collections::BTreeMap;

use super::summary::Fired;
use super::{Due, TaskKey, Watcher, index, triggers};
use crate::error::Result;
use crate::model::image::short_digest;
use crate::store::TimerMark;

impl Watcher {
    /// Timers cost nothing until they fire: each one's next occurrence is kept, read with
    /// every other in one query, and written only when it fires (or is first seen).
    /// Returns the earliest next occurrence of any timer (after now).
    pub(super) fn check_timers(
        &mut self,
        due: &mut BTreeMap<TaskKey, Due>,
    ) -> Result<Option<chrono::DateTime<Utc>>> {
        let now = Utc::now();
        let marks = self.store.timer_marks()?;
        let mut fired = Vec::new();
        let mut writes = Vec::new();
        // The earliest next occurrence of any timer: until then nothing is looked at.
        let mut earliest: Option<chrono::DateTime<Utc>> = None;
        let mut note = |next: chrono::DateTime<Utc>| {
            earliest = Some(earliest.map_or(next, |e| e.min(next)));
        };
        for ((registry, name), task) in &self.tasks {
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
        self.store.set_timer_marks(&writes)?;
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

    /// Reads the branch head of every commit trigger: one `git ls-remote` per repository and
    /// branch however many tasks follow it, several at once, each within the commit-check
    /// deadline, so that a git server that never answers holds up nothing past it.
    pub(super) fn check_commits(&mut self, due: &mut BTreeMap<TaskKey, Due>) -> Result<()> {
        let mut followers: BTreeMap<index::CommitSource, Vec<TaskKey>> = BTreeMap::new();
        for (key, task) in &self.tasks {
            if let Some(source) = task.commit.as_deref() {
                followers
                    .entry(source.clone())
                    .or_default()
                    .push(key.clone());
            }
        }
        if followers.is_empty() {
            return Ok(());
        }
        let deadline = self.options.commit_check_timeout;
        let heads: Vec<(index::CommitSource, Result<String, triggers::HeadError>)> =
            self.rt.block_on(
                futures_util::stream::iter(followers.keys().cloned())
                    .map(|source| async move {
                        let (url, branch, token) = &source;
                        let head = triggers::branch_head(
                            url,
                            branch.as_deref(),
                            token.as_deref(),
                            deadline,
                        )
                        .await;
                        (source, head)
                    })
                    .buffer_unordered(COMMIT_CHECKS_AT_ONCE)
                    .collect(),
            );
        let seen = self.store.commit_heads()?;
        let mut writes = Vec::new();
        for (source, head) in heads {
            let keys = &followers[&source];
            let (url, branch, _) = source;
            let head = match head {
                Ok(head) => head,
                Err(e) => {
                    let tasks: Vec<&str> = keys.iter().map(|k| k.1.as_str()).collect();
                    self.report.warn(&format!(
                        "cannot read the branch head of {url} (followed by {}): {e}",
                        tasks.join(", ")
                    ));
                    continue;
                }
            };
            for key in keys {
                match seen.get(key) {
                    Some(was) if *was == head => continue,
                    Some(_) => {
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
                    None => {}
                }
                writes.push((key.clone(), head.clone()));
            }
        }
        self.store.set_commit_heads(&writes)
    }
}

/// How many `git ls-remote` run at once.
const COMMIT_CHECKS_AT_ONCE: usize = 8;
