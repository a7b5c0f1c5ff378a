//! `acrt builder list|check`: the pool's builders (this machine's own, and those the config
//! names) and whether each answers.

use serde_json::{Value, json};

use super::Ctx;
use crate::cli::BuilderCommand;
use crate::error::{Result, not_found};
use crate::model::BuilderKind;
use crate::model::pool::{BuilderChoice, LOCAL, PoolBuilder};
use crate::output::CommandOutput;

pub fn dispatch(ctx: &Ctx, command: BuilderCommand) -> Result<CommandOutput> {
    match command {
        BuilderCommand::List => list(ctx),
        BuilderCommand::Check { names } => check(ctx, &names),
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
/// first usable, at core.builder_url when set), then the named ones in name order.
fn builders(ctx: &Ctx) -> Result<Vec<Listed>> {
    let from_env = std::env::var("ACRT_BUILDER")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| v.parse::<BuilderChoice>())
        .transpose()?;
    let native = crate::model::Platform::default().to_string();
    let mut all = vec![Listed {
        name: LOCAL.to_string(),
        kind: from_env
            .as_ref()
            .or(ctx.settings.file.builder.as_ref())
            .and_then(BuilderChoice::kind),
        url: ctx.settings.file.builder_url.clone(),
        platforms: vec![native],
        capacity: 1,
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
            platforms,
            capacity,
        });
    }
    Ok(all)
}

fn list(ctx: &Ctx) -> Result<CommandOutput> {
    let all: Vec<Value> = builders(ctx)?.iter().map(Listed::value).collect();
    CommandOutput::value(all)
}

/// Each builder asked whether it answers (docker: its daemon; podman: its service), with
/// what it builds with, or why it does not answer.
fn check(ctx: &Ctx, names: &[String]) -> Result<CommandOutput> {
    let all = builders(ctx)?;
    for name in names {
        if !all.iter().any(|b| &b.name == name) {
            return Err(not_found(format!(
                "no builder is named '{name}': 'acrt builder list' shows them; name one with \
                 'acrt config set builders.{name}.kind=podman'"
            )));
        }
    }
    let checked: Vec<Value> = all
        .iter()
        .filter(|b| names.is_empty() || names.contains(&b.name))
        .map(|b| {
            let answer = match b.kind {
                Some(kind) if b.name != LOCAL => crate::builder::connect(kind, b.url.as_deref()),
                kind => crate::builder::select(kind, b.url.as_deref()),
            };
            let mut value = b.value();
            value["answers"] = answer.is_ok().into();
            value["builder"] = answer.as_ref().ok().map(|x| x.describe()).into();
            value["error"] = answer.err().map(|e| format!("{e:#}")).into();
            value
        })
        .collect();
    CommandOutput::value(checked)
}
