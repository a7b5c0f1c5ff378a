//! Name rules shared by tasks, timers and credentials.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid};

/// The run values ACR names by alias (`$ID` stands for `{{.Run.ID}}`).
pub const RUN_ALIASES: &[&str] = &[
    "ID",
    "SharedVolume",
    "Registry",
    "RegistryName",
    "Date",
    "OS",
    "Architecture",
    "Commit",
    "Branch",
];

/// An alias name: letters and digits only (as acr-builder requires).
pub fn check_alias_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "alias name '{name}' may only have letters and digits"
        ));
    }
    Ok(())
}

/// The name of an environment variable: `[A-Za-z_][A-Za-z0-9_]*`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnvVarName(String);

impl EnvVarName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The names given to `flag`, checked, each once; empty ones are skipped (so that a
    /// single "" clears a list).
    pub fn list(flag: &str, given: &[String]) -> Result<Vec<EnvVarName>> {
        let mut names: Vec<EnvVarName> = Vec::new();
        for name in given.iter().filter(|n| !n.is_empty()) {
            let name: EnvVarName = name.parse().map_err(|e| invalid(format!("{flag}: {e}")))?;
            if !names.contains(&name) {
                names.push(name);
            }
        }
        Ok(names)
    }
}

impl TryFrom<String> for EnvVarName {
    type Error = anyhow::Error;

    fn try_from(name: String) -> Result<EnvVarName> {
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(invalid(format!(
                "'{name}' is not an environment variable name: use letters, digits and '_', \
                 not starting with a digit"
            )));
        }
        Ok(EnvVarName(name))
    }
}

impl std::str::FromStr for EnvVarName {
    type Err = anyhow::Error;

    fn from_str(name: &str) -> Result<EnvVarName> {
        EnvVarName::try_from(name.to_string())
    }
}

impl From<EnvVarName> for String {
    fn from(name: EnvVarName) -> String {
        name.0
    }
}

impl std::fmt::Display for EnvVarName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Task names: 5-50 characters of `[A-Za-z0-9_-]`, as az validates them.
pub fn validate_task_name(name: &str) -> Result<()> {
    let len = name.chars().count();
    if !(5..=50).contains(&len) || !name.chars().all(is_name_char) {
        return Err(invalid(format!(
            "invalid task name '{name}': a task name is 5 to 50 characters of letters, digits, '-' and '_'"
        )));
    }
    Ok(())
}

/// Timer and trigger names: 1-50 characters of `[A-Za-z0-9_-]`.
pub fn validate_trigger_name(kind: &str, name: &str) -> Result<()> {
    let len = name.chars().count();
    if !(1..=50).contains(&len) || !name.chars().all(is_name_char) {
        return Err(invalid(format!(
            "invalid {kind} name '{name}': use 1 to 50 characters of letters, digits, '-' and '_'"
        )));
    }
    Ok(())
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_names_follow_az_rules() {
        assert!(validate_task_name("hello").is_ok());
        assert!(validate_task_name("task_hello-world1").is_ok());
        assert!(validate_task_name("abcd").is_err());
        assert!(validate_task_name(&"a".repeat(51)).is_err());
        assert!(validate_task_name("hello world").is_err());
        assert!(validate_task_name("héllo").is_err());
    }

    #[test]
    fn environment_variable_names() {
        assert!("CI_TOKEN".parse::<EnvVarName>().is_ok());
        assert!("_x1".parse::<EnvVarName>().is_ok());
        for bad in ["", "1A", "A-B", "A B", "A=B"] {
            assert!(bad.parse::<EnvVarName>().is_err(), "{bad}");
        }
    }
}
