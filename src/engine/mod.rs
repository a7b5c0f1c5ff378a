//! Executing a run: context, base-image scan and digest resolution (before the build),
//! the builder's processes with log streaming, timeout and cancel, and the final record.

pub(crate) mod cleanup;
pub mod log;
pub mod pipeline;
pub mod process;
pub mod steps;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::builder::{self, BuildRequest};
use crate::context;
use crate::dockerfile;
use crate::error::{Result, failed};
use crate::model::argument::Argument;
use crate::model::image::ImageRef;
use crate::model::registry::registry_name;
use crate::model::run::{
    ImageDescriptor, ImageUpdateTrigger, RUN_RESOURCE_TYPE, Run, SourceTriggerDescriptor,
    TimerTriggerDescriptor, status,
};
use crate::model::task::{AgentConfiguration, BaseImageDependency, now_rfc3339};
use crate::model::{ContextLocation, Platform, Task, TaskStep};
use crate::registry::{AuthFile, Credentials, Login, RegistryClient};
use crate::store::{RecordedBase, Store};
use crate::template::{self, TemplateContext};
use log::{RunLog, log_path};
use process::{StepEnd, kill_group, process_start_time, run_step, runner_alive};

/// Everything a run needs, stored with it so that a detached worker can execute it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunSpec {
    pub registry: String,
    pub task: Option<String>,
    pub run_type: String,
    /// The context as written (`/dev/null` or None for none).
    pub context: Option<String>,
    pub context_token: Option<String>,
    pub dockerfile: String,
    pub images: Vec<String>,
    pub arguments: Vec<Argument>,
    pub values: Vec<Argument>,
    pub target: Option<String>,
    pub platform: Platform,
    pub cpu: u32,
    pub no_cache: bool,
    pub push: bool,
    pub timeout: u32,
    /// Logins from `task credential add`: server -> (user, password).
    pub credentials: BTreeMap<String, (String, String)>,
    pub builder: Option<String>,
    pub image_update_trigger: Option<ImageUpdateTrigger>,
    pub source_trigger: Option<SourceTriggerDescriptor>,
    pub timer_trigger: Option<TimerTriggerDescriptor>,
    /// A multi-step task file to run instead of a Dockerfile build.
    #[serde(default)]
    pub task_file: Option<TaskFileSource>,
    /// A values file (relative to the context) for the task file.
    #[serde(default)]
    pub values_file: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum TaskFileSource {
    /// A file in the context.
    Path(String),
    /// The file's text itself (`-f -`, `--cmd`, an EncodedTask).
    Inline(String),
}

impl RunSpec {
    /// A run of nothing yet in `registry`, with az's defaults (push on, 2 CPUs, no triggers);
    /// callers set what they build.
    pub fn new(
        registry: &str,
        run_type: &str,
        context: Option<String>,
        platform: Platform,
        timeout: u32,
    ) -> RunSpec {
        RunSpec {
            registry: registry.to_string(),
            task: None,
            run_type: run_type.to_string(),
            context,
            context_token: None,
            dockerfile: String::new(),
            images: Vec::new(),
            arguments: Vec::new(),
            values: Vec::new(),
            target: None,
            platform,
            cpu: crate::model::task::DEFAULT_CPU,
            no_cache: false,
            push: true,
            timeout,
            credentials: BTreeMap::new(),
            builder: None,
            image_update_trigger: None,
            source_trigger: None,
            timer_trigger: None,
            task_file: None,
            values_file: None,
        }
    }

