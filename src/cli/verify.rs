use std::path::PathBuf;

use clap::Args;

use super::RegistryArg;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    acrt verify localhost:5000/app:v1 --key cosign.pub\n  \
    acrt verify app:v1 -r localhost:5000 -o table   (the key: signing.key's public half)")]
pub struct VerifyArgs {
    /// The image: host/repository[:tag|@digest], or a name in the --registry registry
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// The public key (PEM, as `cosign.pub`) the signatures must verify with [default: the
    /// public half of `acrt config set signing.key=...`]
    #[arg(long, value_name = "PUB")]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub registry: RegistryArg,
}
