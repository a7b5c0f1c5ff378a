//! Executing a run: context, base-image scan and digest resolution (before the build),
//! the builder's processes with log streaming, timeout and cancel, and the final record.
//!
//! `spec` says what a run does, `lifecycle` queues, hands over, cancels and reaps runs,
//! `pipeline` holds the rule every build follows (scan, resolve, pin, annotate), `docker` and
//! `taskfile` are the two kinds of run, `steps` a task file's steps, `process` the builder's
//! processes.

pub(crate) mod builders;
pub(crate) mod cleanup;
mod docker;
mod elsewhere;
pub mod journal;
mod lifecycle;
pub mod log;
mod mirror;
pub mod outcome;
pub mod pipeline;
mod platforms;
pub mod process;
mod provenance;
mod push_login;
mod rebase;
mod spec;
pub mod steps;
mod taskfile;
#[cfg(test)]
mod tests;
mod unchanged;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::builder::{self, Builder};
use crate::context;
use crate::error::{Result, failed};
use crate::model::RunKey;
use crate::model::registry::registry_name;
use crate::model::run::{ImageDescriptor, PlatformImage, Run};
use crate::model::status::RunStatus;
use crate::store::{RecordedBase, Store};
use crate::template::TemplateContext;
use journal::{Journal, PreviousOnce, StoredRun};
use log::{RunLog, log_path};
use outcome::{Outcome, Stop, fail, failure};
use process::process_start_time;
use rebase::Tried;

pub use lifecycle::{cancel, delete_run, fail_current_run, queue, reap_dead_runs, spawn_detached};
pub use spec::{
    Build, GivenSecrets, PlatformBuilder, PoolLocal, Prefer, RunPlan, RunPool, RunSpec,
    TaskFileSource, values_from_yaml,
};

/// What a run that succeeded made: the images it pushed, the bases it was built on.
pub(crate) struct Built {
    pub(crate) output_images: Vec<ImageDescriptor>,
    pub(crate) bases: Vec<RecordedBase>,
    /// What its provenance needs beyond these (the context's commit, a rebase's old digest).
    pub(crate) facts: provenance::Facts,
    /// A multi-platform build's platforms, each with the digest of its pushed image.
    pub(crate) platform_images: Option<Vec<PlatformImage>>,
}

/// What every part of executing one run reads.
struct Running<'a> {
    spec: &'a RunSpec,
    run: &'a Run,
    log: &'a RunLog,
    deadline: tokio::time::Instant,
    /// The run's private work directory (removed when it ends).
    work: &'a Path,
    /// The run's record: its process groups, steps and pushes as they happen.
    journal: &'a Journal,
    /// Chosen once, when the run starts: every step of the run uses it.
    builder: &'a dyn Builder,
    /// The platform images a rebase of this run made or kept, which a multi-platform build
    /// keeps where their bases are the build's (None: the task's last run's, where kept).
    candidates: Option<&'a [platforms::Candidate]>,
    /// The task's last run and recorded bases, read once for the whole run.
    previous: &'a PreviousOnce<'a>,
}

/// Executes a queued run in this process; `stream` also writes its log to stdout. `given`
/// holds the values of its secrets, which the store does not keep; `builder`, the builder
/// when the caller already chose it (else it is chosen here). The run's record is kept on
/// `store`'s connection, on a thread of its own.
pub async fn execute(
    store: Store,
    key: &RunKey,
    stream: bool,
    given: &GivenSecrets,
    builder: Option<Box<dyn Builder>>,
) -> Result<Run> {
    let state_dir = store.dir().to_path_buf();
    lifecycle::set_current_run(Some((state_dir.clone(), key.clone())));
    let journal = Journal::new(Box::new(StoredRun::new(store, key.clone())))?;
    let run = RunTarget {
        state_dir: &state_dir,
        key,
    };
    let result = execute_run(&journal, &run, stream, given, builder).await;
    lifecycle::set_current_run(None);
    result
}

/// Which run to execute, and where its files go.
pub struct RunTarget<'a> {
    pub state_dir: &'a Path,
    pub key: &'a RunKey,
}

/// The builder of a run: chosen when it starts (or by the caller), and recorded then; a
/// rebase chooses one only if it builds after all. A failure to choose one fails the run.
type Chosen = Option<Outcome<Box<dyn Builder>>>;

