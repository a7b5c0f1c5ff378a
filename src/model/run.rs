//! A run as az prints it, its statuses, and run IDs.

use serde::{Deserialize, Serialize};

use super::Platform;
use super::image::ImageRef;
use super::status::{RunStatus, RunType, StepStatus};
use super::system_data::SystemData;
use super::task::{AgentConfiguration, BaseImageDependency};

pub const RUN_RESOURCE_TYPE: &str = "registries/runs";
pub const TASK_RUN_RESOURCE_TYPE: &str = "registries/taskRuns";

/// az's TaskRun resource. acrt keeps no task runs apart from runs: each run is shown as a
/// task run named by its run ID, with the run as its result; what a task run adds in Azure
/// (a managed identity, a location, an ARM deployment's request) is null.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskRun {
    pub force_update_tag: Option<String>,
    pub id: String,
    pub identity: Option<()>,
    pub location: Option<String>,
    pub name: String,
    pub provisioning_state: String,
    pub resource_group: Option<()>,
    pub run_request: Option<()>,
    pub run_result: Run,
    pub system_data: Option<SystemData>,
    #[serde(rename = "type")]
    pub resource_type: String,
}

impl TaskRun {
    pub fn of(registry: &str, run: Run) -> TaskRun {
        TaskRun {
            force_update_tag: None,
            id: format!("/registries/{registry}/taskRuns/{}", run.run_id),
            identity: None,
            location: None,
            name: run.run_id.clone(),
            provisioning_state: "Succeeded".into(),
            resource_group: None,
            run_request: None,
            system_data: run.system_data.clone(),
            run_result: run,
            resource_type: TASK_RUN_RESOURCE_TYPE.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub agent_configuration: AgentConfiguration,
    /// az's agent pools do not exist locally: always null.
    #[serde(default)]
    pub agent_pool_name: Option<String>,
    /// The base images this run resolved before building (az shape; digest = the platform's).
    pub base_image_dependencies: Option<Vec<BaseImageDependency>>,
    /// The image builder the run used (acrt's own field: az runs on ACR's agents), chosen
    /// once when the run starts; null before.
    #[serde(default)]
    pub builder: Option<String>,
    /// acrt's own: the builders that stopped answering during this run's build, in order
    /// (a run the task let try again elsewhere has its `builder` the one that finished);
    /// absent when none did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_builders: Option<Vec<LostBuilder>>,
    pub create_time: String,
    pub custom_registries: Option<Vec<String>>,
    pub finish_time: Option<String>,
    pub id: String,
    pub image_update_trigger: Option<ImageUpdateTrigger>,
    pub is_archive_enabled: bool,
    pub last_updated_time: String,
    /// Where the run's log is. ACR keeps it as an artifact in the registry; acrt keeps it on
    /// this machine, so `repository` is the log file's path and the rest is null.
    #[serde(default)]
    pub log_artifact: Option<ImageDescriptorFields>,
    pub name: String,
    pub output_images: Option<Vec<ImageDescriptor>>,
    pub platform: Platform,
    /// acrt's own: when the run builds several platforms, each of them with the digest of
    /// the image pushed for it (the index's children; null until pushed). Absent for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<PlatformImage>>,
    pub provisioning_state: String,
    /// acrt's own: set when the run rebased the task's image instead of building it.
    #[serde(default)]
    pub rebase: Option<RebaseRecord>,
    /// acrt's own: what the run attached to each image it pushed (with `signing.key` set);
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestations: Option<Vec<Attestation>>,
    /// az's resource group, which does not exist locally: always null.
    #[serde(default)]
    pub resource_group: Option<()>,
    pub run_error_message: Option<String>,
    pub run_id: String,
    pub run_type: RunType,
    /// az's auth mode for the source registry, when a run overrides it: never here.
    #[serde(default)]
    pub source_registry_auth: Option<String>,
    pub source_trigger: Option<SourceTriggerDescriptor>,
    pub start_time: Option<String>,
    pub status: RunStatus,
    /// The steps of a multi-step run, with their statuses (null for a Dockerfile build).
    pub steps: Option<Vec<StepRecord>>,
    /// acrt's own: true when the run succeeded and every image it pushed is the one its
    /// task's last successful run pushed (the same digest, or the same content: see
    /// docs/reproducible.md); such a run triggers no dependent and sends no notification.
    /// False when it pushed something new; null when it pushed nothing or did not succeed.
    #[serde(default)]
    pub unchanged: Option<bool>,
    /// Who queued the run and when, who changed it last (null on runs stored before it was
    /// kept, until their next change).
    #[serde(default)]
    pub system_data: Option<SystemData>,
    pub task: Option<String>,
    pub timer_trigger: Option<TimerTriggerDescriptor>,
    #[serde(rename = "type")]
    pub resource_type: String,
    /// az's token for `--update-trigger-endpoint` calls, when a run was given one: the
    /// endpoint gets no token from acrt, so null.
    #[serde(default)]
    pub update_trigger_token: Option<String>,
}

/// A builder that stopped answering during a run's build: its name in the pool (`local`:
/// this machine's), where it was, and the failure the run met then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LostBuilder {
    pub name: String,
    pub url: Option<String>,
    pub error: String,
}

/// One platform of a multi-platform run, the digest of its image and the builder it was
/// built on (as the run's `builder` names one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformImage {
    #[serde(flatten)]
    pub platform: Platform,
    pub digest: Option<String>,
    /// A rebase's run: what rebasing this platform's image swapped (absent where the image
    /// was built or kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rebase: Option<RebaseRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builder: Option<String>,
}

