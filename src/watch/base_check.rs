//! One base's read: a manifest HEAD with each login to try, in order, until one is not
//! refused, and what kind of failure stopped it (the base's, a login's or its registry's).

use std::time::Duration;

use super::due::BaseKey;
use super::logins;
use crate::registry::probe::{ManifestProbe, Tagged};

/// Why a base could not be read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Failure {
    /// The registry does not have the tag.
    Missing,
    /// Every login tried was refused.
    Denied,
    /// The registry is down, timed out, or refuses requests (429, 5xx); with how long it asked
    /// to be left alone, when it said.
    Registry(Option<Duration>),
}

/// One base's check: its index digest and the client that read it, or why not; and the
/// tasks' logins that were refused on the way.
pub(super) struct Checked {
    pub result: std::result::Result<(Tagged, usize), (Failure, String)>,
    pub refused: Vec<(logins::Owner, String)>,
    pub accepted: Option<logins::Owner>,
}

impl Checked {
    pub(super) fn failed(kind: Failure, message: String) -> Checked {
        Checked {
            result: Err((kind, message)),
            refused: Vec::new(),
            accepted: None,
        }
    }
}

/// Reads a base's digest (one HEAD) with each login in `tries` until one is not refused.
pub(super) async fn check_one(
    key: &BaseKey,
    tries: &[logins::Try],
    logins: &logins::Logins,
    probe: &ManifestProbe,
) -> Checked {
    let image = key.image();
    let mut refused: Vec<(logins::Owner, String)> = Vec::new();
    let mut own_refused = None;
    for (i, owner) in tries {
        let e = match probe.digest(&image, logins.logins[*i].as_ref()).await {
            Ok(digest) => {
                return Checked {
                    result: Ok((digest, *i)),
                    refused,
                    accepted: owner.clone(),
                };
            }
            Err(e) => e,
        };
        let message = format!("{e:#}");
        let kind = match e.downcast_ref::<crate::error::Error>() {
            Some(crate::error::Error::Missing(_)) => Failure::Missing,
            Some(crate::error::Error::Refused(_)) => Failure::Denied,
            Some(crate::error::Error::RateLimited { retry_after, .. }) => {
                Failure::Registry(*retry_after)
            }
            _ => Failure::Registry(None),
        };
        if kind != Failure::Denied {
            return Checked {
                result: Err((kind, message)),
                refused,
                accepted: None,
            };
        }
        match owner {
            Some(owner) => refused.push((owner.clone(), message)),
            None => own_refused = Some(message),
        }
    }
    let reason = match (refused.first(), own_refused) {
        (Some((owner, _)), _) => format!("{}: {}", image, owner.fix()),
        (None, Some(message)) => message,
        (None, None) => format!("{image}: no login was accepted"),
    };
    Checked {
        result: Err((Failure::Denied, reason)),
        refused,
        accepted: None,
    }
}
