//! The runtime config a rebased image gets: for each field the app left as its old base had
//! it, the new base's value; the app's own changes kept; a field both the app and the new
//! base changed is a conflict (the rebase is then not sound, and the run builds instead).
//! Env, Labels and ExposedPorts are compared entry by entry (a variable, a label, a port).

use serde_json::{Map, Value};

use crate::model::run::{CarriedField, ConfigField};

/// The field (and entry) that both the app and the new base changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict(pub CarriedField);

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the image changed {}, which the new base changed too",
            self.0
        )
    }
}

/// The app's runtime config (`config` of its image config) with the new base's changes
/// taken in, and the fields taken; or the first conflict.
pub fn merge(
    app: &Value,
    old_base: &Value,
    new_base: &Value,
) -> Result<(Value, Vec<CarriedField>), Conflict> {
    let mut merged = app.as_object().cloned().unwrap_or_default();
    let mut carried = Vec::new();
    for field in [
        ConfigField::Entrypoint,
        ConfigField::Cmd,
        ConfigField::WorkingDir,
        ConfigField::User,
        ConfigField::StopSignal,
    ] {
        let key = field.config_key();
        let taken = merge_value(
            field,
            None,
            app.get(key),
            old_base.get(key),
            new_base.get(key),
        )?;
        if let Some(value) = taken {
            set(&mut merged, key, value);
            carried.push(CarriedField { field, key: None });
        }
    }
    let env = merge_env(app, old_base, new_base, &mut carried)?;
    if let Some(env) = env {
        set(&mut merged, ConfigField::Env.config_key(), env);
    }
    for field in [ConfigField::Labels, ConfigField::ExposedPorts] {
        if let Some(map) = merge_map(field, app, old_base, new_base, &mut carried)? {
            set(&mut merged, field.config_key(), map);
        }
    }
    Ok((Value::Object(merged), carried))
}

/// Sets `key` to `value`, or removes it for null (the new base has none).
fn set(config: &mut Map<String, Value>, key: &str, value: Value) {
    if value.is_null() {
        config.remove(key);
    } else {
        config.insert(key.to_string(), value);
    }
}

