//! A run whose builder stopped answering during its build: the loss told apart from a build
//! that failed on its own (the builder is asked again, as it was asked when the run started),
//! said plainly, and, when the run's task allows it, another builder of its pool to try the
//! run on once more.

use std::collections::BTreeMap;

use super::outcome::{Outcome, Stop, fail, failure};
use super::spec::{Build, PoolLocal, RunPool, RunSpec};
use super::{Built, Chosen, RunInputs, build, recorded_builder};
use crate::builder::{self, Builder};
use crate::error::{Error, Message};
use crate::model::Platform;
use crate::model::pool::{LOCAL, Load, PoolBuilder, Want};
use crate::model::run::LostBuilder;

/// [`build`], and when it failed because its builder stopped answering, that said plainly
/// and recorded (`lostBuilders`); a run whose task allows it is then built once more, from
/// its context on, on another builder of its pool, in the same run and log.
pub(super) async fn build_retrying(
    inputs: &RunInputs<'_>,
    plan: &Build,
    chosen: Chosen,
) -> Outcome<Built> {
    let error = match build(inputs, plan, chosen).await {
        Err(Stop::Failed(error)) => error,
        ended => return ended,
    };
    let lost = lost_builder(inputs, error).await?;
    let named = run_named(inputs);
    let Some(pool) = inputs.spec.retry_pool() else {
        return Err(fail(lost_error(&lost, &named, None)));
    };
    let other = move_elsewhere(inputs, pool, &lost, &named).await?;
    let spec = other.spec(inputs.spec);
    let moved = RunInputs {
        spec: &spec,
        candidates: inputs.candidates.clone(),
        ..*inputs
    };
    let error = match build(&moved, plan, Some(Ok(other.builder))).await {
        Err(Stop::Failed(error)) => error,
        ended => return ended,
    };
    // Lost again: said as the first was, with no third attempt.
    let again = lost_builder(&moved, error).await?;
    Err(fail(lost_error(&again, &named, None)))
}

/// Another builder of `pool` for a run whose builder was `lost`: chosen, named in the log,
/// recorded as the run's builder, and the run's work directory emptied for it.
async fn move_elsewhere(
    inputs: &RunInputs<'_>,
    pool: &RunPool,
    lost: &LostBuilder,
    named: &str,
) -> Outcome<Elsewhere> {
    let busy = inputs
        .journal
        .call(|r| r.busy_builders())
        .await
        .map_err(fail)?;
    let (pool, lost_name) = (pool.clone(), lost.name.clone());
    let platform = inputs.spec.platform.clone();
    let found = tokio::task::spawn_blocking(move || choose(&pool, &lost_name, &busy, &platform))
        .await
        .map_err(|e| failure(format!("choosing another builder stopped: {e}")))?;
    let Some(other) = found else {
        let why = "no other builder of the pool answers to try it on";
        return Err(fail(lost_error(lost, named, Some(why))));
    };
    inputs.log.line(&format!(
        "{}: {}; trying the run once more on builder '{}' (the task's --retry-elsewhere)",
        said(lost, named),
        lost.error,
        other.name()
    ));
    inputs.work.renew().map_err(fail)?;
    let described = recorded_builder(&other.spec(inputs.spec), other.builder.as_ref());
    inputs
        .journal
        .call(move |r| r.update(&mut |run| run.builder = Some(described.clone())))
        .await
        .map_err(fail)?;
    Ok(other)
}

/// The builder of a build that failed with `error`, recorded as lost when it no longer
/// answers; the failure as it is when it does (a build that failed on its own).
async fn lost_builder(inputs: &RunInputs<'_>, error: anyhow::Error) -> Outcome<LostBuilder> {
    let spec = inputs.spec.clone();
    let (found, error) = tokio::task::spawn_blocking(move || (lost(&spec, &error), error))
        .await
        .map_err(|e| failure(format!("asking the builder stopped: {e}")))?;
    let Some(mut lost) = found else {
        return Err(Stop::Failed(error));
    };
    // As a run's stored error is: it may quote a secret, or a peer at length.
    lost.error = crate::error::clip_text(&inputs.log.masked(&lost.error)).into_owned();
    let record = lost.clone();
    inputs
        .journal
        .call(move |r| {
            r.update(&mut |run| {
                run.lost_builders
                    .get_or_insert_with(Vec::new)
                    .push(record.clone())
            })
        })
        .await
        .map_err(fail)?;
    Ok(lost)
}

/// "run ID of task NAME", as a lost builder's message names the run.
fn run_named(inputs: &RunInputs<'_>) -> String {
    match &inputs.spec.task {
        Some(task) => format!("run {} of task {task}", inputs.run.run_id),
        None => format!("run {}", inputs.run.run_id),
    }
}

/// The builder of `spec`, when it no longer answers after its build failed with `error`;
/// None when it answers (the build failed on its own) or builds on this machine without a
/// URL (nothing there can stop answering without acrt knowing). Blocking.
fn lost(spec: &RunSpec, error: &anyhow::Error) -> Option<LostBuilder> {
    let url = spec.builder_url.as_deref()?;
    let named = spec.builder_name.is_some();
    if builder::of_run(spec.builder, Some(url), named).is_ok() {
        return None;
    }
    Some(LostBuilder {
        name: spec.builder_name.clone().unwrap_or_else(|| LOCAL.into()),
        url: Some(url.to_string()),
        error: format!("{error:#}"),
    })
}

