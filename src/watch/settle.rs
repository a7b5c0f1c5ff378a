//! The settle window: a base whose index changed is rebuilt on once the index has stayed as
//! it is for its registry's window (`registries.<name>.settle`; `core.external_settle` for a
//! registry no task pushes to), or at once when every platform recorded of it has moved: one
//! rebuild per release, not one per architecture landing hours apart. A new index digest
//! starts the window again. Decided once per base tag and cycle.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::time::Duration;

use super::Shared;
use super::due::BaseKey;
use super::index::Index;
use crate::error::Result;
use crate::model::Platform;
use crate::registry::RegistryClient;
use crate::store::{Settling, SettlingTag};

/// Each registry's settle window.
#[derive(Debug, Clone, Default)]
pub(super) struct SettleWindows {
    /// By login server.
    pub(super) per_registry: BTreeMap<String, Duration>,
    /// For registries no task pushes to.
    pub(super) external: Option<Duration>,
}

impl SettleWindows {
    fn window(&self, index: &Index, registry: &str) -> Duration {
        if let Some(w) = self.per_registry.get(registry) {
            return *w;
        }
        match self.external {
            Some(w) if !index.task_registries.contains(registry) => w,
            _ => Duration::ZERO,
        }
    }
}

/// Whether the tasks a changed base makes due start now, or when its window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    Now,
    Settling { due: DateTime<Utc> },
}

/// One cycle's verdicts, by base tag.
pub(super) struct SettleCycle<'a> {
    windows: &'a SettleWindows,
    verdicts: BTreeMap<SettlingTag, Verdict>,
}

impl<'a> SettleCycle<'a> {
    pub(super) fn new(windows: &'a SettleWindows) -> SettleCycle<'a> {
        SettleCycle {
            windows,
            verdicts: BTreeMap::new(),
        }
    }

    /// The verdict for `key`'s tag, which now points to `digest`, and whether it was decided
    /// just now (the first platform of the tag this cycle).
    pub(super) fn verdict(
        &mut self,
        sh: &mut Shared,
        index: &Index,
        client: &RegistryClient,
        key: &BaseKey,
        digest: &str,
    ) -> Result<(Verdict, bool)> {
        let tag = SettlingTag {
            registry: key.registry.clone(),
            repository: key.repository.clone(),
            tag: key.tag.clone(),
        };
        if let Some(v) = self.verdicts.get(&tag) {
            return Ok((*v, false));
        }
        let window = self.windows.window(index, &key.registry);
        let verdict = if window.is_zero() {
            Verdict::Now
        } else {
            let all_moved = every_platform_moved(sh, index, client, key);
            decide(sh, &tag, digest, window, all_moved)?
        };
        if verdict == Verdict::Now {
            sh.store.set_settling(&tag, None)?;
        }
        self.verdicts.insert(tag, verdict);
        Ok((verdict, true))
    }
}

/// The window's rule for a tag that points to `digest` now.
fn decide(
    sh: &mut Shared,
    tag: &SettlingTag,
    digest: &str,
    window: Duration,
    all_moved: bool,
) -> Result<Verdict> {
    let now = Utc::now();
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let since = match sh.store.settling()?.remove(tag) {
        Some(s) if s.digest == digest => s.since,
        _ => {
            let started = Settling {
                digest: digest.to_string(),
                since: now,
            };
            sh.store.set_settling(tag, Some(&started))?;
            now
        }
    };
    let due = since + window;
    Ok(if now >= due || all_moved {
        Verdict::Now
    } else {
        Verdict::Settling { due }
    })
}

/// Whether every platform recorded of `key`'s tag has an image other than the one recorded
/// (one read of the index); a read that fails counts as not.
fn every_platform_moved(
    sh: &Shared,
    index: &Index,
    client: &RegistryClient,
    key: &BaseKey,
) -> bool {
    let recorded: Vec<(&BaseKey, Platform)> = index
        .watched
        .keys()
        .filter(|k| {
            k.registry == key.registry && k.repository == key.repository && k.tag == key.tag
        })
        .filter_map(|k| Platform::parse_any(&k.platform).ok().map(|p| (k, p)))
        .collect();
    let platforms: Vec<Platform> = recorded.iter().map(|(_, p)| p.clone()).collect();
    let Ok((_, now)) = sh
        .rt
        .block_on(client.resolve_each(&key.image(), &platforms))
    else {
        return false;
    };
    recorded.iter().zip(now).all(|((k, _), now)| {
        index.watched[*k]
            .iter()
            .all(|b| now.is_some() && b.platform_digest != now)
    })
}
