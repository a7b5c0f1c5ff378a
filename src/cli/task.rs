use clap::{Args, Subcommand};

pub use crate::model::status::{BaseImageTriggerType, RunStatus, Status, UpdateTriggerPayloadType};

pub use super::credential::{CredentialAddArgs, CredentialCommand, CredentialRemoveArgs};
pub use super::timer::{TimerAddArgs, TimerCommand, TimerNameArgs, TimerUpdateArgs};
use super::{RegistryArg, RunWaitArgs, parse_bool};

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Create a task: a Dockerfile build, a multi-step task file, or one command
    #[command(after_help = CREATE_EXAMPLES)]
    Create(TaskCreateArgs),
    /// Change a task; options left out keep their values
    Update(TaskUpdateArgs),
    /// Show a task
    Show(TaskShowArgs),
    /// List the tasks of a registry
    List(TaskListArgs),
    /// Delete a task
    Delete(TaskDeleteArgs),
    /// Run a task now
    Run(TaskRunArgs),
    /// List the runs of a registry, newest first
    ListRuns(ListRunsArgs),
    /// Show a run
    ShowRun(RunIdArgs),
    /// Show a run's log (the newest run's when none is named); follows a run in progress
    Logs(LogsArgs),
    /// Stop a run in progress
    CancelRun(RunIdArgs),
    /// Keep a run past the retention period (--no-archive false), or let it go
    UpdateRun(UpdateRunArgs),
    /// Show each recorded base image: the digest the last run used, the one served now, and
    /// whether a rebuild is due
    CheckBase(super::CheckBaseArgs),
    /// Rebase the task's image onto its base as the registry serves it now, without a build
    /// (or rebuild, saying why, where a rebase would not be sound); prints the run
    Rebase(TaskRebaseArgs),
    /// Show who is built on what: base images, the tasks built on them, the images those
    /// push, and the tasks built on those (from the recorded runs)
    #[command(
        after_help = "Examples:\n  acrt task graph\n  acrt task graph --base localhost:5000/baseimages/node:20\n  acrt task graph --format dot | dot -Tsvg > graph.svg"
    )]
    Graph(TaskGraphArgs),
    /// Registry credentials a task's runs log in with
    #[command(subcommand)]
    Credential(CredentialCommand),
    /// Timer triggers (cron schedules, UTC)
    #[command(subcommand)]
    Timer(TimerCommand),
    /// Managed identities: Azure only; use `task credential add` instead
    #[command(subcommand)]
    Identity(IdentityCommand),
}

#[derive(Debug, Args)]
pub struct TaskRebaseArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    /// The image builder for a rebuild, if a rebase is not sound: a kind or a builder of the
    /// pool [default: as for task run]
    #[arg(long, value_name = "BUILDER", env = "ACRT_BUILDER")]
    pub builder: Option<crate::model::pool::BuilderChoice>,
}

#[derive(Debug, Args)]
pub struct TaskGraphArgs {
    #[command(flatten)]
    pub registry: super::RegistryArg,
    /// Only what this image reaches: what a patch of it rebuilds, in the order it would
    #[arg(long, value_name = "IMAGE")]
    pub base: Option<String>,
    /// Print the graph for Graphviz (dot) instead of in the output format
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<GraphFormat>,
    /// Check the image each task's last successful run pushed (by its digest): its cosign
    /// signature and provenance verified, unsigned (nothing attached) or invalid; an invalid
    /// one (or one the registry cannot show) fails the command after the graph is printed
    #[arg(long, conflicts_with = "format")]
    pub verify: bool,
    /// The public key for --verify (PEM, as cosign.pub) [default: the public half of
    /// `acrt config set signing.key=...`]
    #[arg(long, value_name = "PUB", requires = "verify")]
    pub key: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
}

