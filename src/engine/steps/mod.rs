//! Multi-step task files (acb.yaml): version, aliases, templates, the YAML, validation and
//! the step graph. Everything here happens before anything runs, so a bad file fails with
//! its line, its step and what is wrong, and nothing starts.

mod cmd_list;
pub mod exec;
mod run_options;
mod script;
mod shell;
mod validate;
mod yaml;

use validate::validate;

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
    pub entry_point: Option<String>,
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

/// v1.1.0 aliases: the `alias:` block is taken out (its lines left blank, so that line
/// numbers still point into the file), and `$name` replaced as text everywhere else.
/// Predefined aliases stand for `{{.Run.X}}`; `alias.src` files (later wins) override them,
/// inline `alias.values` override those; `$$` is a literal `$`; `alias.directive` picks
/// another character than `$`.
fn apply_aliases(text: &str, load_source: &dyn Fn(&str) -> Result<String>) -> Result<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let block = take_alias_block(&mut lines);
    let (aliases, directive) = read_aliases(&block, load_source)?;
    Ok(substitute_aliases(&lines.join("\n"), &aliases, directive))
}

/// Takes the top-level `alias:` block out of the file's lines (they become empty, so line
/// numbers stay).
fn take_alias_block(lines: &mut [String]) -> String {
    let mut block = Vec::new();
    if let Some(start) = lines.iter().position(|l| l.starts_with("alias:")) {
        let mut end = start + 1;
        while end < lines.len()
            && (lines[end].starts_with(' ')
                || lines[end].starts_with('\t')
                || lines[end].trim().is_empty())
        {
            end += 1;
        }
        for line in &mut lines[start..end] {
            block.push(std::mem::take(line));
        }
    }
    block.join("\n")
}

/// The aliases (ACR's predefined ones, then `src` files, then `values`) and the directive
/// character.
fn read_aliases(
    block_text: &str,
    load_source: &dyn Fn(&str) -> Result<String>,
) -> Result<(BTreeMap<String, String>, char)> {
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    for name in [
        "ID",
        "SharedVolume",
        "Registry",
        "RegistryName",
        "Date",
        "OS",
        "Architecture",
        "Commit",
        "Branch",
    ] {
        aliases.insert(name.to_string(), format!("{{{{.Run.{name}}}}}"));
    }
    let mut directive = '$';
    if block_text.trim().is_empty() {
        return Ok((aliases, directive));
    }
    #[derive(Deserialize, Default)]
    struct AliasBlock {
        #[serde(default)]
        values: BTreeMap<String, String>,
        #[serde(default)]
        src: Vec<String>,
        directive: Option<String>,
    }
    #[derive(Deserialize)]
    struct Wrapper {
        alias: Option<AliasBlock>,
    }
    let parsed: Wrapper = serde_saphyr::from_str(block_text)
        .map_err(|e| invalid(format!("task file: the alias block is not valid: {e}")))?;
    let alias = parsed.alias.unwrap_or_default();
    if let Some(d) = alias.directive {
        let mut chars = d.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_alphanumeric() && !c.is_whitespace() => directive = c,
            _ => {
                return Err(invalid(format!(
                    "task file: alias directive '{d}' must be one character, not a letter or digit"
                )));
            }
        }
    }
    for source in &alias.src {
        let text = load_source(source)?;
        for (k, v) in parse_alias_values(&text) {
            aliases.insert(k, v);
        }
    }
    for (k, v) in alias.values {
        if !k.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(invalid(format!(
                "task file: alias name '{k}' may only have letters and digits"
            )));
        }
        aliases.insert(k, v);
    }
    Ok((aliases, directive))
}

/// Replaces `$name` (the longest alias the name starts with) and `$$` (a `$`) in `body`.
fn substitute_aliases(body: &str, aliases: &BTreeMap<String, String>, directive: char) -> String {
    let mut out = String::with_capacity(body.len());
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == directive {
            if chars.get(i + 1) == Some(&directive) {
                out.push(directive);
                i += 2;
                continue;
            }
            let name: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            // The longest alias that the following name starts with ($Registry$ID chains).
            let matched = (1..=name.len())
                .rev()
                .map(|n| &name[..n])
                .find(|n| aliases.contains_key(*n));
            if let Some(n) = matched {
                out.push_str(&aliases[n]);
                i += 1 + n.chars().count();
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// An alias source file: a map of names to values (at the top, or under `values:`).
fn parse_alias_values(text: &str) -> Vec<(String, String)> {
    let map: BTreeMap<String, serde_json::Value> = serde_saphyr::from_str(text).unwrap_or_default();
    let source: BTreeMap<String, serde_json::Value> = match map.get("values") {
        Some(serde_json::Value::Object(v)) => v.clone().into_iter().collect(),
        _ => map,
    };
    source
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k, s)),
            serde_json::Value::Number(n) => Some((k, n.to_string())),
            serde_json::Value::Bool(b) => Some((k, b.to_string())),
            _ => None,
        })
        .collect()
}

/// Reads a task file: version, aliases, templates (with `ctx`), YAML, validation, graph.
/// `secrets` are resolved by the caller from the file's `secrets` block (see [`secret_defs`]);
/// `load_source` reads an `alias.src` file (relative to the workspace). An error is masked
/// with every secret of `ctx` and every value computed from one.
pub fn plan(
    text: &str,
    ctx: &TemplateContext,
    load_source: &dyn Fn(&str) -> Result<String>,
) -> Result<Plan> {
    let version = version_of(text)?;
    let text = if version == "v1.1.0" {
        apply_aliases(text, load_source)?
    } else {
        text.to_string()
    };
    let mut secrets = secrets_of(ctx);
    let rendered = template::render_tracked(&text, ctx).map_err(|e| masked(e, &secrets))?;
    for derived in &rendered.derived_secrets {
        secrets.add(derived);
    }
    let file: TaskFile = yaml::parse(&rendered.text, &secrets)?;
    let mut plan = validate(file).map_err(|e| masked(e, &secrets))?;
    plan.derived_secrets = rendered.derived_secrets;
    Ok(plan)
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
    for line in text.lines() {
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

/// Checks a task file before a run is queued for it: its version and its YAML, with every
/// template standing in as a plain word (what they render to is known only in the run).
pub fn check_syntax(text: &str) -> Result<()> {
    version_of(text)?;
    let mut stand_in = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        stand_in.push_str(&rest[..start]);
        match rest[start..].find("}}") {
            Some(end) => {
                stand_in.push('1');
                rest = &rest[start + end + 2..];
            }
            None => {
                return Err(invalid(
                    "task file: a '{{' is never closed: close it with '}}'",
                ));
            }
        }
    }
    stand_in.push_str(rest);
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
