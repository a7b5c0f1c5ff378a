//! Runs: `task run`, `task list-runs|show-run|logs|cancel-run|update-run`, and what `acrt build`
//! shares with them (starting a run and waiting for it).

use super::{Ctx, find_run, task_not_found};
use crate::cli::{ListRunsArgs, LogsArgs, RunIdArgs, RunWaitArgs, TaskRunArgs, UpdateRunArgs};
use crate::engine::{self, RunSpec};
use crate::error::{Result, failed, invalid, not_found};
use crate::model::ContextLocation;
use crate::model::argument::{Argument, dedup_by_name};
use crate::model::image::ImageRef;
use crate::model::run::Run;
use crate::model::status::{RunStatus, Status};
use crate::output::{CommandOutput, TableView, views};
use crate::store::RunFilter;

/// A current-thread runtime: acrt does one thing at a time, and a task list needs none.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// Queues a run and, as asked, streams it, waits for it, or leaves it to a worker.
/// `table` is the run's az table: the build one for `acrt build`, the run one otherwise.
pub(crate) fn start_run(
    ctx: &Ctx,
    spec: RunSpec,
    wait: &RunWaitArgs,
    table: TableView,
) -> Result<CommandOutput> {
    // No builder is a problem of this machine, not of a run: say so before queueing one
    // (a mirror task's run needs none).
    if spec.import_source.is_none() {
        crate::builder::select(spec.builder.as_deref(), spec.builder_url.as_deref())?;
    }
    let mut store = ctx.store()?;
    let registry = spec.registry.clone();
    let queued = engine::queue(&mut store, &spec, ctx.config.run_retention_days())?;
    let run_id = queued.run_id.clone();
    ctx.status(&format!("Queued a run with ID: {run_id}"));
    if wait.no_wait {
        engine::spawn_detached(&mut store, &registry, &run_id)?;
        return CommandOutput::with_table(queued, table);
    }
    if !wait.no_logs {
        ctx.status("Waiting for an agent...");
    }
    let run = runtime()?.block_on(engine::execute(
        &mut store,
        &registry,
        &run_id,
        !wait.no_logs,
    ))?;
    // With --no-logs the run is the output, failed or not; with logs, the log was it.
    let output = if wait.no_logs {
        CommandOutput::with_table(&run, table)?
    } else {
        CommandOutput::Nothing
    };
    Ok(match run_failure(&run) {
        Some(error) => CommandOutput::ThenFail {
            output: Box::new(output),
            error,
        },
        None => output,
    })
}

fn run_failure(run: &Run) -> Option<anyhow::Error> {
    let why = run
        .run_error_message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    let see = format!(
        "; see the log with 'acrt task logs --run-id {}'",
        run.run_id
    );
    match run.status {
        RunStatus::Succeeded => None,
        RunStatus::Timeout => Some(failed(format!("Run timed out{why}{see}"))),
        RunStatus::Canceled => Some(failed(format!("Run was canceled{why}"))),
        _ => Some(failed(format!("Run failed{why}{see}"))),
    }
}

/// `task rebase`: a run that rebases the task's image (or rebuilds it, saying why), waited
/// for and printed as `task run --no-logs` prints it.
pub fn task_rebase(ctx: &Ctx, args: crate::cli::TaskRebaseArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.task.registry)?;
    let task = ctx
        .store()?
        .get_task(&registry, &args.task.name)?
        .ok_or_else(|| task_not_found(&registry, &args.task.name))?;
    let mut spec = RunSpec::for_task(&registry, &task)?;
    spec.rebase = true;
    let wait = RunWaitArgs {
        no_logs: true,
        no_wait: false,
        no_format: false,
        builder: args.builder,
    };
    ctx.set_builder(&mut spec, &wait);
    start_run(ctx, spec, &wait, views::RUN)
}

pub fn task_run(ctx: &Ctx, args: TaskRunArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.task.registry)?;
    let name = &args.task.name;
    let task = ctx
        .store()?
        .get_task(&registry, name)?
        .ok_or_else(|| task_not_found(&registry, name))?;
    if task.status == Status::Disabled {
        ctx.warn(&format!(
            "the task '{name}' is disabled; running it because you asked"
        ));
    }
    let mut spec = RunSpec::for_task(&registry, &task)?;
    let env = |n: &str| std::env::var(n).ok();
    for a in &args.arg {
        spec.arguments
            .push(Argument::parse_build_arg(a, false, "--arg", env)?);
    }
    for a in &args.secret_arg {
        spec.arguments
            .push(Argument::parse_build_arg(a, true, "--secret-arg", env)?);
    }
    spec.arguments = dedup_by_name(std::mem::take(&mut spec.arguments));
    spec.values
        .extend(super::task::parse_values(&args.set, &args.set_secret)?);
    spec.values = dedup_by_name(std::mem::take(&mut spec.values));
    if let Some(c) = &args.context {
        spec.context = Some(absolute_context(c)?);
    }
    if let Some(f) = &args.file {
        match spec.task_file {
            Some(_) => spec.task_file = Some(crate::engine::TaskFileSource::Path(f.clone())),
            None => spec.dockerfile = f.clone(),
        }
    }
    if let Some(t) = &args.target {
        spec.target = Some(t.clone());
    }
    ctx.set_builder(&mut spec, &args.wait);
    start_run(ctx, spec, &args.wait, views::RUN)
}

