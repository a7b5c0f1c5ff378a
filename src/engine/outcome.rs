//! How a run, a step or one of their processes ended when it did not succeed: one type for
//! all of them, its error kept as data (with its chain) until the run's record takes the
//! message.

/// Why a run, a step or a process stopped short of success.
#[derive(Debug)]
pub enum Stop {
    /// It failed; the error says why.
    Failed(anyhow::Error),
    /// The run's own timeout ended it.
    TimedOut,
    /// It was canceled (`task cancel-run` from any process, Ctrl-C).
    Canceled,
}

/// How something of a run ended: its result, or why it stopped.
pub type Outcome<T = ()> = std::result::Result<T, Stop>;

/// A failure, for `map_err`: the error as it is.
pub fn fail(e: anyhow::Error) -> Stop {
    Stop::Failed(e)
}

/// A failure with `message`.
pub fn failure(message: impl std::fmt::Display) -> Stop {
    Stop::Failed(anyhow::anyhow!("{message}"))
}
