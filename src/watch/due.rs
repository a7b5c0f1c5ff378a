//! What the pollers hand the scheduler: which task is due and why, and the unique bases
//! one registry request serves.

use std::collections::BTreeMap;

use crate::model::image::ImageRef;
use crate::model::run::{SourceTriggerDescriptor, TimerTriggerDescriptor, UpdatedImage};
use crate::store::WatchedBase;

pub(super) type TaskKey = (String, String); // (registry, task name)

/// The tasks found due, each with its reason.
pub(super) type DueTasks = BTreeMap<TaskKey, Due>;

/// Why a task is due this cycle; the first reason found wins (one run per task per cycle).
#[derive(Debug, Clone)]
pub(super) enum Due {
    ImageUpdate(Vec<UpdatedImage>),
    Commit(SourceTriggerDescriptor),
    Timer(TimerTriggerDescriptor),
}

impl Due {
    /// As `task list-runs` names the trigger.
    pub(super) fn label(&self) -> &'static str {
        match self {
            Due::ImageUpdate(_) => "Image Update",
            Due::Commit(_) => "Commit",
            Due::Timer(_) => "Timer",
        }
    }
}

/// A unique base: one manifest request serves every task built on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct BaseKey {
    pub registry: String,
    pub repository: String,
    pub tag: String,
    pub platform: String,
}

impl BaseKey {
    pub(super) fn of(base: &WatchedBase) -> BaseKey {
        BaseKey {
            registry: base.registry.clone(),
            repository: base.repository.clone(),
            tag: base.tag.clone().unwrap_or_default(),
            platform: base.platform.clone(),
        }
    }

    pub(super) fn image(&self) -> ImageRef {
        ImageRef {
            registry: self.registry.clone(),
            repository: self.repository.clone(),
            tag: Some(self.tag.clone()),
            digest: None,
        }
    }
}

/// The registry's API host (Docker Hub's name differs from its API's).
pub(super) fn api_registry(registry: &str) -> String {
    BaseKey {
        registry: registry.into(),
        repository: "x".into(),
        tag: "x".into(),
        platform: String::new(),
    }
    .image()
    .api_registry()
    .to_string()
}

/// Makes the task built on `base` due for its move to `new_digest`.
pub(super) fn mark_image_update(due: &mut DueTasks, base: &WatchedBase, new_digest: &str) {
    let image = UpdatedImage {
        digest: Some(new_digest.to_string()),
        previous_digest: base.platform_digest.clone(),
        registry: base.registry.clone(),
        repository: base.repository.clone(),
        tag: base.tag.clone(),
    };
    let entry = due
        .entry((base.task_registry.clone(), base.task.clone()))
        .or_insert_with(|| Due::ImageUpdate(Vec::new()));
    // One run per task per cycle: every base that moved is listed on it.
    if let Due::ImageUpdate(images) = entry
        && !images.contains(&image)
    {
        images.push(image);
    }
}

/// Joins a second reason a task is due into the first: the base changes of both are listed on
/// its one run; any other reason keeps the first.
pub(super) fn merge_due(was: &mut Due, more: Due) {
    if let (Due::ImageUpdate(images), Due::ImageUpdate(more)) = (was, more) {
        for image in more {
            if !images.iter().any(|i| same_change(i, &image)) {
                images.push(image);
            }
        }
    }
}

pub(super) fn merge_into(due: &mut DueTasks, key: TaskKey, reason: Due) {
    match due.get_mut(&key) {
        Some(was) => merge_due(was, reason),
        None => {
            due.insert(key, reason);
        }
    }
}

/// The same base moved to the same digest.
pub(super) fn same_change(a: &UpdatedImage, b: &UpdatedImage) -> bool {
    a.registry == b.registry
        && a.repository == b.repository
        && a.tag == b.tag
        && a.digest == b.digest
}
