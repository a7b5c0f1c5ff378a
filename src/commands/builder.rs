//! `acrt builder list|show|check`: the pool's builders (this machine's own, and those the
//! config names), whether each answers, and what each is running.

use serde_json::{Value, json};

use super::Ctx;
use crate::cli::BuilderCommand;
use crate::error::{Result, not_found};
use crate::model::BuilderKind;
use crate::model::pool::{BuilderChoice, LOCAL, PoolBuilder};
use crate::output::{CommandOutput, TableView};

pub fn dispatch(ctx: &Ctx, command: BuilderCommand) -> Result<CommandOutput> {
    match command {
        BuilderCommand::List => list(ctx),
        BuilderCommand::Check { names } => check(ctx, &names),
        BuilderCommand::Show { name } => show(ctx, &name),
    }
}

/// A builder of the list: the local one has no kind when acrt picks the first usable.
struct Listed {
    name: String,
    kind: Option<BuilderKind>,
    url: Option<String>,
    platforms: Vec<String>,
    capacity: u32,
}

impl Listed {
    fn value(&self) -> Value {
        json!({
            "name": self.name,
            "kind": self.kind.map(BuilderKind::as_str),
            "url": self.url,
            "platforms": self.platforms,
            "capacity": self.capacity,
        })
    }
}

/// This machine's builder (the kind ACRT_BUILDER, else defaults.builder, names, else the
/// first usable, at core.builder_url when set; its platforms and capacity from
/// builders.local), then the named ones in name order.
fn builders(ctx: &Ctx) -> Result<Vec<Listed>> {
    let from_env = std::env::var("ACRT_BUILDER")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| v.parse::<BuilderChoice>())
        .transpose()?;
    let local = ctx.config.local_builder()?;
    let mut all = vec![Listed {
        name: LOCAL.to_string(),
        kind: from_env
            .as_ref()
            .or(ctx.settings.file.builder.as_ref())
            .and_then(BuilderChoice::kind),
        url: ctx.settings.file.builder_url.clone(),
        platforms: local.natives().iter().map(ToString::to_string).collect(),
        capacity: local.capacity.unwrap_or(1),
    }];
    for b in ctx.config.builder_pool()? {
        let PoolBuilder {
            name,
            kind,
            url,
            platforms,
            capacity,
        } = b;
        all.push(Listed {
            name,
            kind: Some(kind),
            url,
            platforms: platforms.iter().map(ToString::to_string).collect(),
            capacity,
        });
    }
    Ok(all)
}

fn list(ctx: &Ctx) -> Result<CommandOutput> {
    let all: Vec<Value> = builders(ctx)?.iter().map(Listed::value).collect();
    CommandOutput::value(all)
}

/// The builders named, all when none is; an unknown name is refused, naming the known ones.
fn named(ctx: &Ctx, names: &[String]) -> Result<Vec<Listed>> {
    let all = builders(ctx)?;
    if let Some(unknown) = names.iter().find(|n| !all.iter().any(|b| &b.name == *n)) {
        let known: Vec<&str> = all.iter().map(|b| b.name.as_str()).collect();
        return Err(not_found(format!(
            "no builder is named '{unknown}' (the builders: {}): 'acrt builder list' shows \
             them; name one with 'acrt config set builders.{unknown}.kind=podman'",
            known.join(", ")
        )));
    }
    Ok(all
        .into_iter()
        .filter(|b| names.is_empty() || names.contains(&b.name))
        .collect())
}

/// The builder's listing with whether it answers (docker: its daemon; podman: its
/// service), what it builds with, or why it does not answer.
fn checked(b: &Listed) -> Value {
    let answer = match b.kind {
        Some(kind) if b.name != LOCAL => crate::builder::connect(kind, b.url.as_deref()),
        kind => crate::builder::select(kind, b.url.as_deref()),
    };
    let mut value = b.value();
    value["answers"] = answer.is_ok().into();
    value["builder"] = answer.as_ref().ok().map(|x| x.describe()).into();
    value["error"] = answer.err().map(|e| format!("{e:#}")).into();
    value
}

/// Each builder (or those named) asked whether it answers.
fn check(ctx: &Ctx, names: &[String]) -> Result<CommandOutput> {
    let checked: Vec<Value> = named(ctx, names)?.iter().map(checked).collect();
    CommandOutput::value(checked)
}

/// One builder: its listing, whether it answers, and the unfinished runs it builds (those
/// recording its name, as the run's builder or a platform's; the local builder's record
/// what it built with instead).
fn show(ctx: &Ctx, name: &str) -> Result<CommandOutput> {
    let all = builders(ctx)?;
    let pool: Vec<&str> = all.iter().map(|b| b.name.as_str()).collect();
    let builder = named(ctx, &[name.to_string()])?.remove(0);
    let on_it = |recorded: &str| match builder.name == LOCAL {
        true => !pool.contains(&recorded),
        false => recorded == builder.name,
    };
    let running: Vec<Value> = ctx
        .store()?
        .unfinished_runs()?
        .into_iter()
        .filter(|r| r.run.builders().into_iter().any(on_it))
        .map(|r| {
            json!({
                "registry": r.registry,
                "runId": r.run.run_id,
                "task": r.run.task,
                "status": r.run.status,
                "startTime": r.run.start_time,
            })
        })
        .collect();
    let mut value = checked(&builder);
    value["running"] = running.into();
    CommandOutput::with_table(value, SHOW_TABLE)
}

const SHOW_TABLE: TableView = TableView {
    columns: &[
        "Name",
        "Kind",
        "Url",
        "Platforms",
        "Capacity",
        "Answers",
        "Running",
    ],
    rows: show_rows,
};

fn show_rows(value: &Value) -> Vec<Vec<String>> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let joined = |v: &Value, field: Option<&str>| {
        crate::output::items(v)
            .into_iter()
            .map(|x| text(field.map_or(x, |f| &x[f])))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![vec![
        text(&value["name"]),
        text(&value["kind"]),
        text(&value["url"]),
        joined(&value["platforms"], None),
        text(&value["capacity"]),
        text(&value["answers"]),
        joined(&value["running"], Some("runId")),
    ]]
}
