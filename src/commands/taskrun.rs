//! `acrt taskrun list|show|delete|logs`: az's task runs, which locally are the runs, each
//! named by its run ID.

use super::{Ctx, confirm, find_run};
use crate::cli::{TaskrunCommand, TaskrunDeleteArgs, TaskrunListArgs, TaskrunNameArgs};
use crate::engine;
use crate::error::{Result, invalid, not_found};
use crate::model::RunKey;
use crate::model::run::TaskRun;
use crate::output::{CommandOutput, views};
use crate::store::RunFilter;

pub fn dispatch(ctx: &Ctx, command: TaskrunCommand) -> Result<CommandOutput> {
    match command {
        TaskrunCommand::List(args) => list(ctx, args),
        TaskrunCommand::Show(args) => show(ctx, args),
        TaskrunCommand::Delete(args) => delete(ctx, args),
        TaskrunCommand::Logs(args) => logs(ctx, args),
    }
}

fn list(ctx: &Ctx, args: TaskrunListArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let mut store = ctx.store()?;
    engine::reap_dead_runs(&mut store)?;
    let filter = RunFilter {
        top: usize::MAX,
        ..RunFilter::default()
    };
    let taskruns: Vec<TaskRun> = store
        .list_runs(&registry, &filter)?
        .into_iter()
        .map(|run| TaskRun::of(&registry, run))
        .collect();
    CommandOutput::with_table(taskruns, views::TASKRUN)
}

fn show(ctx: &Ctx, args: TaskrunNameArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let mut store = ctx.store()?;
    engine::reap_dead_runs(&mut store)?;
    let run = find_run(&store, &registry, &args.name.to_ascii_lowercase())?;
    CommandOutput::with_table(TaskRun::of(&registry, run), views::TASKRUN)
}

fn delete(ctx: &Ctx, args: TaskrunDeleteArgs) -> Result<CommandOutput> {
    let name = args.taskrun.name.to_ascii_lowercase();
    let registry = ctx.registry(&args.taskrun.registry)?;
    let mut store = ctx.store()?;
    engine::reap_dead_runs(&mut store)?;
    find_run(&store, &registry, &name)?;
    if !args.yes
        && !confirm(
            &format!("Are you sure you want to delete the taskrun '{name}'?"),
            &format!("the taskrun '{name}'"),
        )?
    {
        return Ok(CommandOutput::Nothing);
    }
    match engine::delete_run(&mut store, &RunKey::new(&registry, &name))? {
        Some(Ok(())) => Ok(CommandOutput::Nothing),
        Some(Err(status)) => Err(invalid(format!(
            "the taskrun '{name}' is {status}: stop it first with 'acrt task cancel-run --run-id {name} -r {registry}'"
        ))),
        None => Err(not_found(format!(
            "the taskrun '{name}' does not exist in registry '{registry}'"
        ))),
    }
}

fn logs(ctx: &Ctx, args: TaskrunNameArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let name = args.name.to_ascii_lowercase();
    let mut store = ctx.store()?;
    engine::reap_dead_runs(&mut store)?;
    find_run(&store, &registry, &name)?;
    engine::follow_log(&mut store, &RunKey::new(&registry, &name))?;
    Ok(CommandOutput::Nothing)
}
