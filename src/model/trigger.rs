//! Triggers of a task: base image, source (git commit) and timers.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::names::validate_trigger_name;
use super::status::{BaseImageTriggerType, SourceTriggerEvent, Status, UpdateTriggerPayloadType};
use crate::error::{Result, invalid};

pub const DEFAULT_BASE_IMAGE_TRIGGER_NAME: &str = "defaultBaseimageTriggerName";
pub const DEFAULT_SOURCE_TRIGGER_NAME: &str = "defaultSourceTriggerName";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    pub base_image_trigger: Option<BaseImageTrigger>,
    pub source_triggers: Option<Vec<SourceTrigger>>,
    pub timer_triggers: Option<Vec<TimerTrigger>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseImageTrigger {
    pub base_image_trigger_type: BaseImageTriggerType,
    pub name: String,
    pub status: Status,
    pub update_trigger_endpoint: Option<String>,
    pub update_trigger_payload_type: UpdateTriggerPayloadType,
}

impl Default for BaseImageTrigger {
    /// az's default: on, for the runtime base, under its default name.
    fn default() -> BaseImageTrigger {
        BaseImageTrigger {
            base_image_trigger_type: BaseImageTriggerType::Runtime,
            name: DEFAULT_BASE_IMAGE_TRIGGER_NAME.into(),
            status: Status::Enabled,
            update_trigger_endpoint: None,
            update_trigger_payload_type: UpdateTriggerPayloadType::Default,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceTrigger {
    pub name: String,
    pub source_repository: SourceRepository,
    pub source_trigger_events: Vec<SourceTriggerEvent>,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceRepository {
    pub branch: Option<String>,
    pub repository_url: String,
    pub source_control_auth_properties: Option<AuthInfo>,
    pub source_control_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthInfo {
    pub expires_in: Option<i64>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
    pub token: Option<String>,
    pub token_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimerTrigger {
    pub name: String,
    pub schedule: String,
    pub status: Status,
}

/// Checks a cron schedule: exactly 5 fields (minute hour day-of-month month day-of-week), UTC.
pub fn validate_cron(schedule: &str) -> Result<()> {
    let hint = "a schedule is 5 cron fields in UTC: minute hour day-of-month month day-of-week, \
                e.g. \"0 3 * * *\" for 03:00 every day";
    let fields = schedule.split_whitespace().count();
    if fields != 5 {
        return Err(invalid(format!(
            "invalid schedule '{schedule}': it has {fields} fields; {hint}"
        )));
    }
    croner::Cron::from_str(schedule)
        .map_err(|e| invalid(format!("invalid schedule '{schedule}': {e}; {hint}")))?;
    Ok(())
}

/// Parses `--schedule [name:]cron` values into timers; unnamed ones become t1, t2, ...
pub fn parse_schedules(values: &[String]) -> Result<Vec<TimerTrigger>> {
    let mut timers: Vec<TimerTrigger> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        let (name, cron) = match value.split_once(':') {
            Some((name, cron)) => (name.trim().to_string(), cron.trim()),
            None => (format!("t{}", index + 1), value.trim()),
        };
        validate_trigger_name("timer", &name)?;
        validate_cron(cron)?;
        if timers.iter().any(|t| t.name.eq_ignore_ascii_case(&name)) {
            return Err(invalid(format!(
                "two --schedule values are named '{name}': give each timer its own name"
            )));
        }
        timers.push(TimerTrigger {
            name,
            schedule: cron.to_string(),
            status: Status::Enabled,
        });
    }
    Ok(timers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_needs_five_valid_fields() {
        assert!(validate_cron("0 3 * * *").is_ok());
        assert!(validate_cron("*/5 * * * 1-5").is_ok());
        assert!(validate_cron("0 0 3 * * *").is_err());
        assert!(validate_cron("61 * * * *").is_err());
        assert!(validate_cron("@daily").is_err());
    }

    #[test]
    fn schedules_get_names() {
        let t = parse_schedules(&[
            "0 1 * * *".into(),
            "nightly:0 2 * * *".into(),
            "0 3 * * *".into(),
        ])
        .unwrap();
        let names: Vec<_> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["t1", "nightly", "t3"]);
        assert_eq!(t[1].schedule, "0 2 * * *");
        assert!(parse_schedules(&["a:0 1 * * *".into(), "a:0 2 * * *".into()]).is_err());
    }
}