/// What a rebase swapped: the base, and its digests before and after (this platform's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RebaseRecord {
    pub base_image: String,
    pub from_digest: String,
    pub to_digest: String,
    /// The config fields (and entries) the image took from the new base: those it had left
    /// as the old base had them and the new base changed. Empty on runs stored before it
    /// was kept.
    #[serde(default)]
    pub carried_over: Vec<CarriedField>,
}

/// A field of an image's runtime config that a rebase takes from the new base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigField {
    Env,
    Entrypoint,
    Cmd,
    WorkingDir,
    User,
    Labels,
    ExposedPorts,
    StopSignal,
}

impl ConfigField {
    /// Its key in an OCI image config's `config` (the same as its name).
    pub fn config_key(self) -> &'static str {
        match self {
            ConfigField::Env => "Env",
            ConfigField::Entrypoint => "Entrypoint",
            ConfigField::Cmd => "Cmd",
            ConfigField::WorkingDir => "WorkingDir",
            ConfigField::User => "User",
            ConfigField::Labels => "Labels",
            ConfigField::ExposedPorts => "ExposedPorts",
            ConfigField::StopSignal => "StopSignal",
        }
    }
}

/// A field a rebase carried over; `key` names the entry of Env (a variable), Labels (a
/// label) or ExposedPorts (a port).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarriedField {
    pub field: ConfigField,
    pub key: Option<String>,
}

impl std::fmt::Display for CarriedField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{} {key}", self.field.config_key()),
            None => f.write_str(self.field.config_key()),
        }
    }
}

/// The signed provenance and the cosign signature attached to one pushed image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attestation {
    /// `registry/repository@digest`.
    pub image: String,
    /// The provenance artifact's manifest digest, in the image's repository.
    pub provenance: String,
    /// How the registry lists it: `referrersApi`, or `referrersTag` (the index under
    /// `sha256-<hex>`).
    pub listed: String,
    /// The tag of the cosign signature (`sha256-<hex>.sig`).
    pub signature_tag: String,
    /// The tag of the provenance as a cosign attestation (`sha256-<hex>.att`); None in a run
    /// recorded before acrt wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation_tag: Option<String>,
    /// Already on the image when the run ended, verified with the configured key: a run that
    /// changed nothing attaches nothing again (none of the tags and artifacts are its own).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub existing: bool,
}

