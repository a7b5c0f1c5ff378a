//! The user's config file (`config.toml` in the config dir), as `az configure` / `az config`
//! keep theirs: `[defaults] acr`, `[core] output`, `[registries]` aliases, and
//! `[task_aliases]`: this machine's default aliases for task files (ACR's tool images, or a
//! mirror of them).

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
    /// Default task-file aliases: a name a v1.1.0 cmd may start with (or write `$name`),
    /// mapped to an image. Over ACR's own (`acr`, `az`, ...); a task file's win over these.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub task_aliases: BTreeMap<String, String>,
    /// `[signing]`: the key that signs what runs push (`signing.key`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub signing: BTreeMap<String, String>,
    /// Named builders of the pool: `[builders.NAME]` with kind, url, platforms, capacity;
    /// `[builders.local]`, this machine's, with platforms and capacity.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub builders: BTreeMap<String, BTreeMap<String, String>>,
}

/// The keys `acrt config set` accepts, as `section.name`; `registries.*` and
/// `task_aliases.*` take any name.
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
    "core.external_settle",
    "core.secret_env",
    "signing.key",
];

impl Config {
    /// The named builders of `[builders.NAME]`, each checked (`local` is not one of them).
    pub fn builder_pool(&self) -> Result<Vec<crate::model::pool::PoolBuilder>> {
        self.builders
            .iter()
            .filter(|(name, _)| *name != crate::model::pool::LOCAL)
            .map(|(name, fields)| crate::model::pool::PoolBuilder::from_fields(name, fields))
            .collect()
    }

    /// This machine's builder as `[builders.local]` configures it, checked.
    pub fn local_builder(&self) -> Result<crate::model::pool::LocalBuilder> {
        let none = BTreeMap::new();
        let fields = self
            .builders
            .get(crate::model::pool::LOCAL)
            .unwrap_or(&none);
        crate::model::pool::LocalBuilder::from_fields(fields)
    }

    /// `name` as a `--builder` or `defaults.builder` value: a kind, or a builder of the pool.
    pub fn check_builder_choice(&self, name: &str) -> Result<crate::model::pool::BuilderChoice> {
        let choice: crate::model::pool::BuilderChoice = name.parse()?;
        choice.pool_builder(&self.builder_pool()?)?;
        Ok(choice)
    }

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

    /// The raw value of `section.name`; `settings.rs` turns them into typed settings.
    pub fn get(&self, key: &str) -> Option<&String> {
        if let Some((name, field)) = builder_key(key) {
            return self.builders.get(name)?.get(field);
        }
        let (section, name) = key.split_once('.')?;
        self.section(section)?.get(name)
    }

    /// Sets (or, with an empty value, removes) `builders.NAME.FIELD`.
    fn set_builder_field(&mut self, key: &str, value: &str) -> Result<bool> {
        let Some((name, field)) = builder_key(key) else {
            return Ok(false);
        };
        crate::model::pool::check_key_name(name)?;
        let field: crate::model::pool::Field = field.parse()?;
        if value.is_empty() {
            self.unset_builder_field(name, field.as_str());
            return Ok(true);
        }
        field.check(name, value)?;
        self.builders
            .entry(name.to_string())
            .or_default()
            .insert(field.as_str().to_string(), value.to_string());
        Ok(true)
    }

    fn unset_builder_field(&mut self, name: &str, field: &str) -> bool {
        let Some(fields) = self.builders.get_mut(name) else {
            return false;
        };
        let removed = fields.remove(field).is_some();
        if fields.is_empty() {
            self.builders.remove(name);
        }
        removed
    }

    /// Sets `section.name` to `value`; an empty value removes the key.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        if self.set_builder_field(key, value)? {
            return Ok(());
        }
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
            self.check_builder_choice(value)?;
        }
        let interval_key = key.ends_with(".poll_interval") || key == "core.external_poll_interval";
        if interval_key && !value.is_empty() && !value.parse::<u64>().is_ok_and(|s| s > 0) {
            return Err(invalid(format!(
                "{key} is a number of seconds (e.g. 3600), not '{value}'"
            )));
        }
        let settle_key = key.ends_with(".settle") || key == "core.external_settle";
        if settle_key && !value.is_empty() && value.parse::<u64>().is_err() {
            return Err(invalid(format!(
                "{key} is a number of seconds (e.g. 3600; 0 for none), not '{value}'"
            )));
        }
        if section == "registries" && !interval_key && !settle_key && !value.is_empty() {
            crate::model::registry::validate_login_server(value)?;
        }
        if section == "task_aliases" && !value.is_empty() {
            check_task_alias(name, value)?;
        }
        let value = match key {
            "signing.key" if !value.is_empty() => signing_key_path(value)?,
            _ => value.to_string(),
        };
        let value = value.as_str();
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
        if let Some((name, field)) = builder_key(key) {
            let field: crate::model::pool::Field = field.parse()?;
            return Ok(self.unset_builder_field(name, field.as_str()));
        }
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
            "task_aliases" => Some(&self.task_aliases),
            "signing" => Some(&self.signing),
            _ => None,
        }
    }

    fn section_mut(&mut self, section: &str) -> Option<&mut BTreeMap<String, String>> {
        match section {
            "defaults" => Some(&mut self.defaults),
            "core" => Some(&mut self.core),
            "registries" => Some(&mut self.registries),
            "task_aliases" => Some(&mut self.task_aliases),
            "signing" => Some(&mut self.signing),
            _ => None,
        }
    }
}

