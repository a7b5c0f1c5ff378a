//! Where a build context comes from, decided from the text of `--context` or SOURCE_LOCATION.

use serde::{Deserialize, Serialize};

/// The null context: no source at all.
pub const NULL_CONTEXT: &str = "/dev/null";

const TARBALL_SUFFIXES: &[&str] = &[".tar", ".tar.gz", ".tgz"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContextLocation {
    None,
    Local(String),
    /// A git repository: URL, optional branch (`#branch`), optional folder (`#branch:folder`).
    Git {
        url: String,
        branch: Option<String>,
        folder: Option<String>,
    },
    Tarball(String),
    Oci(String),
}

impl ContextLocation {
    /// A context as tasks and runs store it: None is no context.
    pub fn of_stored(text: Option<&str>) -> ContextLocation {
        text.map(ContextLocation::parse)
            .unwrap_or(ContextLocation::None)
    }

    pub fn parse(text: &str) -> ContextLocation {
        let t = text.trim();
        if t.eq_ignore_ascii_case(NULL_CONTEXT) {
            return ContextLocation::None;
        }
        if let Some(rest) = t.strip_prefix("oci://") {
            return ContextLocation::Oci(rest.to_string());
        }
        let lower = t.to_ascii_lowercase();
        let is_http = lower.starts_with("http://") || lower.starts_with("https://");
        let url_part = lower.split('#').next().unwrap_or_default();
        if is_http && TARBALL_SUFFIXES.iter().any(|s| url_part.ends_with(s)) {
            return ContextLocation::Tarball(t.to_string());
        }
        let is_git = is_http
            || lower.starts_with("git@")
            || lower.starts_with("git://")
            || lower.starts_with("ssh://")
            || lower.starts_with("file://");
        if is_git {
            let (url, fragment) = match t.split_once('#') {
                Some((u, f)) => (u.to_string(), Some(f)),
                None => (t.to_string(), None),
            };
            let (branch, folder) = match fragment {
                Some(f) => match f.split_once(':') {
                    Some((b, d)) => (non_empty(b), non_empty(d)),
                    None => (non_empty(f), None),
                },
                None => (None, None),
            };
            return ContextLocation::Git {
                url,
                branch,
                folder,
            };
        }
        ContextLocation::Local(t.to_string())
    }

    /// Refuses what git would take for an option, or what is no reference name at all: a
    /// branch or URL starting with '-', a branch with spaces, control characters or '..'.
    pub fn validate(&self) -> crate::error::Result<()> {
        if let ContextLocation::Git { url, branch, .. } = self {
            if url.starts_with('-') {
                return Err(crate::error::invalid(format!(
                    "invalid git URL '{url}': it starts with '-'"
                )));
            }
            if let Some(b) = branch
                && (b.starts_with('-')
                    || b.contains("..")
                    || b.chars()
                        .any(|c| c.is_whitespace() || c.is_control() || "~^?*[\\".contains(c)))
            {
                return Err(crate::error::invalid(format!(
                    "invalid git branch '{b}' in the context: a branch name does not start with '-' \
                     and has no spaces, '..', '~', '^', '?', '*', '[' or '\\' (git check-ref-format)"
                )));
            }
        }
        Ok(())
    }

    /// A git context's text with `branch` as its branch (`URL#branch[:folder]`), as az's
    /// `--branch` names it beside a URL; None when this is no git context. A URL that names
    /// another branch is an error.
    pub fn git_text_on_branch(&self, branch: &str) -> crate::error::Result<Option<String>> {
        let ContextLocation::Git {
            url,
            branch: named,
            folder,
        } = self
        else {
            return Ok(None);
        };
        if let Some(named) = named.as_deref().filter(|named| *named != branch) {
            return Err(crate::error::invalid(format!(
                "--branch {branch} and the context's #{named} name two branches; give one"
            )));
        }
        let folder = folder
            .as_deref()
            .map(|f| format!(":{f}"))
            .unwrap_or_default();
        let text = format!("{url}#{branch}{folder}");
        ContextLocation::parse(&text).validate()?;
        Ok(Some(text))
    }

    pub fn is_git(&self) -> bool {
        matches!(self, ContextLocation::Git { .. })
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// az's sourceControlType for a repository URL.
pub fn source_control_type(url: &str) -> &'static str {
    // az's rule: GitHub by its host name, and every other repository is Azure DevOps's.
    if url.to_ascii_uppercase().contains("GITHUB.COM") {
        "Github"
    } else {
        "VisualStudioTeamService"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_branch_joins_a_git_context() {
        let on = |text: &str, b: &str| ContextLocation::parse(text).git_text_on_branch(b);
        let url = "https://example.com/r.git";
        assert_eq!(on(url, "dev").unwrap().unwrap(), format!("{url}#dev"));
        assert_eq!(
            on(&format!("{url}#:sub"), "dev").unwrap().unwrap(),
            format!("{url}#dev:sub")
        );
        assert_eq!(
            on(&format!("{url}#dev"), "dev").unwrap().unwrap(),
            format!("{url}#dev")
        );
        assert!(on(&format!("{url}#main"), "dev").is_err());
        assert!(on(url, "-x").is_err());
        assert_eq!(on("/tmp", "dev").unwrap(), None);
    }

    #[test]
    fn classifies_contexts() {
        assert_eq!(ContextLocation::parse("/dev/null"), ContextLocation::None);
        assert_eq!(
            ContextLocation::parse("."),
            ContextLocation::Local(".".into())
        );
        assert_eq!(
            ContextLocation::parse("https://example.com/src.tar.gz"),
            ContextLocation::Tarball("https://example.com/src.tar.gz".into())
        );
        assert_eq!(
            ContextLocation::parse("https://github.com/a/b.git#main:app"),
            ContextLocation::Git {
                url: "https://github.com/a/b.git".into(),
                branch: Some("main".into()),
                folder: Some("app".into())
            }
        );
        assert_eq!(
            ContextLocation::parse("file:///tmp/repo#:sub"),
            ContextLocation::Git {
                url: "file:///tmp/repo".into(),
                branch: None,
                folder: Some("sub".into())
            }
        );
        assert_eq!(
            ContextLocation::parse("oci://reg/x:1"),
            ContextLocation::Oci("reg/x:1".into())
        );
    }
}
