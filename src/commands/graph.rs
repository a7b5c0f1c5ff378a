//! `acrt task graph`: who is built on what, from the recorded runs.

use super::Ctx;
use crate::cli::{GraphFormat, TaskGraphArgs};
use crate::error::{Result, not_found};
use crate::model::graph::{Graph, PlatformDigest, TaskPlatforms};
use crate::model::image::ImageRef;
use crate::model::status::RunStatus;
use crate::output::CommandOutput;
use crate::store::{RunFilter, Store};

pub fn graph(ctx: &Ctx, args: TaskGraphArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let store = ctx.store()?;
    let tasks = store.list_tasks(&registry)?;
    let links = tasks
        .iter()
        .map(|task| store.task_links(&registry, &task.name))
        .collect::<Result<Vec<_>>>()?;
    let mut graph = Graph::of(&links);
    for task in &tasks {
        if let Some(several) = task_platforms(&store, &registry, &task.name)? {
            graph = graph.with_platforms(&task.name, several);
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
    Ok(match args.format {
        Some(GraphFormat::Dot) => CommandOutput::Text(graph.dot()),
        None if ctx.own_table() => CommandOutput::Text(graph.tree()),
        None => CommandOutput::value(&graph)?,
    })
}

/// The platforms `task`'s last successful run built and its bases' digests for each; None
/// when that run built one platform (or there is none).
fn task_platforms(store: &Store, registry: &str, task: &str) -> Result<Option<TaskPlatforms>> {
    let filter = RunFilter {
        task: Some(task),
        status: Some(RunStatus::Succeeded),
        top: 1,
        ..RunFilter::default()
    };
    let Some(built) = store
        .list_runs(registry, &filter)?
        .into_iter()
        .next()
        .and_then(|run| run.platforms)
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
