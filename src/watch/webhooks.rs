//! The webhook poller: pushes a registry notified (`--listen`), taken from the inbox the
//! listener fills, as the unique bases to check now.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::Shared;
use super::due::BaseKey;
use super::index::Index;
use super::listen::{self, Inbox, PushedRef};

/// What the notifications since the last cycle ask for.
#[derive(Debug, Default)]
pub(super) struct Notified {
    /// The watched bases whose tags were notified.
    pub bases: BTreeSet<BaseKey>,
    /// Past the inbox's cap some tags are not named: every registry is to be checked.
    pub every_registry: bool,
}

pub(super) struct WebhookPoller {
    inbox: Arc<Inbox>,
    /// Registries that sent a notification though no watched base is on them (said once).
    unknown_notifiers: BTreeSet<String>,
}

impl WebhookPoller {
    pub(super) fn new(inbox: Arc<Inbox>) -> WebhookPoller {
        WebhookPoller {
            inbox,
            unknown_notifiers: BTreeSet::new(),
        }
    }

    /// Notifications are waiting.
    pub(super) fn has_pending(&self) -> bool {
        self.inbox.has_pending()
    }

    /// The pushes notified since the last cycle, as the watched bases to check now.
    pub(super) fn poll(&mut self, sh: &Shared, index: &Index) -> Notified {
        let pending = self.inbox.take();
        let every_registry = pending.overflowed;
        if every_registry {
            sh.report.event(&format!(
                "more than {} different tags were notified at once: checking every base image",
                listen::MAX_PENDING_PUSHES
            ));
        }
        let pushed = pending.pushes;
        if pushed.is_empty() {
            return Notified {
                every_registry,
                ..Notified::default()
            };
        }
        self.report_unknown_notifiers(sh, index, &pushed);
        let bases = index
            .watched_bases()
            .filter(|b| {
                pushed.iter().any(|(r, repo, tag)| {
                    *r == b.registry && *repo == b.repository && Some(tag) == b.tag.as_ref()
                })
            })
            .map(BaseKey::of)
            .collect();
        Notified {
            bases,
            every_registry,
        }
    }

    /// Says, once per registry, that a notification came from a registry no watched base is
    /// on: a registry names itself as the pusher reached it, which tasks may name otherwise.
    fn report_unknown_notifiers(
        &mut self,
        sh: &Shared,
        index: &Index,
        pushed: &BTreeSet<PushedRef>,
    ) {
        // A sender of endless names fills no memory.
        const MAX_REPORTED: usize = 64;
        let known: BTreeSet<String> = index.watched_bases().map(|b| b.registry.clone()).collect();
        for (registry, repository, tag) in pushed {
            if known.contains(registry)
                || self.unknown_notifiers.len() >= MAX_REPORTED
                || !self.unknown_notifiers.insert(registry.clone())
            {
                continue;
            }
            let on = if known.is_empty() {
                "none".to_string()
            } else {
                known.iter().cloned().collect::<Vec<_>>().join(", ")
            };
            sh.report.warn(&format!(
                "registry notification of {registry}/{repository}:{tag} ignored: no watched base \
                 is on {registry} (watched registries: {on}); a notification names the registry as \
                 the pusher reached it, so a base on it under another name (an IP, a port) is not \
                 matched"
            ));
        }
    }
}
