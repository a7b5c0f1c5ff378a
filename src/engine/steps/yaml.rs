//! Reading a task file's YAML, with an error that quotes the line it points at. The line is
//! masked whole before it is cut to fit a terminal: a secret cut in two is no longer found by
//! the mask, so the mask must see it first.
//!
//! acr-builder reads task files with go-yaml v2, which takes `when: [-]` (the ACR team's own
//! samples write it) as `["-"]`; YAML 1.2 parsers refuse a plain `-` in a flow sequence. So
//! before parsing, a bare `-` item of a one-line `when: [...]` is quoted, and nothing else:
//! lines stay where they are, so errors still name the file's line.

use serde::de::DeserializeOwned;

use crate::engine::log::SecretSet;
use crate::error::{Result, invalid};

/// Columns of the quoted line shown around the place an error points at.
const EXCERPT_WIDTH: usize = 80;

/// Parses `text`; an error quotes the line it points at, with `secrets` masked.
pub(super) fn parse<T: DeserializeOwned>(text: &str, secrets: &SecretSet) -> Result<T> {
    let text = quote_bare_dash_in_when(text);
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options(&text, options).map_err(|e| error(&e, &text, secrets))
}

/// `text` with each line's `when: [-]` (go-yaml's reading: `["-"]`) written `when: ["-"]`.
fn quote_bare_dash_in_when(text: &str) -> String {
    let lines: Vec<String> = text.split('\n').map(quote_when_line).collect();
    lines.join("\n")
}

/// One line: a `when:` key (of a step, `- when:` too) whose value is a one-line flow sequence
/// has its bare `-` items quoted; any other line is returned as it is.
fn quote_when_line(line: &str) -> String {
    let key = line.trim_start().trim_start_matches(['-', ' ']);
    let Some(value) = key.strip_prefix("when:") else {
        return line.to_string();
    };
    let value = value.trim_start();
    let Some((items, rest)) = value.strip_prefix('[').and_then(|v| v.split_once(']')) else {
        return line.to_string();
    };
    let quoted: Vec<String> = items
        .split(',')
        .map(|item| match item.trim() {
            "-" => item.replacen('-', "\"-\"", 1),
            _ => item.to_string(),
        })
        .collect();
    let head = &line[..line.len() - value.len()];
    format!("{head}[{}]{rest}", quoted.join(","))
}

fn error(e: &serde_saphyr::Error, text: &str, secrets: &SecretSet) -> anyhow::Error {
    let message = secrets.mask(&e.to_string());
    let quoted = e.location().and_then(|at| {
        let line_no = usize::try_from(at.line()).ok()?;
        let column = usize::try_from(at.column()).ok()?;
        let line = text.lines().nth(line_no.checked_sub(1)?)?;
        Some(excerpt(line_no, line, column, secrets))
    });
    match quoted {
        Some(quoted) => invalid(format!("task file: {message}\n{quoted}")),
        None => invalid(format!("task file: {message}")),
    }
}

/// `line` masked, then cut to [`EXCERPT_WIDTH`] columns around `column` (1-based, in the
/// unmasked line), with a caret under that place.
fn excerpt(line_no: usize, line: &str, column: usize, secrets: &SecretSet) -> String {
    let masked: Vec<char> = secrets.mask(line).chars().collect();
    // Where the column falls once what comes before it is masked.
    let before: String = line.chars().take(column.saturating_sub(1)).collect();
    let caret = secrets.mask(&before).chars().count().min(masked.len());
    let start = caret.saturating_sub(EXCERPT_WIDTH * 3 / 4);
    let end = (start + EXCERPT_WIDTH).min(masked.len());
    let mut shown: String = masked[start..end].iter().collect();
    let mut caret_at = caret - start;
    if start > 0 {
        shown.insert(0, '…');
        caret_at += 1;
    }
    if end < masked.len() {
        shown.push('…');
    }
    let gutter = line_no.to_string();
    format!(
        "{gutter} | {shown}\n{} | {}^",
        " ".repeat(gutter.len()),
        " ".repeat(caret_at)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_masked_before_the_line_is_cut() {
        let secret = "s3cr3t-".repeat(12);
        let text = format!("steps:\n  - cmd: \"{}{secret}\" : : x\n", "a".repeat(70));
        let err = parse::<serde::de::IgnoredAny>(&text, &SecretSet::of([secret.as_str()]))
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cr"), "{err}");
        assert!(!err.contains("cr3t-"), "{err}");
        assert!(err.contains("***"), "{err}");
        let quoted = err.lines().find(|l| l.starts_with("2 | ")).unwrap();
        assert!(quoted.chars().count() <= EXCERPT_WIDTH + 6, "{quoted}");
    }

    #[test]
    fn a_bare_dash_in_when_reads_as_go_yaml_reads_it() {
        #[derive(serde::Deserialize)]
        struct Step {
            when: Vec<String>,
        }
        let text = "- when: [-]\n- when: [ - ]  # start\n- when: [\"-\"]\n- when:\n    - \"-\"\n- when: [a, b]\n";
        let steps: Vec<Step> = parse(text, &SecretSet::default()).unwrap();
        let whens: Vec<Vec<String>> = steps.into_iter().map(|s| s.when).collect();
        assert_eq!(
            whens,
            [vec!["-"], vec!["-"], vec!["-"], vec!["-"], vec!["a", "b"]]
        );
    }

    #[test]
    fn an_error_after_a_quoted_dash_names_the_files_line() {
        let text = "steps:\n  - when: [-]\n    cmd: a: b\n";
        let err = parse::<serde::de::IgnoredAny>(text, &SecretSet::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("\n3 | "), "{err}");
    }

    #[test]
    fn the_caret_points_at_the_column() {
        let text = "a: b: c\n";
        let err = parse::<serde::de::IgnoredAny>(text, &SecretSet::default())
            .unwrap_err()
            .to_string();
        let lines: Vec<&str> = err.lines().collect();
        let quoted = lines.iter().position(|l| l.starts_with("1 | ")).unwrap();
        let caret = lines[quoted + 1].find('^').unwrap();
        assert_eq!(&lines[quoted][caret..caret + 1], ":", "{err}");
    }
}
