use clap::{Args, Subcommand};

use super::task::TaskNameArgs;

#[derive(Debug, Subcommand)]
pub enum CredentialCommand {
    /// Add credentials for a registry the task's runs pull from or push to
    #[command(after_help = "Examples:\n  \
        acrt task credential add -n hello --login-server localhost:5001 -u ci -p \"$PASSWORD\"\n  \
        printf '%s' \"$PASSWORD\" | acrt task credential add -n hello --login-server localhost:5001 -u ci --password-stdin")]
    Add(CredentialAddArgs),
    /// Replace the credentials stored for a registry
    Update(CredentialAddArgs),
    /// Remove the credentials of a registry
    Remove(CredentialRemoveArgs),
    /// List the registries a task has credentials for (passwords are never shown)
    List(TaskNameArgs),
}

#[derive(Debug, Args)]
pub struct CredentialAddArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    /// The registry's login server, e.g. localhost:5001
    #[arg(long, value_name = "SERVER")]
    pub login_server: String,
    #[command(flatten)]
    pub login: super::UserPasswordArgs,
    /// Azure managed identities have no local meaning; use -u and -p
    #[arg(long, value_name = "IDENTITY", hide = true)]
    pub use_identity: Option<String>,
}

#[derive(Debug, Args)]
pub struct CredentialRemoveArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    /// The registry's login server
    #[arg(long, value_name = "SERVER")]
    pub login_server: String,
}
