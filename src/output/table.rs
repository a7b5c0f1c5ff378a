//! `-o table`: az's layout (columns two spaces apart, the header underlined with dashes),
//! laid out by comfy-table. Commands give a [`TableView`]; anything else gets az's automatic
//! table of the scalar fields.

use comfy_table::{ContentArrangement, Table, TableStyle};
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

const COLUMN_GAP: u16 = 2;

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

/// A command's table from rows already made (a list printed as it is read).
pub fn render_rows(view: &TableView, rows: Vec<Vec<String>>) -> String {
    if rows.is_empty() {
        return String::new();
    }
    layout(view.columns.iter().map(|c| c.to_string()).collect(), rows)
}

fn layout(headers: Vec<String>, rows: Vec<Vec<String>>) -> String {
    let mut table = Table::new();
    table
        .load_style(TableStyle::new())
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers)
        .add_rows(rows);
    let last = table.column_count().saturating_sub(1);
    for (index, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if index == last { 0 } else { COLUMN_GAP }));
    }
    let underline = table
        .column_max_content_widths()
        .iter()
        .map(|w| "-".repeat(*w as usize))
        .collect::<Vec<_>>()
        .join(&" ".repeat(COLUMN_GAP as usize));
    let mut out = String::new();
    for (index, line) in table.lines().enumerate() {
        out.push_str(line.trim_end());
        out.push('\n');
        if index == 0 {
            out.push_str(&underline);
            out.push('\n');
        }
    }
    out
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
