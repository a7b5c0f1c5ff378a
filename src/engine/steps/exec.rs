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
    if !plan.unsupported.is_empty() {
        env.log.line(&format!(
            "warning: {} cannot be honoured by the local runtime: every step shares the host's network",
            plan.unsupported.join(", ")
        ));
    }
    for step in &plan.steps {
        if !step.unsupported.is_empty() {
            env.log.line(&format!(
                "warning: step '{}': {} cannot be honoured by the local runtime and is ignored",
                step.id,
                step.unsupported.join(", ")
            ));
        }
    }
    let shared = Shared {
        outputs: RefCell::new(Vec::new()),
        bases: RefCell::new(Vec::new()),
    };
    let mut states = vec![State::Waiting; plan.steps.len()];
    let mut records: Vec<StepRecord> = plan
        .steps
        .iter()
        .map(|s| StepRecord {
            id: s.id.clone(),
            status: StepStatus::Skipped,
            start_time: None,
            finish_time: None,
            message: None,
        })
        .collect();
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
        match result {
            Ok(()) => {
                states[i] = State::Succeeded;
                records[i].status = StepStatus::Successful;
                env.log
                    .line(&format!("Step ID: {} marked as successful", step.id));
            }
            Err(StepError::Failed(message)) if step.ignore_errors => {
                states[i] = State::Succeeded;
                records[i].status = StepStatus::Successful;
                records[i].message = Some(format!("ignored: {message}"));
                env.log.line(&format!("Step ID: {} failed ({message}); ignoreErrors is set, so it counts as successful", step.id));
            }
            Err(e) => {
                states[i] = State::Failed;
                records[i].status = StepStatus::Failed;
                let message = match e {
                    StepError::Failed(m) => m,
                    StepError::RunTimedOut => {
                        timed_out = true;
                        "the run's timeout was reached".into()
                    }
                };
                records[i].message = Some(message.clone());
                env.log
                    .line(&format!("Step ID: {} marked as failed: {message}", step.id));
                if failure.is_none() {
                    failure = Some(format!("step '{}' failed: {message}", step.id));
                    // Stop what is running: the first failure fails the run at once.
                    env.groups.stop_all(Duration::from_secs(3)).await;
                }
            }
        }
    }
    for (i, state) in states.iter().enumerate() {
        if *state == State::Waiting
            || *state == State::Running && records[i].status == StepStatus::Inprogress
        {
            records[i].status = StepStatus::Skipped;
            env.log
                .line(&format!("Step ID: {} was skipped", plan.steps[i].id));
        }
    }
    drop(running);
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

/// An auth file of the step's own with the logins for `registries` and the run's registry.
async fn auth_for(
    env: &StepEnv<'_>,
    registries: &[String],
    name: &str,
) -> Result<AuthFile, StepError> {
    let mut all: Vec<String> = registries.to_vec();
    all.push(env.registry.to_string());
    all.sort();
    all.dedup();
    let unique = format!(
        "{name}-{}.json",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
    );
    let credentials = env.credentials.clone().looked_up(&all).await;
    AuthFile::write_named(&env.work, &unique, &credentials, &all)
        .map_err(|e| StepError::Failed(format!("{e:#}")))
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

/// A build step's `--build-arg NAME=VALUE`, or `--build-arg NAME` with its value from the
/// step's `env` (as docker takes it from its environment). One that holds a secret's value
/// goes to the builder as a secret argument: never on its argument list.
fn build_arg(text: &str, step: &Step, env: &StepEnv<'_>) -> (String, String, bool) {
    let (name, value) = match text.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (
            text.to_string(),
            step.env
                .iter()
                .find(|(k, _)| k == text)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        ),
    };
    let secret = env.holds_secret(&value);
    (name, value, secret)
}

