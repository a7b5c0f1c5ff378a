//! A base image a task was built on: the one record from which the run's and the task's
//! `baseImageDependencies` and the rows watch polls are all derived.

use super::Task;
use super::image::ImageRef;
use super::status::DependencyType;
use super::task::BaseImageDependency;

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

impl Task {
    /// Whether watch follows this base for the task: the rule of [`Task::not_watched`],
    /// without building any message (watch asks it for every base it loads).
    pub fn watches(&self, base: &RecordedBase) -> bool {
        self.not_watched(base).is_none()
    }

    /// Why watch does not follow this base for the task, if it does not: the task or its base
    /// image trigger is disabled, the trigger's type does not cover the base's kind, or the
    /// Dockerfile pins the base by digest. The one place of that rule.
    pub fn not_watched(&self, base: &RecordedBase) -> Option<NotWatched> {
        if !self.status.is_enabled() {
            return Some(NotWatched::TaskDisabled);
        }
        let Some(trigger) = self
            .trigger
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
