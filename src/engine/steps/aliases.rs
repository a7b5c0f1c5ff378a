//! v1.1.0 aliases, as acr-builder reads them. The file's `alias:` block is taken out (its
//! lines left blank, so that line numbers still point into the file) and `$name` is replaced
//! as text everywhere else; once the file is read, a cmd whose first word is an alias runs
//! what the alias names (`cmd: acr purge ...` runs ACR's acr-cli image).
//!
//! Where an alias comes from, the later winning: ACR's defaults (the run's `{{.Run.X}}`
//! values and its tool images), this machine's `task_aliases.NAME` config keys (a mirror of
//! those images), `alias.src` files in the order given, the file's `alias.values`.

use serde::Deserialize;
use std::collections::BTreeMap;

use crate::error::{Result, invalid};
pub use crate::model::names::{RUN_ALIASES, check_alias_name as check_name};

/// ACR's default image aliases (acr-builder's global defaults for Linux): a cmd may start
/// with these words. The tags are ACR's own and move with its releases.
pub const ACR_IMAGE_ALIASES: &[(&str, &str)] = &[
    ("acr", "mcr.microsoft.com/acr/acr-cli:0.19"),
    ("az", "mcr.microsoft.com/acr/azure-cli:2ff604c"),
    ("bash", "mcr.microsoft.com/acr/bash:2ff604c"),
    ("curl", "mcr.microsoft.com/acr/curl:2ff604c"),
    ("cssc", "mcr.microsoft.com/acr/cssc:2ff604c"),
];

/// What a task file's aliases may come from besides the file itself.
pub struct AliasSources<'a> {
    /// This machine's default aliases (`task_aliases.NAME` in the config), over ACR's.
    pub configured: BTreeMap<String, String>,
    /// Reads an `alias.src` file (relative to the workspace).
    pub load: &'a dyn Fn(&str) -> Result<String>,
}

/// A file's aliases, every source merged, and its directive character (`$` unless the file
/// picks another).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aliases {
    values: BTreeMap<String, String>,
    directive: char,
}

impl Aliases {
    /// The file's text with its alias block blanked and every `$name` replaced, and the
    /// aliases it defined.
    pub fn apply(text: &str, sources: &AliasSources<'_>) -> Result<(String, Aliases)> {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let block = take_alias_block(&mut lines);
        let aliases = Aliases::read(&block, sources)?;
        Ok((aliases.substitute(&lines.join("\n")), aliases))
    }

    /// A cmd whose first word (as acr-builder splits it: at the first space, once trimmed)
    /// is an alias, with that word replaced by the alias's value; None for any other cmd.
    pub fn expand_command(&self, cmd: &str) -> Option<String> {
        let cmd = cmd.trim();
        let (first, rest) = match cmd.split_once(' ') {
            Some((first, rest)) => (first, Some(rest)),
            None => (cmd, None),
        };
        let value = self.values.get(first)?;
        Some(match rest {
            Some(rest) => format!("{value} {rest}"),
            None => value.clone(),
        })
    }

    fn defaults(configured: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let run = RUN_ALIASES
            .iter()
            .map(|name| (name.to_string(), format!("{{{{.Run.{name}}}}}")));
        let images = ACR_IMAGE_ALIASES
            .iter()
            .map(|(name, image)| (name.to_string(), image.to_string()));
        let mut values: BTreeMap<String, String> = run.chain(images).collect();
        values.extend(configured.iter().map(|(k, v)| (k.clone(), v.clone())));
        values
    }

    /// The aliases: the defaults, then `src` files, then `values`; and the directive.
    fn read(block_text: &str, sources: &AliasSources<'_>) -> Result<Aliases> {
        let mut aliases = Aliases {
            values: Self::defaults(&sources.configured),
            directive: '$',
        };
        if block_text.trim().is_empty() {
            return Ok(aliases);
        }
        #[derive(Deserialize, Default)]
        struct AliasBlock {
            #[serde(default)]
            values: BTreeMap<String, String>,
            #[serde(default)]
            src: Vec<String>,
            directive: Option<String>,
        }
        #[derive(Deserialize)]
        struct Wrapper {
            alias: Option<AliasBlock>,
        }
        let parsed: Wrapper = serde_saphyr::from_str(block_text)
            .map_err(|e| invalid(format!("task file: the alias block is not valid: {e}")))?;
        let block = parsed.alias.unwrap_or_default();
        if let Some(d) = block.directive {
            aliases.directive = directive(&d)?;
        }
        for source in &block.src {
            let text = (sources.load)(source)?;
            aliases.values.extend(parse_alias_values(&text));
        }
        for (k, v) in block.values {
            check_name(&k).map_err(|e| invalid(format!("task file: {e}")))?;
            aliases.values.insert(k, v);
        }
        Ok(aliases)
    }

