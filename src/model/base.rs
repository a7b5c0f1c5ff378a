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

impl Task {
    /// Whether watch follows this base for the task: the task and its base image trigger are
    /// enabled, the trigger's type covers the base's kind, and the base has a tag to move
    /// (a base the Dockerfile pins by digest never makes its task due).
    pub fn watches(&self, base: &RecordedBase) -> bool {
        let Some(trigger) = &self.trigger.base_image_trigger else {
            return false;
        };
        self.status.is_enabled()
            && trigger.status.is_enabled()
            && trigger
                .base_image_trigger_type
                .follows(base.dependency_type)
            && base.tag.is_some()
            && !base.pinned
    }
}
