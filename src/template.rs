//! `{{.Run.ID}}`, `{{.Values.key}}`, `{{.Secrets.id}}` in image names, arguments and task
//! files, with Go-template pipes (`{{ .Values.x | default "y" | upper }}`). A missing key
//! renders as "". What an action computes from a secret (`{{ .Secrets.s | b64enc }}`) is itself
//! a secret: [`render_tracked`] reports every such value so that the run masks it too.

use base64::Engine as _;
use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Result, invalid};

#[derive(Debug, Clone, Default)]
pub struct TemplateContext {
    /// ID, Registry, RegistryName, Date, OS, Architecture, Commit, Branch, TaskName, SharedVolume.
    pub run: BTreeMap<String, String>,
    pub values: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, String>,
    /// The names of `values` that are secret (`--set-secret`).
    pub secret_values: BTreeSet<String>,
}

/// A rendered text and the values in it that were computed from a secret.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub derived_secrets: Vec<String>,
}

/// A value and whether a secret went into it.
struct Value {
    text: String,
    secret: bool,
}

pub fn render(text: &str, ctx: &TemplateContext) -> Result<String> {
    render_tracked(text, ctx).map(|r| r.text)
}

/// Renders `text`, reporting each action's output that a secret went into: the action read
/// `.Secrets.*` or a secret value, in its first operand or in any argument.
pub fn render_tracked(text: &str, ctx: &TemplateContext) -> Result<Rendered> {
    let mut derived_secrets = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| {
            invalid(format!(
                "unterminated '{{{{' in '{text}': close it with '}}}}'"
            ))
        })?;
        let expr = after[..end]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let value = evaluate(expr, ctx, text)?;
        out.push_str(&value.text);
        if value.secret && !value.text.is_empty() && !derived_secrets.contains(&value.text) {
            derived_secrets.push(value.text);
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(Rendered {
        text: out,
        derived_secrets,
    })
}

fn evaluate(expr: &str, ctx: &TemplateContext, text: &str) -> Result<Value> {
    let mut stages = split_pipes(expr).into_iter();
    let first = stages.next().unwrap_or_default();
    let Value {
        text: mut value,
        mut secret,
    } = operand(first.trim(), ctx, text)?;
    for stage in stages {
        let words = words(stage.trim());
        let (name, args) = words
            .split_first()
            .ok_or_else(|| invalid(format!("empty pipe stage in '{text}'")))?;
        let mut arg = |i: usize| -> Result<String> {
            let Some(word) = args.get(i) else {
                return Ok(String::new());
            };
            let v = operand(word, ctx, text)?;
            secret |= v.secret;
            Ok(v.text)
        };
        value = match name.as_str() {
            "b64enc" => base64::engine::general_purpose::STANDARD.encode(value),
            "b64dec" => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(value.trim())
                    .map_err(|e| invalid(format!("b64dec in '{text}': {e}")))?;
                String::from_utf8(bytes)
                    .map_err(|_| invalid(format!("b64dec in '{text}': the result is not text")))?
            }
            "quote" => format!("{value:?}"),
            "upper" => value.to_uppercase(),
            "lower" => value.to_lowercase(),
            "trim" => value.trim().to_string(),
            "default" => {
                if value.is_empty() {
                    arg(0)?
                } else {
                    value
                }
            }
            other => {
                return Err(invalid(format!(
                    "unknown template function '{other}' in '{text}'; acrt knows b64enc, b64dec, quote, \
                     default, upper, lower, trim"
                )));
            }
        };
    }
    Ok(Value {
        text: value,
        secret,
    })
}

/// `.Run.ID`, `.Values.k`, `.Secrets.k`, or a quoted literal.
fn operand(word: &str, ctx: &TemplateContext, text: &str) -> Result<Value> {
    if let Some(lit) = word.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        return Ok(Value {
            text: lit.replace("\\\"", "\""),
            secret: false,
        });
    }
    let path = word.strip_prefix('.').ok_or_else(|| {
        invalid(format!(
            "cannot read '{word}' in '{text}': use .Run.NAME, .Values.NAME or .Secrets.NAME"
        ))
    })?;
    let (scope, key) = path.split_once('.').unwrap_or((path, ""));
    // ACR still defines `.Build.ID` as the run's ID (from before runs were named runs).
    let (scope, key) = match (scope, key) {
        ("Build", "ID") => ("Run", "ID"),
        other => other,
    };
    let (map, secret) = match scope {
        "Run" => (&ctx.run, false),
        "Values" => (&ctx.values, ctx.secret_values.contains(key)),
        "Secrets" => (&ctx.secrets, true),
        _ => {
            return Err(invalid(format!(
                "unknown template scope '.{scope}' in '{text}': use .Run, .Values or .Secrets"
            )));
        }
    };
    Ok(Value {
        text: map.get(key).cloned().unwrap_or_default(),
        secret,
    })
}

fn split_pipes(expr: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_quote = false;
    let mut start = 0;
    for (i, c) in expr.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '|' if !in_quote => {
                parts.push(&expr[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&expr[start..]);
    parts
}

fn words(stage: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_quote = false;
    for c in stage.chars() {
        match c {
            '"' => {
                in_quote = !in_quote;
                current.push(c);
            }
            c if c.is_whitespace() && !in_quote => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> TemplateContext {
        let mut c = TemplateContext::default();
        c.run.insert("ID".into(), "da1".into());
        c.run.insert("Registry".into(), "localhost:5000".into());
        c.values.insert("name".into(), "World".into());
        c
    }

    #[test]
    fn renders_run_variables_values_and_missing_keys() {
        let c = ctx();
        assert_eq!(render("hello:{{.Run.ID}}", &c).unwrap(), "hello:da1");
        assert_eq!(render("hello:{{ .Build.ID }}", &c).unwrap(), "hello:da1");
        assert_eq!(
            render("{{ .Run.Registry }}/x:{{.Values.name}}", &c).unwrap(),
            "localhost:5000/x:World"
        );
        assert_eq!(render("a{{.Values.missing}}b", &c).unwrap(), "ab");
        assert_eq!(render("no templates", &c).unwrap(), "no templates");
    }

    #[test]
    fn pipes() {
        let c = ctx();
        assert_eq!(render("{{ .Values.name | upper }}", &c).unwrap(), "WORLD");
        assert_eq!(
            render("{{ .Values.none | default \"x|y\" }}", &c).unwrap(),
            "x|y"
        );
        assert_eq!(
            render("{{ .Values.name | b64enc | b64dec | quote }}", &c).unwrap(),
            "\"World\""
        );
        assert!(render("{{ .Values.name | frobnicate }}", &c).is_err());
        assert!(render("{{ .Values.name", &c).is_err());
        assert!(render("{{ Values.name }}", &c).is_err());
    }

    #[test]
    fn values_computed_from_a_secret_are_reported() {
        let mut c = ctx();
        c.secrets.insert("s".into(), "hunter22".into());
        c.values.insert("pw".into(), "opensesame".into());
        c.secret_values.insert("pw".into());
        let r = render_tracked(
            "u={{.Secrets.s | b64enc}} q={{ .Secrets.s | quote }} d={{ .Values.none | default .Secrets.s | upper }} \
             p={{.Values.pw | b64enc}} n={{.Values.name | upper}} r={{.Run.ID}}",
            &c,
        )
        .unwrap();
        assert_eq!(
            r.derived_secrets,
            [
                "aHVudGVyMjI=",
                "\"hunter22\"",
                "HUNTER22",
                "b3BlbnNlc2FtZQ=="
            ]
        );
        assert!(r.text.contains("n=WORLD r=da1"));
    }
}
