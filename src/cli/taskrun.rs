use clap::{Args, Subcommand};

use super::RegistryArg;

/// az's `acr taskrun`: acrt has no task run resources of its own, so every run is a task run
/// named by its run ID.
#[derive(Debug, Subcommand)]
pub enum TaskrunCommand {
    /// List the task runs of a registry (every run, newest first)
    List(TaskrunListArgs),
    /// Show a task run
    Show(TaskrunNameArgs),
    /// Delete a finished task run and its log
    Delete(TaskrunDeleteArgs),
    /// Show a task run's log; follows a run in progress
    Logs(TaskrunNameArgs),
}

#[derive(Debug, Args)]
pub struct TaskrunListArgs {
    #[command(flatten)]
    pub registry: RegistryArg,
}

#[derive(Debug, Args)]
pub struct TaskrunNameArgs {
    /// The task run's name: its run ID (see `acrt taskrun list`)
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    pub name: String,
    #[command(flatten)]
    pub registry: RegistryArg,
}

#[derive(Debug, Args)]
pub struct TaskrunDeleteArgs {
    #[command(flatten)]
    pub taskrun: TaskrunNameArgs,
    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,
}
