//! `acrt watch` and `acrt task check-base`.

use serde_json::json;
use std::time::Duration;

use super::{Ctx, find_task};
use crate::cli::{CheckBaseArgs, WatchArgs};
use crate::engine::runtime;
use crate::error::Result;
use crate::model::Platform;
use crate::model::pool::{BuilderChoice, Load};
use crate::model::status::Status;
use crate::output::{CommandOutput, TableView, items};
use crate::registry::probe::ManifestProbe;
use crate::registry::{Credentials, RegistryClient};
use crate::watch::{self, WatchOptions, lock};

pub fn watch(ctx: &Ctx, args: WatchArgs) -> Result<CommandOutput> {
    // A signing key that cannot be read would fail every run watch starts, after its push.
    crate::attest::configured_signer()?;
    let choice = args.builder.as_ref().or(ctx.settings.file.builder.as_ref());
    let max_concurrency = args.max_concurrency.map(|n| n as usize);
    let pool = watch_pool(ctx, choice, max_concurrency)?;
    let state_dir = ctx.store()?.dir().to_path_buf();
    let _lock = match lock::acquire(&state_dir, args.wait)? {
        lock::Acquired::Locked(l) => l,
        lock::Acquired::Busy(pid) => {
            ctx.status(&format!(
                "another acrt watch is running{} on this state; nothing to do (pass --wait to wait for it)",
                pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
            ));
            return Ok(CommandOutput::Nothing);
        }
    };
    let options = WatchOptions {
        state_dir,
        once: args.once,
        interval: Duration::from_secs(args.interval),
        poll_intervals: ctx.settings.file.poll_intervals.clone(),
        external_interval: ctx.settings.file.external_poll_interval,
        settles: ctx.settings.file.settles.clone(),
        external_settle: ctx.settings.file.external_settle,
        max_concurrency,
        listen: args.listen,
        builder: choice.and_then(BuilderChoice::kind),
        builder_url: ctx.settings.file.builder_url.clone(),
        pool,
        secret_env: ctx.settings.file.secret_env.clone(),
        task_aliases: ctx.settings.file.task_aliases.clone(),
        retention_days: ctx.settings.file.run_retention_days,
        request_concurrency: 8,
        commit_check_timeout: ctx.settings.file.registry.request_timeout,
    };
    let summary = watch::run(options, ctx.quiet())?;
    // The report when asked for (`-o json`), then the exit code it decides: 0, 1 (a run it
    // started failed) or 4 (bases it could not check).
    let output = if ctx.output_given() {
        CommandOutput::value(&summary)?
    } else {
        CommandOutput::Nothing
    };
    Ok(match summary.outcome() {
        Ok(()) => output,
        Err(error) => CommandOutput::ThenFail {
            output: Box::new(output),
            error,
        },
    })
}

/// The builders watch's runs go to: the one `--builder` names of the pool; else this
/// machine's and the config's named ones, this machine's taking `builders.local.capacity`
/// runs at once, else one beside named builders, or `--max-concurrency` (2 unless given)
/// when the config names none.
fn watch_pool(
    ctx: &Ctx,
    choice: Option<&BuilderChoice>,
    max_concurrency: Option<usize>,
) -> Result<Load> {
    let named = ctx.config.builder_pool()?;
    if let Some(one) = choice
        .map(|c| c.pool_builder(&named))
        .transpose()?
        .flatten()
    {
        return Ok(Load::new(None, Vec::new(), vec![one.clone()]));
    }
    let local_capacity = match named.is_empty() {
        true => max_concurrency.unwrap_or(2) as u32,
        false => 1,
    };
    ctx.builder_load(&named, local_capacity)
}

pub fn check_base(ctx: &Ctx, args: CheckBaseArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let store = ctx.store()?;
    let tasks = match &args.name {
        Some(name) => vec![find_task(&store, &registry, name)?],
        None => store.list_tasks(&registry)?,
    };
    let rt = runtime()?;
    let probe = ManifestProbe::new()?;
    let settling = store.settling()?;
    let mut rows = Vec::new();
    for task in &tasks {
        let trigger = task.trigger.base_image_trigger.as_ref();
        let trigger_status = trigger.map_or(Status::Disabled, |t| t.status);
        let bases = store.base_images(&registry, &task.name)?;
        if bases.is_empty() {
            rows.push(json!({
                "task": task.name, "type": null, "registry": null, "repository": null, "tag": null,
                "recordedDigest": null, "currentDigest": null, "rebuildDue": null, "triggerStatus": trigger_status,
                "note": format!("dependencies not known yet: the task has not run successfully; run it once with 'acrt task run -n {}'", task.name),
            }));
            continue;
        }
        let registries: Vec<String> = bases
            .iter()
            .map(|b| b.image().api_registry().to_string())
            .collect();
        // The task's own logins, as its runs and watch use them (never another task's).
        let credentials = Credentials::of_tasks([task]);
        let client = RegistryClient::new(credentials.clone(), &registries);
        for base in bases {
            let current = rt
                .block_on(current_digest(&probe, &client, &credentials, &base))
                .map_err(|e| format!("{e:#}"));
            let (due, mut note) = rebuild_due(task, &base, &current);
            if due == Some(true)
                && let Some(at) = settling_until(ctx, &settling, &registry, &base)
            {
                note = Some(format!(
                    "the tag moved; settling, due at {} (registries.<name>.settle)",
                    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ));
            }
            let current = current.ok();
            rows.push(json!({
                "task": task.name, "type": base.dependency_type, "registry": base.registry,
                "repository": base.repository, "tag": base.tag, "platform": base.platform,
                "recordedDigest": base.platform_digest,
                "currentDigest": current, "rebuildDue": due, "triggerStatus": trigger_status,
                "note": note,
            }));
        }
    }
    CommandOutput::with_table(rows, CHECK_BASE_TABLE)
}

