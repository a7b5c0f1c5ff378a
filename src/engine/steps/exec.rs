//! Running a task file's steps: each as soon as the steps it waits for have succeeded,
//! independent ones side by side; the first failure (unless ignoreErrors) stops the others
//! and skips what has not started. build and push go through the builder; cmd runs the image
//! as a container with the shared workspace at /workspace (buildah from + buildah run).

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Plan, Step, StepKind};
use crate::builder::{self, BuildRequest, ProcessStep};
use crate::dockerfile;
use crate::engine::Built;
use crate::engine::builders::RunBuilders;
use crate::engine::journal::Journal;
use crate::engine::log::RunLog;
use crate::engine::outcome::{Outcome, Stop, fail, failure};
use crate::engine::pipeline;
use crate::engine::process::{Outputs, run_step_to};
use crate::model::image::ImageRef;
use crate::model::run::{ImageDescriptor, StepRecord};
use crate::model::status::StepStatus;
use crate::model::task::now_rfc3339;
use crate::model::{Platform, Platforms};
use crate::registry::{AuthFile, Credentials, RegistryClient};
use crate::store::RecordedBase;
use tokio::sync::Notify;

mod build;
mod cmd;
mod detach;
mod list;
mod logins;
mod push;
mod redirect;
mod volumes;

use build::build;
use detach::{log_detached_end, log_stopping_detached, start_step};
use list::cmd;
use logins::{StepLogins, insecure_env, insecure_registries, registry_of};
use push::push;
use volumes::write_volumes;

pub struct StepEnv<'a> {
    pub registry: &'a str,
    /// The values of `{{.Secrets.*}}` and `--set-secret`: what must never be on a command line.
    pub secret_values: Vec<String>,
    pub workspace: PathBuf,
    pub work: PathBuf,
    pub credentials: Credentials,
    /// The platforms a build step builds when it names none: the run's.
    pub platforms: Platforms,
    /// The run's builder, where cmd steps run and push steps push from, and each other
    /// builder a build step's platform goes to.
    pub(crate) builders: RunBuilders<'a>,
    pub log: &'a RunLog,
    pub deadline: tokio::time::Instant,
    /// The run's record: each running step's process group (cancel-run stops them all), the
    /// steps as they start and end, each push as it happens.
    pub journal: &'a Journal,
    /// Where a build step's timestamps come from (the task's, the commit's time; else its
    /// newest base's).
    pub times: crate::engine::pipeline::TimeSources,
}

impl StepEnv<'_> {
    /// The run's builder.
    fn builder(&self) -> &dyn builder::Builder {
        self.builders.run()
    }

    /// Whether `text` holds a secret value (3 characters or more: shorter ones would match
    /// ordinary words).
    fn holds_secret(&self, text: &str) -> bool {
        self.secret_values
            .iter()
            .any(|s| s.len() >= 3 && text.contains(s.as_str()))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Succeeded,
    Failed,
}

/// Each step's record before it runs: skipped until it starts.
fn initial_records(plan: &Plan) -> Vec<StepRecord> {
    plan.steps
        .iter()
        .map(|s| StepRecord {
            id: s.id.clone(),
            status: StepStatus::Skipped,
            start_time: None,
            finish_time: None,
            message: None,
        })
        .collect()
}

/// The steps that never started, or were stopped before they ended, are skipped.
fn mark_skipped(plan: &Plan, states: &[State], records: &mut [StepRecord], log: &RunLog) {
    for (i, state) in states.iter().enumerate() {
        if *state == State::Waiting
            || *state == State::Running && records[i].status == StepStatus::Inprogress
        {
            records[i].status = StepStatus::Skipped;
            log.line(&format!("Step ID: {} was skipped", plan.steps[i].id));
        }
    }
}

/// The log line that starts a step; a cmd step's names the image it runs, resolved as
/// docker resolves the name.
fn starting_line(step: &Step) -> String {
    let image = match &step.kind {
        StepKind::Cmd(list) => format!(", Image: '{}'", list.first_run().image),
        _ => String::new(),
    };
    format!(
        "Executing step ID: {}. Working directory: '{}'{image}",
        step.id, step.working_directory
    )
}

