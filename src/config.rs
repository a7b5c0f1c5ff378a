//! The user's config file (`config.toml` in the config dir), as `az configure` / `az config`
//! keep theirs: `[defaults] acr`, `[core] output`, and `[registries]` aliases.

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Result, invalid};

pub const CONFIG_FILE: &str = "config.toml";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub defaults: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub core: BTreeMap<String, String>,
    /// Registry aliases: a name `-r` may use, mapped to a login server.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub registries: BTreeMap<String, String>,
}

/// The keys `acrt config set` accepts, as `section.name`; `registries.*` takes any name.
pub const KNOWN_KEYS: &[&str] = &[
    "defaults.acr",
    "defaults.builder",
    "core.builder_url",
    "core.output",
    "core.only_show_errors",
    "core.run_retention_days",
    "core.insecure_registries",
    "core.ca_file",
    "core.registry_timeout",
    "core.context_max_size",
    "core.context_max_entries",
    "core.external_poll_interval",
    "core.secret_env",
];

impl Config {
    /// The config directory: `ACRT_CONFIG_DIR`, else the platform's (e.g. ~/.config/acrt).
    pub fn dir() -> Result<PathBuf> {
        if let Some(dir) = std::env::var_os("ACRT_CONFIG_DIR") {
            return Ok(PathBuf::from(dir));
        }
        directories::ProjectDirs::from("", "", "acrt")
            .map(|d| d.config_dir().to_path_buf())
            .context("cannot find a config directory for this user; set ACRT_CONFIG_DIR")
    }

    pub fn load() -> Result<Config> {
        Self::load_from(&Self::dir()?.join(CONFIG_FILE))
    }

