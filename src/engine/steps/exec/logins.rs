//! The logins and registry settings a step's processes get: an auth file of the step's own,
//! and plain http for loopback registries.

use super::*;

/// The logins a step needs: for `registries` and the run's registry, looked up once (a
/// credential helper runs once per step), for both its auth file and its registry client.
pub(super) struct StepLogins {
    registries: Vec<String>,
    credentials: Credentials,
}

impl StepLogins {
    pub(super) async fn look_up(env: &StepEnv<'_>, registries: &[String]) -> StepLogins {
        let mut all: Vec<String> = registries.to_vec();
        all.push(env.registry.to_string());
        all.sort();
        all.dedup();
        let credentials = env.credentials.clone().looked_up(&all).await;
        StepLogins {
            registries: all,
            credentials,
        }
    }

    /// An auth file of the step's own with these logins.
    pub(super) fn auth_file(&self, env: &StepEnv<'_>, name: &str) -> Outcome<AuthFile> {
        let unique = format!(
            "{name}-{}.json",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        );
        AuthFile::write_named(&env.work, &unique, &self.credentials, &self.registries).map_err(fail)
    }

    pub(super) fn client(&self) -> RegistryClient {
        RegistryClient::new(self.credentials.clone(), &self.registries)
    }
}

pub(super) fn registry_of(image: &str) -> Option<String> {
    crate::model::image::registry_part(image).map(str::to_string)
}

/// The loopback (plain http) registries among `registries` and the run's own.
pub(super) fn insecure_registries(env: &StepEnv<'_>, registries: &[String]) -> Vec<String> {
    let mut insecure: Vec<String> = registries
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(env.registry))
        .filter(|r| crate::registry::is_insecure(r))
        .map(str::to_string)
        .collect();
    insecure.sort();
    insecure.dedup();
    insecure
}

/// CONTAINERS_REGISTRIES_CONF for a cmd step's container tool, in a file of the step's own.
pub(super) fn insecure_env(
    env: &StepEnv<'_>,
    registries: &[String],
) -> Outcome<Vec<(String, String)>> {
    builder::registries_conf_env(&insecure_registries(env, registries), &env.work).map_err(fail)
}
