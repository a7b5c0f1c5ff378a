//! `acrt configure` and `acrt config`: the user's settings file.

use serde_json::{Map, Value, json};

use super::Ctx;
use crate::cli::{ConfigCommand, ConfigureArgs};
use crate::error::{Result, invalid, not_found};
use crate::output::CommandOutput;

pub fn configure(ctx: &Ctx, args: ConfigureArgs) -> Result<CommandOutput> {
    if args.defaults.is_empty() && !args.list_defaults {
        return Err(invalid(
            "nothing to configure: pass --defaults KEY=VALUE (e.g. acr=localhost:5000) or --list-defaults",
        ));
    }
    let mut config = ctx.config.clone();
    if !args.defaults.is_empty() {
        for pair in &args.defaults {
            let (key, value) = split_pair(pair)?;
            if key != "acr" {
                return Err(invalid(format!(
                    "unknown default '{key}'; the default acrt knows is acr"
                )));
            }
            // A default that no command could use would make every command fail later.
            if !value.is_empty() {
                crate::model::registry::resolve_login_server(value, &config.registries)?;
            }
            config.set(&format!("defaults.{key}"), value)?;
        }
        config.save()?;
    }
    if args.list_defaults {
        let list: Vec<Value> = config
            .defaults
            .iter()
            .map(|(k, v)| json!({"name": k, "source": "config", "value": v}))
            .collect();
        return CommandOutput::value(list);
    }
    Ok(CommandOutput::Nothing)
}

pub fn config(ctx: &Ctx, command: ConfigCommand) -> Result<CommandOutput> {
    let mut config = ctx.config.clone();
    match command {
        ConfigCommand::Set { pairs } => {
            for pair in &pairs {
                let (key, value) = split_pair(pair)?;
                config.set(key, value)?;
            }
            // A value every later command would trip over is refused now.
            crate::settings::registry_settings(&config)?;
            crate::settings::context_limits(&config)?;
            config.save()?;
            Ok(CommandOutput::Nothing)
        }
        ConfigCommand::Get { key: Some(key) } => {
            let value = config.get(&key).ok_or_else(|| {
                not_found(format!(
                    "the setting '{key}' is not set; set it with 'acrt config set {key}=VALUE'"
                ))
            })?;
            CommandOutput::value(json!({"name": key, "value": value}))
        }
        ConfigCommand::Get { key: None } => {
            let mut all = Map::new();
            for (section, map) in [
                ("core", &config.core),
                ("defaults", &config.defaults),
                ("registries", &config.registries),
                ("task_aliases", &config.task_aliases),
            ] {
                let entries: Vec<Value> = map
                    .iter()
                    .map(|(k, v)| json!({"name": k, "value": v}))
                    .collect();
                all.insert(section.to_string(), Value::Array(entries));
            }
            if !config.builders.is_empty() {
                let entries: Vec<Value> = config
                    .builders
                    .iter()
                    .flat_map(|(name, fields)| {
                        fields
                            .iter()
                            .map(move |(f, v)| json!({"name": format!("{name}.{f}"), "value": v}))
                    })
                    .collect();
                all.insert("builders".to_string(), Value::Array(entries));
            }
            CommandOutput::value(Value::Object(all))
        }
        ConfigCommand::Unset { keys } => {
            for key in &keys {
                config.unset(key)?;
            }
            config.save()?;
            Ok(CommandOutput::Nothing)
        }
    }
}

fn split_pair(pair: &str) -> Result<(&str, &str)> {
    pair.split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .ok_or_else(|| invalid(format!("'{pair}' is not KEY=VALUE")))
}