/// Reads the run's spec (with its secrets filled in), chooses its builder, and marks it
/// Running with this process as its runner and that builder (unless it already ended:
/// canceled while queued).
async fn begin_run(
    journal: &Journal,
    run_id: &str,
    given: &GivenSecrets,
    builder: Option<Box<dyn Builder>>,
) -> Result<(RunSpec, Run, Chosen)> {
    let read_task = given.need_task();
    let (spec, task) = journal
        .call(move |r| {
            let spec = r.spec()?;
            let task = match read_task && spec.is_some() {
                true => r.task()?,
                false => None,
            };
            Ok((spec, task))
        })
        .await?;
    let spec = match spec {
        Some(text) => serde_json::from_str::<RunSpec>(&text)?.with_secrets(task.as_ref(), given)?,
        None => return Err(failed(format!("the run {run_id} has nothing to execute"))),
    };
    let chosen: Chosen = match (builder, &spec.plan) {
        (_, RunPlan::Mirror { .. }) => None,
        (Some(builder), _) => Some(Ok(builder)),
        (None, plan) if plan.builds_first() => Some(choose_builder(&spec).await),
        (None, _) => None,
    };
    let described = match &chosen {
        Some(Ok(builder)) => Some(recorded_builder(&spec, builder.as_ref())),
        _ => None,
    };
    let me = i64::from(std::process::id());
    let run = journal
        .call(move |r| r.start((me, process_start_time(me)), described.as_deref()))
        .await?
        .ok_or_else(|| failed(format!("the run {run_id} does not exist")))?;
    Ok((spec, run, chosen))
}

/// Executes the run of `target` with its record in `journal`.
pub async fn execute_run(
    journal: &Journal,
    target: &RunTarget<'_>,
    stream: bool,
    given: &GivenSecrets,
    builder: Option<Box<dyn Builder>>,
) -> Result<Run> {
    let run_id = target.key.run_id.as_str();
    let (spec, run, chosen) = begin_run(journal, run_id, given, builder).await?;
    if run.status.is_final() {
        return Ok(run);
    }
    let log = RunLog::create(
        &log_path(target.state_dir, target.key),
        stream,
        spec.secrets(),
    )?;
    let started = std::time::Instant::now();
    let work = cleanup::WorkDir::create(target.state_dir, target.key)?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(u64::from(spec.timeout));
    let mut rebased = None;
    let previous = PreviousOnce::new(journal, spec.task.as_deref());
    let mut inputs = RunInputs {
        spec: &spec,
        run: &run,
        log: &log,
        deadline,
        work: &work,
        journal,
        candidates: None,
        previous: &previous,
    };
    let outcome = match &spec.plan {
        RunPlan::Mirror { source } => {
            let vars = run_variables(&spec, &run, None, None);
            tokio::select! {
                outcome = mirror::run_import(&spec, source, &vars, &log, deadline) => outcome,
                _ = tokio::signal::ctrl_c() => Err(Stop::Canceled),
            }
        }
        RunPlan::Build(plan) => elsewhere::build_retrying(&inputs, plan, chosen).await,
        RunPlan::Rebase(plan) => {
            let vars = run_variables(&spec, &run, None, None);
            match rebase::try_rebase((journal, &previous), &spec, &vars, &log, deadline).await {
                Tried::Rebased(built, record) => {
                    rebased = Some(record);
                    Ok(*built)
                }
                Tried::Stopped(stop) => Err(stop),
                Tried::Build(None) => elsewhere::build_retrying(&inputs, plan, chosen).await,
                Tried::Build(Some(candidates)) => {
                    inputs.candidates = Some(candidates);
                    elsewhere::build_retrying(&inputs, plan, chosen).await
                }
            }
        }
    };

    let unchanged = match &outcome {
        Ok(built) => {
            unchanged::judge(journal, spec.task.as_deref(), &built.output_images, &log).await
        }
        Err(_) => None,
    };
    let mut finished = journal
        .call(|r| r.run())
        .await?
        .unwrap_or_else(|| run.clone());
    finished.rebase = rebased;
    let outcome =
        provenance::signed(outcome, &spec, &mut finished, &log, unchanged == Some(true)).await;
    let bases = record_outcome(&mut finished, outcome, &spec, &log);
    if finished.status == RunStatus::Succeeded {
        finished.unchanged = unchanged;
    }
    if finished.status == RunStatus::Succeeded {
        log.line(&format!(
            "Run ID: {run_id} was successful after {}s",
            started.elapsed().as_secs()
        ));
    } else {
        // A stopped step may leave its container and processes.
        let _ = journal.call(|r| r.clean_up()).await;
    }
    // A detached step's container runs until here; no step's container outlives its run.
    cleanup::remove_containers(work.path());
    drop(work);
    let (record, recorded_bases) = (finished.clone(), bases);
    let ended_here = journal
        .call(move |r| r.finish(&record, &recorded_bases))
        .await?;
    if !ended_here {
        // Someone else ended it first (cancel-run): that record stands.
        return Ok(journal.call(|r| r.run()).await?.unwrap_or(finished));
    }
    Ok(finished)
}

