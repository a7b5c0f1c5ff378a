//! Runs: `task run`, `task rebase`, `task list-runs|show-run|logs|cancel-run|update-run`.

use super::{Ctx, find_run, find_task, start_run};
use crate::cli::{ListRunsArgs, LogsArgs, RunIdArgs, RunWaitArgs, TaskRunArgs, UpdateRunArgs};
use crate::engine::{self, Build, RunSpec, TaskFileSource};
use crate::error::{Result, not_found};
use crate::model::RunKey;
use crate::model::argument::{Argument, dedup_by_name};
use crate::model::image::ImageRef;
use crate::model::status::{RunType, Status};
use crate::output::{CommandOutput, views};
use crate::store::RunFilter;

/// `task rebase`: a run that rebases the task's image (or rebuilds it, saying why), waited
/// for and printed as `task run --no-logs` prints it.
pub fn task_rebase(ctx: &Ctx, args: crate::cli::TaskRebaseArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.task.registry)?;
    let store = ctx.store()?;
    let task = find_task(&store, &registry, &args.task.name)?;
    let mut spec = RunSpec::for_task(&registry, &task)?;
    spec.run_type = RunType::QuickRun;
    spec.plan = spec.plan.rebased();
    let wait = RunWaitArgs {
        no_logs: true,
        no_wait: false,
        no_format: false,
        builder: args.builder,
    };
    let reached = ctx.set_builder(&store, &mut spec, &wait)?;
    allow_retry(ctx, &task, &mut spec)?;
    start_run(ctx, store, spec, reached, &wait, views::RUN)
}

pub fn task_run(ctx: &Ctx, args: TaskRunArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.task.registry)?;
    let name = &args.task.name;
    let store = ctx.store()?;
    let task = find_task(&store, &registry, name)?;
    if task.status == Status::Disabled {
        ctx.warn(&format!(
            "the task '{name}' is disabled; running it because you asked"
        ));
    }
    let mut spec = RunSpec::for_task(&registry, &task)?;
    // The service records a task run started by hand as QuickRun, one a trigger started as
    // AutoBuild.
    spec.run_type = RunType::QuickRun;
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
        spec.context = Some(crate::context::absolute_context(c)?);
    }
    if let Some(f) = &args.file {
        let location = crate::model::ContextLocation::of_stored(spec.context.as_deref());
        let f = crate::context::user_file(f, &location)?;
        match spec.plan.build_mut() {
            Some(Build::TaskFile { source, .. }) => *source = TaskFileSource::Path(f),
            Some(Build::Dockerfile { path, .. }) => *path = f,
            // A mirror task has no file to replace.
            None => {}
        }
    }
    if let Some(platforms) = &args.platform {
        spec.set_platforms(crate::model::Platforms::parse(platforms)?);
    }
    if let Some(t) = &args.target {
        spec.target = Some(t.clone());
    }
    spec.update_trigger_token = args.update_trigger_token.clone();
    super::explain_log_template(ctx, args.log_template.as_deref());
    let reached = ctx.set_builder(&store, &mut spec, &args.wait)?;
    allow_retry(ctx, &task, &mut spec)?;
    start_run(ctx, store, spec, reached, &args.wait, views::RUN)
}

/// A task with `--retry-elsewhere` run by hand may be tried once more on another builder of
/// its pool (as placed; for a run on a builder named by hand, the other named builders),
/// when its own stops answering during the build.
fn allow_retry(ctx: &Ctx, task: &crate::model::Task, spec: &mut RunSpec) -> Result<()> {
    spec.retry_elsewhere = Some(task.retry_elsewhere);
    if task.retry_elsewhere && spec.pool.is_none() {
        spec.pool = Some(engine::RunPool {
            local: None,
            named: ctx.config.builder_pool()?,
        });
    }
    Ok(())
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
    let key = RunKey::new(&registry, &args.run_id.to_ascii_lowercase());
    engine::runtime()?.block_on(engine::cancel(&mut store, &key))?;
    Ok(CommandOutput::Nothing)
}

pub fn update_run(ctx: &Ctx, args: UpdateRunArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.run.registry)?;
    let mut store = ctx.store()?;
    find_run(&store, &registry, &args.run.run_id)?;
    let key = RunKey::new(&registry, &args.run.run_id.to_ascii_lowercase());
    let run = store
        .set_archived(&key, !args.no_archive)?
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
    engine::follow_log(&mut store, &RunKey::new(&registry, &run.run_id))?;
    Ok(CommandOutput::Nothing)
}
