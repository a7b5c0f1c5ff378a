//! Detached cmd steps: done as soon as their container starts, their container running on
//! beside the later steps until the last of those ends.

use super::*;

pub(super) type StepFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Outcome> + 'a>>;

/// Runs step `i` to its end; a detached step only until its container starts, handing back
/// the rest of its run (or its result, if it failed before that).
pub(super) async fn start_step<'a>(
    i: usize,
    step: &'a Step,
    env: &'a StepEnv<'_>,
    volumes: &'a [(String, PathBuf)],
    shared: &'a Shared,
) -> (usize, Outcome, Option<StepFuture<'a>>) {
    let mut run: StepFuture<'a> = Box::pin(run_with_policy(step, env, volumes, shared));
    let Some(started) = shared.started.get(&step.id) else {
        return (i, run.await, None);
    };
    tokio::select! {
        result = &mut run => (i, result, None),
        () = started.notified() => (i, Ok(()), Some(run)),
    }
}

/// A detached step's container ended by itself, before the run did.
pub(super) fn log_detached_end(step: &Step, result: Outcome, log: &RunLog) {
    log.line(&match result {
        Ok(()) => format!("Detached step ID: {} ended", step.id),
        Err(Stop::Failed(m)) => format!("Detached step ID: {} ended: {m:#}", step.id),
        Err(Stop::TimedOut) => format!("Detached step ID: {} timed out", step.id),
        Err(Stop::Canceled) => format!("Detached step ID: {} was canceled", step.id),
    });
}

/// The run's steps are over: says which detached steps still run (`live`, step indices),
/// which the caller then stops by dropping their futures (that stops their process groups).
pub(super) fn log_stopping_detached(plan: &Plan, live: &[usize], log: &RunLog) {
    if !live.is_empty() {
        let ids: Vec<&str> = live.iter().map(|&i| plan.steps[i].id.as_str()).collect();
        log.line(&format!(
            "Stopping the detached step(s) still running: {}",
            ids.join(", ")
        ));
    }
}
