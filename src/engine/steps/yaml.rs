//! Reading a task file's YAML, with an error that quotes the line it points at. The line is
//! masked whole before it is cut to fit a terminal: a secret cut in two is no longer found by
//! the mask, so the mask must see it first.
//!
//! acr-builder reads task files with go-yaml v2, which takes `when: [-]` (the ACR team's own
//! samples write it) as `["-"]`; YAML 1.2 parsers refuse a plain `-` in a flow sequence. So
//! before parsing, a bare `-` item of a `when: [...]` (on one line or across several) is
//! quoted, and nothing else: lines stay where they are, so errors still name the file's line.
//! go-yaml v2's other readings are serde-saphyr's too: YAML 1.1 booleans (`yes`, `on`, `y`,
//! `off`...) for boolean fields, a trailing comma in a flow collection; and both refuse a
//! duplicate key and a tab in indentation.

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

/// `text` with each bare `-` item of a `when:` flow sequence (go-yaml's reading: `"-"`)
/// quoted, on one line or across several; nothing else changes, and no line is added or
/// removed.
fn quote_bare_dash_in_when(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(open) = when_sequence_start(rest) {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let read = quote_dash_items(rest, &mut out);
        rest = &rest[read..];
    }
    out.push_str(rest);
    out
}

/// Where the `[` is that opens the value of the next `when:` key written at a line's start
/// (after its indentation, and the `- ` of a step).
fn when_sequence_start(text: &str) -> Option<usize> {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let key = line.trim_start().trim_start_matches(['-', ' ']);
        if let Some(value) = key.strip_prefix("when:") {
            let value = value.trim_start_matches([' ', '\t']);
            if value.starts_with('[') {
                return Some(line_start + line.len() - value.len());
            }
        }
        line_start += line.len();
    }
    None
}

/// Copies a flow sequence's items (`text` starts after its `[`) to `out` through its `]`,
/// each bare `-` quoted; returns how much of `text` it read. Quoted items, comments and
/// nested collections are copied as they are.
fn quote_dash_items(text: &str, out: &mut String) -> usize {
    let bytes = text.as_bytes();
    let (mut item_start, mut depth, mut i) = (0, 0usize, 0);
    while i < bytes.len() {
        let after_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b',');
        match bytes[i] {
            b'"' | b'\'' if after_space => i = after_quoted(text, i),
            b'#' if after_space => i = text[i..].find('\n').map_or(text.len(), |n| i + n),
            b'[' | b'{' => (depth, i) = (depth + 1, i + 1),
            b']' | b'}' if depth > 0 => (depth, i) = (depth - 1, i + 1),
            b',' | b']' => {
                push_item(&text[item_start..i], out);
                out.push(char::from(bytes[i]));
                i += 1;
                if bytes[i - 1] == b']' {
                    return i;
                }
                item_start = i;
            }
            _ => i += 1,
        }
    }
    // Never closed: the parser names that.
    out.push_str(&text[item_start..]);
    text.len()
}

/// Where a quoted scalar starting at `open` ends (after its closing quote).
fn after_quoted(text: &str, open: usize) -> usize {
    let quote = text.as_bytes()[open];
    let mut i = open + 1;
    while let Some(&b) = text.as_bytes().get(i) {
        match b {
            b'\\' if quote == b'"' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
}

/// One item of a flow sequence, copied to `out`: a bare `-` (its only word outside comments)
/// quoted.
fn push_item(item: &str, out: &mut String) {
    let code = |line: &str| -> String {
        let cut = line
            .char_indices()
            .find(|&(at, c)| c == '#' && (at == 0 || line[..at].ends_with([' ', '\t'])))
            .map_or(line.len(), |(at, _)| at);
        line[..cut].trim().to_string()
    };
    let lines: Vec<&str> = item.split_inclusive('\n').collect();
    let words: Vec<String> = lines
        .iter()
        .map(|l| code(l))
        .filter(|c| !c.is_empty())
        .collect();
    if words != ["-"] {
        out.push_str(item);
        return;
    }
    for line in lines {
        if code(line) == "-" {
            out.push_str(&line.replacen('-', "\"-\"", 1));
        } else {
            out.push_str(line);
        }
    }
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

    /// Each step's `when`, as `parse` reads the steps in `text`.
    fn whens(text: &str) -> Vec<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Step {
            when: Vec<String>,
        }
        let steps: Vec<Step> = parse(text, &SecretSet::default()).unwrap();
        steps.into_iter().map(|s| s.when).collect()
    }

    #[test]
    fn a_bare_dash_in_when_reads_as_go_yaml_reads_it() {
        let text = "- when: [-]\n- when: [ - ]  # start\n- when: [\"-\"]\n- when:\n    - \"-\"\n- when: [a, b]\n";
        assert_eq!(
            whens(text),
            [vec!["-"], vec!["-"], vec!["-"], vec!["-"], vec!["a", "b"]]
        );
    }

    #[test]
    fn a_bare_dash_across_lines_or_beside_a_comma_reads_as_go_yaml_reads_it() {
        let text = "- when: [\n    -\n  ]\n- when: [ # none before\n    - , # start\n  ]\n- when: ['-']\n- when: [-,]\n- when: [\n    \"a\",\n    'b, c', # x-y\n    d,\n  ]\n";
        assert_eq!(
            whens(text),
            [
                vec!["-"],
                vec!["-"],
                vec!["-"],
                vec!["-"],
                vec!["a", "b, c", "d"]
            ]
        );
        // A dash that is part of a word, or in a command, is left alone.
        let text = "- when: [a-b, -c]\n  cmd: \"echo when: [-]\"\n";
        let steps: Vec<serde_json::Value> = parse(text, &SecretSet::default()).unwrap();
        assert_eq!(steps[0]["when"], serde_json::json!(["a-b", "-c"]));
        assert_eq!(steps[0]["cmd"], "echo when: [-]");
    }

    #[test]
    fn an_error_after_a_multi_line_when_names_the_files_line() {
        let text = "steps:\n  - when: [\n      -\n    ]\n    cmd: a: b\n";
        let err = parse::<serde::de::IgnoredAny>(text, &SecretSet::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("\n5 | "), "{err}");
        let unclosed = "steps:\n  - when: [-,\n";
        assert!(parse::<serde::de::IgnoredAny>(unclosed, &SecretSet::default()).is_err());
    }

    #[test]
    fn yaml_1_1_booleans_read_as_go_yaml_reads_them() {
        #[derive(serde::Deserialize)]
        struct Step {
            flag: bool,
        }
        for (word, value) in [
            ("yes", true),
            ("Yes", true),
            ("on", true),
            ("y", true),
            ("no", false),
            ("off", false),
            ("N", false),
        ] {
            let steps: Vec<Step> =
                parse(&format!("- flag: {word}\n"), &SecretSet::default()).unwrap();
            assert_eq!(steps[0].flag, value, "{word}");
        }
    }

    #[test]
    fn a_duplicate_key_or_a_tab_indent_is_refused_as_go_yaml_refuses_it() {
        let err = parse::<serde::de::IgnoredAny>(
            "steps:\n  - cmd: a\n    cmd: b\n",
            &SecretSet::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("duplicate") && err.contains("\n3 | "), "{err}");
        let err = parse::<serde::de::IgnoredAny>("steps:\n\t- cmd: a\n", &SecretSet::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("tab") && err.contains("\n2 | "), "{err}");
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
