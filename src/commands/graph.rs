//! `acrt task graph`: who is built on what, from the recorded runs.

use super::Ctx;
use crate::cli::{GraphFormat, TaskGraphArgs};
use crate::error::{Result, not_found};
use crate::model::graph::Graph;
use crate::model::image::ImageRef;
use crate::output::CommandOutput;

pub fn graph(ctx: &Ctx, args: TaskGraphArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let store = ctx.store()?;
    let links = store
        .list_tasks(&registry)?
        .iter()
        .map(|task| store.task_links(&registry, &task.name))
        .collect::<Result<Vec<_>>>()?;
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
