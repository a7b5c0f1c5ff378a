//! The command line, as clap definitions only. Help text lives here; behaviour in `commands/`.

mod build;
mod builder;
mod config;
mod credential;
mod import;
pub mod reference;
mod task;
mod taskrun;
mod timer;
mod verify;
mod watch;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub use build::{BuildArgs, RunArgs, RunWorkerArgs, ScanArgs};
pub use builder::BuilderCommand;
pub use config::{ConfigCommand, ConfigureArgs};
pub use import::{ImportArgs, LoginArgs, LogoutArgs};
pub use task::{
    BaseImageTriggerType, CredentialAddArgs, CredentialCommand, CredentialRemoveArgs, GraphFormat,
    IdentityCommand, ListRunsArgs, LogsArgs, RunIdArgs, RunStatus, Status, TaskCommand,
    TaskCreateArgs, TaskDeleteArgs, TaskGraphArgs, TaskListArgs, TaskNameArgs, TaskRebaseArgs,
    TaskRunArgs, TaskShowArgs, TaskStepOptions, TaskUpdateArgs, TimerAddArgs, TimerCommand,
    TimerNameArgs, TimerUpdateArgs, UpdateRunArgs, UpdateTriggerPayloadType,
};
pub use taskrun::{TaskrunCommand, TaskrunDeleteArgs, TaskrunListArgs, TaskrunNameArgs};
pub use verify::VerifyArgs;
pub use watch::{CheckBaseArgs, WatchArgs};

use crate::output::Format;

#[derive(Debug, Parser)]
#[command(
    name = "acrt",
    version,
    about = "az acr task for any OCI registry, run locally",
    long_about = "acrt keeps task definitions in a local store, builds images with a builder on this \
machine, records which base images every image was built on, and rebuilds the dependents of a \
base image that changed under the same tag.",
    propagate_version = true,
    // As az's parser: an unambiguous prefix of a long option is that option (scripts write
    // --value for --values).
    infer_long_args = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Output format
    #[arg(
        short = 'o',
        long,
        global = true,
        help_heading = "Global Options",
        value_enum,
        ignore_case = true
    )]
    pub output: Option<Format>,

    /// JMESPath query applied to the result before it is printed (see https://jmespath.org)
    #[arg(
        long,
        global = true,
        help_heading = "Global Options",
        value_name = "JMESPATH"
    )]
    pub query: Option<String>,

    /// Show errors only; hide warnings
    #[arg(long, global = true, help_heading = "Global Options")]
    pub only_show_errors: bool,

    /// Say more about what is being done, on stderr
    #[arg(long, global = true, help_heading = "Global Options")]
    pub verbose: bool,

    /// Show everything acrt does, for bug reports, on stderr
    #[arg(long, global = true, help_heading = "Global Options")]
    pub debug: bool,

    /// Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user's
    /// data dir]
    // ACRT_HOME is read by the command, not by clap: a value clap takes from the environment
    // shows in usage lines as if it were a required argument.
    #[arg(
        long,
        global = true,
        help_heading = "Global Options",
        value_name = "DIR"
    )]
    pub state_dir: Option<PathBuf>,

    #[command(flatten)]
    pub azure: AzureArgs,
}

/// Azure-only options that scripts copied from az carry: accepted anywhere, each explained
/// once on stderr (what acrt does instead), never a parser error. Hidden from help.
#[derive(Debug, Args)]
pub struct AzureArgs {
    #[arg(short = 'g', long, global = true, hide = true, value_name = "GROUP")]
    pub resource_group: Option<String>,
    #[arg(long, global = true, hide = true, value_name = "SUBSCRIPTION")]
    pub subscription: Option<String>,
    #[arg(long, global = true, hide = true, value_name = "POOL")]
    pub agent_pool: Option<String>,
}