/// What a run's build reads before its builder is chosen.
struct RunInputs<'a> {
    spec: &'a RunSpec,
    run: &'a Run,
    log: &'a RunLog,
    deadline: tokio::time::Instant,
    work: &'a cleanup::WorkDir,
    journal: &'a Journal,
    candidates: Option<Vec<platforms::Candidate>>,
    previous: &'a PreviousOnce<'a>,
}

/// A run's build with its builder (chosen here if it was not when the run started), the
/// Dockerfile or the task file run; Ctrl-C stops every process the run started.
async fn build(inputs: &RunInputs<'_>, plan: &Build, chosen: Chosen) -> Outcome<Built> {
    let builder = match chosen {
        Some(chosen) => chosen?,
        None => {
            // Chosen only now (a rebase that builds after all): recorded now.
            let builder = choose_builder(inputs.spec).await?;
            let described = recorded_builder(inputs.spec, builder.as_ref());
            inputs
                .journal
                .call(move |r| r.update(&mut |run| run.builder = Some(described.clone())))
                .await
                .map_err(fail)?;
            builder
        }
    };
    inputs.log.line(&format!("Builder: {}", builder.describe()));
    inputs.log.set_trust_hint(builder.trust_hint());
    let running = Running {
        spec: inputs.spec,
        run: inputs.run,
        log: inputs.log,
        deadline: inputs.deadline,
        work: inputs.work.path(),
        journal: inputs.journal,
        builder: builder.as_ref(),
        candidates: inputs.candidates.as_deref(),
        previous: inputs.previous,
    };
    tokio::select! {
        outcome = run_build(&running, plan) => outcome,
        _ = tokio::signal::ctrl_c() => {
            inputs.journal.stop_all(Duration::from_secs(5)).await;
            Err(Stop::Canceled)
        }
    }
}

/// What a run records as its builder: a builder of the pool by its name, this machine's by
/// what it is and where it builds.
fn recorded_builder(spec: &RunSpec, builder: &dyn Builder) -> String {
    spec.builder_name
        .clone()
        .unwrap_or_else(|| builder.describe())
}

/// The run's builder, chosen once (off the runtime: it may ask a daemon or a service).
async fn choose_builder(spec: &RunSpec) -> Outcome<Box<dyn Builder>> {
    choose_builder_at(
        spec.builder,
        spec.builder_url.clone(),
        spec.builder_name.is_some(),
    )
    .await
}

/// A builder of `kind` at `url`, one of the pool when `pool` (asked whether it answers).
async fn choose_builder_at(
    kind: Option<crate::model::BuilderKind>,
    url: Option<String>,
    pool: bool,
) -> Outcome<Box<dyn Builder>> {
    tokio::task::spawn_blocking(move || builder::of_run(kind, url.as_deref(), pool))
        .await
        .map_err(|e| failure(format!("choosing the builder stopped: {e}")))?
        .map_err(fail)
}

/// Sets the run's final status, message and results from how its build ended; returns the
/// bases to record for its task.
fn record_outcome(
    run: &mut Run,
    outcome: Outcome<Built>,
    spec: &RunSpec,
    log: &RunLog,
) -> Vec<RecordedBase> {
    run.finish_now();
    match outcome {
        Ok(built) => {
            run.status = RunStatus::Succeeded;
            run.output_images = Some(built.output_images);
            if built.platform_images.is_some() {
                run.platforms = built.platform_images;
            }
            run.base_image_dependencies =
                Some(built.bases.iter().map(RecordedBase::dependency).collect());
            return built.bases;
        }
        Err(Stop::Failed(error)) => {
            let message = explain_failure(&format!("{error:#}"), log);
            run.status = RunStatus::Failed;
            log.line(&format!("error: {message}"));
            run.run_error_message = Some(message);
        }
        Err(Stop::TimedOut) => {
            run.status = RunStatus::Timeout;
            run.run_error_message = Some(format!(
                "the run took longer than its timeout of {} s",
                spec.timeout
            ));
        }
        Err(Stop::Canceled) => {
            run.status = RunStatus::Canceled;
            run.run_error_message = Some("canceled".into());
        }
    }
    Vec::new()
}

