//! Executing a run: context, base-image scan and digest resolution (before the build),
//! the builder's processes with log streaming, timeout and cancel, and the final record.
//!
//! `spec` says what a run does, `lifecycle` queues, hands over, cancels and reaps runs,
//! `pipeline` holds the rule every build follows (scan, resolve, pin, annotate), `docker` and
//! `taskfile` are the two kinds of run, `steps` a task file's steps, `process` the builder's
//! processes.

pub(crate) mod cleanup;
mod docker;
mod lifecycle;
pub mod log;
mod mirror;
pub mod pipeline;
pub mod process;
mod push_login;
mod rebase;
mod spec;
pub mod steps;
mod taskfile;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::builder::{self, Builder};
use crate::context;
use crate::error::{Result, failed};
use crate::model::registry::registry_name;
use crate::model::run::{ImageDescriptor, Run, StepRecord};
use crate::model::status::RunStatus;
use crate::model::task::now_rfc3339;
use crate::store::{RecordedBase, Store};
use crate::template::TemplateContext;
use log::{RunLog, log_path};
use process::{RunGroups, process_start_time};

pub use lifecycle::{cancel, delete_run, fail_current_run, queue, reap_dead_runs, spawn_detached};
pub use spec::{GivenSecrets, RunSpec, TaskFileSource, values_from_yaml};

/// How a build ended when it did not succeed.
enum Stop {
    Failed(String),
    TimedOut,
    Canceled,
}

fn fail(e: anyhow::Error) -> Stop {
    Stop::Failed(format!("{e:#}"))
}

struct Built {
    output_images: Vec<ImageDescriptor>,
    bases: Vec<RecordedBase>,
}

/// What every part of executing one run reads.
struct Running<'a> {
    spec: &'a RunSpec,
    run: &'a Run,
    log: &'a RunLog,
    deadline: tokio::time::Instant,
    /// The run's private work directory (removed when it ends).
    work: &'a Path,
    groups: &'a RunGroups,
    /// Chosen once, when the run starts: every step of the run uses it.
    builder: &'a dyn Builder,
}

/// Executes a queued run in this process; `stream` also writes its log to stdout. `given`
/// holds the values of its secret arguments and values, which the store does not keep.
pub async fn execute(
    store: &mut Store,
    registry: &str,
    run_id: &str,
    stream: bool,
    given: &GivenSecrets,
) -> Result<Run> {
    lifecycle::set_current_run(Some((
        store.dir().to_path_buf(),
        registry.to_string(),
        run_id.to_string(),
    )));
    let result = execute_run(store, registry, run_id, stream, given).await;
    lifecycle::set_current_run(None);
    result
}

/// Takes the run's spec and marks it Running with this process as its runner (unless it
/// already ended: canceled while queued).
fn begin_run(
    store: &mut Store,
    registry: &str,
    run_id: &str,
    given: &GivenSecrets,
) -> Result<(RunSpec, Run)> {
    let spec: RunSpec = match store.run_spec(registry, run_id)? {
        Some(text) => serde_json::from_str::<RunSpec>(&text)?.with_secrets(store, given)?,
        None => return Err(failed(format!("the run {run_id} has nothing to execute"))),
    };
    let me = i64::from(std::process::id());
    store.set_runner(registry, run_id, me, process_start_time(me))?;
    let run = store
        .update_run(registry, run_id, |r| {
            if !r.status.is_final() {
                r.status = RunStatus::Running;
                let now = now_rfc3339();
                r.start_time = Some(now.clone());
                r.touch(&now);
            }
            Ok(())
        })?
        .ok_or_else(|| failed(format!("the run {run_id} does not exist")))?;
    Ok((spec, run))
}

async fn execute_run(
    store: &mut Store,
    registry: &str,
    run_id: &str,
    stream: bool,
    given: &GivenSecrets,
) -> Result<Run> {
    let (spec, run) = begin_run(store, registry, run_id, given)?;
    if run.status.is_final() {
        return Ok(run);
    }
    let log = RunLog::create(
        &log_path(store.dir(), registry, run_id),
        stream,
        spec.secrets(),
    )?;
    let started = std::time::Instant::now();
    let work = cleanup::WorkDir::create(store.dir(), registry, run_id)?;
    let groups = RunGroups::open(store.dir(), registry, run_id)?;
    let steps_out = RefCell::new(None);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(u64::from(spec.timeout));
    let mut rebased = None;
    let outcome = if let Some(source) = &spec.import_source {
        // A mirror task needs no builder and no context.
        let vars = run_variables(&spec, &run, None, None);
        tokio::select! {
            outcome = mirror::run_import(&spec, source, &vars, &log, deadline) => outcome,
            _ = tokio::signal::ctrl_c() => Err(Stop::Canceled),
        }
    } else {
        let rebase = match spec.rebase {
            true => {
                let vars = run_variables(&spec, &run, None, None);
                rebase::try_rebase(store, &spec, &vars, &log, deadline).await
            }
            false => None,
        };
        match rebase {
            Some(Ok((built, record))) => {
                rebased = Some(record);
                Ok(built)
            }
            Some(Err(stop)) => Err(stop),
            None => {
                build(
                    store, &spec, &run, &log, deadline, &work, &groups, &steps_out,
                )
                .await
            }
        }
    };

    let mut finished = store
        .get_run(registry, run_id)?
        .map(|r| r.run)
        .unwrap_or_else(|| run.clone());
    finished.steps = steps_out.take();
    finished.rebase = rebased;
    let bases = record_outcome(&mut finished, outcome, &spec, &log);
    if finished.status == RunStatus::Succeeded {
        log.line(&format!(
            "Run ID: {run_id} was successful after {}s",
            started.elapsed().as_secs()
        ));
    } else {
        // A stopped step may leave its container and processes.
        let _ = cleanup::clean_up(store, registry, run_id);
    }
    drop(work);
    groups.clear();
    if !store.complete_run(registry, &finished, &bases)? {
        // Someone else ended it first (cancel-run): that record stands.
        return Ok(store
            .get_run(registry, run_id)?
            .map(|r| r.run)
            .unwrap_or(finished));
    }
    Ok(finished)
}

