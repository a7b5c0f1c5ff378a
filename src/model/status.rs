//! The model's closed sets of values (statuses, kinds), with the names az prints. Each is also
//! the clap value type of the flag that sets it, so a flag value is never a loose string.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Writes the serde name of a unit variant: the one spelling in JSON, tables and messages.
fn serde_name<T: Serialize>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => f.write_str(&s),
        _ => Err(fmt::Error),
    }
}

macro_rules! display_as_serde {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                serde_name(self, f)
            }
        }
    )*};
}

/// A run's status; the last five are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[value(rename_all = "PascalCase")]
pub enum RunStatus {
    Queued,
    Started,
    Running,
    Succeeded,
    Failed,
    Canceled,
    Error,
    Timeout,
}

impl RunStatus {
    pub const UNFINISHED: [RunStatus; 3] =
        [RunStatus::Queued, RunStatus::Started, RunStatus::Running];

    pub fn is_final(self) -> bool {
        !RunStatus::UNFINISHED.contains(&self)
    }

    /// `'Queued', 'Started', 'Running'`: the SQL list of unfinished statuses (the same text as
    /// the partial index on runs, so that queries use it).
    pub fn unfinished_sql() -> String {
        RunStatus::UNFINISHED
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether a task, a trigger or a timer is on (az's TaskStatus and TriggerStatus).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[value(rename_all = "PascalCase")]
pub enum Status {
    Enabled,
    Disabled,
}

impl Status {
    pub fn from_enabled(enabled: bool) -> Status {
        if enabled {
            Status::Enabled
        } else {
            Status::Disabled
        }
    }

    pub fn is_enabled(self) -> bool {
        self == Status::Enabled
    }
}

/// What a task does when its base changed: build again, or (where sound) swap the base's
/// layers in the image it pushed, without a build.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum BaseImageUpdate {
    #[default]
    Rebuild,
    Rebase,
}

/// Which base images of a task its base image trigger follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[value(rename_all = "PascalCase")]
pub enum BaseImageTriggerType {
    // Every base image, build stages included.
    All,
    // Only the base of the final stage (what the image runs on).
    Runtime,
}

impl BaseImageTriggerType {
    /// Whether a base of this kind makes the trigger fire.
    pub fn follows(self, dependency: DependencyType) -> bool {
        self == BaseImageTriggerType::All || dependency == DependencyType::RunTime
    }
}

/// What the base image trigger's webhook receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[value(rename_all = "PascalCase")]
pub enum UpdateTriggerPayloadType {
    Default,
    Token,
}

/// The git events a source trigger reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceTriggerEvent {
    Commit,
    Pullrequest,
}

/// How an image is used by a build: the final stage's base, or any other stage's image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DependencyType {
    /// `Runtime`, as the service returns it (the REST spec's enum says `RunTime`, which
    /// older stores hold).
    #[serde(rename = "Runtime", alias = "RunTime")]
    RunTime,
    BuildTime,
}

/// A step of a multi-step run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Inprogress,
    Successful,
    Failed,
    Skipped,
}

/// How a run was started, as az names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RunType {
    /// `acrt build` (az acr build).
    QuickBuild,
    /// `acrt run` (az acr run).
    QuickRun,
    /// A run of a Docker task.
    AutoBuild,
    /// A run of a multi-step task.
    AutoRun,
}

display_as_serde!(
    RunStatus,
    Status,
    BaseImageTriggerType,
    UpdateTriggerPayloadType,
    SourceTriggerEvent,
    DependencyType,
    StepStatus,
    RunType
);

impl std::str::FromStr for DependencyType {
    type Err = String;

    /// The stored spelling back to the type (the store keeps it as text).
    fn from_str(text: &str) -> Result<Self, String> {
        serde_json::from_value(serde_json::Value::String(text.to_string()))
            .map_err(|_| format!("unknown dependency type '{text}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_azs() {
        assert_eq!(RunStatus::Succeeded.to_string(), "Succeeded");
        assert_eq!(Status::Disabled.to_string(), "Disabled");
        assert_eq!(DependencyType::RunTime.to_string(), "Runtime");
        assert_eq!(
            "RunTime".parse::<DependencyType>(),
            Ok(DependencyType::RunTime)
        );
        assert_eq!(StepStatus::Inprogress.to_string(), "inprogress");
        assert_eq!(SourceTriggerEvent::Pullrequest.to_string(), "pullrequest");
        assert_eq!(
            RunStatus::unfinished_sql(),
            "'Queued', 'Started', 'Running'"
        );
        assert_eq!(
            "BuildTime".parse::<DependencyType>(),
            Ok(DependencyType::BuildTime)
        );
        assert!(RunStatus::Timeout.is_final() && !RunStatus::Started.is_final());
    }

    #[test]
    fn runtime_trigger_follows_only_the_runtime_base() {
        assert!(BaseImageTriggerType::Runtime.follows(DependencyType::RunTime));
        assert!(!BaseImageTriggerType::Runtime.follows(DependencyType::BuildTime));
        assert!(BaseImageTriggerType::All.follows(DependencyType::BuildTime));
    }
}