    /// A run of a stored task as it is defined: what `task run` starts from, and what watch runs.
    pub fn for_task(registry: &str, task: &Task) -> Result<RunSpec> {
        let credentials = task
            .registry_logins()
            .map(|(server, user, password)| {
                (server.to_string(), (user.to_string(), password.to_string()))
            })
            .collect();
        let source = task.step.source();
        let mut spec = RunSpec::new(
            registry,
            "AutoRun",
            source.context_path.clone(),
            task.platform.clone(),
            task.timeout,
        );
        spec.task = Some(task.name.clone());
        spec.context_token = source.context_access_token.clone();
        spec.cpu = task.agent_configuration.cpu;
        spec.credentials = credentials;
        match &task.step {
            TaskStep::Docker(step) => {
                spec.run_type = "AutoBuild".into();
                spec.dockerfile = step.docker_file_path.clone();
                spec.images = step.image_names.clone();
                spec.arguments = step.arguments.clone();
                spec.target = step.target.clone();
                spec.no_cache = step.no_cache;
                spec.push = step.is_push_enabled;
            }
            TaskStep::FileTask(step) => {
                spec.task_file = Some(TaskFileSource::Path(step.task_file_path.clone()));
                spec.values_file = step.values_file_path.clone();
                spec.values = step.values.clone();
            }
            TaskStep::EncodedTask(step) => {
                use base64::Engine as _;
                let b64 = base64::engine::general_purpose::STANDARD;
                let decode = |text: &str| -> Result<String> {
                    String::from_utf8(b64.decode(text.trim())?)
                        .map_err(|_| failed("the task's encoded content is not text"))
                };
                spec.task_file = Some(TaskFileSource::Inline(decode(&step.encoded_task_content)?));
                if let Some(values) = &step.encoded_values_content {
                    for (k, v) in values_from_yaml(&decode(values)?)? {
                        spec.values.push(Argument {
                            name: k,
                            value: Some(v),
                            is_secret: false,
                        });
                    }
                }
                spec.values.extend(step.values.iter().cloned());
            }
        }
        Ok(spec)
    }

    /// The spec as the runs table keeps it: no registry password and no git token (they
    /// would outlive a credential rotation there); [`RunSpec::with_task_secrets`] takes them
    /// from the task again when the run executes.
    fn for_store(&self) -> RunSpec {
        let mut spec = self.clone();
        for (_, password) in spec.credentials.values_mut() {
            password.clear();
        }
        spec.context_token = None;
        spec
    }

    /// Fills in the task's current logins and git token (a task run's spec is stored without
    /// them).
    fn with_task_secrets(mut self, store: &Store) -> Result<RunSpec> {
        let Some(name) = &self.task else {
            return Ok(self);
        };
        if let Some(task) = store.get_task(&self.registry, name)? {
            self.credentials = task
                .registry_logins()
                .map(|(server, user, password)| {
                    (server.to_string(), (user.to_string(), password.to_string()))
                })
                .collect();
            self.context_token = task.step.source().context_access_token.clone();
        }
        Ok(self)
    }

    fn secrets(&self) -> Vec<String> {
        let mut s: Vec<String> = self
            .arguments
            .iter()
            .chain(&self.values)
            .filter(|a| a.is_secret)
            .filter_map(|a| a.value.clone())
            .collect();
        s.extend(self.credentials.values().map(|(_, p)| p.clone()));
        s.extend(self.context_token.clone());
        s
    }

    fn credentials(&self) -> Credentials {
        self.credentials.iter().fold(
            Credentials::default(),
            |c, (server, (username, password))| {
                c.with(
                    server,
                    Login {
                        username: username.clone(),
                        password: password.clone(),
                    },
                )
            },
        )
    }
}

/// A values file: a YAML map of names to values.
pub fn values_from_yaml(text: &str) -> Result<Vec<(String, String)>> {
    let map: std::collections::BTreeMap<String, serde_json::Value> =
        serde_saphyr::from_str(text)
            .map_err(|e| crate::error::invalid(format!("values file: {e}")))?;
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect())
}

/// Stores a new Queued run for `spec`, after purging runs past their retention.
pub fn queue(store: &mut Store, spec: &RunSpec, retention_days: u32) -> Result<Run> {
    purge_expired_runs(store, retention_days)?;
    let now = now_rfc3339();
    let spec_json = serde_json::to_string(&spec.for_store())?;
    store.insert_run(&spec.registry, &spec_json, |run_id| Run {
        agent_configuration: AgentConfiguration { cpu: spec.cpu },
        base_image_dependencies: None,
        create_time: now.clone(),
        custom_registries: (!spec.credentials.is_empty())
            .then(|| spec.credentials.keys().cloned().collect()),
        finish_time: None,
        id: Run::resource_id(&spec.registry, &run_id),
        image_update_trigger: spec.image_update_trigger.clone(),
        is_archive_enabled: false,
        last_updated_time: now.clone(),
        name: run_id.clone(),
        output_images: None,
        platform: spec.platform.clone(),
        provisioning_state: "Succeeded".into(),
        run_error_message: None,
        run_id,
        run_type: spec.run_type.clone(),
        source_trigger: spec.source_trigger.clone(),
        start_time: None,
        status: status::QUEUED.into(),
        steps: None,
        task: spec.task.clone(),
        timer_trigger: spec.timer_trigger.clone(),
        resource_type: RUN_RESOURCE_TYPE.into(),
    })
}