/// A failure's message as stored and printed: masked (an error may quote input that holds a
/// secret, a YAML excerpt), clipped (it may quote what a registry sent), and with the fix for
/// causes the log shows.
fn explain_failure(message: &str, log: &RunLog) -> String {
    let message = crate::error::clip_text(&log.masked(message)).into_owned();
    if log.saw_disk_full()
        || message
            .to_ascii_lowercase()
            .contains("no space left on device")
    {
        format!(
            "the disk is full (no space left on device); free some space and run again: {message}"
        )
    } else if log.saw_tls_failure() {
        format!(
            "{message}; the builder met a TLS certificate problem (see the log): {}",
            log.trust_hint().unwrap_or(crate::builder::CA_FILE_HINT)
        )
    } else {
        message
    }
}

/// Fetches the context, then runs the task file's steps or builds the Dockerfile.
async fn run_build(r: &Running<'_>, plan: &Build) -> Outcome<Built> {
    let spec = r.spec;
    let location = spec.context_location();
    location.validate().map_err(fail)?;
    r.log.line(&format!(
        "Fetching the context: {}",
        spec.context.as_deref().unwrap_or("(none)")
    ));
    let fetched = tokio::time::timeout_at(
        r.deadline,
        context::fetch(&location, spec.context_token.as_deref(), r.work),
    )
    .await
    .map_err(|_| Stop::TimedOut)?
    .map_err(fail)?;
    let vars = run_variables(
        spec,
        r.run,
        fetched.commit.as_deref(),
        fetched.branch.as_deref(),
    );
    let mut built = match plan {
        Build::TaskFile {
            source,
            values_file,
        } => {
            let values_file = values_file.as_deref();
            taskfile::run_task_file(r, source, values_file, &fetched, vars).await
        }
        Build::Dockerfile { path, text } => {
            docker::build_dockerfile(r, (path, text.as_deref()), &fetched, &vars).await
        }
    }?;
    built.facts.commit = fetched.commit.clone();
    Ok(built)
}

/// `{{.Run.*}}` for a run, and `{{.Values.*}}` from the spec.
fn run_variables(
    spec: &RunSpec,
    run: &Run,
    commit: Option<&str>,
    branch: Option<&str>,
) -> TemplateContext {
    let created = chrono::DateTime::parse_from_rfc3339(&run.create_time)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now());
    let mut ctx = TemplateContext::default();
    let mut set = |k: &str, v: &str| {
        ctx.run.insert(k.to_string(), v.to_string());
    };
    set("ID", &run.run_id);
    set("Registry", &spec.registry);
    set("RegistryName", registry_name(&spec.registry));
    set("Date", &created.format("%Y%m%d-%H%M%Sz").to_string());
    set("OS", &spec.platform.os);
    set("Architecture", &spec.platform.architecture);
    set("Commit", commit.unwrap_or_default());
    set("Branch", branch.unwrap_or_default());
    set("TaskName", spec.task.as_deref().unwrap_or_default());
    // A Dockerfile build has no shared volume; a task file's run sets it to its workspace.
    set("SharedVolume", "");
    for v in &spec.values {
        ctx.values
            .insert(v.name.clone(), v.value.clone().unwrap_or_default());
    }
    ctx
}

/// Where the state dir's run logs are, for `task logs`.
pub fn run_log(store: &Store, key: &RunKey) -> PathBuf {
    log_path(store.dir(), key)
}

/// Prints a run's log, and keeps printing while the run is in progress.
pub fn follow_log(store: &mut Store, key: &RunKey) -> Result<()> {
    let path = run_log(store, key);
    let mut offset = 0u64;
    use std::io::{Read as _, Seek as _, Write as _};
    let mut out = std::io::stdout().lock();
    loop {
        if let Ok(mut file) = std::fs::File::open(&path) {
            file.seek(std::io::SeekFrom::Start(offset))?;
            let mut chunk = Vec::new();
            file.read_to_end(&mut chunk)?;
            offset += chunk.len() as u64;
            if out.write_all(&chunk).and_then(|()| out.flush()).is_err() {
                return Ok(()); // the reader went away
            }
            if !chunk.is_empty() {
                continue;
            }
        }
        reap_dead_runs(store)?;
        let finished = store.get_run(key)?.is_none_or(|r| r.run.status.is_final());
        if finished {
            // One last read: lines written between the read above and the final status.
            if let Ok(mut file) = std::fs::File::open(&path) {
                file.seek(std::io::SeekFrom::Start(offset))?;
                std::io::copy(&mut file, &mut out)?;
            }
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// A current-thread runtime: acrt does one thing at a time, and a task list needs none.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
