//! A cmd line's redirections opened: `/dev/null`, or a file of the run's workspace (links
//! followed only while they stay inside it, the file itself never a link).

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::StepError;
use crate::engine::process::Outputs;
use crate::engine::steps::{Sink, Streams};

/// The files a container's output goes to; one file for both when they name the same.
pub(super) fn open(workspace: &Path, streams: &Streams) -> Result<Outputs, StepError> {
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

fn open_sink(workspace: &Path, sink: &Sink) -> Result<Option<File>, StepError> {
    let opened = match sink {
        Sink::Log => return Ok(None),
        Sink::Null => OpenOptions::new().write(true).open("/dev/null"),
        Sink::File { path, append } => {
            let host = crate::context::resolve_inside(workspace, path, "the redirection target")
                .map_err(|e| StepError::Failed(format!("cmd: {e:#}")))?;
            let mut options = OpenOptions::new();
            options
                .write(true)
                .create(true)
                .custom_flags(libc::O_NOFOLLOW);
            if *append {
                options.append(true);
            } else {
                options.truncate(true);
            }
            options.open(host)
        }
    };
    opened.map(Some).map_err(|e| failed(sink, &e))
}

fn failed(sink: &Sink, e: &std::io::Error) -> StepError {
    let name = match sink {
        Sink::File { path, .. } => path.as_str(),
        Sink::Null => "/dev/null",
        Sink::Log => "the log",
    };
    StepError::Failed(format!(
        "cmd: cannot open the redirection target '{name}': {e}"
    ))
}