/// az's ImageDescriptor with every field optional (a log artifact's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageDescriptorFields {
    pub digest: Option<String>,
    pub registry: Option<String>,
    pub repository: Option<String>,
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepRecord {
    pub id: String,
    pub status: StepStatus,
    pub start_time: Option<String>,
    pub finish_time: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageDescriptor {
    pub digest: Option<String>,
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
}

impl ImageDescriptor {
    /// What a run pushed: `image` (its name) at `digest`.
    pub fn of(image: &ImageRef, digest: Option<String>) -> ImageDescriptor {
        ImageDescriptor {
            digest,
            registry: image.registry.clone(),
            repository: image.repository.clone(),
            tag: image.tag.clone(),
        }
    }

    /// The image it names, by tag.
    pub fn image(&self) -> ImageRef {
        by_tag(&self.registry, &self.repository, self.tag.as_deref())
    }

    /// Whether `other` names the same image: registry, repository and tag.
    pub fn same_name(&self, other: &ImageDescriptor) -> bool {
        (&self.registry, &self.repository, &self.tag)
            == (&other.registry, &other.repository, &other.tag)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageUpdateTrigger {
    pub id: String,
    pub images: Vec<UpdatedImage>,
    pub timestamp: String,
}

/// A base image that moved: az's image descriptor, plus the digest the task was built on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedImage {
    pub digest: Option<String>,
    pub previous_digest: Option<String>,
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
}

impl UpdatedImage {
    /// The base that moved, by tag.
    pub fn image(&self) -> ImageRef {
        by_tag(&self.registry, &self.repository, self.tag.as_deref())
    }
}

fn by_tag(registry: &str, repository: &str, tag: Option<&str>) -> ImageRef {
    ImageRef {
        registry: registry.to_string(),
        repository: repository.to_string(),
        tag: tag.map(str::to_string),
        digest: None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceTriggerDescriptor {
    pub branch_name: Option<String>,
    pub commit_id: Option<String>,
    pub event_type: String,
    pub id: String,
    pub provider_type: String,
    pub pull_request_id: Option<String>,
    pub repository_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimerTriggerDescriptor {
    pub schedule_occurrence: String,
    pub timer_trigger_name: String,
}

impl Run {
    /// The builders the run records, each once: each platform's, and the run's own.
    pub fn builders(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .platforms
            .iter()
            .flatten()
            .filter_map(|p| p.builder.as_deref())
            .chain(self.builder.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The builder that built `platform` in this run: the one recorded beside it, else the
    /// run's.
    pub fn builder_of(&self, platform: &Platform) -> Option<&str> {
        self.platforms
            .iter()
            .flatten()
            .find(|p| &p.platform == platform)
            .and_then(|p| p.builder.as_deref())
            .or(self.builder.as_deref())
    }

    pub fn resource_id(login_server: &str, run_id: &str) -> String {
        format!("/registries/{login_server}/runs/{run_id}")
    }

    /// Records a change of the run's state at `now`: its `lastUpdatedTime` and systemData.
    pub fn touch(&mut self, now: &str) {
        self.last_updated_time = now.to_string();
        self.record_change(now);
    }

    /// Records a change of the run itself at `now` (who changed it, when): its systemData.
    pub fn record_change(&mut self, now: &str) {
        SystemData::record_change(&mut self.system_data, &self.create_time, now);
    }

    /// The run ends now: its finish time, and the change recorded.
    pub fn finish_now(&mut self) {
        let now = super::task::now_rfc3339();
        self.finish_time = Some(now.clone());
        self.touch(&now);
    }

    /// az's TRIGGER column: the source event, else Timer, else Image Update, else Manual.
    pub fn trigger_label(&self) -> &str {
        trigger_label(
            self.source_trigger.as_ref().map(|s| s.event_type.as_str()),
            self.timer_trigger.is_some(),
            self.image_update_trigger.is_some(),
        )
    }
}

/// What started a run, as az's run table names it: the source event as the run names it
/// (Commit), else Timer, else Image Update, else Manual.
pub fn trigger_label(event_type: Option<&str>, timer: bool, image_update: bool) -> &str {
    match event_type.filter(|e| !e.trim().is_empty()) {
        Some(event) => event,
        None if timer => "Timer",
        None if image_update => "Image Update",
        None => "Manual",
    }
}

const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// A run ID: the registry's two-letter prefix and a base-36 counter (da1 ... da9, daa ...
/// daz, da10 ...).
pub fn format_run_id(prefix: &str, counter: u64) -> String {
    let mut digits = Vec::new();
    let mut n = counter;
    loop {
        digits.push(BASE36[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    format!("{prefix}{}", String::from_utf8(digits).expect("ascii"))
}

/// The first prefix to try for a registry: stable per login server, two letters.
pub fn preferred_prefix(login_server: &str, attempt: u32) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(login_server.as_bytes());
    let n = (u32::from(hash[0]) << 8 | u32::from(hash[1])).wrapping_add(attempt) % (26 * 26);
    let letters = [b'a' + (n / 26) as u8, b'a' + (n % 26) as u8];
    String::from_utf8(letters.to_vec()).expect("ascii")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_count_in_base_36() {
        let ids: Vec<String> = [1, 9, 10, 35, 36, 37, 1295, 1296]
            .iter()
            .map(|&n| format_run_id("ca", n))
            .collect();
        assert_eq!(
            ids,
            ["ca1", "ca9", "caa", "caz", "ca10", "ca11", "cazz", "ca100"]
        );
    }

    #[test]
    fn prefixes_are_two_letters_and_stable() {
        let p = preferred_prefix("localhost:5000", 0);
        assert_eq!(p.len(), 2);
        assert!(p.chars().all(|c| c.is_ascii_lowercase()));
        assert_eq!(p, preferred_prefix("localhost:5000", 0));
        assert_ne!(p, preferred_prefix("localhost:5000", 1));
    }
}