/// Names, in the log, what the local runtime cannot honour.
fn warn_unsupported(plan: &Plan, log: &RunLog) {
    if !plan.unsupported.is_empty() {
        log.line(&format!(
            "warning: {} cannot be honoured by the local runtime: every step shares the host's network",
            plan.unsupported.join(", ")
        ));
    }
    for step in plan.steps.iter().filter(|s| !s.unsupported.is_empty()) {
        log.line(&format!(
            "warning: step '{}': {} cannot be honoured by the local runtime and is ignored",
            step.id,
            step.unsupported.join(", ")
        ));
    }
}

/// Records how a step ended; why the run stops, when the step failed it (a failure with
/// ignoreErrors counts as success).
fn settle(
    step: &Step,
    result: Outcome,
    state: &mut State,
    record: &mut StepRecord,
    log: &RunLog,
) -> Option<Stop> {
    match result {
        Ok(()) => {
            *state = State::Succeeded;
            record.status = StepStatus::Successful;
            log.line(&format!("Step ID: {} marked as successful", step.id));
            None
        }
        Err(Stop::Failed(error)) if step.ignore_errors => {
            *state = State::Succeeded;
            record.status = StepStatus::Successful;
            record.message = Some(format!("ignored: {error:#}"));
            log.line(&format!(
                "Step ID: {} failed ({error:#}); ignoreErrors is set, so it counts as successful",
                step.id
            ));
            None
        }
        Err(stop) => {
            *state = State::Failed;
            record.status = StepStatus::Failed;
            let message = match &stop {
                Stop::Failed(error) => format!("{error:#}"),
                Stop::TimedOut => "the run's timeout was reached".into(),
                Stop::Canceled => "canceled".into(),
            };
            record.message = Some(message.clone());
            log.line(&format!("Step ID: {} marked as failed: {message}", step.id));
            Some(match stop {
                Stop::Failed(error) => {
                    Stop::Failed(error.context(format!("step '{}' failed", step.id)))
                }
                other => other,
            })
        }
    }
}

/// `image` with `:latest` where it names no tag or digest, as builders and registries read it.
fn with_tag(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    if last.contains(':') || image.contains('@') {
        image.to_string()
    } else {
        format!("{image}:latest")
    }
}

/// An image a build step left as OCI layouts, which its push step pushes with acrt's own
/// client: the run's builder has no copy of it.
#[derive(Debug, Clone)]
enum LayoutImage {
    /// Several platforms: each platform's layout, and the annotations of their index.
    Index {
        layouts: Vec<crate::registry::layout::Child>,
        annotations: Vec<(String, String)>,
    },
    /// One platform built on another builder than the run's (the builder's name, as the log
    /// says it).
    Elsewhere {
        platform: Platform,
        layout: PathBuf,
        builder: String,
    },
}

/// What the steps share while they run.
struct Shared {
    outputs: RefCell<Vec<ImageDescriptor>>,
    bases: RefCell<Vec<RecordedBase>>,
    /// The platform each image a build step tagged (by its name with a tag) was built for:
    /// what its push checks the registry's copy against.
    built_for: RefCell<HashMap<String, Platform>>,
    /// The images build steps left as layouts (by each of their names with a tag).
    layouts: RefCell<HashMap<String, LayoutImage>>,
    /// For each detached step (by id): told when its container starts.
    started: HashMap<String, Notify>,
}

impl Shared {
    fn new(plan: &Plan) -> Shared {
        Shared {
            outputs: RefCell::new(Vec::new()),
            bases: RefCell::new(Vec::new()),
            built_for: RefCell::new(HashMap::new()),
            layouts: RefCell::new(HashMap::new()),
            started: plan
                .steps
                .iter()
                .filter(|s| s.detach)
                .map(|s| (s.id.clone(), Notify::new()))
                .collect(),
        }
    }

    /// Refuses a cmd step's `image` that a build step built on another builder than the
    /// run's: the run's builder, where containers run, has no copy of it and cannot execute
    /// its platform.
    fn runnable_here(&self, image: &str) -> Outcome {
        let Ok(name) = ImageRef::parse(image).map(|i| with_tag(&i.docker_name())) else {
            return Ok(());
        };
        match self.layouts.borrow().get(&name) {
            Some(LayoutImage::Elsewhere {
                platform, builder, ..
            }) => Err(failure(format!(
                "{image} was built for {} on the builder {}, because the run's builder cannot \
                 execute that platform; a cmd step runs on the run's builder: run it in a task \
                 run on {} (--builder), or build it for a platform the run's builder runs",
                platform, builder, builder
            ))),
            _ => Ok(()),
        }
    }

