//! az's `systemData`: who made a task or run and when, and who changed it last. Locally the
//! one who acts is the user acrt runs as.

use serde::{Deserialize, Serialize};

/// The kind of identity that acted, as ARM names it; locally always a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorType {
    User,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemData {
    pub created_at: String,
    pub created_by: String,
    pub created_by_type: ActorType,
    pub last_modified_at: String,
    pub last_modified_by: String,
    pub last_modified_by_type: ActorType,
}

impl SystemData {
    /// Made at `at` by this user, not changed since.
    pub fn created(at: &str) -> SystemData {
        let user = crate::host::user_name();
        SystemData {
            created_at: at.to_string(),
            created_by: user.clone(),
            created_by_type: ActorType::User,
            last_modified_at: at.to_string(),
            last_modified_by: user,
            last_modified_by_type: ActorType::User,
        }
    }

    /// Changed at `at` by this user. Objects stored before systemData existed get one here,
    /// made at `created_at`.
    pub fn record_change(data: &mut Option<SystemData>, created_at: &str, at: &str) {
        let data = data.get_or_insert_with(|| SystemData::created(created_at));
        data.last_modified_at = at.to_string();
        data.last_modified_by = crate::host::user_name();
        data.last_modified_by_type = ActorType::User;
    }
}
