use super::{QuickRunLoginArgs, RegistryArg, RunWaitArgs};
use clap::Args;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    acrt build -r localhost:5000 -t 'hello:{{.Run.ID}}' .\n  \
    acrt build -r localhost:5000 -t base/node:9 -f Dockerfile-base --no-logs .")]
pub struct BuildArgs {
    /// The build context: a local directory, a git URL (URL#branch:folder), or a tarball URL
    #[arg(value_name = "SOURCE_LOCATION")]
    pub source: String,
    #[command(flatten)]
    pub registry: RegistryArg,
    /// Image name and tag to push, relative to the registry; repeatable; may use {{.Run.ID}}
    #[arg(short = 't', long = "image", value_name = "IMAGE")]
    pub image: Vec<String>,
    /// The Dockerfile, relative to the context [default: Dockerfile]
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<String>,
    /// Build argument NAME=VALUE (a bare NAME takes the environment variable); repeatable
    #[arg(long = "build-arg", value_name = "NAME[=VALUE]")]
    pub build_arg: Vec<String>,
    /// Secret build argument, kept out of logs, process lists and output; repeatable. It
    /// reaches the build as a build argument (an ARG of that name keeps the value in the
    /// image's history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at
    /// /run/secrets/NAME during that step only), which leaves no trace in the image
    #[arg(long = "secret-build-arg", value_name = "NAME[=VALUE]")]
    pub secret_build_arg: Vec<String>,
    /// Build without pushing
    #[arg(long)]
    pub no_push: bool,
    /// Build without the layer cache
    #[arg(long)]
    pub no_cache: bool,
    /// The Dockerfile stage to build
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// os[/architecture[/variant]]; several, separated by commas, build one image per
    /// platform and push an index of them (linux/amd64,linux/arm64)
    #[arg(long, value_name = "PLATFORMS", default_value = "linux/amd64")]
    pub platform: String,
    /// Seconds the build may take
    #[arg(long, value_name = "SECONDS", default_value_t = 3600, value_parser = clap::value_parser!(u32).range(1..=28800))]
    pub timeout: u32,
    /// Seconds since 1970 that the image's timestamps are set to, for a reproducible image
    /// (SOURCE_DATE_EPOCH) [default: the git context's commit time, else the newest base
    /// image's creation time]
    #[arg(long, value_name = "SECONDS")]
    pub source_date_epoch: Option<String>,
    #[command(flatten)]
    pub login: QuickRunLoginArgs,
    /// The Azure identity that logs in to the source registry: no local meaning (explained on
    /// stderr, ignored)
    #[arg(long, value_name = "ID", hide = true)]
    pub source_acr_auth_id: Option<String>,
    #[command(flatten)]
    pub wait: RunWaitArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  acrt scan .\n  acrt scan -f Dockerfile-app --build-arg REGISTRY_NAME=localhost:5000 --resolve ."
)]
pub struct ScanArgs {
    /// The build context: a local directory, a git URL or a tarball URL
    #[arg(value_name = "CONTEXT", default_value = ".")]
    pub context: String,
    /// The Dockerfile, relative to the context
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        default_value = "Dockerfile"
    )]
    pub file: String,
    /// Build argument NAME=VALUE, as the build would get it; repeatable
    #[arg(long = "build-arg", value_name = "NAME[=VALUE]")]
    pub build_arg: Vec<String>,
    /// The stage the build stops at
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Also ask the registries for each base image's digest
    #[arg(long)]
    pub resolve: bool,
    /// os[/architecture[/variant]]; several, separated by commas, scan for each (a row per
    /// platform and base); --resolve reports each platform's digests
    #[arg(long, value_name = "PLATFORMS", default_value = "linux/amd64")]
    pub platform: String,
}

/// Executes a queued run; started by `--no-wait`.
#[derive(Debug, Args)]
pub struct RunWorkerArgs {
    #[arg(long)]
    pub registry: String,
    #[arg(long)]
    pub run_id: String,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    acrt run -f acb.yaml .\n  \
    acrt run -f acb.yaml --set tag=v2 --values values.yaml https://example.com/app.git#main\n  \
    acrt run --cmd 'busybox echo hello' /dev/null\n  \
    cat acb.yaml | acrt run -f - .")]
pub struct RunArgs {
    /// The source: a local directory, a git URL, a tarball URL, or /dev/null for none
    #[arg(value_name = "SOURCE_LOCATION")]
    pub source: String,
    #[command(flatten)]
    pub registry: RegistryArg,
    /// The task file, relative to the source (- reads it from stdin)
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE",
        default_value = "acb.yaml",
        conflicts_with = "cmd"
    )]
    pub file: String,
    /// Run one command as a one-step task: "IMAGE [ARGS]"
    // As az takes it: a command may start with docker run's options (`-e X=1 IMAGE`).
    #[arg(long = "cmd", value_name = "COMMAND", allow_hyphen_values = true)]
    pub cmd: Option<String>,
    /// A values file (YAML), relative to the source
    #[arg(long, value_name = "FILE")]
    pub values: Option<String>,
    /// Value NAME=VALUE for {{.Values.NAME}}; repeatable; wins over --values
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Secret value, masked in the log; a bare NAME takes the value of that environment
    /// variable; repeatable
    #[arg(long = "set-secret", value_name = "NAME[=VALUE]")]
    pub set_secret: Vec<String>,
    /// An environment variable of acrt's that the task file's `secrets:` may read with
    /// `env: NAME` (any other is refused); repeatable
    #[arg(long = "secret-env", value_name = "NAME")]
    pub secret_env: Vec<String>,
    /// Seconds the run may take
    #[arg(long, value_name = "SECONDS", default_value_t = 3600, value_parser = clap::value_parser!(u32).range(1..=28800))]
    pub timeout: u32,
    /// os[/architecture[/variant]]; several, separated by commas, build one image per
    /// platform and push an index of them (linux/amd64,linux/arm64)
    #[arg(long, value_name = "PLATFORMS", default_value = "linux/amd64")]
    pub platform: String,
    #[command(flatten)]
    pub login: QuickRunLoginArgs,
    #[command(flatten)]
    pub wait: RunWaitArgs,
}
