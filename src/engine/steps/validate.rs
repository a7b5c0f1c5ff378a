//! Checking a parsed task file: everything a step may get wrong, with its line and id, before
//! anything runs.

use serde_saphyr::Spanned;

use super::cmd_list::CmdList;
use super::exec::split_words;
use super::run_options::CmdLine;
use super::shell;
use super::{
    DEFAULT_STEP_TIMEOUT, DEFAULT_WORKING_DIRECTORY, Plan, Step, StepDef, StepKind, TaskFile,
    VolumeDef,
};
use crate::error::{Result, invalid};

/// What a step gets from the task file when it does not say.
struct StepDefaults<'a> {
    env: &'a [(String, String)],
    working_directory: &'a str,
    timeout: u64,
    /// The task's volume names, which volumeMounts may name.
    volumes: &'a [String],
}

/// Checks a parsed task file and makes its plan: every step's kind, order, env, working
/// directory and limits.
pub(super) fn validate(file: TaskFile) -> Result<Plan> {
    if file.steps.is_empty() {
        return Err(invalid(
            "task file: it has no steps; add a 'steps:' list with build, push or cmd steps",
        ));
    }
    let step_timeout = match file.step_timeout {
        Some(t) if t > 0 => t as u64,
        _ => DEFAULT_STEP_TIMEOUT,
    };
    let task_workdir = file
        .working_directory
        .clone()
        .map(|w| join_workspace(&w))
        .unwrap_or_else(|| DEFAULT_WORKING_DIRECTORY.into());
    let task_env = parse_env(&file.env, "env", 0)?;
    let volume_names = validate_volumes(&file.volumes)?;
    let mut ids: Vec<String> = Vec::new();
    let mut steps = Vec::new();
    for (index, spanned) in file.steps.iter().enumerate() {
        let defaults = StepDefaults {
            env: &task_env,
            working_directory: &task_workdir,
            timeout: step_timeout,
            volumes: &volume_names,
        };
        let step = validate_step(index, spanned, &ids, &defaults)?;
        ids.push(step.id.clone());
        steps.push(step);
    }
    Ok(Plan {
        steps,
        volumes: file.volumes,
        unsupported: if file.networks.is_some() {
            vec!["networks"]
        } else {
            Vec::new()
        },
        derived_secrets: Vec::new(),
    })
}

fn join_workspace(dir: &str) -> String {
    if dir.starts_with('/') {
        dir.to_string()
    } else {
        format!("{DEFAULT_WORKING_DIRECTORY}/{dir}")
    }
}

fn parse_env(list: &[String], owner: &str, line: usize) -> Result<Vec<(String, String)>> {
    list.iter()
        .map(|e| {
            e.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .ok_or_else(|| {
                    invalid(format!(
                        "task file line {line}, {owner}: env entry '{e}' is not KEY=VALUE"
                    ))
                })
        })
        .collect()
}

/// Volume names (letters, digits, '-', '_'; each once) and their secret file names.
fn validate_volumes(volumes: &[VolumeDef]) -> Result<Vec<String>> {
    let mut seen_volumes = Vec::new();
    for v in volumes {
        if v.name.is_empty()
            || !v
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(invalid(format!(
                "task file: volume name '{}' may only have letters, digits, '-' and '_'",
                v.name
            )));
        }
        if seen_volumes.contains(&v.name) {
            return Err(invalid(format!(
                "task file: the volume '{}' is defined twice",
                v.name
            )));
        }
        for key in v.secret.keys() {
            if !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
            {
                return Err(invalid(format!(
                    "task file: volume '{}': file name '{key}' may only have letters, digits, '_', '.' and '-'",
                    v.name
                )));
            }
        }
        seen_volumes.push(v.name.clone());
    }
    Ok(seen_volumes)
}