fn purge_expired_runs(store: &mut Store, retention_days: u32) -> Result<()> {
    let cutoff = (chrono::Utc::now() - chrono::Duration::days(i64::from(retention_days)))
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, false);
    for (registry, run_id) in store.purge_runs(&cutoff)? {
        let _ = std::fs::remove_file(log_path(store.dir(), &registry, &run_id));
    }
    Ok(())
}

/// Starts a detached worker process that executes a queued run, and records it as the runner.
pub fn spawn_detached(store: &mut Store, registry: &str, run_id: &str) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let exe =
        std::env::current_exe().context("cannot find the acrt executable to start a worker")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args([
        "run-worker",
        "--registry",
        registry,
        "--run-id",
        run_id,
        "--state-dir",
    ])
    .arg(store.dir())
    .stdin(std::process::Stdio::null())
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null());
    // SAFETY: setsid(2) is async-signal-safe; the worker leaves the terminal's session so that
    // closing the terminal does not end the run.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let child = cmd
        .spawn()
        .context("cannot start a worker process for the run")?;
    let pid = i64::from(child.id());
    store.set_runner(registry, run_id, pid, process_start_time(pid))
}

/// Marks runs whose runner process is gone (killed, rebooted) as Failed.
pub fn reap_dead_runs(store: &mut Store) -> Result<()> {
    for record in store.unfinished_runs()? {
        let alive = match record.runner_pid {
            Some(pid) => runner_alive(pid, record.runner_start),
            // A run is given its runner right after it is queued; allow a moment for that.
            None => chrono::DateTime::parse_from_rfc3339(&record.run.create_time).is_ok_and(|t| {
                chrono::Utc::now().signed_duration_since(t) < chrono::Duration::seconds(60)
            }),
        };
        if alive {
            continue;
        }
        let mut run = record.run;
        run.status = status::FAILED.into();
        let now = now_rfc3339();
        run.finish_time = Some(now.clone());
        run.last_updated_time = now;
        run.run_error_message = Some(format!(
            "the process running this run{} ended before the run did (killed, or the machine restarted)",
            record
                .runner_pid
                .map(|p| format!(" (pid {p})"))
                .unwrap_or_default()
        ));
        store.save_run(&record.registry, &run, true)?;
        cleanup::clean_up(store, &record.registry, &run.run_id)?;
    }
    cleanup::sweep(store)
}

/// Cancels a run: marks it Canceled and stops its build's process group.
pub async fn cancel(store: &mut Store, registry: &str, run_id: &str) -> Result<Option<Run>> {
    let Some(record) = store.get_run(registry, run_id)? else {
        return Ok(None);
    };
    let mut run = record.run;
    if status::is_final(&run.status) {
        return Err(failed(format!(
            "the run {run_id} already ended ({}); there is nothing to cancel",
            run.status
        )));
    }
    let now = now_rfc3339();
    run.status = status::CANCELED.into();
    run.finish_time = Some(now.clone());
    run.last_updated_time = now;
    run.run_error_message = Some("canceled by 'acrt task cancel-run'".into());
    store.save_run(registry, &run, true)?;
    if let Some(record) = store.get_run(registry, run_id)?
        && let Some(pgid) = record.build_pgid
    {
        kill_group(pgid, record.build_start, Duration::from_secs(10)).await;
    }
    Ok(Some(run))
}

/// How a build ended when it did not succeed.
enum Stop {
    Failed(String),
    TimedOut,
    Canceled,
}

struct Built {
    output_images: Vec<ImageDescriptor>,
    bases: Vec<RecordedBase>,
    dependencies: Vec<BaseImageDependency>,
}

/// The run this process is executing (state dir, registry, run id), for the panic hook.
static CURRENT_RUN: std::sync::Mutex<Option<(PathBuf, String, String)>> =
    std::sync::Mutex::new(None);

