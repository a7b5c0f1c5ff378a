//! Which named builders of a pool answer now: each asked as `acrt builder check` asks
//! ([`super::connect`]), all at once, so that a pool with a builder that is down costs a run
//! the time of one question. Watch's cycle, a hand run's placement and a retry's choice of
//! another builder all ask here.

use std::collections::BTreeMap;

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

/// What asking a pool's named builders found.
pub struct Answers {
    /// The pool without the named builders that do not answer.
    pub load: Load,
    /// Those left out, and why.
    pub silent: Vec<Silent>,
    /// Each named builder that answered, by its name, as reached when asked: a run in this
    /// process that goes to it builds on it without reaching it again.
    pub reached: BTreeMap<String, Box<dyn Builder>>,
}

/// `pool` without its named builders that do not answer now, those left out with why, and
/// the others reached. This machine's builder is not asked: a run finds out when it starts.
/// Blocking.
pub fn answering(pool: &Load) -> Answers {
    let mut silent = Vec::new();
    let mut reached = BTreeMap::new();
    for (b, answer) in ask(pool.named()) {
        match answer {
            Ok(builder) => {
                reached.insert(b.name.clone(), builder);
            }
            Err(e) => silent.push(Silent {
                name: b.name.clone(),
                reason: format!("{e:#}"),
            }),
        }
    }
    let mut load = pool.clone();
    load.retain_named(|b| reached.contains_key(&b.name));
    Answers {
        load,
        silent,
        reached,
    }
}