fn validate_step(
    index: usize,
    spanned: &Spanned<StepDef>,
    ids: &[String],
    defaults: &StepDefaults<'_>,
) -> Result<Step> {
    let def = &spanned.value;
    let line = spanned.referenced.line() as usize;
    let id = def
        .id
        .clone()
        .unwrap_or_else(|| format!("acb_step_{index}"));
    let at = |what: String| invalid(format!("task file line {line}, step '{id}': {what}"));
    check_step_id(&id, ids).map_err(at)?;
    // The step's env wins per key over the task's.
    let mut env = defaults.env.to_vec();
    merge_env(&mut env, parse_env(&def.env, &id, line)?);
    // `$VAR` in the line is the step's env, as ACR's shell would expand it.
    let cmd = def
        .cmd
        .as_deref()
        .map(|text| shell::parse(text, &env).and_then(CmdList::of_line))
        .transpose()
        .map_err(at)?;
    let (cmd_line, cmd_list) = cmd.unzip();
    if def.detach && cmd_list.as_ref().is_some_and(|l| !l.is_single_run()) {
        return Err(at(
            "a detached step runs one container: give it one command, without '&&', '||' or ';'"
                .into(),
        ));
    }
    let kind = step_kind(def, cmd_list).map_err(at)?;
    let after = step_after(def, index, &id, ids).map_err(at)?;
    for m in &def.volume_mounts {
        if !defaults.volumes.contains(&m.name) {
            return Err(at(format!(
                "volumeMounts names '{}', which is not in the task's volumes",
                m.name
            )));
        }
    }
    // Only a cmd step runs a container that can be left running.
    let is_cmd = matches!(kind, StepKind::Cmd(_));
    let unsupported: Vec<&'static str> = [
        ("detach", def.detach && !is_cmd),
        ("privileged", def.privileged.is_some()),
        ("network", def.network.is_some()),
        ("isolation", def.isolation.is_some()),
        ("ports", def.ports.is_some()),
        ("expose", def.expose.is_some()),
        ("pull", def.pull.is_some()),
        ("cache", def.cache.is_some()),
    ]
    .into_iter()
    .filter(|(_, given)| *given)
    .map(|(name, _)| name)
    .collect();
    let mut step = Step {
        id: id.clone(),
        line,
        kind,
        after,
        env,
        env_files: Vec::new(),
        // An empty entryPoint is none (ACR passes no --entrypoint then).
        entry_point: def
            .entry_point
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(split_words),
        working_directory: def
            .working_directory
            .clone()
            .map(|w| join_workspace(&w))
            .unwrap_or_else(|| defaults.working_directory.to_string()),
        disable_working_directory_override: def.disable_working_directory_override,
        timeout: match def.timeout {
            Some(t) if t > 0 => t as u64,
            _ => defaults.timeout,
        },
        start_delay: def.start_delay,
        retries: def.retries,
        retry_delay: def.retry_delay.unwrap_or(5),
        repeat: def.repeat,
        ignore_errors: def.ignore_errors,
        keep: def.keep,
        volume_mounts: def.volume_mounts.clone(),
        binds: Vec::new(),
        user: def.user.clone(),
        detach: def.detach && is_cmd,
        unsupported,
    };
    if let Some(line) = cmd_line {
        apply_run_options(&mut step, line);
    }
    Ok(step)
}

/// `over` wins per key over `env`.
pub(super) fn merge_env(env: &mut Vec<(String, String)>, over: Vec<(String, String)>) {
    for (k, v) in over {
        env.retain(|(ek, _)| *ek != k);
        env.push((k, v));
    }
}

/// A cmd line's docker run options over the step's own properties: ACR passes them to
/// docker run after its own, so they win.
fn apply_run_options(step: &mut Step, line: CmdLine) {
    merge_env(&mut step.env, line.env);
    if let Some(w) = line.working_directory {
        step.working_directory = join_workspace(&w);
        step.disable_working_directory_override = false;
    }
    step.user = line.user.or(step.user.take());
    step.entry_point = line.entry_point.or(step.entry_point.take());
    step.binds = line.binds;
    step.env_files = line.env_files;
    step.detach |= line.detach;
    for name in line.unhonoured {
        if !step.unsupported.contains(&name) {
            step.unsupported.push(name);
        }
    }
}

/// A step id: not empty, no spaces, not ACR's reserved root, not taken by an earlier step.
fn check_step_id(id: &str, ids: &[String]) -> std::result::Result<(), String> {
    if id.is_empty() || id.chars().any(char::is_whitespace) {
        return Err("a step id may not be empty or have spaces".into());
    }
    if id == "acb_root" {
        return Err("'acb_root' is reserved; choose another id".into());
    }
    if ids.iter().any(|i| i == id) {
        return Err("this id is used by an earlier step; ids must be unique".into());
    }
    Ok(())
}

/// The step's one kind: build, push or cmd.
fn step_kind(def: &StepDef, cmd: Option<CmdList>) -> std::result::Result<StepKind, String> {
    let kinds = [def.build.is_some(), def.push.is_some(), def.cmd.is_some()]
        .iter()
        .filter(|k| **k)
        .count();
    Ok(match (kinds, &def.build, &def.push, cmd) {
        (0, ..) => return Err("step is missing a cmd, build, or push property".into()),
        (2.., ..) => {
            return Err("step must only contain a single build, cmd, or push property".into());
        }
        (_, Some(b), _, _) => StepKind::Build(b.clone()),
        (_, _, Some(p), _) => StepKind::Push(p.clone()),
        (_, _, _, Some(c)) => StepKind::Cmd(c),
        _ => unreachable!("exactly one of build, push and cmd is set"),
    })
}

/// The steps it waits for (`when`): the one before by default, none for '-', or earlier ids.
fn step_after(
    def: &StepDef,
    index: usize,
    id: &str,
    ids: &[String],
) -> std::result::Result<Vec<usize>, String> {
    Ok(match &def.when {
        None => {
            if index == 0 {
                Vec::new()
            } else {
                vec![index - 1]
            }
        }
        Some(w) if w.iter().any(|x| x == "-") => {
            if w.len() > 1 {
                return Err("'-' in when cannot be combined with step ids".into());
            }
            Vec::new()
        }
        Some(w) => {
            let mut after = Vec::new();
            for dep in w {
                if dep == id {
                    return Err(format!("when names the step itself ('{dep}')"));
                }
                match ids.iter().position(|x| x == dep) {
                    Some(i) => after.push(i),
                    None => {
                        return Err(format!(
                            "when names '{dep}', which is not a step defined earlier in the file"
                        ));
                    }
                }
            }
            after
        }
    })
}
