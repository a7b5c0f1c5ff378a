//! A task as az prints it: the step (Docker, FileTask or EncodedTask), triggers, credentials.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::argument::Argument;
use super::names::EnvVarName;
use super::source_date::SourceDateEpoch;
use super::status::{BaseImageUpdate, DependencyType, Status};
use super::system_data::SystemData;
use super::trigger::Trigger;
use super::{Platform, Platforms};

pub const TASK_RESOURCE_TYPE: &str = "registries/tasks";
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 3600;
pub const MAX_TIMEOUT_SECONDS: u32 = 28800;
pub const DEFAULT_CPU: u32 = 2;
pub const DEFAULT_DOCKERFILE: &str = "Dockerfile";

/// File names that make `-f` a multi-step task file rather than a Dockerfile, as az decides.
pub const TASK_FILE_SUFFIXES: &[&str] = &[".yaml", ".yml", ".toml", ".json"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub agent_configuration: AgentConfiguration,
    /// Azure-only fields az prints (agent pools, managed identities, locations, resource
    /// groups, tags): no local meaning, always null, kept so that az's shape holds.
    #[serde(default)]
    pub agent_pool_name: Option<()>,
    /// acrt's own: rebuild (as ACR) or rebase when a base changed. Older tasks read rebuild.
    #[serde(default)]
    pub base_image_update: BaseImageUpdate,
    pub creation_date: String,
    pub credentials: Option<Credentials>,
    pub id: String,
    #[serde(default)]
    pub identity: Option<()>,
    /// az's system tasks (ACR's own, such as its purge task) do not exist locally: always
    /// false, as az prints it on every task. Tasks stored before it was added read as false.
    #[serde(default)]
    pub is_system_task: bool,
    #[serde(default)]
    pub location: Option<()>,
    pub log_template: Option<String>,
    pub name: String,
    pub platform: Platform,
    /// acrt's own: every platform the task builds when it builds several (`platform` is the
    /// first, as az keeps one); absent for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Platforms>,
    /// acrt's own: a base change on any platform rebuilds (or rebases) every platform
    /// together (`--platform-lockstep`); absent (false): only the platforms whose base moved.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub platform_lockstep: bool,
    pub provisioning_state: String,
    #[serde(default)]
    pub resource_group: Option<()>,
    /// acrt's own: a run whose builder stopped answering during the build is tried once
    /// more on another builder of the pool (`--retry-elsewhere`); absent: false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retry_elsewhere: bool,
    /// acrt's own: the environment variables a task file's `secrets:` may read with `env:`
    /// (`--secret-env`); any other is refused before the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_env: Vec<EnvVarName>,
    /// acrt's own: the time its images' timestamps are set to (`--source-date-epoch`); when
    /// unset, a git context's commit time, else the newest base's creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_date_epoch: Option<SourceDateEpoch>,
    pub status: Status,
    pub step: TaskStep,
    /// Who made the task and when, who changed it last (null on tasks stored before it was
    /// kept, until their next change).
    #[serde(default)]
    pub system_data: Option<SystemData>,
    #[serde(default)]
    pub tags: Option<()>,
    pub timeout: u32,
    pub trigger: Trigger,
    #[serde(rename = "type")]
    pub resource_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentConfiguration {
    pub cpu: u32,
}

/// Deserialized through [`FlatStep`]: serde's internally tagged enums with flattened fields
/// buffer every step twice, the largest cost of reading thousands of stored tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum TaskStep {
    Docker(DockerStep),
    FileTask(FileTaskStep),
    EncodedTask(EncodedTaskStep),
    /// acrt's own: a mirror task, which copies an image (every platform of it) into the
    /// registry, as `acrt import` does, and again whenever the source changes.
    Import(ImportStep),
}

