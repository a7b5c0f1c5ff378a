use clap::Args;

use super::RegistryArg;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    acrt import -n localhost:5000 --source reg.example.com/library/node:20 -t baseimages/node:20\n  \
    acrt import -n localhost:5000 --source library/node:20 -r reg.example.com\n  \
    acrt import -n localhost:5000 --source reg.example.com/tools/cc@sha256:... --repository tools/cc")]
pub struct ImportArgs {
    /// The target registry (a login server, an alias, or NAME for NAME.azurecr.io)
    #[arg(short = 'n', long = "name", value_name = "REGISTRY")]
    pub name: String,
    /// The image to copy: host/repository[:tag|@digest], or a name in the --registry source
    #[arg(long, value_name = "IMAGE")]
    pub source: String,
    /// The source registry, when --source names an image without one
    #[arg(short = 'r', long = "registry", value_name = "REGISTRY")]
    pub registry: Option<String>,
    /// Target name and tag; repeatable [default: the source's repository and tag]
    #[arg(short = 't', long = "image", value_name = "IMAGE")]
    pub image: Vec<String>,
    /// Target repository to copy into by digest only (no tag); repeatable
    #[arg(long, value_name = "REPOSITORY")]
    pub repository: Vec<String>,
    /// Credentials for the source registry
    #[command(flatten)]
    pub login: super::UserPasswordArgs,
    /// Overwrite target tags that already exist
    #[arg(long)]
    pub force: bool,
    /// Do not wait: the copy goes on in the background and nothing is printed (as az's; a
    /// failure is not reported: check with 'acrt scan' or the registry)
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  printf '%s' \"$PASSWORD\" | acrt login -r localhost:5001 -u ci --password-stdin\n  acrt logout -r localhost:5001"
)]
pub struct LoginArgs {
    #[command(flatten)]
    pub registry: RegistryArg,
    /// The registry, as `az acr login -n` names it: the same as -r
    #[arg(
        short = 'n',
        long = "name",
        value_name = "REGISTRY",
        conflicts_with = "registry"
    )]
    pub name: Option<String>,
    #[command(flatten)]
    pub login: super::UserPasswordArgs,
    /// Check the login and print the registry's access token as JSON (null for a registry
    /// without a token service) instead of storing the login, as `az acr login -t`
    #[arg(short = 't', long)]
    pub expose_token: bool,
    /// Azure's login server suffix: acrt takes the login server as given; ignored
    #[arg(long, value_name = "SUFFIX", hide = true)]
    pub suffix: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    #[command(flatten)]
    pub registry: RegistryArg,
}