/// When the settle window of `base`'s tag ends, if watch found its index changed and it is
/// still settling (`task_registry`: the task's, to tell a registry no task pushes to).
fn settling_until(
    ctx: &Ctx,
    settling: &std::collections::BTreeMap<crate::store::SettlingTag, crate::store::Settling>,
    task_registry: &str,
    base: &crate::store::RecordedBase,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let tag = crate::store::SettlingTag {
        registry: base.registry.clone(),
        repository: base.repository.clone(),
        tag: base.tag.clone()?,
    };
    let since = settling.get(&tag)?.since;
    let file = &ctx.settings.file;
    let window = file.settles.get(&base.registry).copied().or_else(|| {
        file.external_settle
            .filter(|_| base.registry != task_registry)
    })?;
    let due = since + chrono::Duration::from_std(window).ok()?;
    (due > chrono::Utc::now()).then_some(due)
}

/// The digest of `base`'s platform that its tag points to now, read as watch reads it: one
/// HEAD of the tag, and only where it moved, the index for the platform's manifest.
async fn current_digest(
    probe: &ManifestProbe,
    client: &RegistryClient,
    credentials: &Credentials,
    base: &crate::store::RecordedBase,
) -> Result<String> {
    let image = base.image();
    let login = credentials.lookup(image.api_registry());
    let tagged = probe.digest(&image, login.as_ref()).await?;
    if base.index_digest.as_deref() == Some(tagged.digest.as_str())
        && let Some(recorded) = &base.platform_digest
    {
        return Ok(recorded.clone());
    }
    if tagged.single {
        return Ok(tagged.digest);
    }
    let platform = Platform::parse_any(&base.platform)?;
    Ok(client.resolve(&image, &platform).await?.platform_digest)
}

/// Whether watch would rebuild the task for this base now (null when the registry could not
/// say), and otherwise why not: one answer, never "due" beside a reason it is not.
fn rebuild_due(
    task: &crate::model::Task,
    base: &crate::store::RecordedBase,
    current: &std::result::Result<String, String>,
) -> (Option<bool>, Option<String>) {
    let why_not = task.why_not_watched(base);
    let current = match current {
        Ok(c) => c,
        Err(e) => {
            return (
                None,
                Some(why_not.map_or(e.clone(), |w| format!("{w}; {e}"))),
            );
        }
    };
    let moved = Some(current) != base.platform_digest.as_ref();
    match why_not {
        Some(why) if base.pinned && base.tag.is_some() && moved => (
            Some(false),
            Some(format!(
                "{why}; the tag now points to {} (move the pin to build on it)",
                crate::model::image::short_digest(current)
            )),
        ),
        Some(why) if base.pinned && base.tag.is_some() => (
            Some(false),
            Some(format!("{why}; the tag still points to it")),
        ),
        Some(why) => (Some(false), Some(why)),
        None if moved => (
            Some(true),
            Some("the tag moved: the next watch cycle rebuilds the task".into()),
        ),
        None => (Some(false), None),
    }
}

const CHECK_BASE_TABLE: TableView = TableView {
    columns: &[
        "TASK",
        "TYPE",
        "BASE IMAGE",
        "RECORDED",
        "CURRENT",
        "REBUILD DUE",
        "NOTE",
    ],
    rows: |value| {
        items(value)
            .into_iter()
            .map(|r| {
                let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
                let short = |k: &str| crate::model::image::short_digest(&text(k));
                let image = if r["repository"].is_null() {
                    String::new()
                } else {
                    format!(
                        "{}/{}:{}",
                        text("registry"),
                        text("repository"),
                        text("tag")
                    )
                };
                let due = match r["rebuildDue"].as_bool() {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "",
                };
                vec![
                    text("task"),
                    text("type"),
                    image,
                    short("recordedDigest"),
                    short("currentDigest"),
                    due.to_string(),
                    text("note"),
                ]
            })
            .collect()
    },
};