const CREATE_EXAMPLES: &str = "Examples:
  Build and push on every base image update, from a local directory:
    acrt task create -r localhost:5000 -n hello -c . -f Dockerfile -t 'hello:{{.Run.ID}}'
  A multi-step task file from a git repository, with a nightly timer:
    acrt task create -r localhost:5000 -n nightly -c https://example.com/app.git#main \\
      -f acb.yaml --schedule '0 3 * * *'
  A one-step command task:
    acrt task create -r localhost:5000 -n cleanup -c /dev/null --cmd 'busybox echo hi'";

#[derive(Debug, Args)]
pub struct TaskNameArgs {
    /// The task's name
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    pub name: String,
    #[command(flatten)]
    pub registry: RegistryArg,
}

/// The options `task create` and `task update` share. On update, every option left out keeps
/// the task's value; the defaults below are those of create.
#[derive(Debug, Args, Default)]
pub struct TaskStepOptions {
    /// Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL,
    /// oci://registry/repo:tag, or /dev/null for none
    #[arg(short = 'c', long = "context", value_name = "CONTEXT")]
    pub context: Option<String>,

    /// A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file
    /// (.yaml, .yml, .json, .toml), or - to read a task file from stdin
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        conflicts_with = "cmd"
    )]
    pub file: Option<String>,

    /// A command to run as a one-step task: "IMAGE [ARGS]" (use with -c /dev/null)
    // As az takes it: a command may start with docker run's options (`-e X=1 IMAGE`).
    #[arg(long = "cmd", value_name = "COMMAND", allow_hyphen_values = true)]
    pub cmd: Option<String>,

    /// Make a mirror task: its runs copy this image (every platform) to the --image names
    /// in the task's registry, and watch copies it again whenever it changes
    #[arg(long = "import-source", value_name = "IMAGE", conflicts_with_all = ["cmd", "file"])]
    pub import_source: Option<String>,

    /// Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables
    #[arg(short = 't', long = "image", value_name = "IMAGE")]
    pub image: Vec<String>,

    /// Build argument NAME=VALUE; a bare NAME takes the value of that environment variable;
    /// repeatable
    #[arg(long = "arg", value_name = "NAME[=VALUE]")]
    pub arg: Vec<String>,

    /// Secret build argument, stored, never printed, kept out of logs and process lists; repeatable. It
    /// reaches the build as a build argument (an ARG of that name keeps the value in the
    /// image's history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at
    /// /run/secrets/NAME during that step only), which leaves no trace in the image
    #[arg(long = "secret-arg", value_name = "NAME[=VALUE]")]
    pub secret_arg: Vec<String>,

    /// Value for a task file's {{.Values.NAME}}; repeatable
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,

    /// Secret value for a task file, stored and never printed; a bare NAME takes the value of
    /// that environment variable; repeatable
    #[arg(long = "set-secret", value_name = "NAME[=VALUE]")]
    pub set_secret: Vec<String>,

    /// An environment variable of acrt's that the task file's `secrets:` may read with
    /// `env: NAME` (any other is refused); repeatable; replaces the task's list on update
    /// ("" clears it)
    #[arg(long = "secret-env", value_name = "NAME")]
    pub secret_env: Vec<String>,

    /// A values file for a task file, relative to the context
    #[arg(long = "values", value_name = "FILE")]
    pub values: Option<String>,

    /// Build without pushing [create default: false]
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL")]
    pub no_push: Option<bool>,

    /// Build without the layer cache [create default: false]
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL")]
    pub no_cache: Option<bool>,

    /// The Dockerfile stage to build
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,

    /// os[/architecture[/variant]]; several, separated by commas, build one image per
    /// platform and push an index of them (linux/amd64,linux/arm64) [create default: linux/amd64]
    #[arg(long, value_name = "PLATFORMS")]
    pub platform: Option<String>,

    /// With several platforms: a base change on any platform rebuilds (or rebases) every
    /// platform together, rather than only those whose base moved [create default: false]
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL")]
    pub platform_lockstep: Option<bool>,

    /// CPUs for a run [create default: 2]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub cpu: Option<u32>,

    /// Seconds a run may take, 1-28800 [create default: 3600]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=28800))]
    pub timeout: Option<u32>,

    /// Whether the task runs at all [create default: Enabled]
    #[arg(long, value_enum, ignore_case = true)]
    pub status: Option<Status>,

    /// Token for a private git context; stored and never printed; - reads it from stdin
    #[arg(long, value_name = "TOKEN")]
    pub git_access_token: Option<String>,

    /// The git context's branch, which runs build and the commit trigger follows (as
    /// `-c URL#BRANCH`)
    #[arg(long, value_name = "BRANCH")]
    pub branch: Option<String>,

    /// Run when the git context's branch gets a commit [create default: true]
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL")]
    pub commit_trigger_enabled: Option<bool>,

    /// Run on pull requests (recorded; acrt has no pull-request source) [create default: false]
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL")]
    pub pull_request_trigger_enabled: Option<bool>,

    /// Name of the source trigger [create default: defaultSourceTriggerName]
    #[arg(long, value_name = "NAME")]
    pub source_trigger_name: Option<String>,

    /// Run when a base image changes under its tag [create default: true]
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL")]
    pub base_image_trigger_enabled: Option<bool>,

    /// Name of the base image trigger [create default: defaultBaseimageTriggerName]
    #[arg(long, value_name = "NAME")]
    pub base_image_trigger_name: Option<String>,

    /// Which base images trigger: Runtime (the final stage's) or All [create default: Runtime]
    #[arg(long, value_enum, ignore_case = true)]
    pub base_image_trigger_type: Option<BaseImageTriggerType>,

    /// URL that gets a POST for every base-image-triggered run
    #[arg(long, value_name = "URL")]
    pub update_trigger_endpoint: Option<String>,

    /// What the POST carries [create default: Default]
    #[arg(long, value_enum, ignore_case = true)]
    pub update_trigger_payload_type: Option<UpdateTriggerPayloadType>,

    /// Whether runs log in to the task's own registry: Default (yes) or None
    #[arg(long, value_enum, ignore_case = true)]
    pub auth_mode: Option<crate::model::task::LoginMode>,

    /// Run log template, e.g. 'acr/tasks:{{.Run.OS}}'
    #[arg(long, value_name = "TEMPLATE")]
    pub log_template: Option<String>,

    /// When a base changed: rebuild (as ACR), or rebase: swap the base's layers in the image
    /// without a build where that is sound (else rebuild) [default: rebuild]
    #[arg(long, value_enum, value_name = "WAY")]
    pub base_image_update: Option<crate::model::status::BaseImageUpdate>,

    /// Seconds since 1970 that the images' timestamps are set to, for reproducible images
    /// (SOURCE_DATE_EPOCH); "" clears it [default: the git context's commit time, else the
    /// newest base image's creation time]
    #[arg(long, value_name = "SECONDS")]
    pub source_date_epoch: Option<String>,

    /// When the builder a run was sent to stops answering during the build, try the run once
    /// more on another builder of the pool that answers [create default: false]
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_parser = parse_bool, value_name = "BOOL")]
    pub retry_elsewhere: Option<bool>,
}

