//! `acrt task graph`: who is built on what, from the recorded runs.

use super::Ctx;
use crate::cli::{GraphFormat, TaskGraphArgs};
use crate::error::{Result, not_found};
use crate::model::graph::{Graph, TaskLinks};
use crate::model::image::ImageRef;
use crate::model::status::RunStatus;
use crate::output::CommandOutput;
use crate::store::RunFilter;

pub fn graph(ctx: &Ctx, args: TaskGraphArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let store = ctx.store()?;
    let mut links = Vec::new();
    for task in store.list_tasks(&registry)? {
        let bases = store
            .base_images(&registry, &task.name)?
            .iter()
            .map(|b| b.image().to_string())
            .collect();
        // What the last successful run pushed (the run whose bases are recorded).
        let filter = RunFilter {
            task: Some(&task.name),
            status: Some(RunStatus::Succeeded),
            top: 1,
            ..RunFilter::default()
        };
        let pushed = store
            .list_runs(&registry, &filter)?
            .into_iter()
            .next()
            .and_then(|run| run.output_images)
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                ImageRef {
                    registry: i.registry,
                    repository: i.repository,
                    tag: i.tag,
                    digest: None,
                }
                .to_string()
            })
            .collect();
        links.push(TaskLinks {
            task: task.name.clone(),
            bases,
            pushed,
        });
    }
    let mut graph = Graph::of(&links);
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