impl AzureArgs {
    /// What acrt does instead of each Azure option given.
    pub fn explanations(&self) -> Vec<&'static str> {
        let mut notes = Vec::new();
        if self.resource_group.is_some() {
            notes.push(
                "--resource-group is Azure's: acrt keeps tasks per registry (-r) and ignores it",
            );
        }
        if self.subscription.is_some() {
            notes.push("--subscription is Azure's: acrt has no subscriptions and ignores it");
        }
        if self.agent_pool.is_some() {
            notes.push(
                "--agent-pool is Azure's: acrt builds on this machine with its builder (--builder, \
                 or a podman service with 'acrt config set core.builder_url=...') and ignores it",
            );
        }
        notes
    }
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub enum Command {
    /// Manage tasks: definitions, triggers, credentials and timers
    #[command(subcommand)]
    Task(TaskCommand),

    /// Show, list, delete and read the logs of task runs (every run, named by its run ID)
    #[command(subcommand)]
    Taskrun(TaskrunCommand),

    /// Build an image from a context and push it (a quick build, like `az acr build`)
    Build(BuildArgs),

    /// Run a multi-step task file (build, push and cmd steps), like `az acr run`
    Run(RunArgs),

    /// Print the base images a Dockerfile depends on, as a run records them
    Scan(ScanArgs),

    /// Copy an image (every platform of it) into a registry, like `az acr import`
    Import(ImportArgs),

    /// Check registry credentials and store them where docker, buildah and skopeo look
    Login(LoginArgs),

    /// Remove stored registry credentials
    Logout(LogoutArgs),

    /// Rebuild the tasks whose base images changed, and run timer and commit triggers
    Watch(WatchArgs),

    /// Check an image's signature and provenance against a public key, and print the provenance
    Verify(VerifyArgs),

    /// Set defaults, e.g. the registry commands use when -r is not given
    Configure(ConfigureArgs),

    /// Read and change settings in the config file
    #[command(subcommand)]
    Config(ConfigCommand),

    /// List the builders of the pool and check that they answer
    #[command(subcommand)]
    Builder(BuilderCommand),

    /// Execute a queued run (started by --no-wait)
    #[command(hide = true)]
    RunWorker(RunWorkerArgs),

    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  acrt completion bash > ~/.local/share/bash-completion/completions/acrt\n  \
                            acrt completion zsh > ~/.zfunc/_acrt"
    )]
    Completion {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `--flag`, `--flag true`, `--flag false`, as az's three-state booleans.
pub(crate) fn parse_bool(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(format!("'{text}' is not a boolean; use true or false")),
    }
}

/// The registry a command acts on.
#[derive(Debug, Args, Clone)]
pub struct RegistryArg {
    /// The registry: a login server (localhost:5000, reg.example.com), a name from
    /// `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io
    /// [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]
    #[arg(short = 'r', long = "registry", value_name = "REGISTRY")]
    pub registry: Option<String>,
}

/// The clap command tree, for completions and the generated command reference.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// How a command that starts a run waits for it.
#[derive(Debug, Args, Clone)]
pub struct RunWaitArgs {
    /// Do not stream the log: wait for the run to end and print it
    #[arg(long)]
    pub no_logs: bool,
    /// Do not wait: print the queued run and let it go on in the background
    #[arg(long, conflicts_with = "no_logs")]
    pub no_wait: bool,
    /// Print the log without colours (acrt never colours logs; accepted for az scripts)
    #[arg(long)]
    pub no_format: bool,
    /// The image builder: buildah, docker or podman on this machine (with a platform it does
    /// not build natively going to a builder of the pool that does), or a builder of the pool
    /// by its name, for every platform ('acrt builder list') [default: ACRT_BUILDER, else
    /// `acrt config set defaults.builder=...`, else each platform on a builder of the pool
    /// that builds it natively, this machine's first installed among them]
    #[arg(long, value_name = "BUILDER", env = "ACRT_BUILDER")]
    pub builder: Option<crate::model::pool::BuilderChoice>,
}

/// az's quick-run options (`acr build`, `acr run`) about the run's registry login and log.
#[derive(Debug, Args, Clone)]
pub struct QuickRunLoginArgs {
    /// Whether the run logs in to its registry with your login: Default (yes) or None
    #[arg(long, value_enum, ignore_case = true)]
    pub auth_mode: Option<crate::model::task::LoginMode>,
    /// ACR's log artifact template: acrt keeps each run's log on this machine (explained on
    /// stderr, ignored)
    #[arg(long, value_name = "TEMPLATE", hide = true)]
    pub log_template: Option<String>,
}

/// A user name and a password (or token), on the command line or through stdin.
#[derive(Debug, Args, Clone)]
pub struct UserPasswordArgs {
    /// User name
    #[arg(short = 'u', long, value_name = "USER")]
    pub username: Option<String>,
    /// Password or token; prefer --password-stdin, which keeps it out of the process list
    #[arg(
        short = 'p',
        long,
        value_name = "PASSWORD",
        conflicts_with = "password_stdin"
    )]
    pub password: Option<String>,
    /// Read the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
}
