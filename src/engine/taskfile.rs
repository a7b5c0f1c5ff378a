//! A multi-step run: the workspace (a private copy of the context, mounted at /workspace),
//! values, secrets, the plan (every check before anything runs), then the steps.

use std::path::{Path, PathBuf};

use super::log::RunLog;
use super::outcome::{Outcome, Stop, fail, failure};
use super::spec::{RunSpec, TaskFileSource, values_from_yaml};
use super::{Built, Running, steps};
use crate::context;
use crate::error::Result;
use crate::template::TemplateContext;

/// Runs the task file's steps in the run's workspace.
pub(super) async fn run_task_file(
    r: &Running<'_>,
    source: &TaskFileSource,
    values_file: Option<&str>,
    context: &context::FetchedContext,
    mut vars: TemplateContext,
) -> Outcome<Built> {
    let (spec, log) = (r.spec, r.log);
    let workspace = copy_workspace(r, &context.dir).await?;
    // ACR names the volume every step has at /workspace; here it is this host directory.
    vars.run.insert(
        "SharedVolume".into(),
        workspace.to_string_lossy().into_owned(),
    );
    let text = match source {
        TaskFileSource::Inline(t) => t.clone(),
        TaskFileSource::Path(p) => {
            context::read_task_file_named(&spec.context_location(), &workspace, p).map_err(fail)?
        }
    };
    if let Some(values_file) = values_file {
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
            vars.secret_values.insert(v.name.clone());
        }
        vars.values.insert(v.name.clone(), value);
    }
    load_secrets(&text, spec, &workspace, log, &mut vars)?;
    let load = alias_loader(workspace.clone());
    let alias_sources = steps::AliasSources {
        configured: spec.task_aliases.clone(),
        load: &load,
    };
    let plan = steps::plan(&text, &vars, &alias_sources).map_err(fail)?;
    for derived in &plan.derived_secrets {
        log.add_secret(derived);
    }
    log.line(&format!("Task file: {} step(s)", plan.steps.len()));
    let pushed = plan.push_images();
    if !pushed.is_empty() {
        let registries: Vec<String> = pushed.iter().map(|i| i.registry.clone()).collect();
        let credentials = spec.credentials().looked_up(&registries).await;
        super::push_login::check_push_logins(spec, &pushed, &credentials).await?;
    }
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
        .chain(plan.derived_secrets.iter().cloned())
        .collect();
    let env = steps::exec::StepEnv {
        registry: &spec.registry,
        secret_values,
        workspace,
        work: r.work.to_path_buf(),
        credentials: spec.credentials(),
        platforms: spec.platforms(),
        builders: super::builders::RunBuilders::new(spec, r.builder),
        log,
        deadline: r.deadline,
        journal: r.journal,
        times: super::pipeline::TimeSources {
            task: spec.source_date_epoch,
            commit: context.commit_time,
        },
    };
    steps::exec::run_plan(&plan, &env).await
}

/// The run's workspace: a private copy of the context, by a child process the run's timeout
/// can stop (not a blocking call on the runtime).
async fn copy_workspace(r: &Running<'_>, context_dir: &Path) -> Outcome<PathBuf> {
    let workspace = r.work.join("workspace");
    std::fs::create_dir_all(&workspace).map_err(|e| fail(e.into()))?;
    let cp = crate::host::program("cp", "install coreutils").map_err(fail)?;
    let copy = crate::host::command(&cp)
        .kill_on_drop(true)
        .arg("-a")
        .arg(format!("{}/.", context_dir.display()))
        .arg(&workspace)
        .output();
    let copy = tokio::time::timeout_at(r.deadline, copy)
        .await
        .map_err(|_| Stop::TimedOut)?
        .map_err(|e| fail(e.into()))?;
    if !copy.status.success() {
        return Err(failure(format!(
            "cannot copy the context into the workspace: {}",
            String::from_utf8_lossy(&copy.stderr).trim()
        )));
    }
    Ok(workspace)
}

/// The task file's `secrets`: each from an environment variable the run allows or a file in
/// the context, masked in the log from here on. A task file is someone else's: it names no
/// file outside the context and no variable the task's owner did not allow.
fn load_secrets(
    text: &str,
    spec: &RunSpec,
    workspace: &Path,
    log: &RunLog,
    vars: &mut TemplateContext,
) -> Outcome<()> {
    for def in steps::secret_defs(text, vars).map_err(fail)? {
        let value = match (&def.env, &def.file) {
            (Some(var), _) => secret_from_env(&def.id, var, spec)?,
            (None, Some(path)) => {
                let what = format!("the file of secret '{}'", def.id);
                context::read_text(workspace, path, &what, "put the file in the context")
                    .map_err(fail)?
                    .trim_end_matches(['\r', '\n'])
                    .to_string()
            }
            (None, None) => key_vault_stand_in(&def.id, spec)?,
        };
        log.add_secret(&value);
        vars.secrets.insert(def.id.clone(), value);
    }
    Ok(())
}

/// A Key Vault secret's local value: the run's `--set-secret ID=VALUE` for its id, so a file
/// that reads Key Vault in ACR runs unchanged here.
fn key_vault_stand_in(id: &str, spec: &RunSpec) -> Outcome<String> {
    spec.values
        .iter()
        .find(|v| v.is_secret && v.name == id)
        .and_then(|v| v.value.clone())
        .ok_or_else(|| {
            failure(format!(
                "secret '{id}': Azure Key Vault has no local meaning; give its value with \
                 `--set-secret {id}=VALUE`, or `env: VARIABLE` or `file: PATH` in the task file"
            ))
        })
}

/// A secret's value from acrt's environment, if the run allows that variable.
fn secret_from_env(id: &str, var: &str, spec: &RunSpec) -> Outcome<String> {
    if !spec.secret_env.iter().any(|name| name.as_str() == var) {
        let allow = match &spec.task {
            Some(task) => format!("acrt task update -n {task} --secret-env {var}"),
            None => format!("acrt run --secret-env {var}"),
        };
        return Err(failure(format!(
            "secret '{id}': the task file reads the environment variable {var}, which its owner \
             did not allow; if it may, allow it with '{allow}' (or for every task file \
             'acrt config set core.secret_env={var}')"
        )));
    }
    std::env::var(var).map_err(|_| {
        failure(format!(
            "secret '{id}': the environment variable {var} is not set where acrt runs"
        ))
    })
}

/// Reads an alias source file from the workspace (never a URL).
fn alias_loader(alias_root: PathBuf) -> impl Fn(&str) -> Result<String> {
    move |path: &str| -> Result<String> {
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
    }
}
