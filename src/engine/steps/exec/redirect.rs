//! A cmd line's redirections opened: `/dev/null`, or a file of the run's workspace (links
//! followed only while they stay inside it, the file itself never a link).

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::engine::outcome::{Outcome, Stop, failure};
use crate::engine::process::Outputs;
use crate::engine::steps::{Sink, Streams};

/// The files a container's output goes to; one file for both when they name the same.
pub(super) fn open(workspace: &Path, streams: &Streams) -> Outcome<Outputs> {
    let stdout = open_sink(workspace, &streams.stdout)?;
    let stderr = if streams.stderr == streams.stdout {
        stdout
            .as_ref()
            .map(File::try_clone)
            .transpose()
            .map_err(|e| failed(&streams.stderr, &e))?
    } else {
        open_sink(workspace, &streams.stderr)?
    };
    Ok(Outputs { stdout, stderr })
}

fn open_sink(workspace: &Path, sink: &Sink) -> Outcome<Option<File>> {
    let opened = match sink {
        Sink::Log => return Ok(None),
        Sink::Null => OpenOptions::new().write(true).open("/dev/null"),
        Sink::File { path, append } => {
            crate::context::resolve_inside(workspace, path, "the redirection target")
                .map_err(|e| failure(format!("cmd: {e:#}")))?;
            open_workspace_file(workspace, path, *append)
        }
    };
    opened.map(Some).map_err(|e| failed(sink, &e))
}

/// A workspace file to write to, opened beneath the workspace in one lookup (a step running
/// beside this one cannot swap a directory on the way for a link out after the check) and
/// never through a link itself; only a regular file (a FIFO or device an earlier step left
/// there would block or write elsewhere), emptied unless appended to.
fn open_workspace_file(workspace: &Path, path: &str, append: bool) -> std::io::Result<File> {
    let mode = if append { libc::O_APPEND } else { 0 };
    let file = crate::context::open_beneath(
        workspace,
        path,
        libc::O_WRONLY | libc::O_CREAT | libc::O_NOFOLLOW | mode,
    )?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if !append {
        file.set_len(0)?;
    }
    Ok(file)
}

fn failed(sink: &Sink, e: &std::io::Error) -> Stop {
    let name = match sink {
        Sink::File { path, .. } => path.as_str(),
        Sink::Null => "/dev/null",
        Sink::Log => "the log",
    };
    failure(format!(
        "cmd: cannot open the redirection target '{name}': {e}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn file(path: &str, append: bool) -> Streams {
        Streams {
            stdout: Sink::File {
                path: path.into(),
                append,
            },
            stderr: Sink::Log,
        }
    }

    #[test]
    fn a_redirection_writes_inside_the_workspace_only() {
        let root = tempfile::tempdir().unwrap();
        let (workspace, outside) = (root.path().join("ws"), root.path().join("outside"));
        std::fs::create_dir_all(workspace.join("sub")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, workspace.join("abs")).unwrap();
        std::os::unix::fs::symlink("../outside", workspace.join("rel")).unwrap();
        std::os::unix::fs::symlink("../../outside/f", workspace.join("sub/f")).unwrap();
        for escape in ["abs/x", "rel/x", "sub/f"] {
            let e = open(&workspace, &file(escape, false)).unwrap_err();
            let Stop::Failed(message) = e else {
                panic!("a failure")
            };
            let message = format!("{message:#}");
            assert!(message.contains("outside"), "{escape}: {message}");
        }
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        // A FIFO an earlier step left there is refused at once, never waited on.
        let fifo = workspace.join("fifo");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo(3) with a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let e = open(&workspace, &file("fifo", false)).unwrap_err();
        let Stop::Failed(message) = e else {
            panic!("a failure")
        };
        assert!(format!("{message:#}").contains("'fifo'"), "{message:#}");

        let mut out = open(&workspace, &file("sub/out.txt", false)).unwrap();
        out.stdout.as_mut().unwrap().write_all(b"one\n").unwrap();
        assert!(out.stderr.is_none(), "stderr stays in the log");
        let mut more = open(&workspace, &file("sub/out.txt", true)).unwrap();
        more.stdout.as_mut().unwrap().write_all(b"two\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(workspace.join("sub/out.txt")).unwrap(),
            "one\ntwo\n"
        );
        let both = Streams {
            stdout: Sink::Null,
            stderr: Sink::Null,
        };
        let nulls = open(&workspace, &both).unwrap();
        assert!(nulls.stdout.is_some() && nulls.stderr.is_some());
    }
}
