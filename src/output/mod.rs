//! Printing results: json, jsonc, yaml, yamlc, table, tsv, none, after an optional `--query`.
//! Commands hand over serde values; only this module writes them to stdout.

mod color;
mod query;
mod table;
mod tsv;
pub mod views;

use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

pub use query::Query;
pub use table::{TableView, items};

use crate::error::{Result, invalid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "lower")]
pub enum Format {
    Json,
    Jsonc,
    Yaml,
    Yamlc,
    Table,
    Tsv,
    None,
}

impl Format {
    /// jsonc and yamlc are plain json and yaml when stdout is not a terminal or NO_COLOR is
    /// set (as az, and every tool that follows no-color.org).
    fn for_stdout(self) -> Format {
        use std::io::IsTerminal as _;
        let colour =
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal();
        match self {
            Format::Jsonc if !colour => Format::Json,
            Format::Yamlc if !colour => Format::Yaml,
            other => other,
        }
    }

    pub fn parse(text: &str) -> Result<Format> {
        <Format as clap::ValueEnum>::from_str(text, true).map_err(|_| {
            invalid(format!(
                "unknown output format '{text}'; use one of json, jsonc, yaml, yamlc, table, tsv, none"
            ))
        })
    }
}

/// What a command produced: nothing (delete, cancel), or a value with its table layout.
pub enum CommandOutput {
    Nothing,
    /// Text printed as it is, whatever the output format (a completion script).
    Text(String),
    Value {
        value: Value,
        table: Option<TableView>,
    },
    /// A list printed as its items are produced (json, tsv and table rows without holding
    /// the items; other formats and `--query` collect them first).
    Stream {
        items: ItemSource,
        table: Option<TableView>,
    },
    /// A result to print, and then the command fails (a run that was shown and did not
    /// succeed): printed like any other output, then the error decides the exit code.
    ThenFail {
        output: Box<CommandOutput>,
        error: anyhow::Error,
    },
}

/// Produces a list's items one at a time, handing each to the printer.
pub type ItemSource = Box<dyn FnOnce(&mut dyn FnMut(Value) -> Result<()>) -> Result<()>>;

impl CommandOutput {
    pub fn value(value: impl Serialize) -> Result<CommandOutput> {
        Ok(CommandOutput::Value {
            value: serde_json::to_value(value)?,
            table: None,
        })
    }

    pub fn with_table(value: impl Serialize, table: TableView) -> Result<CommandOutput> {
        Ok(CommandOutput::Value {
            value: serde_json::to_value(value)?,
            table: Some(table),
        })
    }
}

pub struct OutputOptions {
    pub format: Format,
    pub query: Option<Query>,
}

/// Applies the query and prints the result in the chosen format.
pub fn print(output: CommandOutput, options: &OutputOptions) -> Result<()> {
    let (value, table) = match output {
        CommandOutput::Nothing => return Ok(()),
        CommandOutput::Text(text) => return write_stdout(&text),
        CommandOutput::Value { value, table } => (value, table),
        CommandOutput::Stream { items, table } => return print_stream(items, table, options),
        CommandOutput::ThenFail { output, error } => {
            print(*output, options)?;
            return Err(error);
        }
    };
    // With --query the shape is the user's, so the command's table layout no longer applies.
    let (value, table) = match &options.query {
        Some(q) => (q.apply(value)?, None),
        None => (value, table),
    };
    let text = render(&value, options.format.for_stdout(), table.as_ref())?;
    // The process ends right after printing; skip freeing what may be thousands of tasks.
    std::mem::forget(value);
    write_stdout(&text)
}

/// Prints a list as its items come: json elements, tsv lines and table rows (laid out once
/// all rows are known, since columns are as wide as their widest cell).
fn print_stream(
    items: ItemSource,
    table: Option<TableView>,
    options: &OutputOptions,
) -> Result<()> {
    // An automatic table takes its columns from every item, so it needs them all first.
    let streamed = options.query.is_none()
        && match options.format {
            Format::Json | Format::Tsv | Format::None => true,
            Format::Table => table.is_some(),
            _ => false,
        };
    if !streamed {
        let mut all = Vec::new();
        items(&mut |item| {
            all.push(item);
            Ok(())
        })?;
        let value = Value::Array(all);
        return print(CommandOutput::Value { value, table }, options);
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let result = match (options.format, table) {
        (Format::Json, _) => {
            let mut count = 0usize;
            items(&mut |item| {
                out.write_all(if count == 0 { b"[\n" } else { b",\n" })?;
                count += 1;
                let text = serde_json::to_string_pretty(&item)?;
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        out.write_all(b"\n")?;
                    }
                    out.write_all(b"  ")?;
                    out.write_all(line.as_bytes())?;
                }
                Ok(())
            })
            .and_then(|()| Ok(out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })?))
        }
        (Format::Tsv, _) => items(&mut |item| Ok(out.write_all(tsv::render(&item).as_bytes())?)),
        (Format::Table, Some(view)) => {
            let mut table = table::TableBuilder::of(&view);
            items(&mut |item| {
                (view.rows)(&item)
                    .into_iter()
                    .for_each(|row| table.add_row(row));
                Ok(())
            })
            .and_then(|()| Ok(table.write(&mut out)?))
        }
        _ => items(&mut |_| Ok(())),
    };
    match result.and_then(|()| Ok(out.flush()?)) {
        Err(e) if is_broken_pipe(&e) => Ok(()),
        other => other,
    }
}

/// A closed pipe (`acrt task list | head`) is not an error worth a message.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Writes to stdout; a closed pipe (`acrt task list | head`) is not an error worth a message.
fn write_stdout(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`acrt task list | head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub fn render(value: &Value, format: Format, table: Option<&TableView>) -> Result<String> {
    Ok(match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(value)?),
        Format::Jsonc => color::json(value),
        Format::Yaml => yaml(value)?,
        Format::Yamlc => color::yaml(&yaml(value)?),
        Format::Table => table::render(value, table),
        Format::Tsv => tsv::render(value),
        Format::None => String::new(),
    })
}

fn yaml(value: &Value) -> Result<String> {
    if value.is_null() {
        return Ok("null\n".to_string());
    }
    let mut text = serde_saphyr::to_string(value)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// A scalar as text in tables and tsv: strings bare, null empty.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Keys come out sorted because serde_json's map is a BTreeMap (its `preserve_order`
    /// feature is off); this test fails if a dependency ever turns it on.
    #[test]
    fn json_is_sorted_with_nulls_and_two_space_indent() {
        let v = json!({"b": 1, "a": {"d": null, "c": [1]}});
        let text = render(&v, Format::Json, None).unwrap();
        assert_eq!(
            text,
            "{\n  \"a\": {\n    \"c\": [\n      1\n    ],\n    \"d\": null\n  },\n  \"b\": 1\n}\n"
        );
    }

    #[test]
    fn yaml_is_sorted_and_shows_nulls() {
        let v = json!({"b": "x", "a": null});
        let text = render(&v, Format::Yaml, None).unwrap();
        assert_eq!(text, "a: null\nb: x\n");
    }

    #[test]
    fn none_prints_nothing() {
        assert_eq!(render(&json!({"a": 1}), Format::None, None).unwrap(), "");
    }
}