/// The new base's value when the app kept the old base's and the new base changed it
/// (Some(null): the new base has none); None when the app's stays; a conflict when both
/// changed it. Absent and null are the same.
fn merge_value(
    field: ConfigField,
    entry: Option<&str>,
    app: Option<&Value>,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Result<Option<Value>, Conflict> {
    let norm = |v: Option<&Value>| v.filter(|v| !v.is_null()).cloned();
    let (app, old, new) = (norm(app), norm(old), norm(new));
    if new == old {
        return Ok(None);
    }
    if app == old {
        return Ok(Some(new.unwrap_or(Value::Null)));
    }
    if app == new {
        return Ok(None);
    }
    Err(Conflict(CarriedField {
        field,
        key: entry.map(str::to_string),
    }))
}

/// Env entry by entry (NAME=VALUE, by NAME): the app's order, a variable the new base adds
/// at the end. None when nothing was taken.
fn merge_env(
    app: &Value,
    old_base: &Value,
    new_base: &Value,
    carried: &mut Vec<CarriedField>,
) -> Result<Option<Value>, Conflict> {
    let (app, old, new) = (env_of(app), env_of(old_base), env_of(new_base));
    let get = |list: &[(String, String)], name: &str| {
        list.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| Value::String(v.clone()))
    };
    let mut names: Vec<&str> = app.iter().map(|(n, _)| n.as_str()).collect();
    for (name, _) in old.iter().chain(&new) {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let mut merged = Vec::new();
    let mut taken = false;
    for name in names {
        let (a, o, n) = (get(&app, name), get(&old, name), get(&new, name));
        let value = match merge_value(
            ConfigField::Env,
            Some(name),
            a.as_ref(),
            o.as_ref(),
            n.as_ref(),
        )? {
            Some(value) => {
                taken = true;
                carried.push(CarriedField {
                    field: ConfigField::Env,
                    key: Some(name.to_string()),
                });
                value
            }
            None => a.unwrap_or(Value::Null),
        };
        if let Value::String(v) = value {
            merged.push(Value::String(format!("{name}={v}")));
        }
    }
    Ok(taken.then_some(Value::Array(merged)))
}

/// An Env list as (NAME, VALUE) pairs; an entry without `=` is a name with an empty value.
fn env_of(config: &Value) -> Vec<(String, String)> {
    config["Env"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(|entry| {
                    let (name, value) = entry.split_once('=').unwrap_or((entry, ""));
                    (name.to_string(), value.to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Labels or ExposedPorts key by key. None when nothing was taken.
fn merge_map(
    field: ConfigField,
    app: &Value,
    old_base: &Value,
    new_base: &Value,
    carried: &mut Vec<CarriedField>,
) -> Result<Option<Value>, Conflict> {
    let key = field.config_key();
    let empty = Map::new();
    let of = |config: &Value| config.get(key).and_then(Value::as_object).cloned();
    let (app, old, new) = (of(app), of(old_base), of(new_base));
    let (a, o, n) = (
        app.as_ref().unwrap_or(&empty),
        old.as_ref().unwrap_or(&empty),
        new.as_ref().unwrap_or(&empty),
    );
    let mut merged = a.clone();
    let mut taken = false;
    let keys: std::collections::BTreeSet<&String> =
        a.keys().chain(o.keys()).chain(n.keys()).collect();
    for k in keys {
        if let Some(value) = merge_value(field, Some(k), a.get(k), o.get(k), n.get(k))? {
            taken = true;
            carried.push(CarriedField {
                field,
                key: Some(k.clone()),
            });
            if value.is_null() {
                merged.remove(k);
            } else {
                merged.insert(k.clone(), value);
            }
        }
    }
    Ok(taken.then(|| match merged.is_empty() {
        true => Value::Null,
        false => Value::Object(merged),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env(field: &str) -> CarriedField {
        CarriedField {
            field: ConfigField::Env,
            key: Some(field.into()),
        }
    }

    #[test]
    fn what_the_app_left_as_its_base_had_it_follows_the_new_base() {
        let old = json!({"Env": ["PATH=/bin", "NODE_VERSION=1"], "WorkingDir": "/srv",
                         "User": "node", "Labels": {"base": "1", "keep": "x"}});
        let new = json!({"Env": ["PATH=/bin", "NODE_VERSION=2", "ADDED=y"], "WorkingDir": "/opt",
                         "User": "node", "Labels": {"base": "2", "keep": "x"},
                         "ExposedPorts": {"80/tcp": {}}});
        let app = json!({"Env": ["PATH=/bin", "NODE_VERSION=1", "APP=own"], "WorkingDir": "/srv",
                         "User": "app", "Labels": {"base": "1", "keep": "x", "app": "a"},
                         "Cmd": ["serve"]});
        let (merged, carried) = merge(&app, &old, &new).unwrap();
        assert_eq!(
            merged,
            json!({"Env": ["PATH=/bin", "NODE_VERSION=2", "APP=own", "ADDED=y"],
                   "WorkingDir": "/opt", "User": "app", "Cmd": ["serve"],
                   "Labels": {"base": "2", "keep": "x", "app": "a"},
                   "ExposedPorts": {"80/tcp": {}}})
        );
        assert_eq!(
            carried.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "WorkingDir",
                "Env NODE_VERSION",
                "Env ADDED",
                "Labels base",
                "ExposedPorts 80/tcp"
            ]
        );
    }

    #[test]
    fn a_field_both_changed_is_a_conflict_naming_it() {
        let old = json!({"Env": ["NODE_VERSION=1"], "Entrypoint": ["/old"]});
        let new = json!({"Env": ["NODE_VERSION=2"], "Entrypoint": ["/old"]});
        let app = json!({"Env": ["NODE_VERSION=app"], "Entrypoint": ["/app"]});
        let conflict = merge(&app, &old, &new).unwrap_err();
        assert_eq!(conflict, Conflict(env("NODE_VERSION")));
        assert_eq!(
            conflict.to_string(),
            "the image changed Env NODE_VERSION, which the new base changed too"
        );
        // The app's own Entrypoint stays where the new base kept the old one.
        let new = json!({"Env": ["NODE_VERSION=1"], "Entrypoint": ["/old"]});
        let (merged, carried) = merge(&app, &old, &new).unwrap();
        assert_eq!(merged, app);
        assert!(carried.is_empty());
        // Both changed it to the same value: no conflict, nothing to take.
        let new = json!({"Env": ["NODE_VERSION=app"], "Entrypoint": ["/old"]});
        let (merged, _) = merge(&app, &old, &new).unwrap();
        assert_eq!(merged["Env"], json!(["NODE_VERSION=app"]));
        assert_eq!(merged["Entrypoint"], json!(["/app"]));
    }

    #[test]
    fn what_the_new_base_dropped_is_dropped() {
        let old = json!({"Env": ["GONE=1", "PATH=/bin"], "StopSignal": "SIGTERM"});
        let new = json!({"Env": ["PATH=/bin"]});
        let app = json!({"Env": ["GONE=1", "PATH=/bin"], "StopSignal": "SIGTERM"});
        let (merged, carried) = merge(&app, &old, &new).unwrap();
        assert_eq!(merged, json!({"Env": ["PATH=/bin"]}));
        assert_eq!(carried.len(), 2);
    }
}
