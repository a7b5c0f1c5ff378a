//! Which named builders of a pool answer now: each asked as `acrt builder check` asks
//! ([`super::connect`]), all at once, so that a pool with a builder that is down costs a run
//! the time of one question. Watch's cycle, a hand run's placement and a retry's choice of
//! another builder all ask here.

use super::{Builder, connect};
use crate::model::pool::{Load, PoolBuilder};

/// A named builder that did not answer, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silent {
    pub name: String,
    pub reason: String,
}

impl std::fmt::Display for Silent {
    /// The warning that names it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "builder {} does not answer, skipped: {}",
            self.name, self.reason
        )
    }
}

/// Each of `named` asked at once whether it answers: its builder, or why not. In the order
/// given. Blocking.
pub fn ask<'a>(
    named: impl IntoIterator<Item = &'a PoolBuilder>,
) -> Vec<(&'a PoolBuilder, crate::error::Result<Box<dyn Builder>>)> {
    let named: Vec<&PoolBuilder> = named.into_iter().collect();
    std::thread::scope(|scope| {
        let asked: Vec<_> = named
            .iter()
            .map(|b| scope.spawn(move || connect(b.kind, b.url.as_deref())))
            .collect();
        named
            .iter()
            .zip(asked)
            .map(|(b, question)| {
                let answer = question.join().unwrap_or_else(|_| {
                    Err(crate::error::failed(format!(
                        "asking the builder '{}' whether it answers failed",
                        b.name
                    )))
                });
                (*b, answer)
            })
            .collect()
    })
}

/// `pool` without its named builders that do not answer now, and those left out with why.
/// This machine's builder is not asked: a run finds out when it starts. Blocking.
pub fn answering(pool: &Load) -> (Load, Vec<Silent>) {
    let silent: Vec<Silent> = ask(pool.named())
        .into_iter()
        .filter_map(|(b, answer)| {
            answer.err().map(|e| Silent {
                name: b.name.clone(),
                reason: format!("{e:#}"),
            })
        })
        .collect();
    let mut load = pool.clone();
    load.retain_named(|b| !silent.iter().any(|s| s.name == b.name));
    (load, silent)
}
