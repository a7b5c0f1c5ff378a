//! Reading a task file's YAML, with an error that quotes the line it points at. The line is
//! masked whole before it is cut to fit a terminal: a secret cut in two is no longer found by
//! the mask, so the mask must see it first.

use serde::de::DeserializeOwned;

use crate::engine::log::SecretSet;
use crate::error::{Result, invalid};

/// Columns of the quoted line shown around the place an error points at.
const EXCERPT_WIDTH: usize = 80;

/// Parses `text`; an error quotes the line it points at, with `secrets` masked.
pub(super) fn parse<T: DeserializeOwned>(text: &str, secrets: &SecretSet) -> Result<T> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| error(&e, text, secrets))
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