    /// Replaces `$name` (the longest alias the name starts with) and `$$` (a `$`) in `body`.
    fn substitute(&self, body: &str) -> String {
        let directive = self.directive;
        let mut out = String::with_capacity(body.len());
        let chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == directive {
                if chars.get(i + 1) == Some(&directive) {
                    out.push(directive);
                    i += 2;
                    continue;
                }
                let name: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                // The longest alias that the following name starts with ($Registry$ID chains).
                let matched = (1..=name.len())
                    .rev()
                    .map(|n| &name[..n])
                    .find(|n| self.values.contains_key(*n));
                if let Some(n) = matched {
                    out.push_str(&self.values[n]);
                    i += 1 + n.chars().count();
                    continue;
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }
}

/// Takes the top-level `alias:` block out of the file's lines (they become empty, so line
/// numbers stay).
fn take_alias_block(lines: &mut [String]) -> String {
    let mut block = Vec::new();
    if let Some(start) = lines.iter().position(|l| l.starts_with("alias:")) {
        let mut end = start + 1;
        while end < lines.len()
            && (lines[end].starts_with(' ')
                || lines[end].starts_with('\t')
                || lines[end].trim().is_empty())
        {
            end += 1;
        }
        for line in &mut lines[start..end] {
            block.push(std::mem::take(line));
        }
    }
    block.join("\n")
}

/// An alias source file: a map of names to values (at the top, or under `values:`).
fn parse_alias_values(text: &str) -> Vec<(String, String)> {
    let map: BTreeMap<String, serde_json::Value> = serde_saphyr::from_str(text).unwrap_or_default();
    let source: BTreeMap<String, serde_json::Value> = match map.get("values") {
        Some(serde_json::Value::Object(v)) => v.clone().into_iter().collect(),
        _ => map,
    };
    source
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k, s)),
            serde_json::Value::Number(n) => Some((k, n.to_string())),
            serde_json::Value::Bool(b) => Some((k, b.to_string())),
            _ => None,
        })
        .collect()
}

/// `alias.directive`: one character, not a letter or digit.
fn directive(d: &str) -> Result<char> {
    let mut chars = d.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_alphanumeric() && !c.is_whitespace() => Ok(c),
        _ => Err(invalid(format!(
            "task file: alias directive '{d}' must be one character, not a letter or digit"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_file(path: &str) -> Result<String> {
        Err(invalid(format!("no alias source {path} in this test")))
    }

    fn aliases(block: &str, configured: &[(&str, &str)]) -> Aliases {
        let sources = AliasSources {
            configured: configured
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            load: &no_file,
        };
        Aliases::read(block, &sources).unwrap()
    }

    #[test]
    fn a_cmds_first_word_runs_the_image_its_alias_names() {
        let defaults = aliases("", &[]);
        assert_eq!(
            defaults.expand_command("  acr purge --ago 1d ").as_deref(),
            Some("mcr.microsoft.com/acr/acr-cli:0.19 purge --ago 1d")
        );
        assert_eq!(
            defaults.expand_command("bash").as_deref(),
            Some("mcr.microsoft.com/acr/bash:2ff604c")
        );
        // Only the whole first word, as acr-builder matches it.
        for cmd in ["acrx purge", "busybox acr", "--rm acr purge", "acr\tpurge"] {
            assert_eq!(defaults.expand_command(cmd), None, "{cmd}");
        }
    }

    #[test]
    fn the_config_overrides_acrs_defaults_and_the_file_overrides_both() {
        let mirrored = aliases("", &[("acr", "mirror.lan/acr/acr-cli:0.19")]);
        assert_eq!(
            mirrored.expand_command("acr purge").as_deref(),
            Some("mirror.lan/acr/acr-cli:0.19 purge")
        );
        let own = aliases(
            "alias:\n  values:\n    acr: own/acr:1\n",
            &[("acr", "mirror.lan/acr/acr-cli:0.19")],
        );
        assert_eq!(
            own.expand_command("acr purge").as_deref(),
            Some("own/acr:1 purge")
        );
        assert_eq!(
            own.substitute("$acr $curl"),
            "own/acr:1 mcr.microsoft.com/acr/curl:2ff604c"
        );
    }
}
