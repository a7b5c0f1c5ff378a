use clap::Args;

use super::RegistryArg;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  acrt watch                     # keep watching, checking registries every 60 s\n  \
    acrt watch --once              # one cycle, for cron; exit 1 if a triggered run failed, 4 if a base was not checked\n  \
    acrt watch --listen 127.0.0.1:8089   # also take the registry's push notifications"
)]
pub struct WatchArgs {
    /// Run one cycle and exit (exit 1 if a run it started did not succeed; 4 if a base could
    /// not be checked or its tag is gone)
    #[arg(long)]
    pub once: bool,
    /// Seconds between registry checks (a little jitter is added)
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,
    /// Runs at a time, at most [default: the pool's capacity (the named builders' capacities
    /// and builders.local.capacity, else 1, for this machine); 2 when the config names no
    /// builder and no builders.local.capacity]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub max_concurrency: Option<u64>,
    /// Accept the registry's notification webhook on host:port, and check pushed tags at once
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// If another watcher is running, wait for it instead of exiting
    #[arg(long)]
    pub wait: bool,
    /// The image builder for the runs watch starts: a kind (this machine's builder, beside the
    /// pool's), or a builder of the pool to build everything on [default: as `acrt build`]
    #[arg(long, value_name = "BUILDER", env = "ACRT_BUILDER")]
    pub builder: Option<crate::model::pool::BuilderChoice>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  acrt task check-base -n helloworld -o table\n  acrt task check-base --all"
)]
pub struct CheckBaseArgs {
    #[command(flatten)]
    pub registry: RegistryArg,
    /// The task to check
    #[arg(
        short = 'n',
        long = "name",
        value_name = "NAME",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub name: Option<String>,
    /// Check every task of the registry
    #[arg(long)]
    pub all: bool,
}
