//! `SOURCE_DATE_EPOCH`: the one time an image's timestamps (its config's `created`, its
//! history, its files) are set to, so that the same inputs give the same image digest.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid};

/// Seconds since the Unix epoch, as reproducible-builds.org defines `SOURCE_DATE_EPOCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SourceDateEpoch(u64);

impl SourceDateEpoch {
    pub fn new(seconds: u64) -> SourceDateEpoch {
        SourceDateEpoch(seconds)
    }

    pub fn seconds(self) -> u64 {
        self.0
    }

    /// `--source-date-epoch SECONDS` ("" clears it: None).
    pub fn parse_flag(text: &str) -> Result<Option<SourceDateEpoch>> {
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<u64>()
            .map(|s| Some(SourceDateEpoch(s)))
            .map_err(|_| {
                invalid(format!(
                    "--source-date-epoch '{text}' is not a number of seconds since 1970-01-01 UTC: \
                 give e.g. $(git log -1 --format=%ct), or \"\" to clear it"
                ))
            })
    }

    /// An RFC 3339 time (an image config's `created`) as seconds; None for a time before 1970
    /// or text that is no time.
    pub fn from_rfc3339(text: &str) -> Option<SourceDateEpoch> {
        let time = chrono::DateTime::parse_from_rfc3339(text).ok()?;
        u64::try_from(time.timestamp()).ok().map(SourceDateEpoch)
    }
}

impl std::fmt::Display for SourceDateEpoch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_is_seconds_or_empty() {
        assert_eq!(
            SourceDateEpoch::parse_flag("1700000000").unwrap(),
            Some(SourceDateEpoch::new(1_700_000_000))
        );
        assert_eq!(SourceDateEpoch::parse_flag("").unwrap(), None);
        let error = SourceDateEpoch::parse_flag("yesterday").unwrap_err();
        assert!(format!("{error:#}").contains("--source-date-epoch 'yesterday'"));
        assert!(SourceDateEpoch::parse_flag("-5").is_err());
    }

    #[test]
    fn created_times_read_as_seconds() {
        assert_eq!(
            SourceDateEpoch::from_rfc3339("1970-01-01T00:16:40Z"),
            Some(SourceDateEpoch::new(1000))
        );
        assert_eq!(
            SourceDateEpoch::from_rfc3339("2024-05-01T10:00:00.123456789+02:00"),
            Some(SourceDateEpoch::new(1_714_550_400))
        );
        assert_eq!(SourceDateEpoch::from_rfc3339("1969-12-31T23:59:59Z"), None);
        assert_eq!(SourceDateEpoch::from_rfc3339("soon"), None);
    }
}