/// Marks the run this process executes Failed with `message` and stops its builder: what a
/// panic leaves instead of a run that seems to have been killed.
pub fn fail_current_run(message: &str) {
    let Some((dir, registry, run_id)) = CURRENT_RUN.lock().ok().and_then(|mut c| c.take()) else {
        return;
    };
    let Ok(mut store) = Store::open(&dir) else {
        return;
    };
    if let Ok(Some(record)) = store.get_run(&registry, &run_id) {
        if let Some(pgid) = record.build_pgid {
            process::kill_group_now(pgid, record.build_start);
        }
        let mut run = record.run;
        if !status::is_final(&run.status) {
            run.status = status::FAILED.into();
            run.finish_time = Some(now_rfc3339());
            run.last_updated_time = now_rfc3339();
            run.run_error_message = Some(message.to_string());
            let _ = store.save_run(&registry, &run, true);
        }
    }
}

/// Executes a queued run in this process; `stream` also writes its log to stdout.
pub async fn execute(store: &mut Store, registry: &str, run_id: &str, stream: bool) -> Result<Run> {
    if let Ok(mut current) = CURRENT_RUN.lock() {
        *current = Some((
            store.dir().to_path_buf(),
            registry.to_string(),
            run_id.to_string(),
        ));
    }
    let result = execute_run(store, registry, run_id, stream).await;
    if let Ok(mut current) = CURRENT_RUN.lock() {
        *current = None;
    }
    result
}

async fn execute_run(store: &mut Store, registry: &str, run_id: &str, stream: bool) -> Result<Run> {
    let spec: RunSpec = match store.run_spec(registry, run_id)? {
        Some(text) => serde_json::from_str::<RunSpec>(&text)?.with_task_secrets(store)?,
        None => return Err(failed(format!("the run {run_id} has nothing to execute"))),
    };
    let me = i64::from(std::process::id());
    store.set_runner(registry, run_id, me, process_start_time(me))?;
    let run = store
        .update_run(registry, run_id, |r| {
            if !status::is_final(&r.status) {
                r.status = status::RUNNING.into();
                r.start_time = Some(now_rfc3339());
                r.last_updated_time = now_rfc3339();
            }
            Ok(())
        })?
        .ok_or_else(|| failed(format!("the run {run_id} does not exist")))?;
    if status::is_final(&run.status) {
        return Ok(run);
    }

    let log = RunLog::create(
        &log_path(store.dir(), registry, run_id),
        stream,
        spec.secrets(),
    )?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(u64::from(spec.timeout));
    let steps_out = std::cell::RefCell::new(None);
    let started = std::time::Instant::now();
    let work = cleanup::WorkDir::create(store.dir(), registry, run_id)?;
    let outcome = tokio::select! {
        outcome = build(store, &spec, &run, &log, deadline, &steps_out, &work) => outcome,
        _ = tokio::signal::ctrl_c() => {
            if let Some(record) = store.get_run(registry, run_id)?
                && let Some(pgid) = record.build_pgid
            {
                kill_group(pgid, record.build_start, Duration::from_secs(5)).await;
            }
            Err(Stop::Canceled)
        }
    };

    let mut run = store
        .get_run(registry, run_id)?
        .map(|r| r.run)
        .unwrap_or(run);
    let now = now_rfc3339();
    run.finish_time = Some(now.clone());
    run.last_updated_time = now;
    let mut bases = Vec::new();
    run.steps = steps_out.take();
    match outcome {
        Ok(built) => {
            run.status = status::SUCCEEDED.into();
            run.output_images = Some(built.output_images);
            run.base_image_dependencies = Some(built.dependencies);
            bases = built.bases;
        }
        Err(Stop::Failed(message)) => {
            // An error may quote input that holds a secret (a YAML excerpt): masked here,
            // before it is stored or printed.
            let mut message = log.masked(&message);
            if log.saw_disk_full()
                || message
                    .to_ascii_lowercase()
                    .contains("no space left on device")
            {
                message = format!(
                    "the disk is full (no space left on device); free some space and run again: {message}"
                );
            } else if log.saw_tls_failure() {
                message = format!(
                    "{message}; the builder met a TLS certificate problem (see the log): for a registry \
                     with a private CA, 'acrt config set core.ca_file=/path/to/ca.pem'"
                );
            }
            run.status = status::FAILED.into();
            log.line(&format!("error: {message}"));
            run.run_error_message = Some(message);
        }
        Err(Stop::TimedOut) => {
            run.status = status::TIMEOUT.into();
            run.run_error_message = Some(format!(
                "the run took longer than its timeout of {} s",
                spec.timeout
            ));
        }
        Err(Stop::Canceled) => {
            run.status = status::CANCELED.into();
            run.run_error_message = Some("canceled".into());
        }
    }
    if run.status == status::SUCCEEDED {
        log.line(&format!(
            "Run ID: {run_id} was successful after {}s",
            started.elapsed().as_secs()
        ));
    }
    if run.status != status::SUCCEEDED {
        // A stopped step may leave its container and processes.
        let _ = cleanup::clean_up(store, registry, run_id);
    }
    drop(work);
    let _ = store.set_build_group(registry, run_id, None);
    if !store.complete_run(registry, &run, &bases)? {
        // Someone else ended it first (cancel-run): that record stands.
        return Ok(store
            .get_run(registry, run_id)?
            .map(|r| r.run)
            .unwrap_or(run));
    }
    Ok(run)
}

