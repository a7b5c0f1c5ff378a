//! `-o table`: az's layout (columns two spaces apart, the header underlined with dashes).
//! Commands give a [`TableView`]; anything else gets az's automatic table of the scalar
//! fields.

use serde_json::Value;

use super::scalar_text;

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

pub fn render(value: &Value, view: Option<&TableView>) -> String {
    let (headers, rows) = match view {
        Some(view) => (
            view.columns.iter().map(|c| c.to_string()).collect(),
            (view.rows)(value),
        ),
        None => automatic(&items(value)),
    };
    if rows.is_empty() || headers.is_empty() {
        return String::new();
    }
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
        let widths = headers.iter().map(|h| width(h)).collect();
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
        // A cell's line breaks would break the layout: az prints them as spaces too.
        let cells: Box<[Box<str>]> = row
            .into_iter()
            .map(|c| {
                if c.contains(['\n', '\r']) {
                    c.replace(['\n', '\r'], " ").into_boxed_str()
                } else {
                    c.into_boxed_str()
                }
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

    /// Writes the table line by line; nothing at all when it has no rows (as az prints).
    pub fn write(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.rows.is_empty() || self.widths.is_empty() {
            return Ok(());
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

/// az's table for results without a layout of their own: one column per scalar field, the
/// header the field name with its first letter upper-cased; nested values are left out.
fn automatic(items: &[&Value]) -> (Vec<String>, Vec<Vec<String>>) {
    if items.iter().all(|i| !i.is_object()) {
        let rows = items
            .iter()
            .filter_map(|i| scalar_text(i))
            .map(|t| vec![t])
            .collect();
        return (vec!["Result".to_string()], rows);
    }
    let mut keys: Vec<&str> = Vec::new();
    for item in items {
        if let Value::Object(map) = item {
            for (k, v) in map {
                if scalar_text(v).is_some() && !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| {
            keys.iter()
                .map(|k| item.get(*k).and_then(scalar_text).unwrap_or_default())
                .collect()
        })
        .collect();
    (keys.iter().map(|k| capitalize(k)).collect(), rows)
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
            "RUN ID  TASK            STATUS\n\
             ------  --------------  ---------\n\
             da8     taskhelloworld  Succeeded\n\
             da7                     Succeeded\n"
        );
    }

    #[test]
    fn automatic_tables_show_scalar_fields() {
        let v = json!([{"name": "t1", "schedule": "0 1 * * *", "nested": {"a": 1}}]);
        assert_eq!(
            render(&v, None),
            "Name  Schedule\n----  ---------\nt1    0 1 * * *\n"
        );
        assert_eq!(render(&json!(["a", "bb"]), None), "Result\n------\na\nbb\n");
        assert_eq!(render(&json!([]), None), "");
    }
}