/// A run's build: the builder chosen, then the Dockerfile or the task file run; Ctrl-C stops
/// every process the run started.
#[allow(clippy::too_many_arguments)]
async fn build(
    store: &mut Store,
    spec: &RunSpec,
    run: &Run,
    log: &RunLog,
    deadline: tokio::time::Instant,
    work: &cleanup::WorkDir,
    groups: &RunGroups,
    steps_out: &RefCell<Option<Vec<StepRecord>>>,
) -> std::result::Result<Built, Stop> {
    let builder = choose_builder(store, spec, &run.run_id, log).await?;
    let running = Running {
        spec,
        run,
        log,
        deadline,
        work: work.path(),
        groups,
        builder: builder.as_ref(),
    };
    tokio::select! {
        outcome = run_build(store, &running, steps_out) => outcome,
        _ = tokio::signal::ctrl_c() => {
            groups.stop_all(Duration::from_secs(5)).await;
            Err(Stop::Canceled)
        }
    }
}

/// The run's builder, chosen once (off the runtime: it may ask a daemon or a service), named in
/// the log and in the run record.
async fn choose_builder(
    store: &mut Store,
    spec: &RunSpec,
    run_id: &str,
    log: &RunLog,
) -> std::result::Result<Box<dyn Builder>, Stop> {
    let (kind, url) = (spec.builder, spec.builder_url.clone());
    let builder = tokio::task::spawn_blocking(move || builder::select(kind, url.as_deref()))
        .await
        .map_err(|e| Stop::Failed(format!("choosing the builder stopped: {e}")))?
        .map_err(fail)?;
    let described = builder.describe();
    log.line(&format!("Builder: {described}"));
    store
        .update_run(&spec.registry, run_id, |r| {
            r.builder = Some(described);
            Ok(())
        })
        .map_err(fail)?;
    Ok(builder)
}

/// Sets the run's final status, message and results from how its build ended; returns the
/// bases to record for its task.
fn record_outcome(
    run: &mut Run,
    outcome: std::result::Result<Built, Stop>,
    spec: &RunSpec,
    log: &RunLog,
) -> Vec<RecordedBase> {
    run.finish_now();
    match outcome {
        Ok(built) => {
            run.status = RunStatus::Succeeded;
            run.output_images = Some(built.output_images);
            run.base_image_dependencies =
                Some(built.bases.iter().map(RecordedBase::dependency).collect());
            return built.bases;
        }
        Err(Stop::Failed(message)) => {
            let message = explain_failure(&message, log);
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
            "{message}; the builder met a TLS certificate problem (see the log): for a registry \
             with a private CA, 'acrt config set core.ca_file=/path/to/ca.pem'"
        )
    } else {
        message
    }
}

/// Fetches the context, then runs the task file's steps or builds the Dockerfile.
async fn run_build(
    store: &mut Store,
    r: &Running<'_>,
    steps_out: &RefCell<Option<Vec<StepRecord>>>,
) -> std::result::Result<Built, Stop> {
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
    match &spec.task_file {
        Some(source) => taskfile::run_task_file(r, source, &fetched.dir, vars, steps_out).await,
        None => docker::build_dockerfile(store, r, &fetched.dir, &vars).await,
    }
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
pub fn run_log(store: &Store, registry: &str, run_id: &str) -> PathBuf {
    log_path(store.dir(), registry, run_id)
}

/// Prints a run's log, and keeps printing while the run is in progress.
pub fn follow_log(store: &mut Store, registry: &str, run_id: &str) -> Result<()> {
    let path = run_log(store, registry, run_id);
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
        let finished = store
            .get_run(registry, run_id)?
            .is_none_or(|r| r.run.status.is_final());
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
