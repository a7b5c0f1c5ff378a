//! Typed errors and the one place that maps them to exit codes.

use std::fmt;

/// An error's words: what went wrong, and apart from it what to do about it (the hint).
/// Displayed as one line (`text; hint`) where an error is kept as a line (a run's stored
/// error, a log); `main` prints the hint on a line of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub hint: Option<String>,
}

impl Message {
    pub fn hinted(text: impl Into<String>, hint: impl Into<String>) -> Message {
        let hint = hint.into();
        Message {
            text: text.into(),
            hint: (!hint.is_empty()).then_some(hint),
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        match &self.hint {
            Some(hint) => write!(f, "; {hint}"),
            None => Ok(()),
        }
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message { text, hint: None }
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::from(text.to_string())
    }
}

/// An error whose kind decides the exit code. Messages say what was wrong and what to do.
#[derive(Debug)]
pub enum Error {
    /// Bad arguments or validation: exit 2.
    Invalid(Message),
    /// The named object does not exist: exit 3.
    NotFound(Message),
    /// Anything else that went wrong, including conflicts: exit 1.
    Failed(Message),
    /// A registry does not have the image (404, manifest or name unknown): exit 1, and for
    /// watch a fact about that one base, not about its registry.
    Missing(Message),
    /// A registry refused the login (401, 403, denied): exit 1, and for watch a fact about
    /// that login, not about its registry.
    Refused(Message),
    /// A registry answered 429: exit 1, and for watch a reason to leave that registry alone
    /// until `retry_after` (when it said).
    RateLimited {
        message: Message,
        retry_after: Option<std::time::Duration>,
    },
    /// `watch --once` could not check some bases (registry down, refused, rate-limited), or
    /// their tag is missing, so their tasks cannot be rebuilt: exit 4, so that cron alerts.
    Unchecked(Message),
}

impl Error {
    pub fn message(&self) -> &Message {
        match self {
            Error::Invalid(m)
            | Error::NotFound(m)
            | Error::Failed(m)
            | Error::Missing(m)
            | Error::Refused(m)
            | Error::Unchecked(m)
            | Error::RateLimited { message: m, .. } => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for Error {}

/// What `main` prints of an error: the chain's words without hints, joined as anyhow joins
/// them (`outer: inner`), and the hints of the chain's typed errors, in order.
pub fn report(err: &anyhow::Error) -> (String, Vec<String>) {
    let mut hints = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        match cause.downcast_ref::<Error>() {
            Some(e) => {
                let message = e.message();
                parts.push(message.text.clone());
                hints.extend(message.hint.clone());
            }
            None => parts.push(cause.to_string()),
        }
    }
    (parts.join(": "), hints)
}

pub type Result<T, E = anyhow::Error> = std::result::Result<T, E>;

/// Shorthand for a validation error (exit 2).
pub fn invalid(message: impl Into<String>) -> anyhow::Error {
    Error::Invalid(Message::from(message.into())).into()
}

/// Shorthand for a not-found error (exit 3).
pub fn not_found(message: impl Into<String>) -> anyhow::Error {
    Error::NotFound(Message::from(message.into())).into()
}

/// Shorthand for a plain failure (exit 1).
pub fn failed(message: impl Into<String>) -> anyhow::Error {
    Error::Failed(Message::from(message.into())).into()
}

/// The most of an error's text kept: a peer's answer (an index of 100,000 platforms, a
/// registry's error page) must not make a message of megabytes, printed and stored per run.
pub const MAX_ERROR_TEXT: usize = 4096;

/// `text` cut to [`MAX_ERROR_TEXT`] bytes at a character boundary, saying how much was cut.
pub fn clip_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_ERROR_TEXT {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut end = MAX_ERROR_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!(
        "{}... ({} more bytes cut)",
        &text[..end],
        text.len() - end
    ))
}

pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_INVALID: u8 = 2;
pub const EXIT_NOT_FOUND: u8 = 3;
/// `watch --once`: some watched bases could not be checked, or their tag is missing.
pub const EXIT_UNCHECKED: u8 = 4;
/// acrt itself went wrong (a panic): a bug to report, never the user's input at fault.
pub const EXIT_BUG: u8 = 70;

/// Turns a panic into a report: a message that asks for a bug report, handed to `on_panic`
/// (the entry point passes the engine's: the run being executed, if any, marked Failed with
/// that message and its builder stopped), then exit code 70. The callback is given rather
/// than called by name so that this module depends on nothing above it.
pub fn install_panic_hook(on_panic: fn(&str)) {
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = format!(
            "acrt hit an internal error (a bug, not a problem with your input): {payload}{location}; \
             please report it with the command you ran"
        );
        on_panic(&message);
        eprintln!("error: {}", crate::echo::escape_controls(&message));
        std::process::exit(i32::from(EXIT_BUG));
    }));
}

/// The exit code for an error: the first typed error in its chain decides, else 1.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return match e {
                Error::Invalid(_) => EXIT_INVALID,
                Error::NotFound(_) => EXIT_NOT_FOUND,
                Error::Failed(_)
                | Error::Missing(_)
                | Error::Refused(_)
                | Error::RateLimited { .. } => EXIT_FAILURE,
                Error::Unchecked(_) => EXIT_UNCHECKED,
            };
        }
    }
    EXIT_FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_kept_apart_and_joined_only_on_one_line() {
        let err = anyhow::Error::from(Error::Missing(Message::hinted(
            "registry r: cannot resolve r/app:1: 404",
            "check the repository and tag",
        )))
        .context("resolving the bases");
        assert_eq!(
            format!("{err:#}"),
            "resolving the bases: registry r: cannot resolve r/app:1: 404; check the repository and tag"
        );
        let (text, hints) = report(&err);
        assert_eq!(
            text,
            "resolving the bases: registry r: cannot resolve r/app:1: 404"
        );
        assert_eq!(hints, ["check the repository and tag"]);
        assert_eq!(exit_code(&err), EXIT_FAILURE);
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary_saying_how_much() {
        assert_eq!(clip_text("short"), "short");
        let long = "é".repeat(MAX_ERROR_TEXT);
        let clipped = clip_text(&long);
        assert!(clipped.len() < MAX_ERROR_TEXT + 40, "{}", clipped.len());
        assert!(
            clipped.ends_with(&format!(
                "... ({} more bytes cut)",
                long.len() - MAX_ERROR_TEXT
            )),
            "{}",
            &clipped[MAX_ERROR_TEXT - 10..]
        );
    }
}