#[derive(Debug, Args)]
pub struct TaskCreateArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    #[command(flatten)]
    pub options: TaskStepOptions,

    /// Timer trigger `[NAME:]CRON` (5 fields, UTC); unnamed timers become t1, t2, ...; repeatable
    #[arg(long, value_name = "[NAME:]CRON")]
    pub schedule: Vec<String>,

    /// Azure managed identities have no local meaning (explained on stderr, ignored); runs
    /// log in with `task credential add` logins and the user's own
    #[arg(long, num_args = 0.., value_name = "IDENTITY", hide = true)]
    pub assign_identity: Option<Vec<String>>,

    /// ACR's system task (for customer-managed-key registries) has no local meaning
    /// (explained on stderr, ignored)
    #[arg(long, hide = true)]
    pub is_system_task: bool,
}

#[derive(Debug, Args)]
pub struct TaskUpdateArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    #[command(flatten)]
    pub options: TaskStepOptions,
}

#[derive(Debug, Args)]
pub struct TaskShowArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    /// Show secret values (passwords, tokens, secret arguments) too
    #[arg(long)]
    pub with_secure_properties: bool,
}

#[derive(Debug, Args)]
pub struct TaskListArgs {
    #[command(flatten)]
    pub registry: RegistryArg,
}

