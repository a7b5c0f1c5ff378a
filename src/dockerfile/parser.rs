//! The Dockerfile grammar as BuildKit reads it: parser directives (`# syntax=`, `# escape=`,
//! any case, leading blanks, only before anything else), instructions with line
//! continuations (comments and blank lines inside them skipped), here-documents (`<<EOF`,
//! `<<-EOF`, quoted delimiters, several on one line) whose bodies are not instructions, and
//! the `--flag` words at the start of an instruction (quotes and escapes removed).
//!
//! Only what the base-image scan needs is kept: each instruction's keyword, its flags with
//! where their values are in the file, and the rest of its line.

use std::ops::Range;

/// Instructions BuildKit knows; any other word at the start of an instruction is an error.
const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Instructions whose line may open here-documents.
const HEREDOC_INSTRUCTIONS: &[&str] = &["ADD", "COPY", "RUN"];

#[derive(Debug)]
pub struct Dockerfile {
    pub escape: char,
    pub instructions: Vec<Instruction>,
}

#[derive(Debug)]
pub struct Instruction {
    /// Upper case.
    pub keyword: String,
    /// The 1-based line it starts on.
    pub line: usize,
    pub flags: Vec<Flag>,
    /// The line after the keyword and the flags (continuations joined).
    pub rest: Text,
}

/// A `--name[=value]` word. `value_span` is where the value's text is in the file, when it
/// is in one piece there (not cut by a line continuation).
#[derive(Debug)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub value_span: Option<Range<usize>>,
}

/// Text joined from one or more physical lines, with each byte's offset in the file.
#[derive(Debug, Default)]
pub struct Text {
    pub text: String,
    offsets: Vec<usize>,
}

impl Text {
    fn push_line(&mut self, line: &str, at: usize) {
        self.text.push_str(line);
        self.offsets.extend(at..at + line.len());
    }

    /// Where `range` of this text is in the file, if it is one piece there.
    pub fn span(&self, range: Range<usize>) -> Option<Range<usize>> {
        if range.is_empty() {
            return None;
        }
        let start = *self.offsets.get(range.start)?;
        let last = *self.offsets.get(range.end - 1)?;
        (last + 1 - start == range.len()).then_some(start..last + 1)
    }

    /// The words of the text split at whitespace (no quote handling, as BuildKit splits
    /// FROM), with their ranges in the text.
    pub fn plain_words(&self) -> Vec<(String, Range<usize>)> {
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in self
            .text
            .char_indices()
            .chain(std::iter::once((self.text.len(), ' ')))
        {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    words.push((self.text[s..i].to_string(), s..i));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        words
    }
}

/// One physical line: its text without the line end, and where it starts in the file.
struct Line<'a> {
    text: &'a str,
    at: usize,
    number: usize,
}

fn physical_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut at = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        let body = body.strip_suffix('\r').unwrap_or(body);
        lines.push(Line {
            text: body,
            at,
            number: index + 1,
        });
        at += raw.len();
    }
    lines
}

/// Parses a Dockerfile (any UTF-8 byte order mark already removed).
pub fn parse(text: &str) -> Result<Dockerfile, String> {
    let lines = physical_lines(text);
    let (escape, first) = directives(&lines)?;
    let mut instructions = Vec::new();
    let mut i = first;
    while i < lines.len() {
        let trimmed = lines[i].text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start_line = lines[i].number;
        let mut logical = Text::default();
        i = join_continuations(&lines, i, escape, &mut logical);
        let instruction = instruction(logical, start_line, escape)?;
        if HEREDOC_INSTRUCTIONS.contains(&instruction.keyword.as_str()) {
            for (delimiter, strip_tabs) in heredocs(&instruction.rest.text) {
                i = skip_heredoc(&lines, i, &delimiter, strip_tabs, start_line)?;
            }
        }
        instructions.push(instruction);
    }
    Ok(Dockerfile {
        escape,
        instructions,
    })
}

/// The parser directives at the top; the escape character and the first line after them.
fn directives(lines: &[Line<'_>]) -> Result<(char, usize), String> {
    let mut escape = None;
    let mut seen = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((name, value)) = directive(line.text) else {
            return Ok((escape.unwrap_or('\\'), i));
        };
        if !["syntax", "escape", "check"].contains(&name.as_str()) {
            // An unknown directive is a comment, and ends the directives.
            return Ok((escape.unwrap_or('\\'), i));
        }
        if seen.contains(&name) {
            return Err(format!(
                "Dockerfile line {}: only one {name} parser directive can be used",
                line.number
            ));
        }
        if name == "escape" {
            escape = Some(match value.as_str() {
                "\\" => '\\',
                "`" => '`',
                other => {
                    return Err(format!(
                        "Dockerfile line {}: invalid escape token '{other}' does not match ` or \\",
                        line.number
                    ));
                }
            });
        }
        seen.push(name);
    }
    Ok((escape.unwrap_or('\\'), lines.len()))
}

