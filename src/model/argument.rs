//! `name[=value]` build arguments and values, plain or secret.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Argument {
    pub name: String,
    pub value: Option<String>,
    pub is_secret: bool,
}

/// A build argument as a builder is given it: its value rendered, and whether that value is
/// a secret (which then never travels on the builder's argument list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildArg {
    pub name: String,
    pub value: String,
    pub secret: bool,
}

impl Argument {
    /// Parses `name=value`; a bare `name` takes its value from `lookup_env(name)`, as az does,
    /// and without such a variable an empty value (as az passes it), or for a secret an error
    /// (an empty secret is a mistake). `flag` names the option in messages. Secret values
    /// never appear in a message.
    pub fn parse(
        text: &str,
        is_secret: bool,
        flag: &str,
        lookup_env: impl Fn(&str) -> Option<String>,
    ) -> Result<Argument> {
        let (name, value) = match text.split_once('=') {
            Some((name, value)) => (name.trim(), value.to_string()),
            None => {
                let name = text.trim();
                let value = match lookup_env(name) {
                    Some(value) => value,
                    None if !is_secret => String::new(),
                    None => {
                        return Err(invalid(format!(
                            "{flag} '{name}' has no value and no environment variable {name} is \
                             set; pass {name}=VALUE or export {name}"
                        )));
                    }
                };
                (name, value)
            }
        };
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return Err(invalid(format!(
                "{flag} needs NAME=VALUE with a NAME that is not empty and has no spaces"
            )));
        }
        Ok(Argument {
            name: name.to_string(),
            value: Some(value),
            is_secret,
        })
    }
}

impl Argument {
    /// A build argument: like [`Argument::parse`], and a secret one must have a name under
    /// which it can travel to the builder's environment without changing how it runs.
    pub fn parse_build_arg(
        text: &str,
        is_secret: bool,
        flag: &str,
        lookup_env: impl Fn(&str) -> Option<String>,
    ) -> Result<Argument> {
        let arg = Argument::parse(text, is_secret, flag, lookup_env)?;
        if is_secret {
            crate::host::check_secret_env_name(flag, &arg.name)?;
        }
        Ok(arg)
    }
}

/// Keeps the last value given for each name, in first-seen order.
pub fn dedup_by_name(args: Vec<Argument>) -> Vec<Argument> {
    let mut out: Vec<Argument> = Vec::with_capacity(args.len());
    for arg in args {
        match out.iter_mut().find(|a| a.name == arg.name) {
            Some(existing) => *existing = arg,
            None => out.push(arg),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_names_take_the_environment_value() {
        let a = Argument::parse("TOKEN", true, "--secret-arg", |n| {
            (n == "TOKEN").then(|| "s3".into())
        })
        .unwrap();
        assert_eq!(a.value.as_deref(), Some("s3"));
        assert!(a.is_secret);
        // As az: a plain one without such a variable is empty; a secret one is an error.
        let a = Argument::parse("MISSING", false, "--arg", |_| None).unwrap();
        assert_eq!(a.value.as_deref(), Some(""));
        let err = Argument::parse("MISSING", true, "--secret-arg", |_| None).unwrap_err();
        assert!(err.to_string().contains("export MISSING"));
    }

    #[test]
    fn values_may_contain_equals_signs() {
        let a = Argument::parse("A=b=c", false, "--arg", |_| None).unwrap();
        assert_eq!((a.name.as_str(), a.value.as_deref()), ("A", Some("b=c")));
        assert!(Argument::parse("=x", false, "--arg", |_| None).is_err());
    }

    #[test]
    fn later_values_win() {
        let parse = |t| Argument::parse(t, false, "--arg", |_| None).unwrap();
        let out = dedup_by_name(vec![parse("A=1"), parse("B=2"), parse("A=3")]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].value.as_deref(), Some("3"));
    }
}
