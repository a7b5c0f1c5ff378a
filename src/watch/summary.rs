//! What a watch did: per base, per run, per timer and commit. `watch --once -o json` prints
//! it, and its exit code comes from it (0 only when every watched base was checked and found,
//! and every run it started succeeded).

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::status::RunStatus;

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchSummary {
    pub cycles: u64,
    pub bases: BaseCounts,
    /// Bases whose registry could not answer (down, refused, rate-limited, backed off), or
    /// whose tag moved to what could not be read (too large, without the base's platform).
    pub failed: Vec<BaseProblem>,
    /// Bases whose tag the registry does not have (any more).
    pub missing: Vec<BaseProblem>,
    /// Bases whose index changed and is in its settle window: the rebuild waits.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub settling: Vec<SettlingBase>,
    pub runs: Vec<RunOutcome>,
    /// Builders of the pool that did not answer when runs were due, and were given none.
    pub skipped_builders: Vec<SkippedBuilder>,
    pub timers_fired: Vec<Fired>,
    pub commits_fired: Vec<Fired>,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseCounts {
    pub checked: usize,
    pub unchanged: usize,
    pub changed: usize,
    pub missing: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseProblem {
    pub image: String,
    pub registry: String,
    pub reason: String,
    /// The tasks built on it: not rebuilt for it until it can be checked again.
    pub tasks: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettlingBase {
    pub image: String,
    /// When its window ends (RFC 3339, UTC): the first check after it rebuilds.
    pub due_at: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunOutcome {
    pub registry: String,
    pub task: String,
    pub run_id: String,
    /// Image Update, Commit or Timer.
    pub trigger: String,
    /// The run's final status (Running if the watch ended first).
    pub status: RunStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedBuilder {
    pub name: String,
    /// Why it does not answer.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fired {
    pub registry: String,
    pub task: String,
    /// The timer's name, or the commit.
    pub what: String,
}

impl WatchSummary {
    /// Whether nothing was checked, fired or run.
    pub fn is_empty(&self) -> bool {
        let b = &self.bases;
        b.checked + b.failed == 0
            && self.runs.is_empty()
            && self.timers_fired.is_empty()
            && self.commits_fired.is_empty()
    }

    /// The runs that ended other than Succeeded.
    pub fn failed_runs(&self) -> Vec<&RunOutcome> {
        self.runs
            .iter()
            .filter(|r| r.status != RunStatus::Succeeded)
            .collect()
    }

    /// The error `watch --once` exits with, if any: a run that failed (exit 1), else bases it
    /// could not check or whose tag is missing (exit 4): their tasks cannot be rebuilt.
    pub fn outcome(&self) -> Result<()> {
        let failed_runs = self.failed_runs();
        if !failed_runs.is_empty() {
            let list: Vec<String> = failed_runs
                .iter()
                .map(|r| format!("{} of {} ({})", r.run_id, r.task, r.status))
                .collect();
            return Err(Error::Failed(format!(
                "{} of the {} run(s) this watch started did not succeed: {}; see 'acrt task logs --run-id ID'",
                failed_runs.len(),
                self.runs.len(),
                list.join(", ")
            )
            .into())
            .into());
        }
        let mut problems = Vec::new();
        if !self.failed.is_empty() {
            let mut registries: Vec<String> = self
                .failed
                .iter()
                .map(|p| format!("{}: {}", p.registry, p.reason))
                .collect();
            registries.sort();
            registries.dedup();
            problems.push(format!(
                "{} watched base image(s) could not be checked ({}); nothing was triggered from them",
                self.failed.len(),
                registries.join("; ")
            ));
        }
        if !self.missing.is_empty() {
            let images: Vec<&str> = self.missing.iter().map(|p| p.image.as_str()).collect();
            problems.push(format!(
                "{} watched base image(s) are missing from their registry ({}); the tasks built on them cannot be rebuilt until the tag is back",
                self.missing.len(),
                images.join(", ")
            ));
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(Error::Unchecked(problems.join("; ").into()).into()),
        }
    }
}
