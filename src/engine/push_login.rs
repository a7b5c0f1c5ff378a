//! The check a run makes before it pushes anything: the run's login may push to every
//! repository it will push to (or none is needed). A build of minutes that only then fails on
//! its push would waste them; the error names the fix instead of the builder's raw 401.

use std::future::Future;
use std::pin::Pin;

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

/// The push-login check of a run, answered while the run goes on (resolving its bases,
/// building): a check takes a token and an upload session, which a good run need not wait
/// for. What the run does meanwhile is stopped as soon as the check fails, and the push
/// waits for its answer ([`PushCheck::passed`]).
pub(super) struct PushCheck<'a> {
    pending: Option<Pending<'a>>,
}

/// The check's future while it has not answered.
type Pending<'a> = Pin<Box<dyn Future<Output = Outcome<()>> + Send + 'a>>;

impl<'a> PushCheck<'a> {
    /// The check of [`check_push_logins`] for `images`, not yet asked.
    pub(super) fn start(
        spec: &'a RunSpec,
        images: &'a [ImageRef],
        credentials: &'a Credentials,
    ) -> PushCheck<'a> {
        PushCheck {
            pending: Some(Box::pin(check_push_logins(spec, images, credentials))),
        }
    }

    /// A check that has nothing to check (a run that pushes nothing).
    pub(super) fn none() -> PushCheck<'a> {
        PushCheck { pending: None }
    }

    /// Runs `work` while the check is answered: a failed check stops `work` (dropped: a
    /// builder's process group is killed with it) and is the run's error; so is a failed
    /// check when `work` failed first (a push refused before the check answered).
    pub(super) async fn alongside<T>(
        &mut self,
        work: impl Future<Output = Outcome<T>>,
    ) -> Outcome<T> {
        let Some(check) = self.pending.as_mut() else {
            return work.await;
        };
        let mut work = std::pin::pin!(work);
        tokio::select! {
            done = &mut work => {
                if done.is_err() {
                    self.passed().await?;
                }
                done
            }
            checked = check => {
                self.pending = None;
                checked?;
                work.await
            }
        }
    }

    /// Waits for the check's answer (at once when it has answered).
    pub(super) async fn passed(&mut self) -> Outcome<()> {
        match self.pending.take() {
            Some(check) => check.await,
            None => Ok(()),
        }
    }
}