#[derive(Debug, Args)]
pub struct TaskDeleteArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    /// Azure only: explains what to use instead
    Assign {
        #[arg(num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
    /// Azure only: explains what to use instead
    Remove {
        #[arg(num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
    /// Azure only: explains what to use instead
    Show {
        #[arg(num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  acrt task run -n hello\n  acrt task run -n hello --arg GREETING=hi --no-logs -o table"
)]
pub struct TaskRunArgs {
    #[command(flatten)]
    pub task: TaskNameArgs,
    /// Override the build context for this run
    #[arg(short = 'c', long = "context", value_name = "CONTEXT")]
    pub context: Option<String>,
    /// Override the Dockerfile or task file for this run
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<String>,
    /// Build argument NAME=VALUE for this run (added to the task's); repeatable
    #[arg(long = "arg", value_name = "NAME[=VALUE]")]
    pub arg: Vec<String>,
    /// Secret build argument for this run; repeatable
    #[arg(long = "secret-arg", value_name = "NAME[=VALUE]")]
    pub secret_arg: Vec<String>,
    /// Value for this run; repeatable
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Secret value for this run; a bare NAME takes the value of that environment variable;
    /// repeatable
    #[arg(long = "set-secret", value_name = "NAME[=VALUE]")]
    pub set_secret: Vec<String>,
    /// Override the Dockerfile stage to build
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// The platforms of this run instead of the task's: os[/architecture[/variant]], several
    /// separated by commas
    #[arg(long, value_name = "PLATFORMS")]
    pub platform: Option<String>,
    /// A token recorded on the run (its updateTriggerToken), as az records it
    #[arg(long, value_name = "TOKEN")]
    pub update_trigger_token: Option<String>,
    /// ACR's log artifact template: acrt keeps each run's log on this machine (explained on
    /// stderr, ignored)
    #[arg(long, value_name = "TEMPLATE", hide = true)]
    pub log_template: Option<String>,
    #[command(flatten)]
    pub wait: RunWaitArgs,
}

#[derive(Debug, Args)]
pub struct ListRunsArgs {
    #[command(flatten)]
    pub registry: RegistryArg,
    /// Only the runs of this task
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    pub name: Option<String>,
    /// How many runs to show
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..))]
    pub top: u32,
    /// Only runs with this status
    #[arg(long, value_enum, ignore_case = true)]
    pub run_status: Option<RunStatus>,
    /// Only runs that pushed this image (repository[:tag])
    #[arg(short = 't', long = "image", value_name = "IMAGE")]
    pub image: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunIdArgs {
    #[command(flatten)]
    pub registry: RegistryArg,
    /// The run's ID, e.g. da1
    #[arg(long, value_name = "ID")]
    pub run_id: String,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    #[command(flatten)]
    pub registry: RegistryArg,
    /// The run's ID
    #[arg(long, value_name = "ID", conflicts_with_all = ["name", "image"])]
    pub run_id: Option<String>,
    /// The newest run of this task
    #[arg(short = 'n', long = "name", value_name = "NAME")]
    pub name: Option<String>,
    /// The newest run that pushed this image (repository[:tag])
    #[arg(short = 't', long = "image", value_name = "IMAGE")]
    pub image: Option<String>,
    /// Print the log without colours (acrt never colours logs; accepted for az scripts)
    #[arg(long)]
    pub no_format: bool,
}

#[derive(Debug, Args)]
pub struct UpdateRunArgs {
    #[command(flatten)]
    pub run: RunIdArgs,
    /// false keeps the run (and its log) past the retention period; true lets it be purged
    #[arg(long, value_parser = parse_bool, value_name = "BOOL", required = true, action = clap::ArgAction::Set)]
    pub no_archive: bool,
}
