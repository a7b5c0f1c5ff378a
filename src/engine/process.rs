//! Running a build's processes: each in its own process group (so cancel and timeout stop all
//! of it), output streamed line by line, and who runs a run checked for being alive.

use std::process::Stdio;
use std::time::Duration;
use tokio::sync::mpsc;

use super::journal::Journal;
use super::log::RunLog;
use super::outcome::{Outcome, Stop, fail, failure};
use crate::builder::ProcessStep;
use crate::error::Result;
use crate::store::ProcessGroup;

fn io(e: std::io::Error) -> Stop {
    fail(e.into())
}

/// Where a step's standard output and standard error go instead of the log (a cmd line's
/// redirections); None: the log.
#[derive(Debug, Default)]
pub struct Outputs {
    pub stdout: Option<std::fs::File>,
    pub stderr: Option<std::fs::File>,
}

/// Runs one step to its end (its exit code; None: a signal) or until `deadline`, its process
/// group recorded in the run's `journal` while it runs (so that `task cancel-run` in another
/// process, a timeout and the dead-runner check can stop every step of the run).
pub async fn run_step(
    step: &ProcessStep,
    work: &std::path::Path,
    log: &RunLog,
    deadline: tokio::time::Instant,
    journal: &Journal,
) -> Outcome<Option<i32>> {
    run_step_to(step, work, log, deadline, journal, Outputs::default()).await
}

/// [`run_step`] with its output streams sent to `outputs`.
pub async fn run_step_to(
    step: &ProcessStep,
    work: &std::path::Path,
    log: &RunLog,
    deadline: tokio::time::Instant,
    journal: &Journal,
    outputs: Outputs,
) -> Outcome<Option<i32>> {
    // The builder writes to a file, never a pipe: buildah's chroot isolation drops the RUN
    // output it cannot write at once, so a reader that falls behind for a moment (a loaded
    // machine) would lose lines. The file is read as it grows. 0600, in the run's work dir
    // (removed with it, also when the run was killed).
    let output = tempfile::Builder::new()
        .prefix("output-")
        .tempfile_in(work)
        .map_err(io)?;
    let writer = std::fs::OpenOptions::new()
        .append(true)
        .open(output.path())
        .map_err(io)?;
    let reader = std::fs::File::open(output.path()).map_err(io)?;
    let stdout = match outputs.stdout {
        Some(file) => file,
        None => writer.try_clone().map_err(io)?,
    };
    let stderr = outputs.stderr.unwrap_or(writer);
    let mut child = spawn_in_own_group(step, stdout, stderr).map_err(fail)?;
    let pgid = i64::from(child.id().ok_or_else(|| {
        failure(format!(
            "{} ended before it started",
            step.program.display()
        ))
    })?);
    let group = ProcessGroup {
        pgid,
        start: process_start_time(pgid),
    };
    // If this future is dropped (a step's timeout, a run stopping), the whole group goes
    // at once, the builder and its children together.
    let mut guard = GroupGuard { group, armed: true };
    journal.add_group(group).await.map_err(fail)?;

    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let exited = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let exited = exited.clone();
        std::thread::spawn(move || follow_lines(reader, &exited, tx));
    }
    let wait = async {
        let mut status = None;
        loop {
            tokio::select! {
                line = rx.recv() => match line {
                    Some(line) => log.line(&line),
                    // The reader saw the exit and read the file to its end.
                    None => break,
                },
                end = child.wait(), if status.is_none() => {
                    status = Some(end);
                    exited.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            }
        }
        match status {
            Some(status) => status,
            None => child.wait().await,
        }
    };
    match tokio::time::timeout_at(deadline, wait).await {
        Ok(status) => {
            guard.armed = false;
            journal.remove_group(group);
            drop(output);
            Ok(status.map_err(io)?.code())
        }
        Err(_) => {
            stop_group(&mut child, group, Duration::from_secs(5)).await;
            guard.armed = false;
            journal.remove_group(group);
            Err(Stop::TimedOut)
        }
    }
}

