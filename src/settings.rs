//! The settings a command runs with, resolved once before it starts: the config file's
//! strings (`config.rs`), acrt's environment and the global flags become typed values here,
//! each key read in one place, and commands take these values rather than looking keys up.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::error::{Result, invalid};
use crate::model::names::EnvVarName;
use crate::model::pool::BuilderChoice;
use crate::output::Format;

/// What the config file says, typed; a bad value is an error naming the key and its fix.
#[derive(Debug, Clone)]
pub struct FileSettings {
    /// `core.output`, if set.
    pub output: Option<Format>,
    /// `core.only_show_errors`.
    pub only_show_errors: bool,
    /// `defaults.acr`: the registry when a command names none.
    pub default_registry: Option<String>,
    /// `[registries]`: aliases a command's `-r` may use, mapped to login servers.
    pub registry_aliases: BTreeMap<String, String>,
    /// `defaults.builder`: a kind, or a builder of the pool.
    pub builder: Option<BuilderChoice>,
    /// `core.builder_url`: a podman service to build on.
    pub builder_url: Option<String>,
    /// `core.run_retention_days`: days a run and its log are kept unless archived.
    pub run_retention_days: u32,
    /// `core.insecure_registries`, `core.ca_file`, `core.registry_timeout`.
    pub registry: crate::registry::Settings,
    /// `core.context_max_size`, `core.context_max_entries` (and the registry timeout).
    pub context: crate::context::Limits,
    /// `core.secret_env`: variables every task file may read as secrets.
    pub secret_env: Vec<EnvVarName>,
    /// `registries.<alias or login server>.poll_interval`, by login server.
    pub poll_intervals: BTreeMap<String, Duration>,
    /// `core.external_poll_interval`.
    pub external_poll_interval: Option<Duration>,
    /// `registries.<alias or login server>.settle`, by login server: how long a changed base
    /// index must stay as it is before watch rebuilds on it.
    pub settles: BTreeMap<String, Duration>,
    /// `core.external_settle`: the settle window of registries no task pushes to.
    pub external_settle: Option<Duration>,
    /// `[task_aliases]`: this machine's default aliases for v1.1.0 task files.
    pub task_aliases: BTreeMap<String, String>,
    /// `signing.key`: the key that signs each pushed image and its provenance.
    pub signing_key: Option<PathBuf>,
}

/// The file's settings with acrt's environment and the global flags over them.
#[derive(Debug, Clone)]
pub struct Settings {
    pub file: FileSettings,
    /// `-o`, else `core.output`, else json.
    pub output: Format,
    /// Whether the output format was asked for (`-o` or `core.output`), not the default.
    pub output_given: bool,
    /// `--only-show-errors` or `core.only_show_errors`.
    pub quiet: bool,
    /// `--verbose` or `--debug`.
    pub verbose: bool,
    /// `--state-dir`, else ACRT_HOME; the user's data dir when neither is given.
    pub state_dir: Option<PathBuf>,
    /// ACRT_REGISTRY, else `defaults.acr`: the registry when `-r` is left out.
    pub default_registry: Option<String>,
}

impl Settings {
    /// `config` with `env` (acrt's environment, by name) and the global flags over it.
    pub fn resolve(
        config: &Config,
        global: &GlobalArgs,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings> {
        Ok(Settings::over(
            FileSettings::from_config(config)?,
            global,
            env,
        ))
    }

    /// The flags and the environment over settings already read from a file.
    pub fn over(
        file: FileSettings,
        global: &GlobalArgs,
        env: impl Fn(&str) -> Option<String>,
    ) -> Settings {
        let set = |name: &str| env(name).filter(|v| !v.is_empty());
        Settings {
            output: global.output.or(file.output).unwrap_or(Format::Json),
            output_given: global.output.is_some() || file.output.is_some(),
            quiet: global.only_show_errors || file.only_show_errors,
            verbose: global.verbose || global.debug,
            state_dir: global
                .state_dir
                .clone()
                .or_else(|| set("ACRT_HOME").map(PathBuf::from)),
            default_registry: set("ACRT_REGISTRY").or_else(|| file.default_registry.clone()),
            file,
        }
    }
}

impl FileSettings {
    pub fn from_config(config: &Config) -> Result<FileSettings> {
        Ok(FileSettings {
            output: config
                .get("core.output")
                .map(|v| Format::parse(v))
                .transpose()?,
            only_show_errors: config
                .get("core.only_show_errors")
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            default_registry: config.get("defaults.acr").cloned(),
            registry_aliases: config.registries.clone(),
            builder: default_builder(config)?,
            builder_url: config.get("core.builder_url").cloned(),
            run_retention_days: run_retention_days(config),
            registry: registry_settings(config)?,
            context: context_limits(config)?,
            secret_env: secret_env(config)?,
            poll_intervals: per_registry(config, ".poll_interval"),
            settles: per_registry(config, ".settle"),
            external_settle: config
                .get("core.external_settle")
                .and_then(|v| v.parse().ok())
                .map(Duration::from_secs),
            external_poll_interval: config
                .get("core.external_poll_interval")
                .and_then(|v| v.parse().ok())
                .map(Duration::from_secs),
            task_aliases: config.task_aliases.clone(),
            signing_key: config.get("signing.key").map(PathBuf::from),
        })
    }
}

/// `defaults.builder`: a name acrt does not know (the file edited by hand), neither a kind nor
/// a builder the config names, is an error naming the known ones, never another builder.
fn default_builder(config: &Config) -> Result<Option<BuilderChoice>> {
    config
        .get("defaults.builder")
        .map(|name| {
            config
                .check_builder_choice(name)
                .map_err(|e: anyhow::Error| {
                    invalid(format!(
                        "defaults.builder in the config file: {e}; fix it with \
                     'acrt config set defaults.builder=NAME'"
                    ))
                })
        })
        .transpose()
}

/// Days a run and its log are kept unless archived (az keeps 30).
fn run_retention_days(config: &Config) -> u32 {
    config
        .get("core.run_retention_days")
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
}

/// How to talk to registries: insecure ones, a private CA, the request deadline.
pub fn registry_settings(config: &Config) -> Result<crate::registry::Settings> {
    let request_timeout = match config.get("core.registry_timeout") {
        None => crate::registry::DEFAULT_REQUEST_TIMEOUT,
        Some(v) => match v.trim().parse::<u64>() {
            Ok(s) if (1..=3600).contains(&s) => Duration::from_secs(s),
            _ => {
                return Err(invalid(format!(
                    "core.registry_timeout is '{v}': give seconds from 1 to 3600 \
                     ('acrt config set core.registry_timeout=30')"
                )));
            }
        },
    };
    Ok(crate::registry::Settings {
        insecure_registries: insecure_registries(config),
        ca_file: config.get("core.ca_file").map(PathBuf::from),
        request_timeout,
    })
}

/// What a tarball context may cost: its size and entry count, and how long its download
/// may stall (the registry request deadline).
pub fn context_limits(config: &Config) -> Result<crate::context::Limits> {
    let max_bytes = match config.get("core.context_max_size") {
        None => crate::context::DEFAULT_MAX_BYTES,
        Some(v) => crate::context::parse_size(v)
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                invalid(format!(
                    "core.context_max_size is '{v}': give a size such as 8GiB, 512MiB or a \
                     number of bytes ('acrt config set core.context_max_size=8GiB')"
                ))
            })?,
    };
    let max_entries = match config.get("core.context_max_entries") {
        None => crate::context::DEFAULT_MAX_ENTRIES,
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                invalid(format!(
                    "core.context_max_entries is '{v}': give a number of entries \
                     ('acrt config set core.context_max_entries=2000000')"
                ))
            })?,
    };
    Ok(crate::context::Limits {
        max_bytes,
        max_entries,
        stall: registry_settings(config)?.request_timeout,
    })
}