/// `build: "-t img -f Dockerfile --build-arg K=V --target T ."`, as docker build takes it.
async fn build(
    step: &Step,
    args: &str,
    env: &StepEnv<'_>,
    shared: &Shared,
    deadline: tokio::time::Instant,
) -> Result<(), StepError> {
    let words = split_words(args);
    let mut tags = Vec::new();
    let mut file = None;
    let mut build_args: Vec<(String, String, bool)> = Vec::new();
    let mut target = None;
    let mut no_cache = false;
    let mut context = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let mut value = || {
            i += 1;
            words
                .get(i)
                .cloned()
                .ok_or_else(|| StepError::Failed(format!("build: {w} needs a value")))
        };
        match w.as_str() {
            "-t" | "--tag" => tags.push(value()?),
            "-f" | "--file" => file = Some(value()?),
            "--build-arg" => {
                let a = value()?;
                build_args.push(build_arg(&a, step, env));
            }
            "--target" => target = Some(value()?),
            "--no-cache" => no_cache = true,
            other if other.starts_with("--tag=") || other.starts_with("-t=") => {
                tags.push(other.split_once('=').unwrap().1.to_string())
            }
            other if other.starts_with("--file=") => {
                file = Some(other["--file=".len()..].to_string())
            }
            other if other.starts_with("--build-arg=") => {
                build_args.push(build_arg(&other["--build-arg=".len()..], step, env));
            }
            other if other.starts_with("--target=") => {
                target = Some(other["--target=".len()..].to_string())
            }
            other if other.starts_with('-') => env.log.line(&format!(
                "warning: step '{}': build option {other} is ignored",
                step.id
            )),
            other => context = Some(other.to_string()),
        }
        i += 1;
    }
    let failed = |e: anyhow::Error| StepError::Failed(format!("build: {e:#}"));
    let workdir = host_dir(env, &step.working_directory);
    // The working directory is under the workspace; the build's context is inside it.
    let context_rel = workdir
        .strip_prefix(&env.workspace)
        .unwrap_or(Path::new("."))
        .join(context.unwrap_or_else(|| ".".into()));
    let context_dir = crate::context::resolve_inside(
        &env.workspace,
        &context_rel.to_string_lossy(),
        "the build context",
    )
    .map_err(failed)?;
    let file = file.unwrap_or_else(|| "Dockerfile".into());
    let dockerfile =
        crate::context::resolve_inside(&context_dir, &file, "the Dockerfile").map_err(failed)?;
    let text = crate::context::read_dockerfile(&context_dir, &file).map_err(failed)?;
    let scan_args: Vec<(String, String)> = build_args
        .iter()
        .map(|(k, v, _)| (k.clone(), v.clone()))
        .collect();
    let scanned = dockerfile::scan_sites(&text, &scan_args, target.as_deref()).map_err(failed)?;
    let mut registries: Vec<String> = scanned
        .bases
        .iter()
        .filter_map(|b| b.image.as_ref().map(|i| i.api_registry().to_string()))
        .collect();
    registries.extend(tags.iter().filter_map(|t| registry_of(t)));
    let client = RegistryClient::new(
        env.credentials.clone().looked_up(&registries).await,
        &registries,
    );
    // A base built by an earlier step exists only locally: nothing to resolve or record.
    let remote: Vec<dockerfile::BaseImage> = scanned
        .bases
        .iter()
        .filter(|b| {
            b.image.as_ref().is_none_or(|i| {
                i.registry != crate::model::image::DOCKER_HUB || i.repository.contains('/')
            })
        })
        .cloned()
        .collect();
    let prefix = format!("[{}] ", step.id);
    let resolved = pipeline::resolve_base_digests(
        &client,
        &remote,
        &env.platform,
        pipeline::WhenMissing::Skip,
        env.log,
        &prefix,
    )
    .await
    .map_err(failed)?;
    shared
        .bases
        .borrow_mut()
        .extend(resolved.iter().map(|r| r.recorded(&env.platform)));
    let dockerfile =
        pipeline::pinned_dockerfile(&text, &scanned, &resolved, &env.work, env.log, &prefix)
            .map_err(failed)?
            .unwrap_or(dockerfile);
    let auth = auth_for(env, &registries, "build").await?;
    let request = BuildRequest {
        context_dir,
        dockerfile,
        images: tags,
        build_args,
        target,
        platform: env.platform.clone(),
        no_cache,
        push: false,
        auth_file: auth.path().to_path_buf(),
        insecure_registries: registries
            .iter()
            .filter(|r| crate::registry::is_insecure(r))
            .cloned()
            .collect(),
        annotations: pipeline::base_annotations(&resolved),
    };
    let plan = env
        .builder
        .plan(&request, &env.work)
        .map_err(|e| StepError::Failed(format!("{e:#}")))?;
    // The step's env is for `--build-arg NAME` (read above), not a setting of the builder.
    for p in plan.steps {
        process(&step.id, p, env, deadline).await?;
    }
    Ok(())
}