/// Local contexts are stored absolute, so that a worker or a later run finds them.
pub(crate) fn absolute_context(text: &str) -> Result<String> {
    ContextLocation::parse(text).validate()?;
    match ContextLocation::parse(text) {
        ContextLocation::Local(path) => {
            let dir = std::path::Path::new(&path);
            if !dir.is_dir() {
                return Err(invalid(format!(
                    "the context directory '{path}' does not exist; give a directory, a git URL or a tarball URL"
                )));
            }
            Ok(dir.canonicalize()?.to_string_lossy().into_owned())
        }
        _ => Ok(text.to_string()),
    }
}

pub fn list_runs(ctx: &Ctx, args: ListRunsArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let mut store = ctx.store()?;
    engine::reap_dead_runs(&mut store)?;
    let image = args
        .image
        .as_deref()
        .map(|i| image_filter(i, &registry))
        .transpose()?;
    let filter = RunFilter {
        task: args.name.as_deref(),
        status: args.run_status,
        image: image.as_ref().map(|(r, t)| (r.as_str(), t.as_deref())),
        top: args.top as usize,
    };
    CommandOutput::with_table(store.list_runs(&registry, &filter)?, views::RUN)
}

/// `--image repo[:tag]` (or with the registry in front) as (repository, tag).
fn image_filter(text: &str, registry: &str) -> Result<(String, Option<String>)> {
    let has_tag = text
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains(':'));
    let image = ImageRef::parse_in(text, Some(registry))?;
    Ok((image.repository, if has_tag { image.tag } else { None }))
}

pub fn show_run(ctx: &Ctx, args: RunIdArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let mut store = ctx.store()?;
    engine::reap_dead_runs(&mut store)?;
    let run = find_run(&store, &registry, &args.run_id)?;
    CommandOutput::with_table(run, views::RUN)
}

pub fn cancel_run(ctx: &Ctx, args: RunIdArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let mut store = ctx.store()?;
    engine::reap_dead_runs(&mut store)?;
    find_run(&store, &registry, &args.run_id)?;
    runtime()?.block_on(engine::cancel(
        &mut store,
        &registry,
        &args.run_id.to_ascii_lowercase(),
    ))?;
    Ok(CommandOutput::Nothing)
}

pub fn update_run(ctx: &Ctx, args: UpdateRunArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.run.registry)?;
    let mut store = ctx.store()?;
    find_run(&store, &registry, &args.run.run_id)?;
    let run = store
        .set_archived(
            &registry,
            &args.run.run_id.to_ascii_lowercase(),
            !args.no_archive,
        )?
        .ok_or_else(|| not_found(format!("the run '{}' does not exist", args.run.run_id)))?;
    CommandOutput::with_table(run, views::RUN)
}

pub fn logs(ctx: &Ctx, args: LogsArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let mut store = ctx.store()?;
    engine::reap_dead_runs(&mut store)?;
    let run = match (&args.run_id, &args.name, &args.image) {
        (Some(id), _, _) => find_run(&store, &registry, id)?,
        (None, task, image) => {
            let image = image
                .as_deref()
                .map(|i| image_filter(i, &registry))
                .transpose()?;
            let filter = RunFilter {
                task: task.as_deref(),
                image: image.as_ref().map(|(r, t)| (r.as_str(), t.as_deref())),
                top: 1,
                ..RunFilter::default()
            };
            let run = store.list_runs(&registry, &filter)?.into_iter().next().ok_or_else(|| {
                not_found(format!("no run matches in registry '{registry}'; list runs with 'acrt task list-runs'"))
            })?;
            if task.is_none() && image.is_none() {
                ctx.warn(&format!(
                    "no run named: showing the logs of the newest run, {}",
                    run.run_id
                ));
            }
            run
        }
    };
    engine::follow_log(&mut store, &registry, &run.run_id)?;
    Ok(CommandOutput::Nothing)
}
