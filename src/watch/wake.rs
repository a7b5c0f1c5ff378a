//! What ends an idle watcher's wait besides its next deadline: a registry notification, or
//! a write to the store by another process (a push by a run, a new task), heard through
//! inotify on the store's files. Nothing wakes the watcher on a tick.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::store::DB_FILE;

/// Where the store's files cannot be watched (no inotify): how often the wait looks at the
/// store all the same.
pub const WITHOUT_INOTIFY: Duration = Duration::from_millis(200);

/// A bell rung by whatever may have made work due.
#[derive(Debug, Default)]
pub struct Alarm {
    rung: Mutex<bool>,
    bell: Condvar,
    /// The store's writes are not heard (no inotify, or it failed).
    deaf: std::sync::atomic::AtomicBool,
}

impl Alarm {
    /// Whether the store's writes go unheard: the wait must look at the store itself.
    pub fn is_deaf(&self) -> bool {
        self.deaf.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn go_deaf(&self) {
        self.deaf.store(true, std::sync::atomic::Ordering::Relaxed);
        self.ring();
    }

    pub fn ring(&self) {
        if let Ok(mut rung) = self.rung.lock() {
            *rung = true;
            self.bell.notify_all();
        }
    }

    /// Sleeps until the bell rings or `until` (for ever without one); whether it rang. A ring
    /// while nobody waited is heard by the next wait.
    pub fn wait_until(&self, until: Option<Instant>) -> bool {
        let Ok(mut rung) = self.rung.lock() else {
            return false;
        };
        while !*rung {
            let result = match until {
                Some(u) => {
                    let left = u.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return false;
                    }
                    self.bell
                        .wait_timeout(rung, left)
                        .map(|(g, _)| g)
                        .map_err(|_| ())
                }
                None => self.bell.wait(rung).map_err(|_| ()),
            };
            let Ok(guard) = result else {
                return false;
            };
            rung = guard;
        }
        *rung = false;
        true
    }
}

/// Rings `alarm` whenever the store's database or its write-ahead log in `dir` is written,
/// from a thread of its own. Where inotify is not to be had, the alarm is deaf.
pub fn on_store_writes(dir: &Path, alarm: Arc<Alarm>) {
    if !listen_to_store(dir, alarm.clone()) {
        alarm.go_deaf();
    }
}

fn listen_to_store(dir: &Path, alarm: Arc<Alarm>) -> bool {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: inotify_init1 takes flags and returns a new fd or -1.
    let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC) };
    if fd < 0 {
        return false;
    }
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        // SAFETY: fd was just opened and is closed once.
        unsafe { libc::close(fd) };
        return false;
    };
    let mask = libc::IN_MODIFY | libc::IN_CREATE | libc::IN_MOVED_TO | libc::IN_CLOSE_WRITE;
    // SAFETY: a valid fd and a NUL-terminated path.
    if unsafe { libc::inotify_add_watch(fd, path.as_ptr(), mask) } < 0 {
        // SAFETY: as above.
        unsafe { libc::close(fd) };
        return false;
    }
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            // SAFETY: reads into a buffer of the given length from an fd this thread owns.
            let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                if n < 0
                    && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
                {
                    continue;
                }
                // The store cannot be heard any more: the wait looks at it itself.
                alarm.go_deaf();
                return;
            }
            if names(&buf[..n as usize]).any(is_store_file) {
                alarm.ring();
            }
        }
    });
    true
}

/// The file names of a buffer of inotify events.
fn names(mut buf: &[u8]) -> impl Iterator<Item = &[u8]> {
    const HEADER: usize = std::mem::size_of::<libc::inotify_event>();
    std::iter::from_fn(move || {
        if buf.len() < HEADER {
            return None;
        }
        // The name's length is the header's last field (wd, mask, cookie, len).
        let len = u32::from_ne_bytes(buf[12..16].try_into().ok()?) as usize;
        let name = buf.get(HEADER..HEADER + len)?;
        buf = &buf[HEADER + len..];
        let end = name.iter().position(|b| *b == 0).unwrap_or(name.len());
        Some(&name[..end])
    })
}

/// The database and its write-ahead log (not the run logs, the lock, or other files).
fn is_store_file(name: &[u8]) -> bool {
    let db = DB_FILE.as_bytes();
    name == db || name.strip_prefix(db) == Some(b"-wal")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_to_the_store_rings_and_other_files_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let alarm = Arc::new(Alarm::default());
        on_store_writes(dir.path(), alarm.clone());
        assert!(!alarm.is_deaf());
        std::fs::write(dir.path().join("other.log"), "x").unwrap();
        let soon = Some(Instant::now() + Duration::from_millis(300));
        assert!(!alarm.wait_until(soon), "another file rang");
        std::fs::write(dir.path().join(format!("{DB_FILE}-wal")), "x").unwrap();
        assert!(alarm.wait_until(None));
    }

    #[test]
    fn a_ring_before_the_wait_is_heard() {
        let alarm = Alarm::default();
        alarm.ring();
        assert!(alarm.wait_until(None));
        assert!(!alarm.wait_until(Some(Instant::now())));
    }
}
