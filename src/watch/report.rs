//! What `acrt watch` says while it works: a spinner with the current step in a terminal
//! (indicatif), plain timestamped lines on stderr otherwise (cron, systemd, pipes).

use indicatif::{ProgressBar, ProgressStyle};

use crate::echo::escape_controls;
use std::io::IsTerminal;
use std::time::Duration;

pub struct Reporter {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Reporter {
    pub fn new(quiet: bool) -> Reporter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}").expect("a valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Reporter { bar, quiet }
    }

    /// A line that stays: what happened.
    pub fn event(&self, message: &str) {
        let line = format!(
            "{} {}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            escape_controls(message)
        );
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    pub fn warn(&self, message: &str) {
        if !self.quiet {
            self.event(&format!("warning: {message}"));
        }
    }

    /// The current step, shown on the spinner only.
    pub fn status(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(escape_controls(message).into_owned());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
