//! Timer and commit triggers: which tasks are due because a schedule came round or a
//! branch head moved.

use chrono::{DateTime, Utc};
use std::str::FromStr;

use crate::model::ContextLocation;
use crate::model::context::source_control_type;
use crate::model::run::{SourceTriggerDescriptor, TimerTriggerDescriptor};
use crate::model::status::SourceTriggerEvent;
use crate::model::task::StepSource;
use crate::model::trigger::Trigger;

/// The latest occurrence of `schedule` in (after, now], if any: a timer fires once for the
/// interval, never once per missed occurrence.
pub fn latest_occurrence(
    schedule: &str,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let cron = croner::Cron::from_str(schedule).ok()?;
    let mut latest = None;
    let mut cursor = after;
    // Bounded: a minute-granular schedule has at most ~525,600 occurrences a year.
    for _ in 0..600_000 {
        match cron.find_next_occurrence(&cursor, false) {
            Ok(next) if next <= now => {
                latest = Some(next);
                cursor = next;
            }
            _ => break,
        }
    }
    latest
}

/// The first occurrence of `schedule` after `after`.
pub fn next_occurrence(schedule: &str, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    croner::Cron::from_str(schedule)
        .ok()?
        .find_next_occurrence(&after, false)
        .ok()
}

pub fn timer_descriptor(name: &str, occurrence: DateTime<Utc>) -> TimerTriggerDescriptor {
    TimerTriggerDescriptor {
        schedule_occurrence: occurrence.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        timer_trigger_name: name.to_string(),
    }
}

/// The git repository and branch a task's commit trigger follows, when it has one enabled.
pub fn commit_source(trigger: &Trigger, source: &StepSource) -> Option<(String, Option<String>)> {
    let trigger = trigger.source_triggers.as_ref()?.first()?;
    if !trigger.status.is_enabled()
        || !trigger
            .source_trigger_events
            .contains(&SourceTriggerEvent::Commit)
    {
        return None;
    }
    match ContextLocation::parse(source.context_path.as_deref()?) {
        ContextLocation::Git { url, branch, .. } => Some((url, branch)),
        _ => None,
    }
}

/// Why a branch head could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadError {
    /// The git server gave no answer within the deadline: the check was stopped.
    NoAnswer(std::time::Duration),
    /// git failed, or could not be started; what it said.
    Failed(String),
}

impl std::fmt::Display for HeadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeadError::NoAnswer(d) => write!(
                f,
                "no answer within {}s (the check was stopped; core.registry_timeout sets how long it may take)",
                d.as_secs()
            ),
            HeadError::Failed(e) => f.write_str(e),
        }
    }
}

/// The commit at the head of `branch` (or the remote's HEAD), by `git ls-remote`, given at
/// most `deadline`: past it, git and whatever it started (its own process group) are killed.
pub async fn branch_head(
    url: &str,
    branch: Option<&str>,
    token: Option<&str>,
    deadline: std::time::Duration,
) -> Result<String, HeadError> {
    let failed = |e: String| HeadError::Failed(e);
    let reference = branch.map_or("HEAD".to_string(), |b| format!("refs/heads/{b}"));
    let git =
        crate::host::program("git", "apt-get install git").map_err(|e| failed(e.to_string()))?;
    let mut cmd = crate::host::command(&git);
    cmd.args(["ls-remote", "--", url, &reference])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let askpass_dir = tempfile::tempdir().map_err(|e| failed(e.to_string()))?;
    cmd.envs(
        crate::context::git_env(askpass_dir.path(), token).map_err(|e| failed(e.to_string()))?,
    );
    let child = cmd.spawn().map_err(|e| {
        failed(crate::host::cannot_start(cmd.as_std(), &e, "apt-get install git").to_string())
    })?;
    let group = child.id();
    let out = match tokio::time::timeout(deadline, child.wait_with_output()).await {
        Ok(out) => out.map_err(|e| failed(e.to_string()))?,
        Err(_) => {
            if let Some(pgid) = group {
                // SAFETY: kill(2) of the process group git leads (process_group(0) above).
                unsafe { libc::kill(-(pgid as libc::pid_t), libc::SIGKILL) };
            }
            return Err(HeadError::NoAnswer(deadline));
        }
    };
    if !out.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .map(str::to_string)
        .ok_or_else(|| failed(format!("{url} has no {reference}")))
}

pub fn source_descriptor(url: &str, branch: Option<&str>, commit: &str) -> SourceTriggerDescriptor {
    SourceTriggerDescriptor {
        branch_name: branch.map(str::to_string),
        commit_id: Some(commit.to_string()),
        event_type: "Commit".into(),
        id: format!("commit-{}", &commit[..commit.len().min(12)]),
        provider_type: source_control_type(url).into(),
        pull_request_id: None,
        repository_url: url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn fires_once_for_the_latest_occurrence() {
        let occ = latest_occurrence(
            "0 * * * *",
            at("2026-01-01T00:30:00Z"),
            at("2026-01-01T05:10:00Z"),
        );
        assert_eq!(occ, Some(at("2026-01-01T05:00:00Z")));
        assert_eq!(
            latest_occurrence(
                "0 * * * *",
                at("2026-01-01T05:00:00Z"),
                at("2026-01-01T05:10:00Z")
            ),
            None
        );
        assert_eq!(
            latest_occurrence(
                "0 3 * * *",
                at("2026-01-01T02:59:00Z"),
                at("2026-01-01T03:00:00Z")
            ),
            Some(at("2026-01-01T03:00:00Z"))
        );
    }
}