    /// A cmd step's container is about to start: a detached step is done from here on.
    fn container_starting(&self, step: &Step) {
        if let Some(started) = self.started.get(&step.id) {
            started.notify_one();
        }
    }
}

/// Runs the plan's steps; the steps' records reach the run's journal as each starts and ends.
/// The run stops at the first step that fails it; its own timeout counts before a failure.
pub(crate) async fn run_plan(plan: &Plan, env: &StepEnv<'_>) -> Outcome<Built> {
    let volumes = write_volumes(plan, &env.work, env.log).map_err(fail)?;
    warn_unsupported(plan, env.log);
    let shared = Shared::new(plan);
    let mut states = vec![State::Waiting; plan.steps.len()];
    let mut records = initial_records(plan);
    let mut running = FuturesUnordered::new();
    // Detached steps whose containers run on beside the others (step index, its future).
    let mut detached = FuturesUnordered::new();
    let mut live_detached: Vec<usize> = Vec::new();
    let mut stopped: Option<Stop> = None;
    loop {
        if stopped.is_none() {
            for i in ready_steps(plan, &states) {
                let step = &plan.steps[i];
                states[i] = State::Running;
                records[i].status = StepStatus::Inprogress;
                records[i].start_time = Some(now_rfc3339());
                env.log.line(&starting_line(step));
                running.push(Box::pin(start_step(i, step, env, &volumes, &shared)));
            }
            env.journal.record_steps(&records);
        }
        let next = tokio::select! {
            next = running.next() => next,
            Some((i, result)) = detached.next() => {
                live_detached.retain(|&d| d != i);
                log_detached_end(&plan.steps[i], result, env.log);
                continue;
            }
        };
        let Some((i, result, still_running)) = next else {
            break;
        };
        let step = &plan.steps[i];
        if let Some(run) = still_running {
            env.log.line(&format!(
                "Step ID: {} is detached: its container runs beside the next steps until the last one ends",
                step.id
            ));
            live_detached.push(i);
            detached.push(async move { (i, run.await) });
        }
        records[i].finish_time = Some(now_rfc3339());
        let stop = settle(step, result, &mut states[i], &mut records[i], env.log);
        env.journal.record_steps(&records);
        match (stop, &stopped) {
            (None, _) => {}
            (Some(stop), None) => {
                stopped = Some(stop);
                // Stop what is running: the first failure fails the run at once.
                env.journal.stop_all(Duration::from_secs(3)).await;
            }
            // The run's timeout, reached after a failure, is what ended it.
            (Some(Stop::TimedOut), Some(_)) => stopped = Some(Stop::TimedOut),
            (Some(_), Some(_)) => {}
        }
    }
    drop(running);
    log_stopping_detached(plan, &live_detached, env.log);
    drop(detached);
    mark_skipped(plan, &states, &mut records, env.log);
    env.journal.steps(records).await.map_err(fail)?;
    match stopped {
        Some(stop) => Err(stop),
        None => Ok(Built {
            output_images: shared.outputs.take(),
            bases: shared.bases.take(),
            facts: Default::default(),
            platform_images: None,
        }),
    }
}

/// The steps waiting whose `when` steps have all succeeded.
fn ready_steps(plan: &Plan, states: &[State]) -> Vec<usize> {
    (0..plan.steps.len())
        .filter(|&i| {
            states[i] == State::Waiting
                && plan.steps[i]
                    .after
                    .iter()
                    .all(|d| states[*d] == State::Succeeded)
        })
        .collect()
}

