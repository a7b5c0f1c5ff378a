//! `-o table`: az's layout (knack's table through tabulate's "simple" format: every column
//! as wide as its widest cell and at least its header plus two, columns two spaces apart,
//! the header underlined with dashes, no trailing blanks). Commands give a [`TableView`]
//! (az's transformers are in `views`); anything else gets knack's automatic table of the
//! scalar fields.

use serde_json::Value;

/// A command's table layout: column headers and how to make the rows from the result.
#[derive(Clone, Copy)]
pub struct TableView {
    pub columns: &'static [&'static str],
    pub rows: fn(&Value) -> Vec<Vec<String>>,
}

/// The items of a result: a list's elements, or the value itself.
pub fn items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

const COLUMN_GAP: usize = 2;
/// tabulate's MIN_PADDING: a column is at least its header and two more wide.
const HEADER_PADDING: usize = 2;

pub fn render(value: &Value, view: Option<&TableView>) -> String {
    let (headers, rows) = match view {
        Some(view) => (
            view.columns.iter().map(|c| c.to_string()).collect(),
            (view.rows)(value),
        ),
        None => automatic(&items(value)),
    };
    layout(headers, rows)
}

/// A table laid out as az lays it out (columns as wide as their widest cell, two spaces
/// apart, the header underlined with dashes, no trailing blanks), its rows added one at a
/// time: a list printed as it is read hands each row over and keeps only the cells.
pub struct TableBuilder {
    headers: Vec<String>,
    rows: Vec<Box<[Box<str>]>>,
    widths: Vec<usize>,
}

impl TableBuilder {
    pub fn new(headers: Vec<String>) -> TableBuilder {
        let widths = headers.iter().map(|h| width(h) + HEADER_PADDING).collect();
        TableBuilder {
            headers,
            rows: Vec::new(),
            widths,
        }
    }

    pub fn of(view: &TableView) -> TableBuilder {
        TableBuilder::new(view.columns.iter().map(|c| c.to_string()).collect())
    }

    pub fn add_row(&mut self, row: Vec<String>) {
        // A cell's line breaks would break the layout: az prints them as spaces too. Other
        // control characters are shown escaped: a table is read on a terminal.
        let cells: Box<[Box<str>]> = row
            .into_iter()
            .map(|c| {
                if c.contains(['\n', '\r']) {
                    c.replace(['\n', '\r'], " ").into_boxed_str()
                } else {
                    c.into_boxed_str()
                }
            })
            .map(|c| match crate::echo::escape_controls(&c) {
                std::borrow::Cow::Borrowed(_) => c,
                std::borrow::Cow::Owned(escaped) => escaped.into_boxed_str(),
            })
            .collect();
        for (i, cell) in cells.iter().enumerate() {
            match self.widths.get_mut(i) {
                Some(w) => *w = (*w).max(width(cell)),
                None => self.widths.push(width(cell)),
            }
        }
        self.rows.push(cells);
    }

    /// Writes the table line by line; an empty line when it has no rows (as az prints).
    pub fn write(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.rows.is_empty() || self.widths.is_empty() {
            return out.write_all(b"\n");
        }
        let mut line = String::new();
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        self.write_line(&mut line, &headers, out)?;
        let dashes: Vec<String> = self.widths.iter().map(|w| "-".repeat(*w)).collect();
        let dashes: Vec<&str> = dashes.iter().map(String::as_str).collect();
        self.write_line(&mut line, &dashes, out)?;
        for row in &self.rows {
            let cells: Vec<&str> = row.iter().map(|c| &**c).collect();
            self.write_line(&mut line, &cells, out)?;
        }
        Ok(())
    }