/// Runs a short process of a step (`buildah from`) to its end and returns its output, in a
/// process group of its own recorded in the run's `journal` while it runs: a run killed
/// meanwhile has it stopped, before its cleanup reads what it made.
pub async fn output_in_group(
    cmd: &mut tokio::process::Command,
    journal: &Journal,
) -> std::io::Result<std::process::Output> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let acrt = std::process::id();
    // SAFETY: `stop_with` makes only async-signal-safe calls.
    unsafe { cmd.pre_exec(move || stop_with(acrt)) };
    let child = cmd.spawn()?;
    let Some(pid) = child.id() else {
        return child.wait_with_output().await;
    };
    let group = ProcessGroup {
        pgid: i64::from(pid),
        start: process_start_time(i64::from(pid)),
    };
    let mut guard = GroupGuard { group, armed: true };
    journal
        .add_group(group)
        .await
        .map_err(std::io::Error::other)?;
    let output = child.wait_with_output().await;
    guard.armed = false;
    journal.remove_group(group);
    output
}

/// Stops a step that ran past its deadline: SIGTERM to its group (a builder let go removes its
/// own containers), its leader waited for (and reaped) up to `grace`, then SIGKILL to whatever
/// of the group is left. The leader is this process's child, so it is waited for here: a
/// stopped leader nobody reaps would look alive for all of `grace`.
async fn stop_group(child: &mut tokio::process::Child, group: ProcessGroup, grace: Duration) {
    if !may_signal(group.pgid, group.start) {
        return;
    }
    // SAFETY: kill(2) on a process group whose leader is the one recorded.
    unsafe { libc::kill(-(group.pgid as libc::pid_t), libc::SIGTERM) };
    let _ = tokio::time::timeout(grace, child.wait()).await;
    // SAFETY: as above; a group stays (and its id cannot be taken) while any of its processes
    // lives, and a group already gone makes this a no-op.
    unsafe { libc::kill(-(group.pgid as libc::pid_t), libc::SIGKILL) };
    let _ = tokio::time::timeout(grace, child.wait()).await;
}

/// Starts a step's process as the leader of a new process group, its output to `stdout` and
/// `stderr`.
fn spawn_in_own_group(
    step: &ProcessStep,
    stdout: std::fs::File,
    stderr: std::fs::File,
) -> Result<tokio::process::Child> {
    let mut cmd = crate::host::command(&step.program);
    cmd.args(&step.args)
        .envs(step.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0);
    let acrt = std::process::id();
    // A builder whose reader went away gets EPIPE on its writes instead of dying of SIGPIPE
    // halfway through, which would leave its own children (a RUN step's process) orphaned.
    // SAFETY: signal(2), prctl(2) and getppid(2) are async-signal-safe and touch only this
    // child.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            // Whatever started acrt may have ignored these; a builder must be stoppable
            // (and clean up after itself) when asked to.
            for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
                libc::signal(signal, libc::SIG_DFL);
            }
            stop_with(acrt)
        });
    }
    cmd.spawn().map_err(|e| {
        crate::host::cannot_start(
            cmd.as_std(),
            &e,
            "install it, or pick another builder with --builder (scripts/setup installs buildah)",
        )
    })
}

/// Asks the kernel to stop this child (SIGTERM) when acrt, its parent, dies: a builder left
/// running by a killed acrt would go on and push what no run records. The runtime that spawns
/// steps runs on the thread that lives as long as the run, which is what the kernel watches.
/// A parent already gone before the request (the fork raced its death) fails the start.
///
/// Runs between fork and exec: only async-signal-safe calls.
fn stop_with(parent: u32) -> std::io::Result<()> {
    // SAFETY: prctl(2) with an integer argument; getppid(2) cannot fail.
    unsafe {
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM as libc::c_ulong) == -1 {
            return Err(std::io::Error::last_os_error());
        }
        if libc::getppid() as u32 != parent {
            return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
        }
    }
    Ok(())
}

