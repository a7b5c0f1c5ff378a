//! `SOURCE_DATE_EPOCH`: the one time an image's timestamps (its config's `created`, its
//! history, its files) are set to, so that the same inputs give the same image digest.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid};

/// Seconds since the Unix epoch, as reproducible-builds.org defines `SOURCE_DATE_EPOCH`, up
/// to the end of year 9999 (what every builder's time and tar's headers take).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u64")]
pub struct SourceDateEpoch(u64);

/// 9999-12-31T23:59:59Z.
const LATEST: u64 = 253_402_300_799;

impl TryFrom<u64> for SourceDateEpoch {
    type Error = String;

    fn try_from(seconds: u64) -> std::result::Result<SourceDateEpoch, String> {
        if seconds > LATEST {
            return Err(format!(
                "{seconds} is past the year 9999; give seconds since 1970-01-01 UTC"
            ));
        }
        Ok(SourceDateEpoch(seconds))
    }
}

impl From<SourceDateEpoch> for u64 {
    fn from(epoch: SourceDateEpoch) -> u64 {
        epoch.0
    }
}

impl SourceDateEpoch {
    /// `seconds`, at most the end of year 9999 (later times are that).
    pub fn new(seconds: u64) -> SourceDateEpoch {
        SourceDateEpoch(seconds.min(LATEST))
    }

    pub fn seconds(self) -> u64 {
        self.0
    }

    /// `--source-date-epoch SECONDS` ("" clears it: None).
    pub fn parse_flag(text: &str) -> Result<Option<SourceDateEpoch>> {
        if text.is_empty() {
            return Ok(None);
        }
        let seconds = text.parse::<u64>().map_err(|_| {
            invalid(format!(
                "--source-date-epoch '{text}' is not a number of seconds since 1970-01-01 UTC: \
                 give e.g. $(git log -1 --format=%ct), or \"\" to clear it"
            ))
        })?;
        SourceDateEpoch::try_from(seconds)
            .map(Some)
            .map_err(|e| invalid(format!("--source-date-epoch: {e}")))
    }

    /// An RFC 3339 time (an image config's `created`) as seconds; None for a time before 1970
    /// or text that is no time.
    pub fn from_rfc3339(text: &str) -> Option<SourceDateEpoch> {
        let time = chrono::DateTime::parse_from_rfc3339(text).ok()?;
        let seconds = u64::try_from(time.timestamp()).ok()?;
        SourceDateEpoch::try_from(seconds).ok()
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
        let error = SourceDateEpoch::parse_flag("253402300800").unwrap_err();
        assert!(
            format!("{error:#}").contains("past the year 9999"),
            "{error:#}"
        );
        assert!(serde_json::from_str::<SourceDateEpoch>("253402300800").is_err());
        assert_eq!(
            serde_json::to_string(&SourceDateEpoch::new(1000)).unwrap(),
            "1000"
        );
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
        assert_eq!(
            SourceDateEpoch::from_rfc3339("+10000-01-01T00:00:00Z"),
            None
        );
    }
}
