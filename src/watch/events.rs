//! The events poller: pushes by acrt's own runs, read from the store after the watcher's
//! cursor; no registry request is needed but for a multi-platform base.

use std::collections::BTreeMap;

use super::Shared;
use super::due::{DueTasks, mark_image_update};
use super::index::Index;
use super::registry::RegistryPoller;
use crate::error::Result;
use crate::model::image::short_digest;
use crate::store::{EventsCursor, WatchedBase};

/// Reads acrt's push events; its cursor is a typed row in the store.
pub(super) struct EventsPoller;

impl EventsPoller {
    /// A new watcher acts on pushes from now on (older ones are covered by the registry
    /// check); one whose cursor is unreadable starts from now too, saying so, rather than act
    /// on every push ever recorded.
    pub(super) fn start(sh: &mut Shared) -> Result<EventsPoller> {
        let newest = sh.store.last_event_id()?;
        match sh.store.events_cursor()? {
            EventsCursor::At(_) => {}
            EventsCursor::Unset => sh.store.set_events_cursor(newest)?,
            EventsCursor::Unreadable(value) => {
                sh.report.warn(&format!(
                    "watch's place in the push events is unreadable ({value:?}): starting from \
                     the newest event; pushes before it are found by the registry check"
                ));
                sh.store.set_events_cursor(newest)?;
            }
        }
        Ok(EventsPoller)
    }

    /// The last push event acted on; the cursor is set when the watcher starts.
    fn cursor(&mut self, sh: &mut Shared) -> Result<i64> {
        match sh.store.events_cursor()? {
            EventsCursor::At(id) => Ok(id),
            _ => {
                EventsPoller::start(sh)?;
                Ok(sh.store.last_event_id()?)
            }
        }
    }

    /// The tasks made due by pushes since the cursor, which then moves past them.
    pub(super) fn poll(
        &mut self,
        sh: &mut Shared,
        index: &Index,
        registries: &RegistryPoller,
    ) -> Result<DueTasks> {
        let mut due = DueTasks::new();
        let last = self.cursor(sh)?;
        let events = sh.store.push_events_after(last)?;
        let Some(newest) = events.last().map(|e| e.id) else {
            return Ok(due);
        };
        // The newest digest of each pushed tag.
        let mut latest: BTreeMap<(String, String, Option<String>), String> = BTreeMap::new();
        for e in events {
            latest.insert((e.registry, e.repository, e.tag), e.digest);
        }
        for (base, digest) in pushed_bases(index, latest) {
            // A single-manifest base pushed anew: the pushed digest is the new platform digest.
            // A multi-platform one needs the index read to know whether its platform moved.
            let single = base.index_digest == base.platform_digest;
            let new_platform = if single {
                Some(digest.clone())
            } else {
                registries.resolve_platform(sh, index, &base)?
            };
            if let Some(new_platform) = new_platform
                && Some(&new_platform) != base.platform_digest.as_ref()
            {
                sh.report.event(&format!(
                    "{}/{}:{} was pushed ({}): {} is due",
                    base.registry,
                    base.repository,
                    base.tag.as_deref().unwrap_or(""),
                    short_digest(&new_platform),
                    base.task
                ));
                mark_image_update(&mut due, &base, &new_platform);
            }
        }
        sh.store.set_events_cursor(newest)?;
        Ok(due)
    }
}

/// The watched bases whose tag was pushed to a digest they were not built on.
fn pushed_bases(
    index: &Index,
    latest: BTreeMap<(String, String, Option<String>), String>,
) -> Vec<(WatchedBase, String)> {
    let mut changes = Vec::new();
    for ((registry, repository, tag), digest) in latest {
        for base in index.watched_bases() {
            if base.registry == registry && base.repository == repository && base.tag == tag {
                let known = [&base.index_digest, &base.platform_digest]
                    .iter()
                    .any(|d| d.as_deref() == Some(digest.as_str()));
                if !known {
                    changes.push((base.clone(), digest.clone()));
                }
            }
        }
    }
    changes
}
