//! The check a run makes before it builds anything: every registry it will push to takes
//! the run's login (or wants none). A build of minutes that only then fails on its push
//! would waste them; the error names the fix instead of the builder's raw 401.

use super::spec::RunSpec;
use super::{Stop, fail};
use crate::registry::Credentials;

type StopResult<T> = std::result::Result<T, Stop>;

/// Fails naming the fix when one of `registries` wants a login the run does not have.
pub(super) async fn check_push_logins(
    spec: &RunSpec,
    mut registries: Vec<String>,
    credentials: &Credentials,
) -> StopResult<()> {
    registries.sort_unstable();
    registries.dedup();
    for registry in &registries {
        let add = |task: &str| {
            format!(
                "give the task one with 'acrt task credential add -n {task} --login-server {registry} -u USER --password-stdin' (or 'credential update' to change it)"
            )
        };
        // --auth-mode None left the user's login for the run's own registry out.
        let left_out = spec.no_default_login && *registry == spec.registry;
        let fix = match (&spec.task, left_out) {
            (Some(task), true) => format!(
                "the task's --auth-mode None gives its runs no login of yours for {registry}; {}",
                add(task)
            ),
            (Some(task), false) => {
                format!("log in with 'acrt login -r {registry}', or {}", add(task))
            }
            (None, true) => format!(
                "--auth-mode None gives this run no login of yours for {registry}; leave it out"
            ),
            (None, false) => format!("log in with 'acrt login -r {registry}'"),
        };
        crate::registry::login::check_push_login(
            registry,
            credentials.lookup(registry).as_ref(),
            &fix,
        )
        .await
        .map_err(fail)?;
    }
    Ok(())
}
