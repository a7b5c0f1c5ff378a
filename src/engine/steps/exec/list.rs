//! A cmd step's line carried out: its commands in order, each when its `&&`, `||` or `;`
//! says, the step ending with the status of the last one that ran (or `exit N`'s).

use super::*;
use crate::engine::steps::{CmdList, ListCommand};

/// How the line stands after a command: its status, and why it failed when it did.
struct LineState {
    status: i32,
    failure: Option<String>,
}

impl LineState {
    fn set(&mut self, status: i32, failure: Option<String>) {
        self.status = status;
        self.failure = failure;
    }

    fn end(self) -> Outcome {
        match (self.status, self.failure) {
            (0, _) => Ok(()),
            (_, Some(failure)) => Err(crate::engine::outcome::failure(failure)),
            (status, None) => Err(crate::engine::outcome::failure(format!(
                "the cmd line ended with status {status}"
            ))),
        }
    }
}

/// `cmd:`: the line's commands; a container that cannot start counts as docker run's 125.
pub(super) async fn cmd(
    step: &Step,
    list: &CmdList,
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    shared: &Shared,
    deadline: tokio::time::Instant,
) -> Outcome {
    let mut state = LineState {
        status: 0,
        failure: None,
    };
    for listed in &list.commands {
        if !listed.condition.holds(state.status) {
            continue;
        }
        if let Some(failure) = &state.failure {
            // A failure the line goes on from (`|| ...`, `; ...`) is said once, here.
            env.log
                .line(&format!("[{}] {failure}; the cmd line goes on", step.id));
        }
        match &listed.command {
            ListCommand::Status(status) => state.set(*status, None),
            ListCommand::Exit(code) => {
                let code = code.unwrap_or(state.status);
                if code != state.status {
                    let failure = format!("the cmd line's 'exit {code}' ended it");
                    state.set(code, Some(failure));
                }
                return state.end();
            }
            ListCommand::Container(run) => {
                let (status, failure) =
                    match cmd::container(step, run, env, volumes, shared, deadline).await {
                        Ok(Some(0)) => (0, None),
                        Ok(code) => (code.unwrap_or(128), Some(exit_message(env, code))),
                        Err(Stop::Failed(e)) => (125, Some(format!("{e:#}"))),
                        Err(stopped) => return Err(stopped),
                    };
                state.set(status, failure);
            }
        }
    }
    state.end()
}

/// Why a container's run failed: the runtime and the code, as a single-command step says it.
fn exit_message(env: &StepEnv<'_>, code: Option<i32>) -> String {
    match exit_error(env.builder().program(), code) {
        Stop::Failed(e) => format!("{e:#}"),
        Stop::TimedOut | Stop::Canceled => unreachable!("an exit is a failure"),
    }
}
