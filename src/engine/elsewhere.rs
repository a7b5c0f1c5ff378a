//! A run whose builder stopped answering during its build: the loss told apart from a build
//! that failed on its own (the builder is asked again, as it was asked when the run started),
//! said plainly, and, when the run's task allows it, another builder of its pool to try the
//! run on once more.

use std::collections::BTreeMap;

use super::spec::{LocalBuilder, RetryPool, RunSpec};
use crate::builder::{self, Builder};
use crate::error::{Error, Message};
use crate::model::pool::{LOCAL, Load, PoolBuilder};
use crate::model::run::LostBuilder;

/// The builder of `spec`, when it no longer answers after its build failed with `error`;
/// None when it answers (the build failed on its own) or builds on this machine without a
/// URL (nothing there can stop answering without acrt knowing). Blocking.
pub(super) fn lost(spec: &RunSpec, error: &anyhow::Error) -> Option<LostBuilder> {
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
pub(super) fn lost_error(lost: &LostBuilder, run: &str, retry: Option<&str>) -> anyhow::Error {
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
pub(super) fn said(lost: &LostBuilder, run: &str) -> String {
    format!(
        "builder '{}' ({}) stopped answering during the build of {run}",
        lost.name,
        lost.url.as_deref().unwrap_or("this machine")
    )
}

/// Where a run is tried once more: a builder of its pool, and the builder reached there.
pub(super) struct Elsewhere {
    pub(super) on: Target,
    pub(super) builder: Box<dyn Builder>,
}

/// A builder of the pool: a named one, or this machine's.
pub(super) enum Target {
    Named(PoolBuilder),
    Local(LocalBuilder),
}

impl Elsewhere {
    /// `spec` built there instead.
    pub(super) fn spec(&self, spec: &RunSpec) -> RunSpec {
        let mut moved = spec.clone();
        match &self.on {
            Target::Named(named) => moved.build_on(named),
            Target::Local(local) => moved.build_here(local),
        }
        moved
    }

    /// How the log names it.
    pub(super) fn name(&self) -> &str {
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
pub(super) fn choose(pool: &RetryPool, lost: &str, busy: &[String]) -> Option<Elsewhere> {
    let local = pool
        .local
        .clone()
        .filter(|_| lost != LOCAL)
        .and_then(|l| Some((builder::select(l.kind, l.url.as_deref()).ok()?, l)));
    let mut answering: BTreeMap<String, Box<dyn Builder>> = pool
        .named
        .iter()
        .filter(|b| b.name != lost)
        .filter_map(|b| {
            Some((
                b.name.clone(),
                builder::connect(b.kind, b.url.as_deref()).ok()?,
            ))
        })
        .collect();
    let mut load = Load::new(local.as_ref().map(|(_, l)| l.capacity), pool.named.clone());
    load.retain_named(|b| answering.contains_key(&b.name));
    // A run on a builder left out (the lost one, one that does not answer) is on none of
    // these; any other name is this machine's.
    let left_out =
        |name: &str| pool.named.iter().any(|b| b.name == name) && !answering.contains_key(name);
    for name in busy.iter().filter(|n| !left_out(n)) {
        load.count(name);
    }
    let seat = load.take(None)?;
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

    #[test]
    fn nothing_is_chosen_when_no_other_builder_is_in_the_pool() {
        let pool = RetryPool {
            local: None,
            named: vec![PoolBuilder {
                name: "pm".into(),
                kind: crate::model::BuilderKind::Podman,
                url: Some("tcp://127.0.0.1:1".into()),
                platforms: Vec::new(),
                capacity: 1,
            }],
        };
        assert!(choose(&pool, "pm", &[]).is_none());
    }
}
