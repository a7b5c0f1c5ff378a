//! az's table transformers for the commands that have one (azure-cli's acr `_format.py`):
//! the columns, their order and headers, and the cells az computes from each item. The one
//! place of every az table's columns; a command names the view it prints with.

use serde_json::Value;

use super::table::{TableView, items};
use crate::model::run::trigger_label;

/// `task create|show|list|update`, `task timer ...` and `task credential ...`: az prints
/// every result of the task group with these columns, whatever its shape (a timer list's
/// rows have a name and a status and nothing else; a credential map is one blank row).
pub const TASK: TableView = TableView {
    columns: &[
        "NAME",
        "PLATFORM",
        "STATUS",
        "SOURCE REPOSITORY",
        "TRIGGERS",
    ],
    rows: |value| rows(value, task_row),
};

/// `task run|list-runs|show-run|update-run` and `acrt run`.
pub const RUN: TableView = TableView {
    columns: &[
        "RUN ID", "TASK", "PLATFORM", "STATUS", "TRIGGER", "STARTED", "DURATION",
    ],
    rows: |value| rows(value, run_row),
};

/// `acrt build` (az's build transformer): the run table with az's first header. az reads
/// `buildId`, `buildTask` and `platform.osType`, names from an API version runs no longer
/// have, and so prints those cells blank; acrt fills them from the run.
pub const BUILD: TableView = TableView {
    columns: &[
        "BUILD ID", "TASK", "PLATFORM", "STATUS", "TRIGGER", "STARTED", "DURATION",
    ],
    rows: |value| rows(value, run_row),
};

/// `taskrun list|show`: a task run is a run with a name of its own.
pub const TASKRUN: TableView = TableView {
    columns: &[
        "NAME", "RUN ID", "TASK", "PLATFORM", "STATUS", "STARTED", "DURATION",
    ],
    rows: |value| rows(value, taskrun_row),
};

/// az's `_output_format`: a list gives a row per element, null none, anything else one row.
fn rows(value: &Value, row: fn(&Value) -> Vec<String>) -> Vec<Vec<String>> {
    items(value).into_iter().map(row).collect()
}

/// az's `_get_value`: the value at `path` as text; missing, null, false, zero and empty
/// are a blank cell.
fn cell(item: &Value, path: &[&str]) -> String {
    let mut value = item;
    for key in path {
        value = match value.get(key) {
            Some(v) => v,
            None => return String::new(),
        };
    }
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Number(n) if n.as_f64() != Some(0.0) => n.to_string(),
        _ => String::new(),
    }
}

/// The PLATFORM cell: az's os, or for a task or run of several platforms each of them
/// (`linux/amd64,linux/arm64`).
fn platform_cell(item: &Value) -> String {
    let several: Vec<String> = item["platforms"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let mut name = format!("{}/{}", cell(p, &["os"]), cell(p, &["architecture"]));
            if let Some(v) = p["variant"].as_str() {
                name = format!("{name}/{v}");
            }
            name
        })
        .collect();
    match several.is_empty() {
        true => cell(item, &["platform", "os"]),
        false => several.join(","),
    }
}

fn task_row(task: &Value) -> Vec<String> {
    vec![
        cell(task, &["name"]),
        platform_cell(task),
        cell(task, &["status"]),
        cell(task, &["step", "contextPath"]),
        triggers(task),
    ]
}

/// The TRIGGERS cell: the enabled kinds, sorted and comma-joined (the first source
/// trigger's status decides SOURCE, any enabled timer TIMER).
fn triggers(task: &Value) -> String {
    let enabled = |v: &Value| {
        v["status"]
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("enabled"))
    };
    let trigger = &task["trigger"];
    let mut kinds = Vec::new();
    if trigger["sourceTriggers"]
        .as_array()
        .and_then(|t| t.first())
        .is_some_and(enabled)
    {
        kinds.push("SOURCE");
    }
    if trigger["timerTriggers"]
        .as_array()
        .is_some_and(|t| t.iter().any(enabled))
    {
        kinds.push("TIMER");
    }
    if enabled(&trigger["baseImageTrigger"]) {
        kinds.push("BASE_IMAGE");
    }
    kinds.sort_unstable();
    kinds.join(", ")
}

fn run_row(run: &Value) -> Vec<String> {
    vec![
        cell(run, &["runId"]),
        cell(run, &["task"]),
        platform_cell(run),
        run_status(run),
        run_trigger(run),
        started(run),
        duration(run),
    ]
}

