use clap::{Args, Subcommand};

use super::parse_bool;
use super::task::TaskNameArgs;

#[derive(Debug, Subcommand)]
pub enum TimerCommand {
    /// Add a timer: the task runs on a cron schedule (5 fields, UTC)
    #[command(
        after_help = "Example:\n  acrt task timer add -n hello --timer-name nightly --schedule '0 3 * * *'"
    )]
    Add(TimerAddArgs),
    /// Change a timer's schedule or status
    Update(TimerUpdateArgs),
    /// Remove a timer
    Remove(TimerNameArgs),
    /// List a task's timers
    List(TaskNameArgs),
}

#[derive(Debug, Args)]
pub struct TimerNameArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    /// The timer's name
    #[arg(long, value_name = "NAME")]
    pub timer_name: String,
}

#[derive(Debug, Args)]
pub struct TimerAddArgs {
    #[command(flatten)]
    pub timer: TimerNameArgs,
    /// Cron schedule, 5 fields, UTC, e.g. '0 3 * * *'
    #[arg(long, value_name = "CRON")]
    pub schedule: String,
    /// Whether the timer fires
    #[arg(long, num_args = 0..=1, default_value = "true", default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub enabled: bool,
}

#[derive(Debug, Args)]
pub struct TimerUpdateArgs {
    #[command(flatten)]
    pub timer: TimerNameArgs,
    /// New cron schedule, 5 fields, UTC
    #[arg(long, value_name = "CRON")]
    pub schedule: Option<String>,
    /// Whether the timer fires
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL")]
    pub enabled: Option<bool>,
}
