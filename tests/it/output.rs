use serde_json::json;

use crate::harness::{TestEnv, stdout};

#[test]
fn every_format_prints_the_same_task() {
    let env = TestEnv::new();
    env.create_task("formats", &["-t", "f:1"]);
    let json_text = stdout(&env.ok(&["task", "show", "-n", "formats", "-o", "json"]));
    let value: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    // Keys sorted, two-space indent, nulls shown.
    assert!(
        json_text.starts_with(
            "{\n  \"agentConfiguration\": {\n    \"cpu\": 2\n  },\n  \"agentPoolName\": null,\n  \"baseImageUpdate\": \"rebuild\",\n  \"creationDate\""
        ),
        "{json_text}"
    );
    assert!(json_text.contains("\"credentials\": null"));

    let yaml_text = stdout(&env.ok(&["task", "show", "-n", "formats", "-o", "yaml"]));
    let from_yaml: serde_json::Value = serde_saphyr::from_str(&yaml_text).unwrap();
    assert_eq!(from_yaml, value);
    assert!(yaml_text.contains("credentials: null"), "{yaml_text}");

    // Not a terminal: jsonc and yamlc are plain json and yaml.
    let jsonc = stdout(&env.ok(&["task", "show", "-n", "formats", "-o", "jsonc"]));
    assert_eq!(jsonc, json_text);
    let yamlc = stdout(&env.ok(&["task", "show", "-n", "formats", "-o", "yamlc"]));
    assert_eq!(yamlc, yaml_text);
    // On a terminal they are coloured, unless NO_COLOR is set.
    let jsonc = env.on_terminal("task show -n formats -o jsonc", &[], None);
    assert!(jsonc.contains("\x1b["), "{jsonc}");
    assert_eq!(strip_ansi(&jsonc), json_text);
    let yamlc = env.on_terminal("task show -n formats -o yamlc", &[], None);
    assert!(yamlc.contains("\x1b["), "{yamlc}");
    assert_eq!(strip_ansi(&yamlc), yaml_text);
    let plain = env.on_terminal("task show -n formats -o jsonc", &[("NO_COLOR", "1")], None);
    assert_eq!(plain, json_text);

    let tsv = stdout(&env.ok(&["task", "show", "-n", "formats", "-o", "tsv"]));
    let cells: Vec<&str> = tsv.trim_end_matches('\n').split('\t').collect();
    // Sorted keys: agentConfiguration (object), agentPoolName (null), baseImageUpdate,
    // creationDate, credentials (null), id, identity (null), isSystemTask, location (null),
    // logTemplate (null), name, ...
    assert_eq!(cells[0], "");
    assert_eq!(cells[1], "");
    assert_eq!(cells[2], "rebuild");
    assert_eq!(cells[5], "/registries/localhost:5000/tasks/formats");
    assert_eq!(cells[7], "false");
    assert_eq!(cells[9], "");
    assert_eq!(cells[10], "formats");

    assert_eq!(
        stdout(&env.ok(&["task", "show", "-n", "formats", "-o", "none"])),
        ""
    );
}

#[test]
fn query_applies_before_formatting_and_turns_table_layouts_off() {
    let env = TestEnv::new();
    env.create_task("query-a", &["-t", "a:1"]);
    env.create_task("query-b", &["-t", "b:1", "--status", "Disabled"]);
    assert_eq!(
        env.json(&["task", "list", "--query", "[?status=='Disabled'].name"]),
        json!(["query-b"])
    );
    let table = stdout(&env.ok(&[
        "task",
        "list",
        "-o",
        "table",
        "--query",
        "[].{name: name, status: status}",
    ]));
    assert_eq!(
        table,
        "Name     Status\n-------  --------\nquery-a  Enabled\nquery-b  Disabled\n"
    );
    let tsv = stdout(&env.ok(&["task", "list", "-o", "tsv", "--query", "[].[name, timeout]"]));
    assert_eq!(tsv, "query-a\t3600\nquery-b\t3600\n");
    let scalar = stdout(&env.ok(&[
        "task",
        "show",
        "-n",
        "query-a",
        "--query",
        "step.imageNames[0]",
        "-o",
        "tsv",
    ]));
    assert_eq!(scalar, "a:1\n");
}

#[test]
fn default_output_comes_from_config() {
    let env = TestEnv::new();
    env.create_task("cfgout", &["-t", "c:1"]);
    env.ok(&["config", "set", "core.output=table"]);
    assert_eq!(
        env.json(&["config", "get", "core.output", "-o", "json"]),
        json!({"name": "core.output", "value": "table"})
    );
    let out = stdout(&env.ok(&["task", "list"]));
    assert!(
        out.starts_with("NAME    PLATFORM    STATUS    SOURCE REPOSITORY"),
        "{out}"
    );
    // The flag still wins.
    assert!(stdout(&env.ok(&["task", "list", "-o", "json"])).starts_with('['));
    env.ok(&["config", "unset", "core.output"]);
    assert!(stdout(&env.ok(&["task", "list"])).starts_with('['));
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `task list` prints its tasks as they are read; what it prints is what the whole list,
/// rendered at once, would be (`--query @` takes that path), in every format.
#[test]
fn a_streamed_list_prints_what_the_whole_list_would() {
    let env = TestEnv::new();
    // (--query turns the command's table layout off: tables are checked by snapshot.)
    for format in ["json", "tsv", "yaml"] {
        assert_eq!(
            stdout(&env.ok(&["task", "list", "-o", format])),
            stdout(&env.ok(&["task", "list", "-o", format, "--query", "@"])),
            "empty list, -o {format}"
        );
    }
    assert_eq!(stdout(&env.ok(&["task", "list", "-o", "json"])), "[]\n");
    // az prints an empty list's table as an empty line.
    assert_eq!(stdout(&env.ok(&["task", "list", "-o", "table"])), "\n");
    env.create_task("stream-a", &["-t", "a:1"]);
    env.create_task("stream-b", &["-t", "b:1", "--status", "Disabled"]);
    env.create_task("stream-c", &["-t", "c:1", "--schedule", "0 3 * * *"]);
    for format in ["json", "tsv", "yaml", "none"] {
        assert_eq!(
            stdout(&env.ok(&["task", "list", "-o", format])),
            stdout(&env.ok(&["task", "list", "-o", format, "--query", "@"])),
            "-o {format}"
        );
    }
    let listed = env.json(&["task", "list", "--query", "[].name"]);
    assert_eq!(listed, json!(["stream-a", "stream-b", "stream-c"]));
    let table = stdout(&env.ok(&["task", "list", "-o", "table"]));
    let names: Vec<&str> = table
        .lines()
        .skip(2)
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(names, ["stream-a", "stream-b", "stream-c"], "{table}");
}
