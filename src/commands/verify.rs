//! `acrt verify`: an image's cosign signature and its provenance checked against a public
//! key; the provenance printed (`-o json` the statement, `-o table` who built it, from what,
//! and why).

use serde_json::Value;

use super::Ctx;
use crate::attest::{self, PublicKey, Signer};
use crate::cli::VerifyArgs;
use crate::engine::runtime;
use crate::error::{Error, Message, Result};
use crate::model::image::ImageRef;
use crate::output::{CommandOutput, TableView};
use crate::registry::{Credentials, RegistryClient};

pub fn verify(ctx: &Ctx, args: VerifyArgs) -> Result<CommandOutput> {
    let key = public_key(args.key.as_deref())?;
    let default_registry = ctx.registry(&args.registry).ok();
    let image = ImageRef::parse_in(&args.image, default_registry.as_deref())?;
    let client = RegistryClient::new(Credentials::default(), &[image.api_registry().to_string()]);
    let verified = runtime()?.block_on(attest::verify(&client, &image, &key))?;
    ctx.status(&format!(
        "Verified {image}@{}: cosign signature ({}) and provenance {} (listed through the {})",
        verified.digest, verified.signature_tag, verified.provenance, verified.listing
    ));
    CommandOutput::with_table(verified.statement, VIEW)
}

/// `--key`, else the public half of `signing.key`.
pub(super) fn public_key(key: Option<&std::path::Path>) -> Result<PublicKey> {
    if let Some(path) = key {
        return PublicKey::load(path);
    }
    match attest::configured_signer()? {
        Some(signer) => Ok(Signer::public_key(&signer)),
        None => Err(Error::Invalid(Message::hinted(
            "no key to verify with",
            "give the public key with --key cosign.pub, or set the signing key with \
             'acrt config set signing.key=PATH'",
        ))
        .into()),
    }
}

/// The statement summed up: who built it, from which bases, and why.
const VIEW: TableView = TableView {
    columns: &["Field", "Value"],
    rows: summary_rows,
};

fn summary_rows(statement: &Value) -> Vec<Vec<String>> {
    attest::statement::summary(statement)
        .into_iter()
        .map(|(field, value)| vec![field, value])
        .collect()
}
