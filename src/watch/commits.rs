//! The commit poller: the branch head of every commit trigger, one `git ls-remote` per
//! repository and branch, each within a deadline; the heads seen are typed rows in the store.

use futures_util::StreamExt;
use std::collections::BTreeMap;
use std::time::Duration;

use super::Shared;
use super::due::{Due, DueTasks, TaskKey};
use super::index::{CommitSource, Index};
use super::summary::Fired;
use super::triggers;
use crate::error::Result;
use crate::model::image::short_digest;

pub(super) struct CommitPoller {
    /// How long one `git ls-remote` may take.
    pub timeout: Duration,
}

impl CommitPoller {
    /// Reads the branch head of every commit trigger: one `git ls-remote` per repository and
    /// branch however many tasks follow it, several at once, each within the commit-check
    /// deadline, so that a git server that never answers holds up nothing past it.
    pub(super) fn poll(&self, sh: &mut Shared, index: &Index, due: &mut DueTasks) -> Result<()> {
        let mut followers: BTreeMap<CommitSource, Vec<TaskKey>> = BTreeMap::new();
        for (key, task) in &index.tasks {
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
        let deadline = self.timeout;
        let heads: Vec<(CommitSource, Result<String, triggers::HeadError>)> = sh.rt.block_on(
            futures_util::stream::iter(followers.keys().cloned())
                .map(|source| async move {
                    let (url, branch, token) = &source;
                    let head =
                        triggers::branch_head(url, branch.as_deref(), token.as_deref(), deadline)
                            .await;
                    (source, head)
                })
                .buffer_unordered(COMMIT_CHECKS_AT_ONCE)
                .collect(),
        );
        let seen = sh.store.commit_heads()?;
        let mut writes = Vec::new();
        for (source, head) in heads {
            let keys = &followers[&source];
            let (url, branch, _) = source;
            let head = match head {
                Ok(head) => head,
                Err(e) => {
                    let tasks: Vec<&str> = keys.iter().map(|k| k.1.as_str()).collect();
                    sh.report.warn(&format!(
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
                        sh.report.event(&format!(
                            "{url} {} moved to {}: {} is due",
                            branch.as_deref().unwrap_or("HEAD"),
                            short_digest(&head),
                            key.1
                        ));
                        due.entry(key.clone()).or_insert_with(|| {
                            Due::Commit(triggers::source_descriptor(&url, branch.as_deref(), &head))
                        });
                        sh.summary.commits_fired.push(Fired {
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
        sh.store.set_commit_heads(&writes)
    }
}

/// How many `git ls-remote` run at once.
const COMMIT_CHECKS_AT_ONCE: usize = 8;
