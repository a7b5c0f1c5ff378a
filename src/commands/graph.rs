//! `acrt task graph`: who is built on what, from the recorded runs; with `--verify`, whether
//! the image each task pushed last carries a signature and provenance that verify.

use futures_util::StreamExt as _;
use std::collections::BTreeMap;

use super::Ctx;
use crate::attest::{self, Checked, PublicKey};
use crate::cli::{GraphFormat, TaskGraphArgs};
use crate::engine::runtime;
use crate::error::{Error, Message, Result, not_found};
use crate::model::graph::{
    Graph, PlatformDigest, ProvenanceCheck, ProvenanceStatus, TaskPlatforms,
};
use crate::model::image::ImageRef;
use crate::model::run::Run;
use crate::model::status::RunStatus;
use crate::output::CommandOutput;
use crate::registry::{Credentials, RegistryClient};
use crate::store::{RunFilter, Store};

pub fn graph(ctx: &Ctx, args: TaskGraphArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let key = match args.verify {
        true => Some(super::verify::public_key(args.key.as_deref())?),
        false => None,
    };
    let store = ctx.store()?;
    let tasks = store.list_tasks(&registry)?;
    let links = tasks
        .iter()
        .map(|task| store.task_links(&registry, &task.name))
        .collect::<Result<Vec<_>>>()?;
    let mut graph = Graph::of(&links);
    // Each task's last successful run, read once: its platforms, and with --verify its images.
    let last_runs = tasks
        .iter()
        .map(|task| {
            Ok((
                task.name.as_str(),
                last_success(&store, &registry, &task.name)?,
            ))
        })
        .collect::<Result<Vec<LastRun<'_>>>>()?;
    for (task, run) in &last_runs {
        if let Some(several) = task_platforms(&store, &registry, task, run.as_ref())? {
            graph = graph.with_platforms(task, several);
        }
    }
    if let Some(base) = &args.base {
        let node = ImageRef::parse_in(base, Some(&registry))?.to_string();
        if !graph.nodes.contains(&node) {
            return Err(not_found(format!(
                "no task of registry '{registry}' is built on {node}, and none pushes it; see \
                 the whole graph with 'acrt task graph -r {registry}'"
            )));
        }
        graph = graph.reached_from(&node);
    }
    if let Some(key) = &key {
        graph = checked(&last_runs, graph, key)?;
    }
    let output = match args.format {
        Some(GraphFormat::Dot) => CommandOutput::Text(graph.dot()),
        None if ctx.own_table() => CommandOutput::Text(graph.tree()),
        None => CommandOutput::value(&graph)?,
    };
    Ok(match not_verified(&graph) {
        Some(error) => CommandOutput::ThenFail {
            output: Box::new(output),
            error,
        },
        None => output,
    })
}

/// A task's name and its last successful run, if it has one.
type LastRun<'a> = (&'a str, Option<Run>);

