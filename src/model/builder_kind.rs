//! The image builders acrt can drive, as one closed set: the clap value of `--builder`, the
//! value of `defaults.builder`, and what a run's spec records.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
#[value(rename_all = "lowercase")]
pub enum BuilderKind {
    Buildah,
    Docker,
    Podman,
}

impl BuilderKind {
    pub const ALL: [BuilderKind; 3] = [
        BuilderKind::Buildah,
        BuilderKind::Docker,
        BuilderKind::Podman,
    ];

    /// The builder's name, which is also its program's.
    pub fn as_str(self) -> &'static str {
        match self {
            BuilderKind::Buildah => "buildah",
            BuilderKind::Docker => "docker",
            BuilderKind::Podman => "podman",
        }
    }

    /// `buildah, docker, podman`: for messages that list the choices.
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

impl fmt::Display for BuilderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BuilderKind {
    type Err = anyhow::Error;

    /// A builder's name in any case; anything else is an error naming the known ones.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                invalid(format!(
                    "unknown builder '{name}': use one of {}",
                    Self::names()
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_case_and_an_unknown_one_names_the_known() {
        assert_eq!(
            "Podman".parse::<BuilderKind>().unwrap(),
            BuilderKind::Podman
        );
        let err = "kaniko".parse::<BuilderKind>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown builder 'kaniko': use one of buildah, docker, podman"
        );
        for kind in BuilderKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
    }
}