/// What every kind of step has: where its source comes from and what it was built on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepSource {
    pub base_image_dependencies: Option<Vec<BaseImageDependency>>,
    pub context_access_token: Option<String>,
    pub context_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DockerStep {
    #[serde(flatten)]
    pub source: StepSource,
    pub arguments: Vec<Argument>,
    pub docker_file_path: String,
    pub image_names: Vec<String>,
    pub is_push_enabled: bool,
    pub no_cache: bool,
    pub target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileTaskStep {
    #[serde(flatten)]
    pub source: StepSource,
    pub task_file_path: String,
    pub values: Vec<Argument>,
    pub values_file_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EncodedTaskStep {
    #[serde(flatten)]
    pub source: StepSource,
    pub encoded_task_content: String,
    pub encoded_values_content: Option<String>,
    pub values: Vec<Argument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportStep {
    #[serde(flatten)]
    pub source: StepSource,
    /// The image copied: registry/repository:tag (or @digest).
    pub import_source: String,
    /// Where it is copied to, in the task's registry.
    pub image_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseImageDependency {
    #[serde(rename = "type")]
    pub dependency_type: DependencyType,
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    pub custom_registries: BTreeMap<String, RegistryCredential>,
    pub source_registry: SourceRegistryCredentials,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceRegistryCredentials {
    pub login_mode: LoginMode,
}

/// Whether a run logs in to its own registry with the user's login (`--auth-mode`, az's
/// `sourceRegistry.loginMode`): Default (yes) or None (only the task's own credentials).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[value(rename_all = "PascalCase")]
pub enum LoginMode {
    #[default]
    Default,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryCredential {
    pub identity: Option<String>,
    #[serde(with = "secret_object")]
    pub password: Option<String>,
    #[serde(with = "secret_object")]
    pub user_name: Option<String>,
}

/// az's SecretObject: `{"type": "Opaque", "value": ...}` (a value null when hidden). acrt
/// keeps plain values only (az's other type, Vaultsecret, names an Azure Key Vault secret).
/// Tasks stored before the object form hold a bare string, read as its value.
mod secret_object {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct SecretObject {
        #[serde(rename = "type")]
        kind: String,
        value: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Object(SecretObject),
        Bare(Option<String>),
    }

    pub fn serialize<S: Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        SecretObject {
            kind: "Opaque".into(),
            value: value.clone(),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Stored::deserialize(d)? {
            Stored::Object(o) => o.value,
            Stored::Bare(v) => v,
        })
    }
}

/// The (login server, user, password) of every registry credential in `credentials`.
pub fn registry_logins(
    credentials: Option<&Credentials>,
) -> impl Iterator<Item = (&str, &str, &str)> {
    credentials
        .into_iter()
        .flat_map(|c| c.custom_registries.iter())
        .filter_map(|(server, c)| {
            Some((
                server.as_str(),
                c.user_name.as_deref()?,
                c.password.as_deref()?,
            ))
        })
}

/// Every field any kind of step has, read in one pass; `type` says which step it is.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FlatStep {
    #[serde(rename = "type")]
    kind: StoredKind,
    base_image_dependencies: Option<Vec<BaseImageDependency>>,
    context_access_token: Option<String>,
    context_path: Option<String>,
    arguments: Option<Vec<Argument>>,
    docker_file_path: Option<String>,
    image_names: Option<Vec<String>>,
    is_push_enabled: Option<bool>,
    no_cache: Option<bool>,
    target: Option<String>,
    task_file_path: Option<String>,
    values: Option<Vec<Argument>>,
    values_file_path: Option<String>,
    encoded_task_content: Option<String>,
    encoded_values_content: Option<String>,
    import_source: Option<String>,
}

#[derive(Deserialize)]
enum StoredKind {
    Docker,
    FileTask,
    EncodedTask,
    Import,
}

impl<'de> Deserialize<'de> for TaskStep {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<TaskStep, D::Error> {
        let flat = FlatStep::deserialize(deserializer)?;
        let source = StepSource {
            base_image_dependencies: flat.base_image_dependencies,
            context_access_token: flat.context_access_token,
            context_path: flat.context_path,
        };
        fn required<T, E: serde::de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
            value.ok_or_else(|| E::missing_field(field))
        }
        Ok(match flat.kind {
            StoredKind::Docker => TaskStep::Docker(DockerStep {
                source,
                arguments: required(flat.arguments, "arguments")?,
                docker_file_path: required(flat.docker_file_path, "dockerFilePath")?,
                image_names: required(flat.image_names, "imageNames")?,
                is_push_enabled: required(flat.is_push_enabled, "isPushEnabled")?,
                no_cache: required(flat.no_cache, "noCache")?,
                target: flat.target,
            }),
            StoredKind::FileTask => TaskStep::FileTask(FileTaskStep {
                source,
                task_file_path: required(flat.task_file_path, "taskFilePath")?,
                values: required(flat.values, "values")?,
                values_file_path: flat.values_file_path,
            }),
            StoredKind::EncodedTask => TaskStep::EncodedTask(EncodedTaskStep {
                source,
                encoded_task_content: required(flat.encoded_task_content, "encodedTaskContent")?,
                encoded_values_content: flat.encoded_values_content,
                values: required(flat.values, "values")?,
            }),
            StoredKind::Import => TaskStep::Import(ImportStep {
                source,
                import_source: required(flat.import_source, "importSource")?,
                image_names: required(flat.image_names, "imageNames")?,
            }),
        })
    }
}

impl TaskStep {
    pub fn source(&self) -> &StepSource {
        match self {
            TaskStep::Docker(s) => &s.source,
            TaskStep::FileTask(s) => &s.source,
            TaskStep::EncodedTask(s) => &s.source,
            TaskStep::Import(s) => &s.source,
        }
    }

    pub fn source_mut(&mut self) -> &mut StepSource {
        match self {
            TaskStep::Docker(s) => &mut s.source,
            TaskStep::FileTask(s) => &mut s.source,
            TaskStep::EncodedTask(s) => &mut s.source,
            TaskStep::Import(s) => &mut s.source,
        }
    }

    pub fn kind(&self) -> StepKind {
        match self {
            TaskStep::Docker(_) => StepKind::Docker,
            TaskStep::FileTask(_) => StepKind::FileTask,
            TaskStep::EncodedTask(_) => StepKind::EncodedTask,
            TaskStep::Import(_) => StepKind::Import,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Docker,
    FileTask,
    EncodedTask,
    Import,
}

impl StepKind {
    /// az's rule: a `-f` ending in a task-file suffix is a FileTask, anything else a Dockerfile.
    pub fn for_file(file: &str) -> StepKind {
        let lower = file.to_ascii_lowercase();
        if TASK_FILE_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
            StepKind::FileTask
        } else {
            StepKind::Docker
        }
    }
}

impl Task {
    pub fn resource_id(login_server: &str, name: &str) -> String {
        format!("/registries/{login_server}/tasks/{name}")
    }

    /// Every platform the task builds.
    pub fn platforms(&self) -> Platforms {
        Platforms::of(&self.platform, self.platforms.as_ref())
    }

    /// Sets the platforms the task builds: `platform` the first, `platforms` all of them
    /// when there are several.
    pub fn set_platforms(&mut self, platforms: Platforms) {
        self.platform = platforms.first().clone();
        self.platforms = platforms.several().then_some(platforms);
    }

    /// The (login server, user, password) of every registry credential the task has.
    pub fn registry_logins(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        registry_logins(self.credentials.as_ref())
    }

    /// The task as shown without `--with-secure-properties`: every secret value is null.
    pub fn without_secrets(self) -> Task {
        let mut task = self;
        let step = &mut task.step;
        step.source_mut().context_access_token = None;
        let hide = |args: &mut Vec<Argument>| {
            for a in args.iter_mut().filter(|a| a.is_secret) {
                a.value = None;
            }
        };
        match step {
            TaskStep::Docker(s) => hide(&mut s.arguments),
            TaskStep::FileTask(s) => hide(&mut s.values),
            TaskStep::EncodedTask(s) => hide(&mut s.values),
            TaskStep::Import(_) => {}
        }
        for trigger in task.trigger.source_triggers.iter_mut().flatten() {
            if let Some(auth) = &mut trigger.source_repository.source_control_auth_properties {
                auth.token = None;
                auth.refresh_token = None;
            }
        }
        if let Some(creds) = &mut task.credentials {
            for c in creds.custom_registries.values_mut() {
                c.password = None;
            }
        }
        task
    }
}

/// The current time as az prints it: RFC 3339 with microseconds and a `+00:00` offset.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_of_step_reads_back_as_written() {
        let source = StepSource {
            base_image_dependencies: None,
            context_access_token: Some("token".into()),
            context_path: Some("https://example.test/repo.git#main".into()),
        };
        let argument: Argument =
            serde_json::from_value(json!({"name": "A", "value": "1", "isSecret": false})).unwrap();
        let steps = [
            TaskStep::Docker(DockerStep {
                source: source.clone(),
                arguments: vec![argument.clone()],
                docker_file_path: "Dockerfile".into(),
                image_names: vec!["app:1".into()],
                is_push_enabled: true,
                no_cache: false,
                target: Some("final".into()),
            }),
            TaskStep::FileTask(FileTaskStep {
                source: source.clone(),
                task_file_path: "acb.yaml".into(),
                values: vec![argument.clone()],
                values_file_path: None,
            }),
            TaskStep::EncodedTask(EncodedTaskStep {
                source,
                encoded_task_content: "c3RlcHM6IFtd".into(),
                encoded_values_content: None,
                values: Vec::new(),
            }),
        ];
        for step in steps {
            let text = serde_json::to_string(&step).unwrap();
            assert_eq!(
                serde_json::from_str::<TaskStep>(&text).unwrap(),
                step,
                "{text}"
            );
        }
        let err = serde_json::from_str::<TaskStep>(r#"{"type": "Docker", "arguments": []}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("dockerFilePath"), "{err}");
        assert!(serde_json::from_str::<TaskStep>(r#"{"type": "Other"}"#).is_err());
    }
}