/// The run's failure when `lost` stopped answering during the build of `run` (its id and
/// task); `retry` says why it was not tried elsewhere, when it was allowed to be.
fn lost_error(lost: &LostBuilder, run: &str, retry: Option<&str>) -> anyhow::Error {
    let text = format!(
        "{}{}: {}",
        said(lost, run),
        retry.map(|why| format!(" ({why})")).unwrap_or_default(),
        lost.error
    );
    let hint = format!(
        "see whether it answers with 'acrt builder check {}'",
        lost.name
    );
    Error::Failed(Message::hinted(text, hint)).into()
}

/// "builder 'NAME' (URL) stopped answering during the build of RUN".
fn said(lost: &LostBuilder, run: &str) -> String {
    format!(
        "builder '{}' ({}) stopped answering during the build of {run}",
        lost.name,
        lost.url.as_deref().unwrap_or("this machine")
    )
}

/// Where a run is tried once more: a builder of its pool, and the builder reached there.
struct Elsewhere {
    on: Target,
    builder: Box<dyn Builder>,
}

/// A builder of the pool: a named one, or this machine's.
enum Target {
    Named(PoolBuilder),
    Local(PoolLocal),
}

impl Elsewhere {
    /// `spec` built there instead.
    fn spec(&self, spec: &RunSpec) -> RunSpec {
        let mut moved = spec.clone();
        match &self.on {
            Target::Named(named) => moved.build_on(named),
            Target::Local(local) => moved.build_here(local),
        }
        moved
    }

    /// How the log names it.
    fn name(&self) -> &str {
        match &self.on {
            Target::Named(named) => &named.name,
            Target::Local(_) => LOCAL,
        }
    }
}

/// Of `pool` without the builder `lost` (by its name), the builder the pool gives the next
/// run to (`model::pool::Load`: the least loaded, counting `busy`, the builders the other
/// unfinished runs recorded), among those that answer now (each asked as `acrt builder
/// check` asks); None when none does. Blocking.
fn choose(pool: &RunPool, lost: &str, busy: &[String], platform: &Platform) -> Option<Elsewhere> {
    let local = pool
        .local
        .clone()
        .filter(|_| lost != LOCAL)
        .and_then(|l| Some((builder::select(l.kind, l.url.as_deref()).ok()?, l)));
    let mut answering: BTreeMap<String, Box<dyn Builder>> =
        builder::pool::ask(pool.named.iter().filter(|b| b.name != lost))
            .into_iter()
            .filter_map(|(b, answer)| Some((b.name.clone(), answer.ok()?)))
            .collect();
    let (capacity, natives) = match &local {
        Some((_, l)) => (Some(l.capacity), l.natives.clone()),
        None => (None, Vec::new()),
    };
    let mut load = Load::new(capacity, natives, pool.named.clone());
    load.retain_named(|b| answering.contains_key(&b.name));
    // A run on a builder left out (the lost one, one that does not answer) is on none of
    // these; any other name is this machine's.
    let left_out =
        |name: &str| pool.named.iter().any(|b| b.name == name) && !answering.contains_key(name);
    for name in busy.iter().filter(|n| !left_out(n)) {
        load.occupy(load.seat_of(name));
    }
    let want = Want {
        platform,
        last: None,
    };
    let seat = *load.place(&[want], false)?.first()?;
    match load.builder(seat).cloned() {
        Some(named) => Some(Elsewhere {
            builder: answering.remove(&named.name)?,
            on: Target::Named(named),
        }),
        None => local.map(|(builder, l)| Elsewhere {
            builder,
            on: Target::Local(l),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_builder_is_named_with_its_url_and_the_hint_apart() {
        let lost = LostBuilder {
            name: "pm".into(),
            url: Some("tcp://10.0.0.2:8888".into()),
            error: "podman exited with code 125: server probably quit".into(),
        };
        let e = lost_error(&lost, "run ca1 of task app", None);
        let (text, hints) = crate::error::report(&e);
        assert_eq!(
            text,
            "builder 'pm' (tcp://10.0.0.2:8888) stopped answering during the build of run ca1 \
             of task app: podman exited with code 125: server probably quit"
        );
        assert_eq!(
            hints,
            ["see whether it answers with 'acrt builder check pm'"]
        );
        let e = lost_error(
            &lost,
            "run ca1",
            Some("no other builder of the pool answers"),
        );
        assert!(
            format!("{e:#}").contains("ca1 (no other builder of the pool answers): podman"),
            "{e:#}"
        );
    }

    fn podman_at(name: &str, url: &str) -> PoolBuilder {
        PoolBuilder {
            name: name.into(),
            kind: crate::model::BuilderKind::Podman,
            url: Some(url.into()),
            platforms: Vec::new(),
            capacity: 1,
        }
    }

    #[test]
    fn nothing_is_chosen_but_another_builder_that_answers() {
        // Nothing listens on port 1: `far` does not answer, and `pm` is the lost one.
        let pool = RunPool {
            local: None,
            named: vec![
                podman_at("pm", "tcp://127.0.0.1:1"),
                podman_at("far", "tcp://127.0.0.1:1"),
            ],
        };
        assert!(choose(&pool, "pm", &[], &Platform::of_this_machine()).is_none());
        // This machine's builder is not tried again when it is the one lost.
        let local = PoolLocal {
            kind: Some(crate::model::BuilderKind::Buildah),
            url: None,
            capacity: 1,
            natives: vec![crate::model::Platform::of_this_machine()],
        };
        let pool = RunPool {
            local: Some(local),
            named: Vec::new(),
        };
        assert!(choose(&pool, LOCAL, &[], &Platform::of_this_machine()).is_none());
    }
}
