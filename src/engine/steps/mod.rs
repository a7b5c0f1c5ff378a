//! Multi-step task files (acb.yaml): version, aliases, templates, the YAML, validation and
//! the step graph. Everything here happens before anything runs, so a bad file fails with
//! its line, its step and what is wrong, and nothing starts.

pub mod aliases;
mod cmd_list;
mod env_file;
pub mod exec;
mod run_options;
mod script;
mod shell;
mod validate;
mod yaml;

use validate::validate;

pub use aliases::AliasSources;
pub use cmd_list::{CmdList, ContainerRun, ListCommand};
pub use run_options::{ImageRun, WorkspaceBind};
pub use shell::{Sink, Streams};

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

use crate::engine::log::SecretSet;
use crate::error::{Result, invalid};
use crate::template::{self, TemplateContext};

pub const DEFAULT_STEP_TIMEOUT: u64 = 600;
pub const DEFAULT_WORKING_DIRECTORY: &str = "/workspace";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskFile {
    pub version: Option<String>,
    pub step_timeout: Option<i64>,
    pub working_directory: Option<String>,
    #[serde(default)]
    pub env: Vec<String>,
    #[serde(default)]
    pub secrets: Vec<SecretDef>,
    #[serde(default)]
    pub volumes: Vec<VolumeDef>,
    pub networks: Option<IgnoredAny>,
    #[serde(default)]
    pub steps: Vec<Spanned<StepDef>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretDef {
    pub id: String,
    /// Azure Key Vault: no local meaning.
    pub keyvault: Option<String>,
    #[serde(rename = "clientID")]
    pub client_id: Option<String>,
    /// Local sources: an environment variable, or a file.
    pub env: Option<String>,
    pub file: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct VolumeDef {
    pub name: String,
    #[serde(default)]
    pub secret: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepDef {
    pub id: Option<String>,
    pub when: Option<Vec<String>>,
    pub build: Option<String>,
    pub push: Option<Vec<String>>,
    pub cmd: Option<String>,
    #[serde(default)]
    pub env: Vec<String>,
    pub entry_point: Option<String>,
    pub working_directory: Option<String>,
    #[serde(default)]
    pub disable_working_directory_override: bool,
    pub timeout: Option<i64>,
    #[serde(default)]
    pub start_delay: u64,
    #[serde(default)]
    pub retries: u32,
    pub retry_delay: Option<u64>,
    #[serde(default)]
    pub repeat: u32,
    #[serde(default)]
    pub ignore_errors: bool,
    #[serde(default)]
    pub keep: bool,
    #[serde(default)]
    pub volume_mounts: Vec<VolumeMount>,
    pub user: Option<String>,
    /// A cmd step's container runs beside the steps after it, from its start until the
    /// run's last step ends.
    #[serde(default)]
    pub detach: bool,
    // What a local runtime cannot honour: accepted, and warned about.
    pub privileged: Option<IgnoredAny>,
    pub network: Option<IgnoredAny>,
    pub isolation: Option<IgnoredAny>,
    pub ports: Option<IgnoredAny>,
    pub expose: Option<IgnoredAny>,
    pub pull: Option<IgnoredAny>,
    pub cache: Option<IgnoredAny>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    Build(String),
    Push(Vec<String>),
    /// The cmd line's commands, read as ACR's shell reads them.
    Cmd(CmdList),
}

/// A validated step, ready to run.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub line: usize,
    pub kind: StepKind,
    /// Indices of the steps this one waits for.
    pub after: Vec<usize>,
    pub env: Vec<(String, String)>,
    /// `--env-file` files of the workspace (relative to it), read when the step starts; the
    /// step's `env` wins over them per key, as `--env` wins in docker.
    pub env_files: Vec<String>,
    /// What the container runs before the step's arguments: the step's `entryPoint` in
    /// words, or `--entrypoint`'s one program (as docker takes it); empty clears the image's.
    pub entry_point: Option<Vec<String>>,
    pub working_directory: String,
    pub disable_working_directory_override: bool,
    pub timeout: u64,
    pub start_delay: u64,
    pub retries: u32,
    pub retry_delay: u64,
    pub repeat: u32,
    pub ignore_errors: bool,
    pub keep: bool,
    pub volume_mounts: Vec<VolumeMount>,
    /// Directories of the workspace a cmd step's `-v` mounts.
    pub binds: Vec<WorkspaceBind>,
    pub user: Option<String>,
    /// A cmd step done as soon as its container starts; the container is stopped when the
    /// run's last step ends.
    pub detach: bool,
    /// Properties given that the local runtime cannot honour.
    pub unsupported: Vec<&'static str>,
}

/// A parsed, validated task file.
#[derive(Debug)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub volumes: Vec<VolumeDef>,
    /// Top-level keys the local runtime cannot honour (networks).
    pub unsupported: Vec<&'static str>,
    /// Values the templates computed from a secret (`{{.Secrets.s | b64enc}}`): secrets too.
    pub derived_secrets: Vec<String>,
}

impl Plan {
    /// The images the `push` steps push (images named without a registry, or not valid, are
    /// skipped: the push step itself reports those).
    pub fn push_images(&self) -> Vec<crate::model::image::ImageRef> {
        self.steps
            .iter()
            .filter_map(|s| match &s.kind {
                StepKind::Push(images) => Some(images),
                _ => None,
            })
            .flatten()
            .filter(|image| crate::model::image::registry_part(image).is_some())
            .filter_map(|image| crate::model::image::ImageRef::parse_in(image, None).ok())
            .collect()
    }
}

/// The version line: the first line at column 0 starting with `version:`.
fn version_of(text: &str) -> Result<String> {
    let version = text
        .lines()
        .find_map(|l| l.strip_prefix("version:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .unwrap_or_default();
    let lower = version.to_ascii_lowercase();
    match lower.as_str() {
        "" | "v1.0.0" | "1.0-preview-1" | "v1.1.0" => Ok(lower),
        _ => Err(invalid(format!(
            "unsupported task file version '{version}'; use v1.0.0, v1.1.0 or 1.0-preview-1"
        ))),
    }
}

/// Reads a task file: version, aliases, templates (with `ctx`), YAML, validation, graph.
/// `secrets` are resolved by the caller from the file's `secrets` block (see [`secret_defs`]);
/// `alias_sources` are the machine's default aliases and the reader of `alias.src` files. An
/// error is masked with every secret of `ctx` and every value computed from one.
pub fn plan(text: &str, ctx: &TemplateContext, alias_sources: &AliasSources<'_>) -> Result<Plan> {
    let version = version_of(text)?;
    // Aliases are a v1.1.0 feature: older files keep `$` and their cmd's first word as written.
    let (text, aliases) = if version == "v1.1.0" {
        let (text, aliases) = aliases::Aliases::apply(text, alias_sources)?;
        (text, Some(aliases))
    } else {
        (text.to_string(), None)
    };
    let mut secrets = secrets_of(ctx);
    let text = template::comment_lines_blanked(&text);
    let rendered = template::render_tracked(&text, ctx).map_err(|e| masked(e, &secrets))?;
    for derived in &rendered.derived_secrets {
        secrets.add(derived);
    }
    let mut file: TaskFile = yaml::parse(&rendered.text, &secrets)?;
    if let Some(aliases) = &aliases {
        expand_command_aliases(&mut file, aliases);
    }
    let mut plan = validate(file).map_err(|e| masked(e, &secrets))?;
    plan.derived_secrets = rendered.derived_secrets;
    Ok(plan)
}

/// Each cmd whose first word is an alias runs what it names, as acr-builder expands it once
/// the file is read (so a template may write that word too).
fn expand_command_aliases(file: &mut TaskFile, aliases: &aliases::Aliases) {
    for step in &mut file.steps {
        if let Some(cmd) = &mut step.value.cmd
            && let Some(expanded) = aliases.expand_command(cmd)
        {
            *cmd = expanded;
        }
    }
}

/// The secrets a template context holds: `.Secrets` and the secret values.
fn secrets_of(ctx: &TemplateContext) -> SecretSet {
    let values = ctx
        .secret_values
        .iter()
        .filter_map(|name| ctx.values.get(name));
    SecretSet::of(ctx.secrets.values().chain(values).map(String::as_str))
}

/// `e` (invalid input) with every secret masked.
fn masked(e: anyhow::Error, secrets: &SecretSet) -> anyhow::Error {
    invalid(secrets.mask(&format!("{e:#}")))
}

/// The `secrets` block, read before the rest of the file is rendered (its values feed
/// `.Secrets`): only that block is read, with the run's and values' templates rendered, so
/// templates elsewhere (which may render to anything once secrets are known) cannot break it.
pub fn secret_defs(text: &str, ctx: &TemplateContext) -> Result<Vec<SecretDef>> {
    #[derive(Deserialize)]
    struct OnlySecrets {
        #[serde(default)]
        secrets: Vec<SecretDef>,
    }
    let mut block = String::new();
    let mut inside = false;
    for line in template::comment_lines_blanked(text).lines() {
        let top_level = !line.is_empty() && !line.starts_with([' ', '\t', '#', '-']);
        if top_level {
            inside = line.starts_with("secrets:");
        }
        if inside {
            block.push_str(line);
            block.push('\n');
        }
    }
    if block.is_empty() {
        return Ok(Vec::new());
    }
    let secrets = secrets_of(ctx);
    let rendered = template::render(&block, ctx).map_err(|e| masked(e, &secrets))?;
    let parsed: OnlySecrets = yaml::parse(&rendered, &secrets)?;
    Ok(parsed.secrets)
}

/// Checks a task file before a run is queued for it: its version, its templates' syntax and
/// functions, and its YAML with every template standing in as a plain word (what they render
/// to is known only in the run).
pub fn check_syntax(text: &str) -> Result<()> {
    version_of(text)?;
    let stand_in = template::yaml_stand_in(&template::comment_lines_blanked(text))
        .map_err(|e| invalid(format!("task file: {e:#}")))?;
    yaml::parse::<serde::de::IgnoredAny>(&stand_in, &SecretSet::default()).map(|_| ())
}

/// The one-step task file `task create --cmd` stores, as az writes it: the command inline.
/// A command YAML would read as something else (one with `: ` or ` #`, one starting with
/// `{`, `[` or a quote, one over several lines) goes in double quotes, so it runs as given.
pub fn inline_cmd_task_file(cmd: &str, timeout: u32) -> String {
    #[derive(Deserialize, PartialEq)]
    struct Cmd {
        cmd: String,
    }
    let plain = !cmd.contains(['\n', '\r'])
        && serde_saphyr::from_str::<Cmd>(&format!("cmd: {cmd}\n"))
            .is_ok_and(|parsed| parsed.cmd == cmd);
    let scalar = if plain {
        cmd.to_string()
    } else {
        // A JSON string is a YAML double-quoted scalar.
        serde_json::Value::String(cmd.to_string()).to_string()
    };
    format!(
        "version: v1.1.0\nsteps: \n  - cmd: {scalar}\n    disableWorkingDirectoryOverride: true\n    timeout: {timeout}\n"
    )
}

#[cfg(test)]
mod tests;
