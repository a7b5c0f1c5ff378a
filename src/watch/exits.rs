//! Waiting for the end of any of the processes that run watch's runs: the watcher sleeps until
//! one ends, whether it started it or an earlier watcher did (a pidfd can be waited on for any
//! process, not only a child).

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

/// Where pidfds are not to be had (an old kernel, a sandbox): how often the runs are looked at.
const WITHOUT_PIDFD: Duration = Duration::from_secs(1);

/// A run's process: its pid and its start time (so that a reused pid is not taken for it).
#[derive(Debug, Clone, Copy)]
pub struct Runner {
    pub pid: i64,
    pub start: Option<i64>,
}

/// Returns once any of `runners` has ended (at once if one already has), or after `limit`.
/// Ended children are reaped, so that they leave no zombie.
pub fn wait_any(runners: &[Runner], limit: Option<Duration>) {
    let mut fds = Vec::with_capacity(runners.len());
    let mut fallback = false;
    for runner in runners {
        match open(runner.pid) {
            // Opened after the check would race a reuse of the pid: checked after opening.
            Ok(fd) if crate::engine::process::runner_alive(runner.pid, runner.start) => {
                fds.push(fd)
            }
            Ok(_) => return reap(runners),
            Err(e) if e.raw_os_error() == Some(libc::ESRCH) => return reap(runners),
            Err(_) => fallback = true,
        }
    }
    let limit = match (fallback || fds.is_empty(), limit) {
        (true, Some(l)) => Some(l.min(WITHOUT_PIDFD)),
        (true, None) => Some(WITHOUT_PIDFD),
        (false, l) => l,
    };
    let mut polled: Vec<libc::pollfd> = fds
        .iter()
        .map(|fd| libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    let timeout = limit.map_or(-1, |l| l.as_millis().min(i32::MAX as u128) as i32);
    // SAFETY: `polled` is a valid array of `polled.len()` pollfds whose fds stay open
    // (owned by `fds`) for the call.
    unsafe { libc::poll(polled.as_mut_ptr(), polled.len() as libc::nfds_t, timeout) };
    reap(runners);
}

fn open(pid: i64) -> std::io::Result<OwnedFd> {
    // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the fd was just returned by the kernel and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

/// Reaps those of `runners` that are this process's children and have ended.
fn reap(runners: &[Runner]) {
    for runner in runners {
        // SAFETY: waitpid with WNOHANG on a pid; a pid that is not our child fails harmlessly.
        unsafe {
            libc::waitpid(
                runner.pid as libc::pid_t,
                std::ptr::null_mut(),
                libc::WNOHANG,
            )
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// The wait ends when the process ends, not at its limit, and leaves no zombie.
    #[test]
    fn the_wait_ends_when_a_runner_ends() {
        let (reader, writer) = std::io::pipe().unwrap();
        // Ends when its stdin closes; reaped by the wait, not by a Child.
        let pid = std::process::Command::new("sh")
            .args(["-c", "read _"])
            .stdin(reader)
            .spawn()
            .unwrap()
            .id();
        let runner = Runner {
            pid: i64::from(pid),
            start: crate::engine::process::process_start_time(i64::from(pid)),
        };
        let ender = std::thread::spawn(move || drop(writer));
        let began = Instant::now();
        wait_any(&[runner], Some(Duration::from_secs(600)));
        ender.join().unwrap();
        assert!(began.elapsed() < Duration::from_secs(300));
        assert!(!crate::engine::process::runner_alive(
            runner.pid,
            runner.start
        ));
    }
}