/// startDelay, then repeat+1 runs, each with up to `retries` more tries; all within the
/// step's timeout (and the run's).
async fn run_with_policy(
    step: &Step,
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    shared: &Shared,
) -> Outcome {
    let step_deadline =
        tokio::time::Instant::now() + Duration::from_secs(step.start_delay + step.timeout);
    let deadline = step_deadline.min(env.deadline);
    let run_limited = deadline == env.deadline && env.deadline < step_deadline;
    if step.start_delay > 0 {
        tokio::time::sleep(Duration::from_secs(step.start_delay)).await;
    }
    for round in 0..=step.repeat {
        let mut attempt = 0;
        loop {
            // The processes end themselves at `deadline` (terminate, then kill); this outer
            // limit, a little later, only catches what has no process of its own.
            let outer = deadline + Duration::from_secs(15);
            let result =
                tokio::time::timeout_at(outer, run_once(step, env, volumes, shared, deadline))
                    .await;
            match result {
                Err(_) | Ok(Err(Stop::TimedOut)) => {
                    return Err(if run_limited {
                        Stop::TimedOut
                    } else {
                        failure(format!("timed out after {} s", step.timeout))
                    });
                }
                Ok(Ok(())) => break,
                Ok(Err(Stop::Failed(m))) if attempt < step.retries => {
                    attempt += 1;
                    env.log.line(&format!(
                        "Step ID: {} failed ({m}); retry {attempt} of {} in {} s",
                        step.id, step.retries, step.retry_delay
                    ));
                    tokio::time::sleep(Duration::from_secs(step.retry_delay)).await;
                }
                Ok(Err(e)) => return Err(e),
            }
        }
        if round < step.repeat {
            env.log.line(&format!(
                "Step ID: {}: repeat {} of {}",
                step.id,
                round + 1,
                step.repeat
            ));
        }
    }
    Ok(())
}

async fn run_once(
    step: &Step,
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    shared: &Shared,
    deadline: tokio::time::Instant,
) -> Outcome {
    match &step.kind {
        StepKind::Build(args) => build(step, args, env, shared, deadline).await,
        StepKind::Push(images) => push(step, images, env, shared, deadline).await,
        StepKind::Cmd(list) => cmd(step, list, env, volumes, shared, deadline).await,
    }
}

/// Runs one process of a step, logging its output; Err with a message unless it exits 0.
async fn process(
    step_id: &str,
    process: ProcessStep,
    env: &StepEnv<'_>,
    deadline: tokio::time::Instant,
) -> Outcome {
    let program = process.program.clone();
    match process_exit(step_id, process, env, deadline).await? {
        Some(0) => Ok(()),
        code => Err(exit_error(&program, code)),
    }
}

fn exit_error(program: &Path, code: Option<i32>) -> Stop {
    failure(format!(
        "{} exited with {}",
        program.display(),
        code.map_or("a signal".to_string(), |c| format!("code {c}"))
    ))
}

/// Runs one process of a step, logging its output; its exit code (None: a signal).
async fn process_exit(
    step_id: &str,
    process: ProcessStep,
    env: &StepEnv<'_>,
    deadline: tokio::time::Instant,
) -> Outcome<Option<i32>> {
    process_exit_to(step_id, process, env, deadline, Outputs::default()).await
}

/// [`process_exit`] with the process's output streams sent to `outputs`.
async fn process_exit_to(
    step_id: &str,
    process: ProcessStep,
    env: &StepEnv<'_>,
    deadline: tokio::time::Instant,
    outputs: Outputs,
) -> Outcome<Option<i32>> {
    let shown: Vec<String> = process
        .args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    env.log.line(&format!(
        "[{step_id}] $ {} {}",
        process.program.display(),
        shown.join(" ")
    ));
    run_step_to(&process, &env.work, env.log, deadline, env.journal, outputs).await
}

/// The host directory a container path under /workspace stands for.
fn host_dir(env: &StepEnv<'_>, container_dir: &str) -> PathBuf {
    match container_dir.strip_prefix(super::DEFAULT_WORKING_DIRECTORY) {
        Some(rest) => env.workspace.join(rest.trim_start_matches('/')),
        None => env.workspace.clone(),
    }
}

/// Splits like a shell: the words, quotes removed, `$X` left as written (the cmd line's
/// quoting, without its expansions).
pub fn split_words(text: &str) -> Vec<String> {
    super::shell::literal_words(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"img sh -c "echo a b" 'c d' """#),
            ["img", "sh", "-c", "echo a b", "c d", ""]
        );
        assert_eq!(
            split_words(r#"-t $Registry/x:${ID} --build-arg "A=$B c" a\ b 'it''s' ."#),
            [
                "-t",
                "$Registry/x:${ID}",
                "--build-arg",
                "A=$B c",
                "a b",
                "its",
                "."
            ]
        );
        assert_eq!(split_words("sh -c"), ["sh", "-c"]);
        assert_eq!(split_words("'unclosed a"), ["'unclosed", "a"]);
    }
}
