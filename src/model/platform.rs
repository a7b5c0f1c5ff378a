//! `os[/arch[/variant]]` platforms, as `--platform` takes them.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{Result, invalid};

const OSES: &[&str] = &["linux", "windows"];
const ARCHITECTURES: &[&str] = &["amd64", "386", "arm", "arm64"];
const VARIANTS: &[&str] = &["v6", "v7", "v8"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }
}

impl Platform {
    /// Parses `os[/arch[/variant]]`, case-insensitively. A missing architecture is amd64.
    pub fn parse(text: &str) -> Result<Platform> {
        let lower = text.trim().to_ascii_lowercase();
        let mut parts = lower.split('/');
        let os = parts.next().unwrap_or_default().to_string();
        let architecture = parts.next().map(str::to_string);
        let variant = parts.next().map(str::to_string);
        let hint = "use os[/architecture[/variant]], e.g. linux/amd64 or linux/arm/v7";
        if parts.next().is_some() {
            return Err(invalid(format!(
                "invalid platform '{text}': too many parts; {hint}"
            )));
        }
        if !OSES.contains(&os.as_str()) {
            return Err(invalid(format!(
                "invalid platform '{text}': unknown OS '{os}' (allowed: {}); {hint}",
                OSES.join(", ")
            )));
        }
        let architecture = architecture.unwrap_or_else(|| "amd64".into());
        if !ARCHITECTURES.contains(&architecture.as_str()) {
            return Err(invalid(format!(
                "invalid platform '{text}': unknown architecture '{architecture}' (allowed: {}); {hint}",
                ARCHITECTURES.join(", ")
            )));
        }
        if let Some(v) = &variant
            && !VARIANTS.contains(&v.as_str())
        {
            return Err(invalid(format!(
                "invalid platform '{text}': unknown variant '{v}' (allowed: {}); {hint}",
                VARIANTS.join(", ")
            )));
        }
        Ok(Platform {
            os,
            architecture,
            variant,
        })
    }
}

impl Platform {
    /// Parses any `os[/arch[/variant]]` of letters and digits, as a Dockerfile's
    /// `FROM --platform` may name (s390x, riscv64, ...), beyond the set `--platform` takes.
    pub fn parse_any(text: &str) -> Result<Platform> {
        let lower = text.trim().to_ascii_lowercase();
        let parts: Vec<&str> = lower.split('/').collect();
        let word =
            |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if parts.len() > 3 || !parts.iter().all(word) {
            return Err(invalid(format!(
                "invalid platform '{text}': use os[/architecture[/variant]], e.g. linux/arm64"
            )));
        }
        Ok(Platform {
            os: parts[0].to_string(),
            architecture: parts.get(1).map_or("amd64", |a| a).to_string(),
            variant: parts.get(2).map(|v| v.to_string()),
        })
    }
}

/// This machine's architecture, in OCI's names (amd64, arm64, ...).
pub fn native_architecture() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    }
}

impl Platform {
    /// This machine's own platform: linux on its architecture.
    pub fn of_this_machine() -> Platform {
        Platform {
            os: "linux".into(),
            architecture: native_architecture().into(),
            variant: None,
        }
    }

    /// Whether a builder whose machine is `self` builds `platform` natively: the same os and
    /// architecture, and the same variant where both name one.
    pub fn builds_natively(&self, platform: &Platform) -> bool {
        self.os == platform.os
            && self.architecture == platform.architecture
            && (self.variant.is_none()
                || platform.variant.is_none()
                || self.variant == platform.variant)
    }

    /// Whether an image of this platform is what `asked` asks for (a variant counts only
    /// when asked for).
    pub fn matches(&self, asked: &Platform) -> bool {
        self.os == asked.os
            && self.architecture == asked.architecture
            && (asked.variant.is_none() || self.variant == asked.variant)
    }
}

/// The platforms one build is for: one or more, each named once, in the order given (the
/// first is the one az's single `platform` field shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Platform>", into = "Vec<Platform>")]
pub struct Platforms(Vec<Platform>);

impl Platforms {
    /// Parses `--platform`'s value: `os[/arch[/variant]]`, or several of them separated by
    /// commas (`linux/amd64,linux/arm64`).
    pub fn parse(text: &str) -> Result<Platforms> {
        let each: Vec<Platform> = text
            .split(',')
            .map(Platform::parse)
            .collect::<Result<_>>()?;
        Platforms::try_from(each)
            .map_err(|e| invalid(format!("invalid platform list '{text}': {e}")))
    }

    pub fn single(platform: Platform) -> Platforms {
        Platforms(vec![platform])
    }

    /// The platforms of a record that keeps az's one `platform` and, when there are several,
    /// all of them beside it.
    pub fn of(first: &Platform, all: Option<&Platforms>) -> Platforms {
        all.cloned()
            .unwrap_or_else(|| Platforms::single(first.clone()))
    }

    /// The first platform: what az's one `platform` field holds.
    pub fn first(&self) -> &Platform {
        &self.0[0]
    }

    /// Whether the build is for more than one platform (an index is pushed).
    pub fn several(&self) -> bool {
        self.0.len() > 1
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Platform> {
        self.0.iter()
    }
}

impl TryFrom<Vec<Platform>> for Platforms {
    type Error = String;

    fn try_from(list: Vec<Platform>) -> std::result::Result<Self, String> {
        if list.is_empty() {
            return Err("no platform given; use e.g. linux/amd64,linux/arm64".into());
        }
        let repeated = list
            .iter()
            .enumerate()
            .find(|(i, p)| list[..*i].contains(p))
            .map(|(_, p)| p);
        if let Some(p) = repeated {
            return Err(format!("{p} is named twice; name each platform once"));
        }
        Ok(Platforms(list))
    }
}

impl From<Platforms> for Vec<Platform> {
    fn from(p: Platforms) -> Vec<Platform> {
        p.0
    }
}

impl fmt::Display for Platforms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.0.iter().map(Platform::to_string).collect();
        f.write_str(&names.join(","))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_partial_and_full_platforms() {
        assert_eq!(Platform::parse("Linux").unwrap(), Platform::default());
        let p = Platform::parse("linux/ARM/v7").unwrap();
        assert_eq!(p.to_string(), "linux/arm/v7");
        assert!(Platform::parse("darwin").is_err());
        assert!(Platform::parse("linux/sparc").is_err());
        assert!(Platform::parse("linux/arm/v9").is_err());
        assert!(Platform::parse("linux/arm/v7/x").is_err());
    }

    #[test]
    fn parses_a_list_of_platforms_each_named_once() {
        let list = Platforms::parse("linux/amd64, linux/ARM64").unwrap();
        assert_eq!(list.to_string(), "linux/amd64,linux/arm64");
        assert!(list.several());
        assert_eq!(list.first(), &Platform::default());
        assert!(!Platforms::parse("linux/arm64").unwrap().several());
        let twice = Platforms::parse("linux/amd64,linux").unwrap_err();
        assert!(format!("{twice:#}").contains("named twice"), "{twice:#}");
        assert!(Platforms::parse("linux/amd64,").is_err());
    }
}
