//! jsonc and yamlc: the same text with ANSI colours for keys and scalar kinds.

use serde_json::Value;

const KEY: &str = "\x1b[94m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const LITERAL: &str = "\x1b[95m";
const RESET: &str = "\x1b[0m";

pub fn json(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, 0, &mut out);
    out.push('\n');
    out
}

fn write_value(value: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (k, v)) in map.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                paint(KEY, &serde_json::to_string(k).unwrap_or_default(), out);
                out.push_str(": ");
                write_value(v, indent + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_value(v, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        Value::String(_) => paint(STRING, &value.to_string(), out),
        Value::Number(_) => paint(NUMBER, &value.to_string(), out),
        Value::Bool(_) | Value::Null => paint(LITERAL, &value.to_string(), out),
    }
}

fn paint(color: &str, text: &str, out: &mut String) {
    out.push_str(color);
    out.push_str(text);
    out.push_str(RESET);
}

/// Colours the key of every `key: value` line of YAML text.
pub fn yaml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        let body_start = line.len() - line.trim_start_matches([' ', '-']).len();
        let (lead, body) = line.split_at(body_start);
        match body
            .find(':')
            .filter(|&i| !body[..i].contains(['"', '\'', ' ']) && i > 0)
        {
            Some(i) => {
                out.push_str(lead);
                paint(KEY, &body[..i], &mut out);
                out.push_str(&body[i..]);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
