//! A run's life outside its execution: queued, handed to a detached worker, canceled from any
//! process, and marked Failed when the process running it is gone (or panicked).

use anyhow::Context as _;
use std::path::PathBuf;
use std::time::Duration;

use super::cleanup;
use super::log::log_path;
use super::process::{self, kill_groups, process_start_time, runner_alive};
use super::spec::{GivenSecrets, RunSpec};
use crate::error::{Result, failed};
use crate::model::RunKey;
use crate::model::run::{ImageDescriptorFields, PlatformImage, RUN_RESOURCE_TYPE, Run};
use crate::model::status::RunStatus;
use crate::model::system_data::SystemData;
use crate::model::task::{AgentConfiguration, now_rfc3339};
use crate::store::Store;

/// Stores a new Queued run for `spec`, after purging runs past their retention.
pub fn queue(store: &mut Store, spec: &RunSpec, retention_days: u32) -> Result<Run> {
    purge_expired_runs(store, retention_days)?;
    let now = now_rfc3339();
    let spec_json = serde_json::to_string(&spec.for_store())?;
    let dir = store.dir().to_path_buf();
    store.insert_run(&spec.registry, &spec_json, |run_id| {
        queued_run(
            spec,
            &run_id,
            &log_path(&dir, &RunKey::new(&spec.registry, &run_id)),
            &now,
        )
    })
}

/// A new Queued run of `spec`, its log at `log`, made at `now`.
pub(super) fn queued_run(spec: &RunSpec, run_id: &str, log: &std::path::Path, now: &str) -> Run {
    Run {
        agent_configuration: AgentConfiguration { cpu: spec.cpu },
        agent_pool_name: None,
        base_image_dependencies: None,
        builder: None,
        lost_builders: None,
        create_time: now.to_string(),
        custom_registries: (!spec.credentials.is_empty())
            .then(|| spec.credentials.keys().cloned().collect()),
        finish_time: None,
        id: Run::resource_id(&spec.registry, run_id),
        image_update_trigger: spec.image_update_trigger.clone(),
        is_archive_enabled: false,
        last_updated_time: now.to_string(),
        log_artifact: Some(ImageDescriptorFields {
            digest: None,
            registry: None,
            repository: Some(log.display().to_string()),
            tag: None,
        }),
        name: run_id.to_string(),
        output_images: None,
        platform: spec.platform.clone(),
        platforms: spec.platforms.as_ref().map(|all| {
            all.iter()
                .map(|platform| PlatformImage {
                    platform: platform.clone(),
                    digest: None,
                    rebase: None,
                    builder: spec.builder_of(platform).name,
                })
                .collect()
        }),
        provisioning_state: "Succeeded".into(),
        rebase: None,
        attestations: None,
        resource_group: None,
        run_error_message: None,
        run_id: run_id.to_string(),
        run_type: spec.run_type,
        source_registry_auth: None,
        source_trigger: spec.source_trigger.clone(),
        start_time: None,
        status: RunStatus::Queued,
        steps: None,
        unchanged: None,
        system_data: Some(SystemData::created(now)),
        task: spec.task.clone(),
        timer_trigger: spec.timer_trigger.clone(),
        resource_type: RUN_RESOURCE_TYPE.into(),
        update_trigger_token: spec.update_trigger_token.clone(),
    }
}

/// Deletes a finished run and its log (`taskrun delete`): None if there is no such run,
/// Some(Err(status)) if it has not finished.
pub fn delete_run(
    store: &mut Store,
    key: &RunKey,
) -> Result<Option<std::result::Result<(), RunStatus>>> {
    let deleted = store.delete_finished_run(key)?;
    if matches!(deleted, Some(Ok(()))) {
        let _ = std::fs::remove_file(log_path(store.dir(), key));
    }
    Ok(deleted)
}

