//! Running a task file's steps: each as soon as the steps it waits for have succeeded,
//! independent ones side by side; the first failure (unless ignoreErrors) stops the others
//! and skips what has not started. build and push go through the builder; cmd runs the image
//! as a container with the shared workspace at /workspace (buildah from + buildah run).

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::Value;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Plan, Step, StepKind};
use crate::builder::{self, BuildRequest, ProcessStep};
use crate::dockerfile;
use crate::engine::log::RunLog;
use crate::engine::pipeline;
use crate::engine::process::{RunGroups, StepEnd, run_step};
use crate::model::Platform;
use crate::model::image::ImageRef;
use crate::model::run::{ImageDescriptor, StepRecord};
use crate::model::status::StepStatus;
use crate::model::task::now_rfc3339;
use crate::registry::{AuthFile, Credentials, RegistryClient};
use crate::store::RecordedBase;

mod build;
mod cmd;
mod push;

use build::build;
use cmd::{cmd, write_volumes};
use push::push;

pub struct StepEnv<'a> {
    pub registry: &'a str,
    /// The values of `{{.Secrets.*}}` and `--set-secret`: what must never be on a command line.
    pub secret_values: Vec<String>,
    pub workspace: PathBuf,
    pub work: PathBuf,
    pub credentials: Credentials,
    pub platform: Platform,
    pub builder: &'a dyn builder::Builder,
    pub log: &'a RunLog,
    pub deadline: tokio::time::Instant,
    /// Where each running step's process group is recorded (cancel-run stops them all).
    pub groups: &'a RunGroups,
}

impl StepEnv<'_> {
    /// Whether `text` holds a secret value (3 characters or more: shorter ones would match
    /// ordinary words).
    fn holds_secret(&self, text: &str) -> bool {
        self.secret_values
            .iter()
            .any(|s| s.len() >= 3 && text.contains(s.as_str()))
    }
}