/// `builders.NAME.FIELD` as (NAME, FIELD).
fn builder_key(key: &str) -> Option<(&str, &str)> {
    key.strip_prefix("builders.")?.rsplit_once('.')
}

fn split_key(key: &str) -> Result<(&str, &str)> {
    let known = || {
        format!(
            "known keys: {}, registries.<alias>, task_aliases.<name>, \
             builders.<name>.kind|url|platforms|capacity, builders.local.platforms|capacity",
            KNOWN_KEYS.join(", ")
        )
    };
    let (section, name) = key.split_once('.').ok_or_else(|| {
        invalid(format!(
            "invalid config key '{key}': use section.name; {}",
            known()
        ))
    })?;
    let ok = match section {
        // An alias, or `<alias or login server>.poll_interval` or `.settle`.
        "registries" => match name
            .strip_suffix(".poll_interval")
            .or_else(|| name.strip_suffix(".settle"))
        {
            Some(registry) => !registry.is_empty(),
            None => !name.is_empty() && !name.contains('.'),
        },
        "task_aliases" => !name.is_empty(),
        _ => KNOWN_KEYS.contains(&key),
    };
    if !ok {
        return Err(invalid(format!("unknown config key '{key}'; {}", known())));
    }
    Ok((section, name))
}

/// `signing.key=PATH`: a file that exists, kept as an absolute path (a run may execute in
/// another directory); whether it is a usable key is checked where it is read.
fn signing_key_path(value: &str) -> Result<String> {
    let path = std::path::absolute(value)
        .map_err(|e| invalid(format!("signing.key: cannot use the path '{value}': {e}")))?;
    if !path.is_file() {
        return Err(crate::error::Error::Invalid(crate::error::Message::hinted(
            format!("signing.key: {} is not a file", path.display()),
            "give the path of a cosign key file (cosign generate-key-pair) or a P-256 PEM key",
        ))
        .into());
    }
    Ok(path.to_string_lossy().into_owned())
}

/// `task_aliases.NAME=VALUE`: a name a task file could write (letters and digits, not one
/// of the run's own values such as `ID`), and a value on one line.
fn check_task_alias(name: &str, value: &str) -> Result<()> {
    use crate::model::names::{RUN_ALIASES, check_alias_name};
    check_alias_name(name).map_err(|e| invalid(format!("task_aliases.{name}: {e}")))?;
    if RUN_ALIASES.contains(&name) {
        return Err(invalid(format!(
            "task_aliases.{name}: ${name} is the run's own value ({{{{.Run.{name}}}}}); choose another name"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(format!(
            "task_aliases.{name}: the value must be one line (an image, e.g. mirror.lan/acr/acr-cli:0.19)"
        )));
    }
    Ok(())
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

    #[test]
    fn task_aliases_take_an_alias_name_and_a_one_line_value() {
        let mut c = Config::default();
        c.set("task_aliases.acr", "mirror.lan/acr/acr-cli:0.19")
            .unwrap();
        assert_eq!(
            c.get("task_aliases.acr").unwrap(),
            "mirror.lan/acr/acr-cli:0.19"
        );
        for (key, value, named) in [
            ("task_aliases.my-tool", "img", "letters and digits"),
            ("task_aliases.ID", "img", "run's own value"),
            ("task_aliases.acr", "a\nb", "one line"),
        ] {
            let e = c.set(key, value).unwrap_err().to_string();
            assert!(e.contains(named), "{key}: {e}");
        }
        let text = toml::to_string(&c).unwrap();
        assert!(text.contains("[task_aliases]"), "{text}");
        assert_eq!(toml::from_str::<Config>(&text).unwrap(), c);
    }

    #[test]
    fn builders_are_tables_of_checked_fields() {
        let mut c = Config::default();
        c.set("builders.build1.kind", "podman").unwrap();
        c.set("builders.build1.url", "tcp://10.0.0.2:8888").unwrap();
        c.set("builders.build1.capacity", "2").unwrap();
        assert_eq!(c.get("builders.build1.capacity").unwrap(), "2");
        assert!(c.set("builders.build1.capacity", "none").is_err());
        assert!(c.set("builders.build1.colour", "red").is_err());
        assert!(c.set("builders.local.kind", "docker").is_err());
        c.set("builders.local.capacity", "3").unwrap();
        assert_eq!(c.local_builder().unwrap().capacity, Some(3));
        assert!(c.builder_pool().unwrap().iter().all(|b| b.name != "local"));
        c.unset("builders.local.capacity").unwrap();
        let text = toml::to_string(&c).unwrap();
        assert!(text.contains("[builders.build1]"), "{text}");
        assert_eq!(toml::from_str::<Config>(&text).unwrap(), c);
        c.set("builders.build1.capacity", "").unwrap();
        assert!(c.unset("builders.build1.url").unwrap());
        c.unset("builders.build1.kind").unwrap();
        assert!(c.builders.is_empty());
    }

    #[test]
    fn a_settle_window_is_seconds_per_registry_or_for_external_ones() {
        let mut c = Config::default();
        c.set("registries.reg.lan:5000.settle", "3600").unwrap();
        c.set("registries.local.settle", "0").unwrap();
        c.set("core.external_settle", "7200").unwrap();
        assert_eq!(c.get("registries.reg.lan:5000.settle").unwrap(), "3600");
        for (key, value) in [
            ("registries.local.settle", "soon"),
            ("core.external_settle", "-1"),
        ] {
            let e = c.set(key, value).unwrap_err().to_string();
            assert!(e.contains("number of seconds"), "{key}: {e}");
        }
        assert!(c.set("registries..settle", "1").is_err());
    }
}
