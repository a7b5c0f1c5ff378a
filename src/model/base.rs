//! A base image a task was built on: the one record from which the run's and the task's
//! `baseImageDependencies` and the rows watch polls are all derived.

use serde::Deserialize;

use super::Task;
use super::image::ImageRef;
use super::status::{DependencyType, Status};
use super::task::{BaseImageDependency, Credentials, StepSource};
use super::trigger::Trigger;

/// One base image a run resolved before its build (and a task's last successful run was
/// built on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedBase {
    pub dependency_type: DependencyType,
    pub registry: String,
    pub repository: String,
    /// None when the Dockerfile names the base by digest alone.
    pub tag: Option<String>,
    pub index_digest: Option<String>,
    pub platform_digest: Option<String>,
    pub platform: String,
    /// Named by digest in the Dockerfile (`name@sha256:...` or `name:tag@sha256:...`): the
    /// digest is the pin, and the tag moving makes nothing due.
    pub pinned: bool,
}

impl RecordedBase {
    /// The base as an image reference by tag (what the registry is asked about).
    pub fn image(&self) -> ImageRef {
        ImageRef {
            registry: self.registry.clone(),
            repository: self.repository.clone(),
            tag: self.tag.clone(),
            digest: None,
        }
    }

    /// The entry of `baseImageDependencies` (az's shape: the digest is the platform's).
    pub fn dependency(&self) -> BaseImageDependency {
        BaseImageDependency {
            dependency_type: self.dependency_type,
            registry: self.registry.clone(),
            repository: self.repository.clone(),
            tag: self.tag.clone(),
            digest: self.platform_digest.clone(),
        }
    }
}

/// Why watch does not follow a base for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotWatched {
    TaskDisabled,
    TriggerDisabled,
    /// The trigger's type (Runtime) does not cover a build stage's image.
    NotTracked,
    /// The Dockerfile names the base by digest.
    Pinned,
}

/// What watch reads of a stored task: the fields that decide whether it follows the task's
/// bases, which of its timers and commits it checks, and with whose login. serde skips the
/// rest of the stored JSON unparsed: at 10,000 tasks decoding whole tasks was most of a
/// cycle's own time.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchFields {
    pub name: String,
    pub status: Status,
    pub trigger: Trigger,
    pub credentials: Option<Credentials>,
    /// Of the step, only where its source comes from (a commit trigger's repository).
    pub step: StepSource,
}

impl WatchFields {
    /// Whether watch follows this base for the task ([`not_watched`]).
    pub fn watches(&self, base: &RecordedBase) -> bool {
        not_watched(self.status, &self.trigger, base).is_none()
    }
}

/// Why watch does not follow a base for a task of this status and trigger, if it does not:
/// the task or its base image trigger is disabled, the trigger's type does not cover the
/// base's kind, or the Dockerfile pins the base by digest. The one place of that rule.
fn not_watched(status: Status, trigger: &Trigger, base: &RecordedBase) -> Option<NotWatched> {
    if !status.is_enabled() {
        return Some(NotWatched::TaskDisabled);
    }
    let Some(trigger) = trigger
        .base_image_trigger
        .as_ref()
        .filter(|t| t.status.is_enabled())
    else {
        return Some(NotWatched::TriggerDisabled);
    };
    if !trigger
        .base_image_trigger_type
        .follows(base.dependency_type)
    {
        return Some(NotWatched::NotTracked);
    }
    if base.pinned || base.tag.is_none() {
        return Some(NotWatched::Pinned);
    }
    None
}

impl Task {
    /// Why watch does not follow this base for the task, if it does not ([`not_watched`]).
    pub fn not_watched(&self, base: &RecordedBase) -> Option<NotWatched> {
        not_watched(self.status, &self.trigger, base)
    }

    /// [`Task::not_watched`] as a sentence with the fix.
    pub fn why_not_watched(&self, base: &RecordedBase) -> Option<String> {
        let fix = format!("'acrt task update -n {}", self.name);
        Some(match self.not_watched(base)? {
            NotWatched::TaskDisabled => format!("the task is disabled ({fix} --status Enabled')"),
            NotWatched::TriggerDisabled => format!(
                "the base image trigger is disabled ({fix} --base-image-trigger-enabled true')"
            ),
            NotWatched::NotTracked => format!(
                "not tracked: the trigger type is Runtime, and this is a build stage's image ({fix} --base-image-trigger-type All')"
            ),
            NotWatched::Pinned => {
                "pinned by digest in the Dockerfile: never rebuilt for its tag".into()
            }
        })
    }
}
