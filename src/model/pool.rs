//! The builders of a pool, as the config names them (`builders.NAME.kind|url|platforms|
//! capacity`): each field's value checked, and a named builder typed. The local builder
//! (`defaults.builder`, else the first usable) is the pool of one when none is named.

use serde::Serialize;
use std::str::FromStr;

use super::{BuilderKind, Platform};
use crate::error::{Result, invalid};

/// The name the local builder goes by in `acrt builder list`.
pub const LOCAL: &str = "local";

/// One field of a named builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// buildah, podman or docker.
    Kind,
    /// Where it builds: a podman service or a docker host (tcp://, ssh://, unix://); local
    /// when absent.
    Url,
    /// The platforms it builds natively, comma-separated.
    Platforms,
    /// How many runs it takes at once.
    Capacity,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Kind, Field::Url, Field::Platforms, Field::Capacity];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Url => "url",
            Field::Platforms => "platforms",
            Field::Capacity => "capacity",
        }
    }

    /// Checks `value` for this field (`name` is the builder's, for the message).
    pub fn check(self, name: &str, value: &str) -> Result<()> {
        let key = format!("builders.{name}.{}", self.as_str());
        match self {
            Field::Kind => value.parse::<BuilderKind>().map(drop),
            Field::Url => check_url(&key, value),
            Field::Platforms => parse_platforms(value).map(drop),
            Field::Capacity => parse_capacity(&key, value).map(drop),
        }
        .map_err(|e| invalid(format!("{key}: {e:#}")))
    }
}

impl FromStr for Field {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| {
                invalid(format!(
                    "unknown builder field '{text}': use kind, url, platforms or capacity"
                ))
            })
    }
}

/// A builder's name: letters, digits, `-` and `_`, and not the local builder's.
pub fn check_name(name: &str) -> Result<()> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(invalid(format!(
            "'{name}' is not a builder name: use letters, digits, '-' and '_' (e.g. builders.build1.kind=podman)"
        )));
    }
    if name == LOCAL {
        return Err(invalid(
            "'local' is this machine's own builder (defaults.builder): give a named builder another name",
        ));
    }
    Ok(())
}

fn check_url(key: &str, url: &str) -> Result<()> {
    let known = ["tcp://", "ssh://", "unix://"];
    if known
        .iter()
        .any(|s| url.starts_with(s) && url.len() > s.len())
    {
        return Ok(());
    }
    Err(invalid(format!(
        "'{url}' is not a builder URL: use tcp://HOST:PORT, ssh://USER@HOST[/SOCKET] or unix:///PATH \
         (leave {key} unset for this machine)"
    )))
}

fn parse_platforms(value: &str) -> Result<Vec<Platform>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Platform::parse)
        .collect()
}

fn parse_capacity(key: &str, value: &str) -> Result<u32> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|c| *c > 0)
        .ok_or_else(|| {
            invalid(format!(
                "'{value}' is not a capacity: {key} is how many runs it takes at once (1 or more)"
            ))
        })
}

/// A named builder of the pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolBuilder {
    pub name: String,
    pub kind: BuilderKind,
    /// None: this machine.
    pub url: Option<String>,
    /// Empty: the platform of the machine it runs on.
    pub platforms: Vec<String>,
    pub capacity: u32,
}

impl PoolBuilder {
    /// The builder `name` from its fields as the config keeps them; `kind` is required, the
    /// capacity is 1 unless set.
    pub fn from_fields<'a>(
        name: &str,
        fields: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> Result<PoolBuilder> {
        let mut builder = PoolBuilder {
            name: name.to_string(),
            kind: BuilderKind::Buildah,
            url: None,
            platforms: Vec::new(),
            capacity: 1,
        };
        let mut kind = None;
        for (field, value) in fields {
            let field: Field = field.parse()?;
            field.check(name, value)?;
            match field {
                Field::Kind => kind = Some(value.parse()?),
                Field::Url => builder.url = Some(value.clone()),
                Field::Platforms => {
                    builder.platforms = parse_platforms(value)?
                        .iter()
                        .map(Platform::to_string)
                        .collect();
                }
                Field::Capacity => builder.capacity = parse_capacity(field.as_str(), value)?,
            }
        }
        builder.kind = kind.ok_or_else(|| {
            invalid(format!(
                "the builder '{name}' has no kind: set builders.{name}.kind to buildah, podman or docker"
            ))
        })?;
        if builder.kind == BuilderKind::Buildah && builder.url.is_some() {
            return Err(invalid(format!(
                "builders.{name}.url: buildah builds on this machine only; use kind podman (a podman \
                 service) or docker (a docker host) for a builder elsewhere"
            )));
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_and_a_builder_needs_a_kind() {
        assert!(Field::Kind.check("b1", "podman").is_ok());
        assert!(Field::Url.check("b1", "tcp://10.0.0.2:8888").is_ok());
        assert!(
            Field::Platforms
                .check("b1", "linux/amd64, linux/arm64")
                .is_ok()
        );
        for (field, value, named) in [
            (Field::Kind, "kaniko", "unknown builder"),
            (Field::Url, "http://x", "not a builder URL"),
            (Field::Platforms, "linux/sparc", "unknown architecture"),
            (Field::Capacity, "0", "1 or more"),
        ] {
            let e = format!("{:#}", field.check("b1", value).unwrap_err());
            assert!(e.contains(named) && e.contains("builders.b1."), "{e}");
        }
        assert!(check_name("build-1").is_ok());
        assert!(check_name("local").is_err() && check_name("a.b").is_err());
        let fields = [("url".to_string(), "tcp://h:1".to_string())];
        let e = PoolBuilder::from_fields("b1", fields.iter().map(|(k, v)| (k, v))).unwrap_err();
        assert!(format!("{e:#}").contains("builders.b1.kind"), "{e:#}");
        let fields = [
            ("kind".to_string(), "docker".to_string()),
            ("capacity".to_string(), "3".to_string()),
        ];
        let b = PoolBuilder::from_fields("b1", fields.iter().map(|(k, v)| (k, v))).unwrap();
        assert_eq!((b.kind, b.capacity, b.url), (BuilderKind::Docker, 3, None));
    }
}