/// `# name = value` (name in any case, blanks anywhere around).
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().strip_prefix('#')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim();
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric());
    let value = value.trim();
    (valid && !value.is_empty()).then(|| (name.to_ascii_lowercase(), value.to_string()))
}

/// Joins line `i` and its continuations into `out`; the index of the line after them.
fn join_continuations(lines: &[Line<'_>], mut i: usize, escape: char, out: &mut Text) -> usize {
    loop {
        let line = &lines[i];
        i += 1;
        let kept = line.text.trim_end_matches([' ', '\t']);
        match kept.strip_suffix(escape) {
            Some(body) => {
                out.push_line(body, line.at);
                // Comments and blank lines inside a continuation are skipped.
                while i < lines.len() {
                    let next = lines[i].text.trim_start();
                    if next.is_empty() || next.starts_with('#') {
                        i += 1;
                    } else {
                        break;
                    }
                }
                if i >= lines.len() {
                    return i;
                }
            }
            None => {
                out.push_line(line.text, line.at);
                return i;
            }
        }
    }
}

fn instruction(logical: Text, line: usize, escape: char) -> Result<Instruction, String> {
    let text = &logical.text;
    let start = text.len() - text.trim_start().len();
    let end = text[start..]
        .find(char::is_whitespace)
        .map_or(text.len(), |e| start + e);
    let keyword = text[start..end].to_ascii_uppercase();
    if !INSTRUCTIONS.contains(&keyword.as_str()) {
        return Err(format!(
            "Dockerfile line {line}: unknown instruction: {}",
            &text[start..end]
        ));
    }
    let (flags, rest_start) = flags(&logical, end, escape);
    let args = logical.text[rest_start..].trim();
    let heredoc = HEREDOC_INSTRUCTIONS.contains(&keyword.as_str()) && args.contains("<<");
    let required = match keyword.as_str() {
        "COPY" | "ADD" if !heredoc => 2,
        "FROM" | "ARG" | "RUN" | "WORKDIR" | "USER" | "ENV" | "LABEL" | "EXPOSE" | "VOLUME"
        | "STOPSIGNAL" | "MAINTAINER" | "ONBUILD" | "SHELL" | "COPY" | "ADD" => 1,
        _ => 0,
    };
    // The JSON form (`COPY ["a b", "c"]`) is not counted by words.
    let given = if args.starts_with('[') {
        required
    } else {
        args.split_whitespace().count()
    };
    if given < required {
        let what = if required == 1 {
            "one argument"
        } else {
            "two arguments"
        };
        return Err(format!(
            "Dockerfile line {line}: {keyword} requires at least {what}"
        ));
    }
    let mut rest = Text::default();
    let body = &logical.text[rest_start..];
    let trimmed = body.trim_end();
    rest.text = trimmed.to_string();
    rest.offsets = logical.offsets[rest_start..rest_start + trimmed.len()].to_vec();
    Ok(Instruction {
        keyword,
        line,
        flags,
        rest,
    })
}

/// The `--flag` words after position `from` (quotes and escapes removed), and where the rest
/// of the line starts. A word that does not start with `--` ends the flags; so does `--`.
fn flags(logical: &Text, from: usize, escape: char) -> (Vec<Flag>, usize) {
    let text = &logical.text;
    let mut out = Vec::new();
    let mut pos = from;
    loop {
        let word_start = pos + text[pos..].len() - text[pos..].trim_start().len();
        if !text[word_start..].starts_with("--") {
            return (out, word_start);
        }
        let (word, word_end, equals) = flag_word(text, word_start, escape);
        if word == "--" {
            return (out, word_end);
        }
        let (name, value) = match word[2..].split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (word[2..].to_string(), None),
        };
        let value_span = equals.and_then(|eq| logical.span(eq + 1..word_end));
        out.push(Flag {
            name,
            value,
            value_span,
        });
        pos = word_end;
    }
}

