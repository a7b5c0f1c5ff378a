//! Tab-separated values, as az prints them: one row per list item, an object's values in key
//! order, nested lists as their length, nested objects as an empty cell.

use serde_json::Value;

use super::scalar_text;

pub fn render(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Array(items) => items.iter().for_each(|item| row(item, &mut out)),
        other => row(other, &mut out),
    }
    out
}

fn row(value: &Value, out: &mut String) {
    let cells: Vec<String> = match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            entries.into_iter().map(|(_, v)| cell(v)).collect()
        }
        Value::Array(items) => items.iter().map(cell).collect(),
        other => vec![cell(other)],
    };
    out.push_str(&cells.join("\t"));
    out.push('\n');
}

fn cell(value: &Value) -> String {
    match value {
        Value::Array(items) => items.len().to_string(),
        Value::Object(_) => String::new(),
        other => scalar_text(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_follow_key_order() {
        let v = json!([{"b": 2, "a": "x", "l": [1, 2, 3], "o": {"k": 1}, "n": null}]);
        assert_eq!(render(&v), "x\t2\t3\t\t\n");
        assert_eq!(render(&json!(["a", "b"])), "a\nb\n");
        assert_eq!(render(&json!("a")), "a\n");
    }
}
