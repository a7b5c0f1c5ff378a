use clap::{Args, Subcommand};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  acrt configure --defaults acr=localhost:5000\n  \
                        acrt configure --defaults acr=''   (removes the default)\n  \
                        acrt configure --list-defaults"
)]
pub struct ConfigureArgs {
    /// KEY=VALUE defaults to set (acr); an empty VALUE removes the default
    #[arg(long, num_args = 1.., value_name = "KEY=VALUE")]
    pub defaults: Vec<String>,

    /// List the defaults that are set
    #[arg(short = 'l', long)]
    pub list_defaults: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set one or more settings: core.output, core.only_show_errors, defaults.acr,
    /// registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a
    /// task file's cmd starting with NAME runs, e.g. a mirror of ACR's acr-cli for acr)
    #[command(after_help = "Examples:\n  acrt config set core.output=table\n  \
                            acrt config set registries.local=localhost:5000\n  \
                            acrt config set task_aliases.acr=mirror.lan/acr/acr-cli:0.19")]
    Set {
        /// section.name=value pairs
        #[arg(required = true, value_name = "KEY=VALUE")]
        pairs: Vec<String>,
    },
    /// Show one setting, or all of them
    Get {
        /// section.name; all settings when omitted
        key: Option<String>,
    },
    /// Remove a setting
    Unset {
        /// section.name
        #[arg(required = true)]
        keys: Vec<String>,
    },
}