/// One flag word from `start`: its text with quotes and escapes removed, where it ends, and
/// where its first `=` is in the text.
fn flag_word(text: &str, start: usize, escape: char) -> (String, usize, Option<usize>) {
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut equals = None;
    let mut chars = text[start..].char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let at = start + offset;
        match quote {
            None if c.is_whitespace() => return (word, at, equals),
            None if c == '\'' || c == '"' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ if c == escape => {
                if let Some((_, next)) = chars.next() {
                    word.push(next);
                }
            }
            _ => {
                if c == '=' && equals.is_none() && quote.is_none() {
                    equals = Some(at);
                }
                word.push(c);
            }
        }
    }
    (word, text.len(), equals)
}

/// The here-documents a line opens, in order: (delimiter, strip leading tabs).
fn heredocs(line: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = line[pos..].find("<<") {
        let mut j = pos + found + 2;
        let strip = line[j..].starts_with('-');
        if strip {
            j += 1;
        }
        j += line[j..].len() - line[j..].trim_start_matches([' ', '\t']).len();
        let delimiter = match line[j..].chars().next() {
            Some(q @ ('"' | '\'')) => match line[j + 1..].find(q) {
                Some(end) => {
                    let d = line[j + 1..j + 1 + end].to_string();
                    j += end + 2;
                    d
                }
                None => String::new(),
            },
            _ => {
                let end = line[j..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(line.len() - j);
                let d = line[j..j + end].to_string();
                j += end;
                d
            }
        };
        if !delimiter.is_empty() {
            out.push((delimiter, strip));
        }
        pos = j;
    }
    out
}

/// Skips a here-document's body from line `i`; the index of the line after its delimiter.
fn skip_heredoc(
    lines: &[Line<'_>],
    mut i: usize,
    delimiter: &str,
    strip_tabs: bool,
    opened_at: usize,
) -> Result<usize, String> {
    while i < lines.len() {
        let text = lines[i].text;
        let text = if strip_tabs {
            text.trim_start_matches('\t')
        } else {
            text
        };
        i += 1;
        if text == delimiter {
            return Ok(i);
        }
    }
    Err(format!(
        "Dockerfile line {opened_at}: the here-document '{delimiter}' is never closed; end it with a line that is just {delimiter}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(text: &str) -> Vec<String> {
        parse(text)
            .unwrap()
            .instructions
            .into_iter()
            .map(|i| format!("{} {}", i.keyword, i.rest.text))
            .collect()
    }

    #[test]
    fn directives_only_at_the_top_in_any_case() {
        let d = parse("  # ESCAPE = `\n#syntax=docker/dockerfile:1\nFROM a`\n:1\n").unwrap();
        assert_eq!(d.escape, '`');
        assert_eq!(d.instructions[0].rest.text, "a:1");
        let d = parse("# comment\n# escape=`\nFROM a\n").unwrap();
        assert_eq!(d.escape, '\\');
        assert!(
            parse("# escape=x\nFROM a\n")
                .unwrap_err()
                .contains("invalid escape")
        );
        assert!(
            parse("# escape=`\n# escape=`\nFROM a\n")
                .unwrap_err()
                .contains("only one")
        );
    }

    #[test]
    fn continuations_skip_comments_and_blank_lines() {
        assert_eq!(
            keywords("FROM a:1 \\\n# inside\n\n   AS b\r\nrun x\n"),
            ["FROM a:1    AS b", "RUN x"]
        );
    }

    #[test]
    fn heredoc_bodies_are_not_instructions() {
        let text = "FROM a:1\nRUN cat <<-\"EOT\" <<ONE > x\n\tFROM x\n\tEOT\nFROM y\nONE\nCOPY <<EOF /f\nFROM z\nEOF\nFROM d:1\n";
        let k = keywords(text);
        assert_eq!(k.len(), 4, "{k:?}");
        assert_eq!(k[3], "FROM d:1");
        assert!(
            parse("FROM a\nRUN <<EOF\nnever closed\n")
                .unwrap_err()
                .contains("never closed")
        );
    }

    #[test]
    fn flags_lose_their_quotes_and_keep_their_place() {
        let text = "FROM a\nRUN --mount=type=bind,\"from=img:3\" --network=none true\n";
        let d = parse(text).unwrap();
        let run = &d.instructions[1];
        assert_eq!(run.flags[0].name, "mount");
        assert_eq!(run.flags[0].value.as_deref(), Some("type=bind,from=img:3"));
        let span = run.flags[0].value_span.clone().unwrap();
        assert_eq!(&text[span], "type=bind,\"from=img:3\"");
        assert_eq!(run.rest.text, "true");
        assert!(
            parse("FROBNICATE x\n")
                .unwrap_err()
                .contains("unknown instruction: FROBNICATE")
        );
    }
}
