//! A task file's shape before any value is known: its templates must parse and call only
//! functions acrt has; then each action that prints stands in as a plain word and every
//! other (`if`, `else`, `end`, `range`, `$v := ...`, comments) as nothing, so that the YAML
//! around them can be checked. A block stands as its first branch: the text of its `{{else}}`
//! parts is left out (their lines kept blank), since two branches together may well not be
//! valid YAML (the same key twice).

use super::Failure;
use crate::error::Result;

/// `text` with its actions replaced as the module says, once its templates are sound.
pub fn yaml_stand_in(text: &str) -> Result<String> {
    super::check(text)?;
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    // For each open block, whether its `{{else}}` part has been reached.
    let mut blocks: Vec<bool> = Vec::new();
    for action in actions(text) {
        let action = action.map_err(|f| f.located(text))?;
        let skipped = blocks.iter().any(|in_else| *in_else);
        keep(&mut out, &text[copied..action.open], skipped);
        match keyword(action.body) {
            k if OPENERS.contains(&k) => blocks.push(false),
            "else" => {
                if let Some(in_else) = blocks.last_mut() {
                    *in_else = true;
                }
            }
            "end" => {
                blocks.pop();
            }
            _ if prints(action.body) && !skipped => out.push('1'),
            _ => {}
        }
        copied = action.close;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// `text` appended, or only its line breaks when it is `skipped` (so lines stay in place).
fn keep(out: &mut String, text: &str, skipped: bool) {
    if skipped {
        out.extend(text.chars().filter(|c| *c == '\n'));
    } else {
        out.push_str(text);
    }
}

const OPENERS: &[&str] = &["if", "range", "with", "define", "block"];

/// One `{{ ... }}` of a text.
struct Action<'a> {
    /// Where its `{{` starts and where its `}}` ends, in bytes.
    open: usize,
    close: usize,
    body: &'a str,
    line: usize,
}

/// The actions of `text`, in order; an action never closed ends it with an error.
fn actions(text: &str) -> impl Iterator<Item = std::result::Result<Action<'_>, Failure>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let open = from + text.get(from..)?.find("{{")?;
        let line = 1 + text[..open].matches('\n').count();
        let inner = &text[open + 2..];
        let Some(len) = action_len(inner) else {
            from = text.len();
            return Some(Err(Failure {
                line,
                message: "a '{{' is never closed: close it with '}}'".to_string(),
            }));
        };
        from = open + 2 + len + 2;
        Some(Ok(Action {
            open,
            close: from,
            body: &inner[..len],
            line,
        }))
    })
}

/// Every `{{if}}`, `{{range}}`, `{{with}}`, `{{define}}` and `{{block}}` closed by an
/// `{{end}}`, and no `{{else}}` or `{{end}}` outside one. (Go refuses such a file; the
/// engine would take a block left open as closed at the end, and stop at a stray `{{end}}`.)
pub(super) fn check_blocks(text: &str) -> std::result::Result<(), Failure> {
    let mut open: Vec<(&str, usize)> = Vec::new();
    for action in actions(text) {
        let action = action?;
        let keyword = keyword(action.body);
        if OPENERS.contains(&keyword) {
            open.push((keyword, action.line));
        } else if keyword == "end" && open.pop().is_none() {
            return Err(Failure::at(action.line, "{{end}} closes nothing"));
        } else if keyword == "else" && open.is_empty() {
            return Err(Failure::at(
                action.line,
                "{{else}} outside an {{if}}, {{range}} or {{with}}",
            ));
        }
    }
    match open.pop() {
        Some((keyword, line)) => Err(Failure::at(
            line,
            format!("this {{{{{keyword}}}}} is never closed: close it with {{{{end}}}}"),
        )),
        None => Ok(()),
    }
}

/// The action's first word (`if`, `end`...), or "" when it starts otherwise.
fn keyword(action: &str) -> &str {
    let body = trimmed(action);
    let len = body
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    &body[..len]
}

/// The length of the action `text` starts with, up to its closing `}}` (which is not in
/// a string, a raw string, a character or a comment).
fn action_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i),
            quote @ (b'"' | b'\'') => i = closing(bytes, i + 1, quote, true)?,
            b'`' => i = closing(bytes, i + 1, b'`', false)?,
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map(|end| i + 2 + end + 1)?;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the `quote` that closes a literal opened before `from`.
fn closing(bytes: &[u8], mut from: usize, quote: u8, escapes: bool) -> Option<usize> {
    while from < bytes.len() {
        match bytes[from] {
            b'\\' if escapes => from += 1,
            b if b == quote => return Some(from),
            _ => {}
        }
        from += 1;
    }
    None
}

/// Whether an action (the text between its delimiters) prints something.
fn prints(action: &str) -> bool {
    const CONTROL: &[&str] = &[
        "if", "else", "end", "range", "with", "define", "block", "template", "break", "continue",
    ];
    let body = trimmed(action);
    if body.starts_with("/*") || body.is_empty() {
        return false;
    }
    if CONTROL.contains(&keyword(body)) {
        return false;
    }
    !declares(body)
}

/// The action without its trim markers (`{{- ` and ` -}}`) and surrounding spaces.
fn trimmed(action: &str) -> &str {
    let mut body = action;
    if let Some(rest) = body.strip_prefix('-')
        && rest.starts_with(char::is_whitespace)
    {
        body = rest;
    }
    if let Some(rest) = body.strip_suffix('-')
        && rest.ends_with(char::is_whitespace)
    {
        body = rest;
    }
    body.trim()
}

/// `$v := ...`, `$v = ...`: a declaration or assignment, which prints nothing.
fn declares(body: &str) -> bool {
    let Some(rest) = body.strip_prefix('$') else {
        return false;
    };
    let after = rest
        .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
        .trim_start();
    after.starts_with(":=") || (after.starts_with('=') && !after.starts_with("=="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_actions_stand_in_as_a_word_and_the_rest_as_nothing() {
        let text = "steps:\n{{ $v := \"3.23\" }}\n{{- if .Values.x }}\n  - cmd: a:{{ $v }}\n{{ else }}\n  - cmd: b:{{ \"}}\" | quote }}\n{{ end }}\n{{/* done */}}\n";
        assert_eq!(
            yaml_stand_in(text).unwrap(),
            "steps:\n\n\n  - cmd: a:1\n\n\n\n\n"
        );
    }

    #[test]
    fn a_bad_template_is_refused_with_its_line() {
        let err = yaml_stand_in("a: 1\nb: {{ .Values.x | nope }}\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("nope"), "{err}");
        assert!(!err.contains("a: 1"), "{err}");
        for (text, line) in [
            ("a: 1\nb: {{ if .X }}\n", 2),
            ("a: {{ end }}\nb\n", 1),
            ("a\n\nb: {{ else }}", 3),
            ("a: {{ .X\n", 1),
        ] {
            let err = yaml_stand_in(text).unwrap_err().to_string();
            assert!(err.contains(&format!("line {line}:")), "{text}: {err}");
        }
    }
}