#[derive(Default)]
pub struct StepsOutcome {
    pub records: Vec<StepRecord>,
    pub output_images: Vec<ImageDescriptor>,
    pub bases: Vec<RecordedBase>,
    /// Why the run failed, if it did; `timed_out` when the run's own timeout ended it.
    pub failure: Option<String>,
    pub timed_out: bool,
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

/// Records how a step ended; the failure's message when it failed the run (a failure with
/// ignoreErrors counts as success).
fn settle(
    step: &Step,
    result: Result<(), StepError>,
    state: &mut State,
    record: &mut StepRecord,
    log: &RunLog,
    timed_out: &mut bool,
) -> Option<String> {
    match result {
        Ok(()) => {
            *state = State::Succeeded;
            record.status = StepStatus::Successful;
            log.line(&format!("Step ID: {} marked as successful", step.id));
            None
        }
        Err(StepError::Failed(message)) if step.ignore_errors => {
            *state = State::Succeeded;
            record.status = StepStatus::Successful;
            record.message = Some(format!("ignored: {message}"));
            log.line(&format!(
                "Step ID: {} failed ({message}); ignoreErrors is set, so it counts as successful",
                step.id
            ));
            None
        }
        Err(e) => {
            *state = State::Failed;
            record.status = StepStatus::Failed;
            let message = match e {
                StepError::Failed(m) => m,
                StepError::RunTimedOut => {
                    *timed_out = true;
                    "the run's timeout was reached".into()
                }
            };
            record.message = Some(message.clone());
            log.line(&format!("Step ID: {} marked as failed: {message}", step.id));
            Some(message)
        }
    }
}

/// What the steps share while they run.
struct Shared {
    outputs: RefCell<Vec<ImageDescriptor>>,
    bases: RefCell<Vec<RecordedBase>>,
}

pub async fn run_plan(plan: &Plan, env: &StepEnv<'_>) -> StepsOutcome {
    let volumes = match write_volumes(plan, &env.work, env.log) {
        Ok(v) => v,
        Err(e) => {
            return StepsOutcome {
                failure: Some(format!("{e:#}")),
                ..StepsOutcome::default()
            };
        }
    };
    warn_unsupported(plan, env.log);
    let shared = Shared {
        outputs: RefCell::new(Vec::new()),
        bases: RefCell::new(Vec::new()),
    };
    let mut states = vec![State::Waiting; plan.steps.len()];
    let mut records = initial_records(plan);
    let mut running = FuturesUnordered::new();
    let mut failure: Option<String> = None;
    let mut timed_out = false;
    loop {
        if failure.is_none() {
            for (i, step) in plan.steps.iter().enumerate() {
                let ready = states[i] == State::Waiting
                    && step.after.iter().all(|d| states[*d] == State::Succeeded);
                if ready {
                    states[i] = State::Running;
                    records[i].status = StepStatus::Inprogress;
                    records[i].start_time = Some(now_rfc3339());
                    env.log.line(&format!(
                        "Executing step ID: {}. Working directory: '{}'",
                        step.id, step.working_directory
                    ));
                    let volumes = &volumes;
                    let shared = &shared;
                    running.push(Box::pin(async move {
                        (i, run_with_policy(step, env, volumes, shared).await)
                    }));
                }
            }
        }
        let Some((i, result)) = running.next().await else {
            break;
        };
        let step = &plan.steps[i];
        records[i].finish_time = Some(now_rfc3339());
        let Some(message) = settle(
            step,
            result,
            &mut states[i],
            &mut records[i],
            env.log,
            &mut timed_out,
        ) else {
            continue;
        };
        if failure.is_none() {
            failure = Some(format!("step '{}' failed: {message}", step.id));
            // Stop what is running: the first failure fails the run at once.
            env.groups.stop_all(Duration::from_secs(3)).await;
        }
    }
    drop(running);
    mark_skipped(plan, &states, &mut records, env.log);
    let bases = shared.bases.take();
    let output_images = shared.outputs.take();
    StepsOutcome {
        records,
        output_images,
        bases,
        failure,
        timed_out,
    }
}

enum StepError {
    Failed(String),
    RunTimedOut,
}

/// startDelay, then repeat+1 runs, each with up to `retries` more tries; all within the
/// step's timeout (and the run's).
async fn run_with_policy(
    step: &Step,
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    shared: &Shared,
) -> Result<(), StepError> {
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
                Err(_) | Ok(Err(StepError::RunTimedOut)) => {
                    return Err(if run_limited {
                        StepError::RunTimedOut
                    } else {
                        StepError::Failed(format!("timed out after {} s", step.timeout))
                    });
                }
                Ok(Ok(())) => break,
                Ok(Err(StepError::Failed(m))) if attempt < step.retries => {
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
) -> Result<(), StepError> {
    match &step.kind {
        StepKind::Build(args) => build(step, args, env, shared, deadline).await,
        StepKind::Push(images) => push(step, images, env, shared, deadline).await,
        StepKind::Cmd(text) => cmd(step, text, env, volumes, deadline).await,
    }
}

/// Runs one process of a step, logging its output; Err with a message unless it exits 0.
async fn process(
    step_id: &str,
    process: ProcessStep,
    env: &StepEnv<'_>,
    deadline: tokio::time::Instant,
) -> Result<(), StepError> {
    let program = process.program.clone();
    match process_exit(step_id, process, env, deadline).await? {
        Some(0) => Ok(()),
        code => Err(exit_error(&program, code)),
    }
}

fn exit_error(program: &Path, code: Option<i32>) -> StepError {
    StepError::Failed(format!(
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
) -> Result<Option<i32>, StepError> {
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
    let end = run_step(&process, &env.work, env.log, deadline, env.groups)
        .await
        .map_err(|e| StepError::Failed(format!("{e:#}")))?;
    match end {
        StepEnd::Exited(code) => Ok(code),
        StepEnd::TimedOut => Err(StepError::RunTimedOut),
    }
}

/// The host directory a container path under /workspace stands for.
fn host_dir(env: &StepEnv<'_>, container_dir: &str) -> PathBuf {
    match container_dir.strip_prefix(super::DEFAULT_WORKING_DIRECTORY) {
        Some(rest) => env.workspace.join(rest.trim_start_matches('/')),
        None => env.workspace.clone(),
    }
}

/// The logins a step needs: for `registries` and the run's registry, looked up once (a
/// credential helper runs once per step), for both its auth file and its registry client.
struct StepLogins {
    registries: Vec<String>,
    credentials: Credentials,
}

impl StepLogins {
    async fn look_up(env: &StepEnv<'_>, registries: &[String]) -> StepLogins {
        let mut all: Vec<String> = registries.to_vec();
        all.push(env.registry.to_string());
        all.sort();
        all.dedup();
        let credentials = env.credentials.clone().looked_up(&all).await;
        StepLogins {
            registries: all,
            credentials,
        }
    }

    /// An auth file of the step's own with these logins.
    fn auth_file(&self, env: &StepEnv<'_>, name: &str) -> Result<AuthFile, StepError> {
        let unique = format!(
            "{name}-{}.json",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        );
        AuthFile::write_named(&env.work, &unique, &self.credentials, &self.registries)
            .map_err(|e| StepError::Failed(format!("{e:#}")))
    }

    fn client(&self) -> RegistryClient {
        RegistryClient::new(self.credentials.clone(), &self.registries)
    }
}

fn registry_of(image: &str) -> Option<String> {
    crate::model::image::registry_part(image).map(str::to_string)
}

/// The loopback (plain http) registries among `registries` and the run's own.
fn insecure_registries(env: &StepEnv<'_>, registries: &[String]) -> Vec<String> {
    let mut insecure: Vec<String> = registries
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(env.registry))
        .filter(|r| crate::registry::is_insecure(r))
        .map(str::to_string)
        .collect();
    insecure.sort();
    insecure.dedup();
    insecure
}

/// CONTAINERS_REGISTRIES_CONF for a cmd step's container tool, in a file of the step's own.
fn insecure_env(
    env: &StepEnv<'_>,
    registries: &[String],
) -> Result<Vec<(String, String)>, StepError> {
    builder::registries_conf_env(&insecure_registries(env, registries), &env.work)
        .map_err(|e| StepError::Failed(format!("{e:#}")))
}

/// Splits like a shell: whitespace, with single and double quotes grouping.
pub fn split_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() || any {
                    out.push(std::mem::take(&mut current));
                    any = false;
                }
            }
            (None, c) => current.push(c),
        }
    }
    if !current.is_empty() || any {
        out.push(current);
    }
    out
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
    }
}