#[allow(clippy::too_many_arguments)]
async fn build(
    store: &mut Store,
    spec: &RunSpec,
    run: &Run,
    log: &RunLog,
    deadline: tokio::time::Instant,
    steps_out: &std::cell::RefCell<Option<Vec<crate::model::run::StepRecord>>>,
    work: &cleanup::WorkDir,
) -> std::result::Result<Built, Stop> {
    let fail = |e: anyhow::Error| Stop::Failed(format!("{e:#}"));
    let registry = spec.registry.as_str();

    let location = spec
        .context
        .as_deref()
        .map(ContextLocation::parse)
        .unwrap_or(ContextLocation::None);
    location.validate().map_err(fail)?;
    log.line(&format!(
        "Fetching the context: {}",
        spec.context.as_deref().unwrap_or("(none)")
    ));
    let fetched = tokio::time::timeout_at(
        deadline,
        context::fetch(&location, spec.context_token.as_deref(), work.path()),
    )
    .await
    .map_err(|_| Stop::TimedOut)?
    .map_err(fail)?;

    let vars = run_variables(
        spec,
        run,
        fetched.commit.as_deref(),
        fetched.branch.as_deref(),
    );
    if let Some(source) = &spec.task_file {
        return run_task_file(
            spec,
            source,
            &fetched.dir,
            work.path(),
            vars,
            log,
            deadline,
            steps_out,
        )
        .await;
    }
    let render = |text: &str| template::render(text, &vars).map_err(fail);
    let images = spec
        .images
        .iter()
        .map(|t| ImageRef::parse_in(&render(t)?, Some(registry)).map_err(fail))
        .collect::<std::result::Result<Vec<_>, Stop>>()?;
    let mut build_args = Vec::new();
    for a in &spec.arguments {
        let value = render(a.value.as_deref().unwrap_or_default())?;
        if a.is_secret {
            log.add_secret(&value);
        }
        build_args.push((a.name.clone(), value, a.is_secret));
    }

    let dockerfile =
        context::resolve_inside(&fetched.dir, &spec.dockerfile, "the Dockerfile").map_err(fail)?;
    let text = context::read_dockerfile(&fetched.dir, &spec.dockerfile).map_err(fail)?;
    let scan_args: Vec<(String, String)> = build_args
        .iter()
        .map(|(n, v, _)| (n.clone(), v.clone()))
        .collect();
    let scanned =
        dockerfile::scan_sites(&text, &scan_args, spec.target.as_deref()).map_err(fail)?;
    pipeline::check_buildable(&spec.platform).map_err(fail)?;

    // Base digests are resolved BEFORE the build, and the build is pinned to them.
    let credentials = spec.credentials();
    let mut involved: Vec<String> = images.iter().map(|i| i.registry.clone()).collect();
    involved.extend(
        scanned
            .bases
            .iter()
            .filter_map(|b| b.image.as_ref().map(|i| i.api_registry().to_string())),
    );
    involved.sort();
    involved.dedup();
    let client = RegistryClient::new(credentials.clone(), &involved);
    let resolved = tokio::time::timeout_at(
        deadline,
        pipeline::resolve_base_digests(
            &client,
            &scanned.bases,
            &spec.platform,
            pipeline::WhenMissing::Fail,
            log,
            "",
        ),
    )
    .await
    .map_err(|_| Stop::TimedOut)?
    .map_err(fail)?;
    let bases: Vec<RecordedBase> = resolved
        .iter()
        .map(|r| r.recorded(&spec.platform))
        .collect();
    let dependencies: Vec<BaseImageDependency> = resolved.iter().map(|r| r.dependency()).collect();
    let dockerfile = pipeline::pinned_dockerfile(&text, &scanned, &resolved, work.path(), log, "")
        .map_err(fail)?
        .unwrap_or(dockerfile);

    let builder = builder::select(spec.builder.as_deref()).map_err(fail)?;
    let auth_file = AuthFile::write(work.path(), &credentials, &involved).map_err(fail)?;
    let push = spec.push && !images.is_empty();
    let request = BuildRequest {
        context_dir: fetched.dir.clone(),
        dockerfile: dockerfile.clone(),
        images: images.iter().map(ImageRef::full_name).collect(),
        build_args,
        target: spec.target.clone(),
        platform: spec.platform.clone(),
        no_cache: spec.no_cache,
        push,
        auth_file: auth_file.path().to_path_buf(),
        insecure_registries: involved
            .iter()
            .filter(|r| crate::registry::is_insecure(r))
            .cloned()
            .collect(),
        annotations: pipeline::base_annotations(&resolved),
    };
    let plan = builder.plan(&request, work.path()).map_err(fail)?;
    for step in &plan.steps {
        if store
            .get_run(registry, &run.run_id)
            .ok()
            .flatten()
            .is_some_and(|r| r.run.status == status::CANCELED)
        {
            return Err(Stop::Canceled);
        }
        let shown: Vec<String> = step
            .args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        log.line(&format!("$ {} {}", step.program.display(), shown.join(" ")));
        let run_id = run.run_id.clone();
        let end = run_step(step, work.path(), log, deadline, |pgid, start| {
            store.set_build_group(registry, &run_id, Some((pgid, start)))
        })
        .await
        .map_err(fail)?;
        match end {
            StepEnd::Exited(Some(0)) => {}
            StepEnd::TimedOut => return Err(Stop::TimedOut),
            StepEnd::Exited(code) => {
                if store
                    .get_run(registry, &run.run_id)
                    .ok()
                    .flatten()
                    .is_some_and(|r| r.run.status == status::CANCELED)
                {
                    return Err(Stop::Canceled);
                }
                return Err(Stop::Failed(format!(
                    "{} exited with {}",
                    step.program.display(),
                    code.map_or("a signal".to_string(), |c| format!("code {c}"))
                )));
            }
        }
    }
    drop(auth_file);

    // What the registry serves for each pushed tag now is what the run records.
    let mut output_images = Vec::new();
    if push {
        for image in &images {
            let digest = client.head_digest(image).await.map_err(fail)?;
            log.line(&format!("Pushed {image}: {digest}"));
            // What was pushed must be what was asked for, whatever the builder did.
            if let Some(built) = client.image_platform(image).await.map_err(fail)?
                && !built.matches(&spec.platform)
            {
                return Err(Stop::Failed(format!(
                    "the pushed image {image} is {built}, not the {} asked for",
                    spec.platform
                )));
            }
            output_images.push(ImageDescriptor {
                digest: Some(digest),
                registry: image.registry.clone(),
                repository: image.repository.clone(),
                tag: image.tag.clone(),
            });
        }
    } else if images.is_empty() {
        log.line("No image names were given (-t): the image was built and not pushed");
    }
    Ok(Built {
        output_images,
        bases,
        dependencies,
    })
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

/// A multi-step run: the workspace (a private copy of the context, mounted at /workspace),
/// values, secrets, the plan (every check before anything runs), then the steps.
#[allow(clippy::too_many_arguments)]
async fn run_task_file(
    spec: &RunSpec,
    source: &TaskFileSource,
    context_dir: &std::path::Path,
    work: &std::path::Path,
    mut vars: TemplateContext,
    log: &RunLog,
    deadline: tokio::time::Instant,
    steps_out: &std::cell::RefCell<Option<Vec<crate::model::run::StepRecord>>>,
) -> std::result::Result<Built, Stop> {
    let fail = |e: anyhow::Error| Stop::Failed(format!("{e:#}"));
    let workspace = work.join("workspace");
    std::fs::create_dir_all(&workspace).map_err(|e| fail(e.into()))?;
    let cp = crate::host::program("cp", "install coreutils").map_err(fail)?;
    // A child process the run's timeout can stop, not a blocking call on the runtime.
    let copy = crate::host::command(&cp)
        .kill_on_drop(true)
        .arg("-a")
        .arg(format!("{}/.", context_dir.display()))
        .arg(&workspace)
        .output();
    let copy = tokio::time::timeout_at(deadline, copy)
        .await
        .map_err(|_| Stop::TimedOut)?
        .map_err(|e| fail(e.into()))?;
    if !copy.status.success() {
        return Err(Stop::Failed(format!(
            "cannot copy the context into the workspace: {}",
            String::from_utf8_lossy(&copy.stderr).trim()
        )));
    }
    let text = match source {
        TaskFileSource::Inline(t) => t.clone(),
        TaskFileSource::Path(p) => {
            context::read_text(&workspace, p, "the task file", "check -f").map_err(fail)?
        }
    };
    if let Some(values_file) = &spec.values_file {
        let values_text =
            context::read_text(&workspace, values_file, "the values file", "check --values")
                .map_err(fail)?;
        for (k, v) in values_from_yaml(&values_text).map_err(fail)? {
            vars.values.insert(k, v);
        }
    }
    // --set wins over the values file; secret values are masked in the log.
    for v in &spec.values {
        let value = v.value.clone().unwrap_or_default();
        if v.is_secret {
            log.add_secret(&value);
        }
        vars.values.insert(v.name.clone(), value);
    }
    for def in steps::secret_defs(&text).map_err(fail)? {
        let value = match (&def.env, &def.file) {
            (Some(var), _) => std::env::var(var).map_err(|_| {
                Stop::Failed(format!(
                    "secret '{}': the environment variable {var} is not set where acrt runs",
                    def.id
                ))
            })?,
            (None, Some(path)) => std::fs::read_to_string(path)
                .map(|s| s.trim_end_matches(['\r', '\n']).to_string())
                .map_err(|e| {
                    Stop::Failed(format!("secret '{}': cannot read {path}: {e}", def.id))
                })?,
            (None, None) => {
                return Err(Stop::Failed(format!(
                    "secret '{}': Azure Key Vault has no local meaning; give it `env: VARIABLE` or `file: PATH` in the task file",
                    def.id
                )));
            }
        };
        log.add_secret(&value);
        vars.secrets.insert(def.id.clone(), value);
    }
    let alias_root = workspace.clone();
    let load_alias_source = move |path: &str| -> Result<String> {
        if path.starts_with("http://") || path.starts_with("https://") {
            return Err(crate::error::invalid(format!(
                "alias source {path}: URLs are not supported; put the file in the context"
            )));
        }
        context::read_text(
            &alias_root,
            path,
            "the alias source",
            "put the file in the context",
        )
    };
    let plan = steps::plan(&text, &vars, &load_alias_source).map_err(fail)?;
    log.line(&format!("Task file: {} step(s)", plan.steps.len()));
    let secret_values: Vec<String> = vars
        .secrets
        .values()
        .cloned()
        .chain(
            spec.values
                .iter()
                .filter(|v| v.is_secret)
                .filter_map(|v| v.value.clone()),
        )
        .collect();
    let env = steps::exec::StepEnv {
        registry: &spec.registry,
        secret_values,
        workspace,
        work: work.to_path_buf(),
        credentials: spec.credentials(),
        platform: spec.platform.clone(),
        builder: spec.builder.clone(),
        log,
        deadline,
    };
    let outcome = steps::exec::run_plan(&plan, &env).await;
    *steps_out.borrow_mut() = Some(outcome.records);
    if outcome.timed_out {
        return Err(Stop::TimedOut);
    }
    if let Some(f) = outcome.failure {
        return Err(Stop::Failed(f));
    }
    Ok(Built {
        output_images: outcome.output_images,
        bases: outcome.bases,
        dependencies: outcome.dependencies,
    })
}