    pub fn load_from(path: &Path) -> Result<Config> {
        match fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                invalid(format!(
                    "the config file {} is not valid: {e}; fix or remove it",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => {
                Err(e).with_context(|| format!("cannot read the config file {}", path.display()))
            }
        }
    }

    /// Writes the file atomically (temp file, fsync, rename): a crash leaves the old or the new.
    pub fn save(&self) -> Result<PathBuf> {
        let dir = Self::dir()?;
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(CONFIG_FILE);
        let tmp = dir.join(format!(".{CONFIG_FILE}.{}", std::process::id()));
        let text = toml::to_string(self)?;
        let mut file =
            fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(path)
    }

    /// Days a run and its log are kept unless archived (az keeps 30).
    pub fn run_retention_days(&self) -> u32 {
        self.get("core.run_retention_days")
            .and_then(|v| v.parse().ok())
            .unwrap_or(30)
    }

    /// `defaults.builder`: the builder when a command names none; a name acrt does not know
    /// (the file edited by hand) is an error naming the known ones, never another builder.
    pub fn default_builder(&self) -> Result<Option<crate::model::BuilderKind>> {
        self.get("defaults.builder")
            .map(|name| {
                name.parse().map_err(|e: anyhow::Error| {
                    invalid(format!(
                        "defaults.builder in the config file: {e}; fix it with \
                         'acrt configure --defaults builder=NAME'"
                    ))
                })
            })
            .transpose()
    }

    /// How to talk to registries: insecure ones, a private CA, the request deadline.
    pub fn registry_settings(&self) -> Result<crate::registry::Settings> {
        let request_timeout = match self.get("core.registry_timeout") {
            None => crate::registry::DEFAULT_REQUEST_TIMEOUT,
            Some(v) => match v.trim().parse::<u64>() {
                Ok(s) if (1..=3600).contains(&s) => std::time::Duration::from_secs(s),
                _ => {
                    return Err(crate::error::invalid(format!(
                        "core.registry_timeout is '{v}': give seconds from 1 to 3600 \
                         ('acrt config set core.registry_timeout=30')"
                    )));
                }
            },
        };
        Ok(crate::registry::Settings {
            insecure_registries: self.insecure_registries(),
            ca_file: self.get("core.ca_file").map(PathBuf::from),
            request_timeout,
        })
    }

    /// What a tarball context may cost: its size and entry count, and how long its download
    /// may stall (the registry request deadline).
    pub fn context_limits(&self) -> Result<crate::context::Limits> {
        let max_bytes = match self.get("core.context_max_size") {
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
        let max_entries = match self.get("core.context_max_entries") {
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
            stall: self.registry_settings()?.request_timeout,
        })
    }

    /// Registries to speak plain http to besides loopback ones (comma-separated).
    pub fn insecure_registries(&self) -> Vec<String> {
        self.get("core.insecure_registries")
            .map(|v| {
                v.split(',')
                    .map(|r| r.trim().to_string())
                    .filter(|r| !r.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `core.secret_env`: environment variables every task file may read as secrets
    /// (`env:`), comma-separated.
    pub fn secret_env(&self) -> Result<Vec<crate::model::names::EnvVarName>> {
        let Some(list) = self.get("core.secret_env") else {
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

    /// `registries.<alias or login server>.poll_interval`: how often watch checks the bases
    /// in each registry (login server -> interval).
    pub fn poll_intervals(&self) -> BTreeMap<String, std::time::Duration> {
        self.registries
            .iter()
            .filter_map(|(name, value)| {
                let registry = name.strip_suffix(".poll_interval")?;
                let server = self
                    .registries
                    .get(registry)
                    .cloned()
                    .unwrap_or_else(|| registry.to_string());
                let seconds = value.parse::<u64>().ok()?;
                Some((server, std::time::Duration::from_secs(seconds)))
            })
            .collect()
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        let (section, name) = key.split_once('.')?;
        self.section(section)?.get(name)
    }

    /// Sets `section.name` to `value`; an empty value removes the key.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let (section, name) = split_key(key)?;
        if section == "core" && name == "output" && !value.is_empty() {
            crate::output::Format::parse(value)?;
        }
        if key == "core.run_retention_days" && !value.is_empty() && value.parse::<u32>().is_err() {
            return Err(invalid(format!(
                "core.run_retention_days must be a number of days, not '{value}'"
            )));
        }
        if key == "defaults.builder" && !value.is_empty() {
            value.parse::<crate::model::BuilderKind>()?;
        }
        let interval_key = key.ends_with(".poll_interval") || key == "core.external_poll_interval";
        if interval_key && !value.is_empty() && !value.parse::<u64>().is_ok_and(|s| s > 0) {
            return Err(invalid(format!(
                "{key} is a number of seconds (e.g. 3600), not '{value}'"
            )));
        }
        if section == "registries" && !interval_key && !value.is_empty() {
            crate::model::registry::validate_login_server(value)?;
        }
        let map = self
            .section_mut(section)
            .expect("split_key checked the section");
        if value.is_empty() {
            map.remove(name);
        } else {
            map.insert(name.to_string(), value.to_string());
        }
        Ok(())
    }

    pub fn unset(&mut self, key: &str) -> Result<bool> {
        let (section, name) = split_key(key)?;
        Ok(self
            .section_mut(section)
            .and_then(|m| m.remove(name))
            .is_some())
    }

    fn section(&self, section: &str) -> Option<&BTreeMap<String, String>> {
        match section {
            "defaults" => Some(&self.defaults),
            "core" => Some(&self.core),
            "registries" => Some(&self.registries),
            _ => None,
        }
    }

    fn section_mut(&mut self, section: &str) -> Option<&mut BTreeMap<String, String>> {
        match section {
            "defaults" => Some(&mut self.defaults),
            "core" => Some(&mut self.core),
            "registries" => Some(&mut self.registries),
            _ => None,
        }
    }
}

fn split_key(key: &str) -> Result<(&str, &str)> {
    let known = || format!("known keys: {}, registries.<alias>", KNOWN_KEYS.join(", "));
    let (section, name) = key.split_once('.').ok_or_else(|| {
        invalid(format!(
            "invalid config key '{key}': use section.name; {}",
            known()
        ))
    })?;
    let ok = match section {
        // An alias, or `<alias or login server>.poll_interval`.
        "registries" => match name.strip_suffix(".poll_interval") {
            Some(registry) => !registry.is_empty(),
            None => !name.is_empty() && !name.contains('.'),
        },
        _ => KNOWN_KEYS.contains(&key),
    };
    if !ok {
        return Err(invalid(format!("unknown config key '{key}'; {}", known())));
    }
    Ok((section, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_validates_keys_and_values() {
        let mut c = Config::default();
        c.set("defaults.acr", "localhost:5000").unwrap();
        c.set("core.output", "table").unwrap();
        c.set("registries.local", "localhost:5000").unwrap();
        assert_eq!(c.get("defaults.acr").unwrap(), "localhost:5000");
        assert!(c.set("core.output", "xml").is_err());
        assert!(c.set("core.colour", "x").is_err());
        assert!(c.set("registries.bad", "http://x").is_err());
        c.set("defaults.acr", "").unwrap();
        assert!(c.get("defaults.acr").is_none());
        let text = toml::to_string(&c).unwrap();
        assert_eq!(toml::from_str::<Config>(&text).unwrap(), c);
    }
}