/// Registries to speak plain http to besides loopback ones (comma-separated).
fn insecure_registries(config: &Config) -> Vec<String> {
    config
        .get("core.insecure_registries")
        .map(|v| {
            v.split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// `core.secret_env`: environment variables every task file may read as secrets (`env:`),
/// comma-separated.
fn secret_env(config: &Config) -> Result<Vec<EnvVarName>> {
    let Some(list) = config.get("core.secret_env") else {
        return Ok(Vec::new());
    };
    list.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            n.parse().map_err(|e| {
                invalid(format!(
                    "core.secret_env: {e}; fix it with 'acrt config set core.secret_env=NAME,...'"
                ))
            })
        })
        .collect()
}

/// `registries.<alias or login server><suffix>` (`.poll_interval`: how often watch checks the
/// bases in each registry; `.settle`: its settle window), login server -> seconds.
fn per_registry(config: &Config, suffix: &str) -> BTreeMap<String, Duration> {
    config
        .registries
        .iter()
        .filter_map(|(name, value)| {
            let registry = name.strip_suffix(suffix)?;
            let server = config
                .registries
                .get(registry)
                .cloned()
                .unwrap_or_else(|| registry.to_string());
            let seconds = value.parse::<u64>().ok()?;
            Some((server, Duration::from_secs(seconds)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    fn global(args: &[&str]) -> GlobalArgs {
        let mut argv = vec!["acrt"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&["task", "list"]);
        crate::cli::Cli::parse_from(argv).global
    }

    #[test]
    fn flags_and_environment_go_over_the_file() {
        let mut config = Config::default();
        config.set("core.output", "table").unwrap();
        config.set("defaults.acr", "file.example").unwrap();
        config.set("defaults.builder", "podman").unwrap();
        let env = |name: &str| (name == "ACRT_REGISTRY").then(|| "env.example".to_string());
        let settings = Settings::resolve(&config, &global(&["-o", "yaml"]), env).unwrap();
        assert_eq!(settings.output, Format::Yaml);
        assert!(settings.output_given);
        assert_eq!(settings.default_registry.as_deref(), Some("env.example"));
        assert_eq!(
            settings.file.builder,
            Some(BuilderChoice::Kind(crate::model::BuilderKind::Podman))
        );
        let settings = Settings::resolve(&config, &global(&[]), |_| None).unwrap();
        assert_eq!(settings.output, Format::Table);
        assert_eq!(settings.default_registry.as_deref(), Some("file.example"));
        assert_eq!(settings.file.run_retention_days, 30);
    }

    #[test]
    fn a_bad_value_in_the_file_names_its_key() {
        let mut config = Config::default();
        config.core.insert("registry_timeout".into(), "0".into());
        let err = FileSettings::from_config(&config).unwrap_err().to_string();
        assert!(err.contains("core.registry_timeout"), "{err}");
        let mut config = Config::default();
        config.defaults.insert("builder".into(), "kaniko".into());
        let err = FileSettings::from_config(&config).unwrap_err().to_string();
        assert!(
            err.contains("defaults.builder") && err.contains("buildah, docker, podman"),
            "{err}"
        );
    }
}
