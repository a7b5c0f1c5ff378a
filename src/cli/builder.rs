use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum BuilderCommand {
    /// List the builders: this machine's own (local: builders.local.platforms, .capacity) and
    /// those named in the config (builders.NAME.kind, .url, .platforms, .capacity)
    #[command(
        after_help = "Examples:\n  acrt config set builders.build1.kind=podman \
                            builders.build1.url=tcp://10.0.0.2:8888 builders.build1.capacity=2\n  \
                            acrt builder list -o table"
    )]
    List,
    /// Show one builder: its kind, URL, platforms and capacity, whether it answers, and the
    /// runs it is building now
    #[command(
        after_help = "Examples:\n  acrt builder show build1 -o table\n  acrt builder show local"
    )]
    Show {
        /// The builder's name (local for this machine's own)
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Ask each builder (or those named) whether it answers, and what it builds with
    #[command(after_help = "Examples:\n  acrt builder check\n  acrt builder check build1")]
    Check {
        /// The builders to check (local for this machine's own); all when omitted
        #[arg(value_name = "NAME")]
        names: Vec<String>,
    },
}