fn taskrun_row(taskrun: &Value) -> Vec<String> {
    let run = &taskrun["runResult"];
    vec![
        cell(taskrun, &["name"]),
        cell(run, &["runId"]),
        cell(run, &["task"]),
        platform_cell(run),
        cell(run, &["status"]),
        started(run),
        duration(run),
    ]
}

/// STATUS: az's, and for a run that changed nothing (acrt's `unchanged`), "Succeeded
/// (unchanged)".
fn run_status(run: &Value) -> String {
    let status = cell(run, &["status"]);
    match run["unchanged"].as_bool() {
        Some(true) => format!("{status} (unchanged)"),
        _ => status,
    }
}

/// The TRIGGER cell: the run's own rule ([`trigger_label`]), on its JSON.
fn run_trigger(run: &Value) -> String {
    trigger_label(
        run["sourceTrigger"]["eventType"].as_str(),
        !run["timerTrigger"].is_null(),
        !run["imageUpdateTrigger"].is_null(),
    )
    .to_string()
}
fn time(run: &Value, key: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    run[key]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// STARTED: the start time to the second, in UTC.
fn started(run: &Value) -> String {
    time(run, "startTime")
        .map(|s| s.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// DURATION: HH:MM:SS from start to finish (hours past 24 keep counting).
fn duration(run: &Value) -> String {
    match (time(run, "startTime"), time(run, "finishTime")) {
        (Some(s), Some(f)) => {
            let secs = (f - s).num_seconds().max(0);
            format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_platform_cell_is_az_s_os_or_every_platform_of_several() {
        let one = json!({"platform": {"os": "linux", "architecture": "arm64"}});
        assert_eq!(platform_cell(&one), "linux");
        let several = json!({"platform": {"os": "linux"}, "platforms": [
            {"os": "linux", "architecture": "amd64", "variant": null},
            {"os": "linux", "architecture": "arm", "variant": "v7"}]});
        assert_eq!(platform_cell(&several), "linux/amd64,linux/arm/v7");
    }

    #[test]
    fn cells_are_blank_where_az_prints_a_blank() {
        let item = json!({"a": {"b": "x"}, "f": false, "z": 0, "n": null, "e": ""});
        assert_eq!(cell(&item, &["a", "b"]), "x");
        for key in ["f", "z", "n", "e", "missing"] {
            assert_eq!(cell(&item, &[key]), "", "{key}");
        }
        assert_eq!(cell(&json!({"t": true}), &["t"]), "True");
    }

    #[test]
    fn a_timer_list_has_names_and_statuses_only_and_a_credential_map_is_one_blank_row() {
        let timers = json!([{"name": "t1", "schedule": "0 3 * * *", "status": "Enabled"}]);
        assert_eq!(
            (TASK.rows)(&timers),
            vec![vec!["t1", "", "Enabled", "", ""]]
        );
        let credentials = json!({"r.example": {"userName": "u", "password": null}});
        assert_eq!((TASK.rows)(&credentials), vec![vec!["", "", "", "", ""]]);
    }

    #[test]
    fn the_trigger_is_the_event_then_timer_then_image_update_then_manual() {
        let run = |v: Value| run_trigger(&v);
        assert_eq!(
            run(json!({"sourceTrigger": {"eventType": "Commit"}, "timerTrigger": {}})),
            "Commit"
        );
        assert_eq!(
            run(json!({"timerTrigger": {}, "imageUpdateTrigger": {}})),
            "Timer"
        );
        assert_eq!(run(json!({"imageUpdateTrigger": {}})), "Image Update");
        assert_eq!(run(json!({})), "Manual");
    }

    #[test]
    fn a_run_that_changed_nothing_says_so_in_its_status() {
        let row = |v: Value| run_row(&v)[3].clone();
        assert_eq!(
            row(json!({"status": "Succeeded", "unchanged": true})),
            "Succeeded (unchanged)"
        );
        assert_eq!(
            row(json!({"status": "Succeeded", "unchanged": false})),
            "Succeeded"
        );
        assert_eq!(
            row(json!({"status": "Failed", "unchanged": null})),
            "Failed"
        );
    }

    #[test]
    fn durations_count_hours_past_a_day() {
        let run =
            json!({"startTime": "2024-01-01T00:00:00Z", "finishTime": "2024-01-02T01:02:03.5Z"});
        assert_eq!(duration(&run), "25:02:03");
        assert_eq!(started(&run), "2024-01-01T00:00:00Z");
    }
}