/// Follows a file a process writes, line by line, until `exited` is set and the file is read
/// to its end. Each line is decoded lossily: output that is not UTF-8 is shown with
/// replacement characters, never a reason to stop reading. A line without end is cut into
/// pieces of at most 64 KiB, so memory stays bounded.
fn follow_lines(
    file: std::fs::File,
    exited: &std::sync::atomic::AtomicBool,
    tx: mpsc::UnboundedSender<String>,
) {
    use std::io::{BufRead as _, Read as _};
    const MAX_LINE: usize = 64 * 1024;
    let mut reader = std::io::BufReader::with_capacity(MAX_LINE, file);
    let mut line = Vec::new();
    let send = |line: &mut Vec<u8>| {
        let end = line.strip_suffix(b"\n").unwrap_or(line);
        let end = end.strip_suffix(b"\r").unwrap_or(end);
        let _ = tx.send(String::from_utf8_lossy(end).into_owned());
        line.clear();
    };
    loop {
        // Read the flag before the file: whatever was written before the exit is read below.
        let done = exited.load(std::sync::atomic::Ordering::SeqCst);
        loop {
            let room = (MAX_LINE - line.len()) as u64;
            match (&mut reader).take(room).read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) if line.ends_with(b"\n") || line.len() >= MAX_LINE => send(&mut line),
                Ok(_) => {} // a part of a line: the rest is still to be written
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        if done {
            if !line.is_empty() {
                send(&mut line);
            }
            return;
        }
        // Nobody reads any more (the step was stopped, or timed out).
        if tx.is_closed() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Kills a step's process group when the step is abandoned before its process ended.
struct GroupGuard {
    group: ProcessGroup,
    armed: bool,
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if self.armed {
            kill_groups_now(&[self.group]);
        }
    }
}

/// Whether acrt may signal process group `pgid`: never its own group, or 0 or 1 (which mean
/// its own group and every process), and only while the group's leader is the process that
/// was recorded (`start`; pids are reused).
fn may_signal(pgid: i64, start: Option<i64>) -> bool {
    // SAFETY: getpgrp(2) cannot fail and touches no memory.
    let own_group = i64::from(unsafe { libc::getpgrp() });
    pgid > 1 && pgid != own_group && start.is_some() && process_start_time(pgid) == start
}

/// SIGKILL to process groups at once, each only if its leader is still the process recorded.
pub fn kill_groups_now(groups: &[ProcessGroup]) {
    for g in groups.iter().filter(|g| may_signal(g.pgid, g.start)) {
        // SAFETY: kill(2) on a process group whose leader is the one recorded.
        unsafe { libc::kill(-(g.pgid as libc::pid_t), libc::SIGKILL) };
    }
}

/// SIGTERM to process groups, then SIGKILL to those still there after `grace`, waiting
/// here: what stops an orphaned build, which then removes its own containers. A group whose
/// leader is gone, or whose pid now belongs to another process, is left alone (pids are
/// reused).
pub fn stop_groups_blocking(groups: &[ProcessGroup], grace: Duration) {
    let targets: Vec<libc::pid_t> = groups
        .iter()
        .filter(|g| may_signal(g.pgid, g.start))
        .map(|g| -(g.pgid as libc::pid_t))
        .collect();
    for &group in &targets {
        // SAFETY: kill(2) on a process group whose leader is the one recorded.
        unsafe { libc::kill(group, libc::SIGTERM) };
    }
    let begun = std::time::Instant::now();
    // SAFETY: signal 0 only checks that a group exists.
    let any_left = || targets.iter().any(|&g| unsafe { libc::kill(g, 0) } == 0);
    while begun.elapsed() < grace && any_left() {
        std::thread::sleep(Duration::from_millis(100));
    }
    for &group in &targets {
        // SAFETY: as above; a group already gone makes this a no-op.
        unsafe { libc::kill(group, libc::SIGKILL) };
    }
}

/// [`stop_groups_blocking`], waited for off the runtime's thread.
pub async fn kill_groups(groups: Vec<ProcessGroup>, grace: Duration) {
    let _ = tokio::task::spawn_blocking(move || stop_groups_blocking(&groups, grace)).await;
}

/// A process's state letter and start time (clock ticks since boot) from /proc.
fn process_stat(pid: i64) -> Option<(char, i64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let mut fields = stat[stat.rfind(')')? + 2..].split_whitespace();
    let state = fields.next()?.chars().next()?;
    let start = fields.nth(18)?.parse().ok()?;
    Some((state, start))
}

/// The start time of a process, to tell a pid from its reuse.
pub fn process_start_time(pid: i64) -> Option<i64> {
    process_stat(pid).map(|(_, start)| start)
}

/// Whether the process that runs a run is still there (and is the same process). A zombie,
/// killed but not yet reaped, is not.
pub fn runner_alive(pid: i64, start: Option<i64>) -> bool {
    match process_stat(pid) {
        None => false,
        Some((state, _)) if state == 'Z' || state == 'X' => false,
        Some((_, now)) => start.is_none_or(|s| s == now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_dead_one_is_not() {
        let me = i64::from(std::process::id());
        let start = process_start_time(me);
        assert!(start.is_some());
        assert!(runner_alive(me, start));
        assert!(!runner_alive(me, start.map(|s| s + 1)));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = i64::from(child.id());
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(
            !runner_alive(pid, None),
            "an exited, unreaped child is a zombie: not alive"
        );
        child.wait().unwrap();
        assert!(!runner_alive(pid, None));
    }
}