/// The graph with the image each task's last successful run pushed (by the digest it
/// pushed) checked against `key`.
fn checked(last_runs: &[LastRun<'_>], mut graph: Graph, key: &PublicKey) -> Result<Graph> {
    let mut pushed = Vec::new();
    for (task, run) in last_runs {
        for image in latest_images(run.as_ref()) {
            let node = ImageRef {
                digest: None,
                ..image.clone()
            }
            .to_string();
            if graph.nodes.contains(&node) {
                pushed.push((task.to_string(), node, image));
            }
        }
    }
    let mut registries: Vec<String> = pushed
        .iter()
        .map(|(_, _, i)| i.api_registry().to_string())
        .collect();
    registries.sort();
    registries.dedup();
    let client = RegistryClient::new(Credentials::default(), &registries);
    // Tags of one image share its signatures: each image is checked once.
    let mut images: Vec<ImageRef> = pushed
        .iter()
        .map(|(_, _, image)| ImageRef {
            tag: None,
            ..image.clone()
        })
        .collect();
    images.sort_by_key(ToString::to_string);
    images.dedup();
    let found_of: Vec<(ProvenanceStatus, Option<String>)> = runtime()?.block_on(
        futures_util::stream::iter(images.iter())
            .map(|image| async { found(attest::check(&client, image, key).await) })
            .buffered(CHECKS_AT_ONCE)
            .collect::<Vec<_>>(),
    );
    let checks: BTreeMap<String, _> = images
        .iter()
        .map(ToString::to_string)
        .zip(found_of)
        .collect();
    for (task, node, image) in pushed {
        let by_digest = ImageRef {
            tag: None,
            ..image.clone()
        };
        let Some((status, reason)) = checks.get(&by_digest.to_string()).cloned() else {
            continue;
        };
        let check = ProvenanceCheck {
            task,
            digest: image.digest.unwrap_or_default(),
            status,
            reason,
        };
        graph = graph.with_provenance(&node, check);
    }
    Ok(graph)
}

/// What a check found, as the graph marks it.
fn found(check: Result<Checked>) -> (ProvenanceStatus, Option<String>) {
    match check {
        Ok(Checked::Verified(_)) => (ProvenanceStatus::Verified, None),
        Ok(Checked::Unsigned { .. }) => (ProvenanceStatus::Unsigned, None),
        Ok(Checked::Invalid { reason, .. }) => (ProvenanceStatus::Invalid, Some(reason)),
        Err(e) => (ProvenanceStatus::Unchecked, Some(format!("{e:#}"))),
    }
}

/// How many images are checked at once.
const CHECKS_AT_ONCE: usize = 8;

/// The images a task's last successful run, `last`, pushed, each by the digest it pushed.
fn latest_images(last: Option<&Run>) -> Vec<ImageRef> {
    last.and_then(|run| run.output_images.clone())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| {
            Some(ImageRef {
                digest: Some(i.digest?),
                registry: i.registry,
                repository: i.repository,
                tag: i.tag,
            })
        })
        .collect()
}

/// The error for the images whose provenance does not verify (or could not be checked),
/// each named with why; None when there is none.
fn not_verified(graph: &Graph) -> Option<anyhow::Error> {
    let problems: Vec<String> = graph
        .provenance
        .iter()
        .filter(|(_, c)| {
            matches!(
                c.status,
                ProvenanceStatus::Invalid | ProvenanceStatus::Unchecked
            )
        })
        .map(|(image, c)| {
            format!(
                "{image} ({}, task {}): {}",
                c.digest,
                c.task,
                c.reason.as_deref().unwrap_or("?")
            )
        })
        .collect();
    if problems.is_empty() {
        return None;
    }
    Some(
        Error::Failed(Message::hinted(
            format!(
                "the provenance of {} image(s) does not verify: {}",
                problems.len(),
                problems.join("; ")
            ),
            "see one with 'acrt verify IMAGE@DIGEST --key PUB'",
        ))
        .into(),
    )
}

/// The platforms `task`'s last successful run, `last`, built and its bases' digests for
/// each; None when that run built one platform (or there is none).
fn task_platforms(
    store: &Store,
    registry: &str,
    task: &str,
    last: Option<&Run>,
) -> Result<Option<TaskPlatforms>> {
    let Some(built) = last
        .and_then(|run| run.platforms.as_ref())
        .filter(|p| p.len() > 1)
    else {
        return Ok(None);
    };
    let mut several = TaskPlatforms {
        platforms: built.iter().map(|p| p.platform.to_string()).collect(),
        ..TaskPlatforms::default()
    };
    for base in store.base_images(registry, task)? {
        if let Some(digest) = base.platform_digest.clone() {
            let recorded = PlatformDigest {
                platform: base.platform.clone(),
                digest,
            };
            let digests = several
                .base_digests
                .entry(base.image().to_string())
                .or_default();
            if !digests.contains(&recorded) {
                digests.push(recorded);
            }
        }
    }
    Ok(Some(several))
}

/// `task`'s last successful run, if it has one.
fn last_success(store: &Store, registry: &str, task: &str) -> Result<Option<Run>> {
    let filter = RunFilter {
        task: Some(task),
        status: Some(RunStatus::Succeeded),
        top: 1,
        ..RunFilter::default()
    };
    Ok(store.list_runs(registry, &filter)?.into_iter().next())
}