    fn write_line(
        &self,
        line: &mut String,
        cells: &[&str],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        line.clear();
        for (i, w) in self.widths.iter().enumerate() {
            let cell = cells.get(i).copied().unwrap_or("");
            line.push_str(cell);
            if i + 1 < self.widths.len() {
                let pad = w - width(cell) + COLUMN_GAP;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.write_all(line.trim_end().as_bytes())?;
        out.write_all(b"\n")
    }
}

/// The columns a cell takes on a terminal (wide characters take two).
fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

fn layout(headers: Vec<String>, rows: Vec<Vec<String>>) -> String {
    let mut table = TableBuilder::new(headers);
    for row in rows {
        table.add_row(row);
    }
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = table.write(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// knack's table for results without a transformer: one column per scalar field in the
/// order fields first appear (sorted, as acrt's JSON is), headed by the field name with its
/// first letter upper-cased; `id`, `type` and `etag`, nulls and nested values are left out.
/// A list of lists gives Column1, Column2, ...; anything else one Result column.
fn automatic(items: &[&Value]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut keys: Vec<String> = Vec::new();
    let entries: Vec<Vec<(String, String)>> = items.iter().map(|i| entry(i)).collect();
    for entry in &entries {
        for (k, _) in entry {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let rows = entries
        .into_iter()
        .map(|entry| {
            keys.iter()
                .map(|k| {
                    entry
                        .iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    (keys, rows)
}

/// One item's (header, cell) pairs, as knack's `_auto_table_item` makes them.
fn entry(item: &Value) -> Vec<(String, String)> {
    match item {
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "id" | "type" | "etag"))
            .filter_map(|(k, v)| Some((capitalize(k), python_text(v)?)))
            .collect(),
        Value::Array(values) => values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    format!("Column{}", i + 1),
                    python_text(v).unwrap_or_default(),
                )
            })
            .collect(),
        other => vec![("Result".into(), python_text(other).unwrap_or_default())],
    }
}

/// A scalar as Python's `str` prints it (az's tables are Python's): True and False.
fn python_text(value: &Value) -> Option<String> {
    match value {
        Value::Null | Value::Array(_) | Value::Object(_) => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("True".into()),
        Value::Bool(false) => Some("False".into()),
        Value::Number(n) => Some(n.to_string()),
    }
}

fn capitalize(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_are_two_spaces_apart_and_underlined() {
        let view = TableView {
            columns: &["RUN ID", "TASK", "STATUS"],
            rows: |v| {
                items(v)
                    .iter()
                    .map(|v| {
                        vec![
                            v["id"].as_str().unwrap().into(),
                            v["task"].as_str().unwrap_or("").into(),
                            "Succeeded".into(),
                        ]
                    })
                    .collect()
            },
        };
        let v = json!([{"id": "da8", "task": "taskhelloworld"}, {"id": "da7", "task": null}]);
        assert_eq!(
            render(&v, Some(&view)),
            "RUN ID    TASK            STATUS\n\
             --------  --------------  ---------\n\
             da8       taskhelloworld  Succeeded\n\
             da7                       Succeeded\n"
        );
    }

    #[test]
    fn control_characters_in_cells_are_shown_escaped() {
        let v = json!([{"name": "x\u{1b}[2J", "note": "a\nb"}]);
        assert_eq!(
            render(&v, None),
            "Name        Note\n----------  ------\nx\\u{1b}[2J  a b\n"
        );
    }

    #[test]
    fn automatic_tables_show_scalar_fields() {
        let v = json!([{"name": "t1", "schedule": "0 1 * * *", "nested": {"a": 1}}]);
        assert_eq!(
            render(&v, None),
            "Name    Schedule\n------  ----------\nt1      0 1 * * *\n"
        );
        assert_eq!(
            render(&json!(["a", "bb"]), None),
            "Result\n--------\na\nbb\n"
        );
        assert_eq!(render(&json!([]), None), "\n");
        let v = json!([{"id": "x", "ok": true, "gone": null}, {"ok": false, "n": 3}]);
        assert_eq!(render(&v, None), "Ok     N\n-----  ---\nTrue\nFalse  3\n");
        assert_eq!(
            render(&json!([["a", 1]]), None),
            "Column1    Column2\n---------  ---------\na          1\n"
        );
    }
}
