//! The lock that keeps two watchers from acting at once: flock(2) on a file in the state dir.
//! The kernel drops it when the process ends, however it ends.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::error::Result;

pub struct WatchLock {
    _file: File,
}

pub enum Acquired {
    Locked(WatchLock),
    /// Another watcher holds it; its pid, as it wrote it.
    Busy(Option<u32>),
}

pub fn acquire(state_dir: &Path, wait: bool) -> Result<Acquired> {
    let path = state_dir.join("watch.lock");
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(0o600)
        .open(&path)?;
    let flags = if wait {
        libc::LOCK_EX
    } else {
        libc::LOCK_EX | libc::LOCK_NB
    };
    // SAFETY: flock(2) on a file descriptor we own.
    if unsafe { libc::flock(file.as_raw_fd(), flags) } != 0 {
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Ok(Acquired::Busy(text.trim().parse().ok()));
        }
        return Err(err.into());
    }
    file.set_len(0)?;
    file.rewind()?;
    write!(file, "{}", std::process::id())?;
    file.flush()?;
    Ok(Acquired::Locked(WatchLock { _file: file }))
}
