//! The check a run makes before it builds anything: the run's login may push to every
//! repository it will push to (or none is needed). A build of minutes that only then fails on its push
//! would waste them; the error names the fix instead of the builder's raw 401.

use super::outcome::{Outcome, fail};
use super::spec::RunSpec;
use crate::model::image::ImageRef;
use crate::registry::Credentials;

/// Fails naming the fix when the run's login may not push to one of `images` (or it has
/// none where one is needed): checked as the push will ask, per repository.
pub(super) async fn check_push_logins(
    spec: &RunSpec,
    images: &[ImageRef],
    credentials: &Credentials,
) -> Outcome<()> {
    let mut repositories: Vec<&ImageRef> = images.iter().collect();
    repositories.sort_by(|a, b| (&a.registry, &a.repository).cmp(&(&b.registry, &b.repository)));
    repositories.dedup_by(|a, b| a.registry == b.registry && a.repository == b.repository);
    for image in repositories {
        let registry = &image.registry;
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
        let login = credentials.lookup(image.api_registry());
        crate::registry::login::check_push(image, login.as_ref(), &fix)
            .await
            .map_err(fail)?;
    }
    Ok(())
}