/// `push: [images]`: `:latest` where no tag, duplicates dropped, 3 attempts each.
async fn push(
    step: &Step,
    images: &[String],
    env: &StepEnv<'_>,
    shared: &Shared,
    deadline: tokio::time::Instant,
) -> Result<(), StepError> {
    let mut names: Vec<String> = Vec::new();
    for image in images {
        let last = image.rsplit('/').next().unwrap_or(image);
        let name = if last.contains(':') || image.contains('@') {
            image.clone()
        } else {
            format!("{image}:latest")
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let registries: Vec<String> = names.iter().filter_map(|n| registry_of(n)).collect();
    let auth = auth_for(env, &registries, "push").await?;
    let client = RegistryClient::new(
        env.credentials.clone().looked_up(&registries).await,
        &registries,
    );
    let insecure = insecure_registries(env, &registries);
    for name in &names {
        let mut tries = 0;
        loop {
            tries += 1;
            // The run's builder pushes what it built, from its own storage.
            let request = builder::PushRequest {
                image: name,
                auth_file: auth.path(),
                insecure_registries: &insecure,
            };
            let p = env
                .builder
                .push(&request, &env.work)
                .map_err(|e| StepError::Failed(format!("{e:#}")))?;
            match process(&step.id, p, env, deadline).await {
                Ok(()) => break,
                Err(StepError::Failed(m)) if tries < 3 => {
                    env.log.line(&format!(
                        "[{}] push of {name} failed ({m}); trying again",
                        step.id
                    ));
                    tokio::time::sleep(Duration::from_secs(tries)).await;
                }
                Err(e) => return Err(e),
            }
        }
        if let Ok(image) = ImageRef::parse_in(name, Some(env.registry)) {
            let digest = client.head_digest(&image).await.ok();
            env.log.line(&format!(
                "[{}] Pushed {image}: {}",
                step.id,
                digest.as_deref().unwrap_or("(digest unknown)")
            ));
            shared.outputs.borrow_mut().push(ImageDescriptor {
                digest,
                registry: image.registry,
                repository: image.repository,
                tag: image.tag,
            });
        }
    }
    Ok(())
}

/// `cmd: "image args"`: the image runs as a container with the workspace at /workspace.
async fn cmd(
    step: &Step,
    text: &str,
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    deadline: tokio::time::Instant,
) -> Result<(), StepError> {
    let words = split_words(text);
    let (image, args) = words
        .split_first()
        .ok_or_else(|| StepError::Failed("cmd names no image".into()))?;
    let registries: Vec<String> = registry_of(image).into_iter().collect();
    let auth = auth_for(env, &registries, "cmd").await?;
    let conf = insecure_env(env, &registries)?;
    // podman and docker run the container themselves; buildah needs from + run.
    let runtime = env.builder.name();
    let program = env.builder.program().to_path_buf();
    if runtime != "buildah" {
        if words.iter().any(|w| env.holds_secret(w))
            || step.env.iter().any(|(_, v)| env.holds_secret(v))
        {
            return Err(StepError::Failed(format!(
                "step '{}': a secret in a cmd step would be on {runtime}'s command line; run cmd steps \
                 that use secrets with the buildah builder (--builder buildah), or mount the secret \
                 as a volume file",
                step.id
            )));
        }
        let argv = container_run_args(
            runtime,
            step,
            image,
            args,
            &env.workspace,
            volumes,
            auth.path(),
        );
        let mut process_env = conf.clone();
        if runtime == "docker" {
            let dir = env.work.join(format!("docker-config-{}", step.id));
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::copy(auth.path(), dir.join("config.json"));
            process_env.push(("DOCKER_CONFIG".into(), dir.display().to_string()));
        }
        let launch = ProcessStep {
            program: program.clone(),
            args: argv,
            env: process_env,
        };
        return match process_exit(&step.id, launch, env, deadline).await? {
            Some(0) => Ok(()),
            // podman's and docker's own codes: 125 the tool failed, 126 the container could
            // not be started (its OCI runtime refused); anything else is the command's.
            Some(126) => Err(StepError::Failed(format!(
                "{runtime} could not start the container (exit 126: its OCI runtime failed, see \
                 the log); {runtime} cannot run containers on this machine: run cmd steps with \
                 --builder buildah"
            ))),
            code => Err(exit_error(&program, code)),
        };
    }
    let cert_dir =
        builder::cert_dir_flags(&env.work).map_err(|e| StepError::Failed(format!("{e:#}")))?;
    // The container is known by its id (never reused), not its name (buildah gives the name
    // of a removed container to the next one): that is what a cleanup may remove.
    let cid_file = |attempt: &str| {
        env.work.join(format!(
            "cid-{}-{attempt}-{}",
            step.id.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        ))
    };
    let container_id = |file: &Path| -> Option<String> {
        let id = std::fs::read_to_string(file).ok()?.trim().to_string();
        // A step that keeps its container keeps it whatever happens to the run.
        if !step.keep {
            crate::engine::cleanup::record_container(&env.work, &id);
        }
        (!id.is_empty()).then_some(id)
    };
    let pulled_cid = cid_file("pull");
    let from = crate::host::command(&program)
        .args(["from", "--quiet", "--pull", "--authfile"])
        .arg(auth.path())
        .args(&cert_dir)
        .arg("--cidfile")
        .arg(&pulled_cid)
        .arg(image)
        .envs(conf.iter().map(|(k, v)| (k, v)))
        .output()
        .await
        .map_err(|e| {
            StepError::Failed(format!(
                "cannot run buildah: {e}; install it (scripts/setup)"
            ))
        })?;
    if !from.status.success() {
        // Images an earlier build step made live only in local storage: try without pulling.
        let local_cid = cid_file("local");
        let local = crate::host::command(&program)
            .args(["from", "--quiet", "--pull-never", "--cidfile"])
            .arg(&local_cid)
            .arg(image)
            .output()
            .await;
        match local {
            Ok(out) if out.status.success() => {
                let container = container_id(&local_cid)
                    .unwrap_or_else(|| String::from_utf8_lossy(&out.stdout).trim().to_string());
                return run_container(step, &program, &container, args, env, volumes, deadline)
                    .await;
            }
            _ => {
                return Err(StepError::Failed(format!(
                    "cannot get the image {image}: {}",
                    String::from_utf8_lossy(&from.stderr).trim()
                )));
            }
        }
    }
    let container = container_id(&pulled_cid)
        .unwrap_or_else(|| String::from_utf8_lossy(&from.stdout).trim().to_string());
    run_container(step, &program, &container, args, env, volumes, deadline).await
}

#[allow(clippy::too_many_arguments)]
async fn run_container(
    step: &Step,
    buildah: &Path,
    container: &str,
    args: &[String],
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    deadline: tokio::time::Instant,
) -> Result<(), StepError> {
    let config = crate::host::command(buildah)
        .args(["inspect", "--type", "container", container])
        .output()
        .await
        .ok()
        .and_then(|o| serde_json::from_slice::<Value>(&o.stdout).ok())
        .unwrap_or(Value::Null);
    let image_config = &config["OCIv1"]["config"];
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let entrypoint = match &step.entry_point {
        Some(e) => split_words(e),
        None => strings(&image_config["Entrypoint"]),
    };
    let command = if args.is_empty() {
        strings(&image_config["Cmd"])
    } else {
        args.to_vec()
    };
    let argv: Vec<String> = entrypoint.into_iter().chain(command).collect();
    if argv.is_empty() {
        return Err(StepError::Failed(
            "the image has no entrypoint or command, and the step gives none".into(),
        ));
    }
    let mut run: Vec<std::ffi::OsString> = vec!["run".into()];
    run.extend([
        "-v".into(),
        format!(
            "{}:{}",
            env.workspace.display(),
            super::DEFAULT_WORKING_DIRECTORY
        )
        .into(),
    ]);
    if !step.disable_working_directory_override {
        run.extend(["--workingdir".into(), step.working_directory.clone().into()]);
    }
    for m in &step.volume_mounts {
        if let Some((_, dir)) = volumes.iter().find(|(n, _)| *n == m.name) {
            run.extend([
                "-v".into(),
                format!("{}:{}:ro", dir.display(), m.mount_path).into(),
            ]);
        }
    }
    if let Some(u) = &step.user {
        run.extend(["--user".into(), u.into()]);
    }
    let launch = super::script::launch(&env.work, &step.id, &argv, &step.env, |t| {
        env.holds_secret(t)
    })
    .map_err(|e| StepError::Failed(format!("cannot write the step's script: {e}")))?;
    if let Some(dir) = &launch.script_dir {
        env.log.line(&format!(
            "[{}] secrets reach this step through a private script ({}/run.sh, run by the image's /bin/sh), never a command line",
            step.id,
            super::script::MOUNT
        ));
        run.extend([
            "-v".into(),
            format!("{}:{}:ro", dir.display(), super::script::MOUNT).into(),
        ]);
    }
    for (k, v) in &launch.plain_env {
        run.extend(["--env".into(), format!("{k}={v}").into()]);
    }
    run.push(container.into());
    run.push("--".into());
    run.extend(launch.argv.iter().map(Into::into));
    let result = process(
        &step.id,
        ProcessStep {
            program: buildah.to_path_buf(),
            args: run,
            env: Vec::new(),
        },
        env,
        deadline,
    )
    .await;
    if !step.keep {
        let _ = crate::host::command(buildah)
            .args(["rm", container])
            .output()
            .await;
    }
    result
}

/// `podman run` / `docker run` for a cmd step: the workspace at /workspace, the step's
/// working directory, env, user, entry point and secret volumes; removed afterwards unless
/// `keep`.
fn container_run_args(
    runtime: &str,
    step: &Step,
    image: &str,
    args: &[String],
    workspace: &Path,
    volumes: &[(String, PathBuf)],
    auth_file: &Path,
) -> Vec<std::ffi::OsString> {
    let mut argv: Vec<std::ffi::OsString> = vec!["run".into()];
    if runtime == "podman" {
        argv.extend(["--authfile".into(), auth_file.into()]);
    }
    if !step.keep {
        argv.push("--rm".into());
    }
    argv.extend([
        "-v".into(),
        format!(
            "{}:{}",
            workspace.display(),
            super::DEFAULT_WORKING_DIRECTORY
        )
        .into(),
    ]);
    if !step.disable_working_directory_override {
        argv.extend(["-w".into(), step.working_directory.clone().into()]);
    }
    for m in &step.volume_mounts {
        if let Some((_, dir)) = volumes.iter().find(|(n, _)| *n == m.name) {
            argv.extend([
                "-v".into(),
                format!("{}:{}:ro", dir.display(), m.mount_path).into(),
            ]);
        }
    }
    if let Some(u) = &step.user {
        argv.extend(["--user".into(), u.into()]);
    }
    for (k, v) in &step.env {
        argv.extend(["--env".into(), format!("{k}={v}").into()]);
    }
    let mut rest = args.to_vec();
    if let Some(e) = &step.entry_point {
        let mut words = split_words(e);
        if !words.is_empty() {
            argv.extend(["--entrypoint".into(), words.remove(0).into()]);
            words.extend(rest);
            rest = words;
        }
    }
    argv.push(image.into());
    argv.extend(rest.into_iter().map(Into::into));
    argv
}

/// Secret volumes: each file written (0600) under a private directory, mounted read-only.
fn write_volumes(plan: &Plan, work: &Path, log: &RunLog) -> anyhow::Result<Vec<(String, PathBuf)>> {
    use base64::Engine as _;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut out = Vec::new();
    for v in &plan.volumes {
        let dir = work.join("volumes").join(&v.name);
        std::fs::create_dir_all(&dir)?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        for (name, content) in &v.secret {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(content.trim())
                .map_err(|e| {
                    anyhow::anyhow!(
                        "volume '{}': the secret file '{name}' is not base64: {e}",
                        v.name
                    )
                })?;
            if let Ok(text) = std::str::from_utf8(&bytes) {
                log.add_secret(text.trim());
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .truncate(true)
                .write(true)
                .mode(0o644)
                .open(dir.join(name))?;
            std::io::Write::write_all(&mut f, &bytes)?;
        }
        out.push((v.name.clone(), dir));
    }
    Ok(out)
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

    fn step() -> Step {
        Step {
            id: "t".into(),
            line: 1,
            kind: StepKind::Cmd("img".into()),
            after: Vec::new(),
            env: vec![("A".into(), "1".into())],
            entry_point: Some("sh -c".into()),
            working_directory: "/workspace/src".into(),
            disable_working_directory_override: false,
            timeout: 10,
            start_delay: 0,
            retries: 0,
            retry_delay: 0,
            repeat: 0,
            ignore_errors: false,
            keep: false,
            volume_mounts: vec![super::super::VolumeMount {
                name: "s".into(),
                mount_path: "/run/s".into(),
            }],
            user: Some("1000".into()),
            unsupported: Vec::new(),
        }
    }

    #[test]
    fn podman_and_docker_run_a_cmd_step_like_buildah_does() {
        let volumes = vec![("s".to_string(), PathBuf::from("/tmp/vol"))];
        let argv: Vec<String> = container_run_args(
            "docker",
            &step(),
            "img:1",
            &["echo hi".into()],
            Path::new("/ws"),
            &volumes,
            Path::new("/a.json"),
        )
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
        assert_eq!(
            argv,
            [
                "run",
                "--rm",
                "-v",
                "/ws:/workspace",
                "-w",
                "/workspace/src",
                "-v",
                "/tmp/vol:/run/s:ro",
                "--user",
                "1000",
                "--env",
                "A=1",
                "--entrypoint",
                "sh",
                "img:1",
                "-c",
                "echo hi"
            ]
        );
        let podman = container_run_args(
            "podman",
            &step(),
            "img:1",
            &[],
            Path::new("/ws"),
            &volumes,
            Path::new("/a.json"),
        );
        assert_eq!(
            podman[1..3],
            ["--authfile".into(), std::ffi::OsString::from("/a.json")]
        );
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"img sh -c "echo a b" 'c d' """#),
            ["img", "sh", "-c", "echo a b", "c d", ""]
        );
    }
}