fn purge_expired_runs(store: &mut Store, retention_days: u32) -> Result<()> {
    let cutoff = (chrono::Utc::now() - chrono::Duration::days(i64::from(retention_days)))
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, false);
    for (registry, run_id) in store.purge_runs(&cutoff)? {
        let _ = std::fs::remove_file(log_path(store.dir(), &RunKey::new(&registry, &run_id)));
    }
    Ok(())
}

/// Starts a detached worker process that executes a queued run, and records it as the runner.
/// The run's secret values reach the worker through its stdin, never its arguments or the
/// store.
pub fn spawn_detached(store: &mut Store, key: &RunKey, given: &GivenSecrets) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::process::CommandExt;
    let exe =
        std::env::current_exe().context("cannot find the acrt executable to start a worker")?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args([
        "run-worker",
        "--registry",
        &key.registry,
        "--run-id",
        &key.run_id,
        "--state-dir",
    ])
    .arg(store.dir())
    .stdin(std::process::Stdio::piped())
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
    let mut child = cmd.spawn().map_err(|e| {
        crate::host::cannot_start(&cmd, &e, "acrt's own executable is gone; install it again")
            .context("cannot start a worker process for the run")
    })?;
    let pid = i64::from(child.id());
    if let Some(mut stdin) = child.stdin.take() {
        // The worker reads it before anything else (a worker that died first fails the write).
        stdin
            .write_all(&serde_json::to_vec(given)?)
            .context("cannot hand the run's secrets to its worker")?;
    }
    store.set_runner(key, pid, process_start_time(pid))
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
        run.status = RunStatus::Failed;
        run.finish_now();
        run.run_error_message = Some(format!(
            "the process running this run{} ended before the run did (killed, or the machine restarted)",
            record
                .runner_pid
                .map(|p| format!(" (pid {p})"))
                .unwrap_or_default()
        ));
        store.save_run(&record.registry, &run, true)?;
        let key = RunKey::new(&record.registry, &run.run_id);
        cleanup::clean_up(store, &key)?;
        store.remove_run_groups(&key, None)?;
    }
    cleanup::sweep(store)
}

/// Cancels a run: marks it Canceled and stops its build's process group.
pub async fn cancel(store: &mut Store, key: &RunKey) -> Result<Option<Run>> {
    let Some(record) = store.get_run(key)? else {
        return Ok(None);
    };
    let mut run = record.run;
    if run.status.is_final() {
        return Err(failed(format!(
            "the run {} already ended ({}); there is nothing to cancel",
            key.run_id, run.status
        )));
    }
    run.status = RunStatus::Canceled;
    run.finish_now();
    run.run_error_message = Some("canceled by 'acrt task cancel-run'".into());
    store.save_run(&key.registry, &run, true)?;
    // Every running step, whichever process runs the run.
    kill_groups(store.run_groups(key)?, Duration::from_secs(10)).await;
    Ok(Some(run))
}

/// The run this process is executing (state dir, run), for the panic hook.
type CurrentRun = (PathBuf, RunKey);
static CURRENT_RUN: std::sync::Mutex<Option<CurrentRun>> = std::sync::Mutex::new(None);

/// Sets (or with None, clears) the run this process executes.
pub(super) fn set_current_run(run: Option<CurrentRun>) {
    if let Ok(mut current) = CURRENT_RUN.lock() {
        *current = run;
    }
}

/// Marks the run this process executes Failed with `message` and stops its builder: what a
/// panic leaves instead of a run that seems to have been killed.
pub fn fail_current_run(message: &str) {
    let Some((dir, key)) = CURRENT_RUN.lock().ok().and_then(|mut c| c.take()) else {
        return;
    };
    let Ok(mut store) = Store::open(&dir) else {
        return;
    };
    if let Ok(Some(record)) = store.get_run(&key) {
        process::kill_groups_now(&record.groups);
        let mut run = record.run;
        if !run.status.is_final() {
            run.status = RunStatus::Failed;
            run.finish_now();
            run.run_error_message = Some(message.to_string());
            let _ = store.save_run(&key.registry, &run, true);
        }
    }
}
