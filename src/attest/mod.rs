//! Signed provenance: for each image a run pushes, an in-toto statement (SLSA Provenance v1)
//! in a DSSE envelope signed with the user's key (`signing.key`), attached to the image as an
//! OCI artifact whose `subject` is the image and as a cosign attestation (`.att`), and a
//! cosign signature of the image itself. `check` and `verify` read them back and check them
//! against a public key.

pub mod cosign;
pub mod dsse;
pub mod keys;
pub mod statement;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::error::{Result, failed};
use crate::model::image::ImageRef;
use crate::model::run::Attestation;
use crate::registry::Descriptor;
use crate::registry::RegistryClient;
use crate::registry::referrers::{self, Blob, Cost, Listing, Upload};
pub use keys::{PASSWORD_ENV, PublicKey, Signer};
pub use statement::BuildFacts;

/// The artifact type of the provenance acrt attaches: a DSSE envelope.
pub const PROVENANCE_ARTIFACT_TYPE: &str = dsse::ENVELOPE_MEDIA_TYPE;
/// The annotation naming an attestation's predicate type (as in-toto's OCI layout has it).
pub const PREDICATE_TYPE_ANNOTATION: &str = "in-toto.io/predicate-type";
/// The most of an envelope acrt reads back.
const MAX_ENVELOPE_BYTES: u64 = 4 << 20;

static SIGNING_KEY: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Sets the signing key of this process (`signing.key`), once, before any run executes.
pub fn configure(key: Option<PathBuf>) {
    let _ = SIGNING_KEY.set(key);
}

/// The signing key's path, when one is configured.
pub fn signing_key_path() -> Option<&'static Path> {
    SIGNING_KEY.get().and_then(|k| k.as_deref())
}

/// The configured signing key, read (and decrypted with `COSIGN_PASSWORD`); None when no key
/// is configured.
pub fn configured_signer() -> Result<Option<Signer>> {
    let Some(path) = signing_key_path() else {
        return Ok(None);
    };
    let password = std::env::var(PASSWORD_ENV).ok();
    Signer::load(path, password.as_deref()).map(Some)
}

/// What was attached to one image.
#[derive(Debug, Clone)]
pub struct Attached {
    /// The provenance artifact's manifest digest.
    pub provenance: String,
    pub listing: Listing,
    /// The tag holding the cosign signature.
    pub signature_tag: String,
    /// The tag holding the provenance as a cosign attestation.
    pub attestation_tag: String,
    pub cost: Cost,
    pub elapsed: Duration,
}

impl Attached {
    /// What a run (or an import) records of it for `image` (`registry/repository`) at `digest`.
    pub fn record(&self, image: &str, digest: &str) -> Attestation {
        Attestation {
            image: format!("{image}@{digest}"),
            provenance: self.provenance.clone(),
            listed: self.listing.key().to_string(),
            signature_tag: self.signature_tag.clone(),
            attestation_tag: Some(self.attestation_tag.clone()),
            existing: false,
        }
    }

    /// The log line of what it was and what it cost.
    pub fn log_line(&self, image: &str, digest: &str) -> String {
        format!(
            "Signed {image}@{digest}: provenance {} ({}), signature {}, attestation {} ({} \
             requests, {} bytes, {} ms)",
            self.provenance,
            self.record(image, digest).listed,
            self.signature_tag,
            self.attestation_tag,
            self.cost.requests,
            self.cost.bytes,
            self.elapsed.as_millis()
        )
    }
}

/// The image to sign, as its caller knows it: by digest alone (its manifest is read to name
/// it as the provenance's subject), or by the manifest's descriptor when that was read
/// already.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Digest(&'a str),
    Manifest(&'a Descriptor),
}

impl Subject<'_> {
    fn digest(&self) -> &str {
        match self {
            Subject::Digest(digest) => digest,
            Subject::Manifest(manifest) => &manifest.digest,
        }
    }
}

/// Signs and attaches the provenance of `image` (pushed as `subject`): as an artifact whose
/// `subject` is the image, and as a cosign attestation under `sha256-<hex>.att`; and the
/// image's cosign signature.
pub async fn attest_image(
    client: &RegistryClient,
    image: &ImageRef,
    subject: Subject<'_>,
    facts: &BuildFacts,
    signer: &Signer,
) -> Result<Attached> {
    let started = Instant::now();
    let mut cost = Cost::default();
    let digest = subject.digest();
    let repository = ImageRef {
        tag: None,
        digest: Some(digest.to_string()),
        ..image.clone()
    };
    let name = format!("{}/{}", image.registry, image.repository);
    let statement = statement::statement(facts, &name, digest)?;
    let envelope = dsse::Envelope::sign(dsse::IN_TOTO_PAYLOAD_TYPE, &statement, signer);
    let envelope = serde_json::to_vec(&envelope)?;
    let subject = match subject {
        Subject::Manifest(manifest) => manifest.clone(),
        Subject::Digest(_) => {
            cost.requests += 1;
            referrers::descriptor_of(client, &repository).await?
        }
    };
    let mut annotations = Map::new();
    annotations.insert(
        PREDICATE_TYPE_ANNOTATION.into(),
        json!(statement::SLSA_PROVENANCE_V1),
    );
    let layer = Blob {
        media_type: dsse::ENVELOPE_MEDIA_TYPE.into(),
        bytes: envelope.clone(),
        annotations: annotations.clone(),
    };
    let (provenance, listing) = referrers::attach(
        client,
        &repository,
        &subject,
        PROVENANCE_ARTIFACT_TYPE,
        &[layer],
        annotations,
        &mut cost,
    )
    .await?;
    let attestation_tag = cosign::attestation_tag(digest);
    referrers::add_cosign_layer(
        client,
        &repository,
        &attestation_tag,
        cosign::attestation_layer(envelope, statement::SLSA_PROVENANCE_V1),
        Upload::AlreadyThere,
        cosign::signature_config,
        &mut cost,
    )
    .await?;
    let signature_tag = cosign::signature_tag(digest);
    referrers::add_cosign_layer(
        client,
        &repository,
        &signature_tag,
        cosign::signature_layer(&name, digest, signer),
        Upload::Needed,
        cosign::signature_config,
        &mut cost,
    )
    .await?;
    Ok(Attached {
        provenance,
        listing,
        signature_tag,
        attestation_tag,
        cost,
        elapsed: started.elapsed(),
    })
}

/// What `acrt verify` found: the image's digest, its verified statement, and where they are.
#[derive(Debug, Clone)]
pub struct Verified {
    pub digest: String,
    pub statement: Value,
    pub provenance: String,
    pub listing: Listing,
    pub signature_tag: String,
}

impl Verified {
    /// What a run records of it for `image` (`registry/repository`): the provenance and the
    /// signature it already carries (the `.att` tag is not part of the check, so not named).
    pub fn record(&self, image: &str) -> Attestation {
        Attestation {
            image: format!("{image}@{}", self.digest),
            provenance: self.provenance.clone(),
            listed: self.listing.key().to_string(),
            signature_tag: self.signature_tag.clone(),
            attestation_tag: None,
            existing: true,
        }
    }
}

/// What an image carries, checked against a key.
#[derive(Debug, Clone)]
pub enum Checked {
    /// Its cosign signature and every provenance acrt attached verify.
    Verified(Verified),
    /// Nothing is attached to it: no cosign signature, no provenance.
    Unsigned { digest: String, reason: String },
    /// Something is attached that does not verify with the key; why.
    Invalid { digest: String, reason: String },
}

impl Checked {
    /// The verified provenance, or an error saying why there is none.
    pub fn verified(self) -> Result<Verified> {
        match self {
            Checked::Verified(v) => Ok(v),
            Checked::Unsigned { reason, .. } | Checked::Invalid { reason, .. } => {
                Err(failed(reason))
            }
        }
    }
}

/// Checks `image`'s cosign signature and every provenance envelope acrt attached to it
/// against `key`; the newest statement when all verify, else an error saying what did not.
pub async fn verify(
    client: &RegistryClient,
    image: &ImageRef,
    key: &PublicKey,
) -> Result<Verified> {
    check(client, image, key).await?.verified()
}

/// Checks what `image` carries against `key`: verified, unsigned (nothing attached) or
/// invalid (with why). An error only when the registry cannot say.
pub async fn check(client: &RegistryClient, image: &ImageRef, key: &PublicKey) -> Result<Checked> {
    let (_, digest) = client.manifest(image).await?;
    check_digest(client, image, digest, key).await
}

/// [`check`] of `image` at `digest`, by a caller that has read its manifest already.
pub async fn check_digest(
    client: &RegistryClient,
    image: &ImageRef,
    digest: String,
    key: &PublicKey,
) -> Result<Checked> {
    let repository = ImageRef {
        tag: None,
        digest: Some(digest.clone()),
        ..image.clone()
    };
    let signature_tag = cosign::signature_tag(&digest);
    let layers = referrers::tagged_layers(client, &repository, &signature_tag).await?;
    let signed = cosign::is_signed(&layers, &digest, key, |layer| {
        let repository = repository.clone();
        async move {
            client
                .blob_within(&repository, &layer, MAX_ENVELOPE_BYTES)
                .await
        }
    })
    .await?;
    let (listed, listing) = referrers::referrers(client, &repository, &digest).await?;
    let ours: Vec<&Value> = listed
        .iter()
        .filter(|d| d["artifactType"] == json!(PROVENANCE_ARTIFACT_TYPE))
        .collect();
    let unsigned = |why: &str| {
        format!(
            "{image} ({digest}) has no cosign signature by the given key under the tag \
             {signature_tag}: {why}"
        )
    };
    if layers.is_empty() && ours.is_empty() {
        let reason = unsigned("nothing is attached to it (it was pushed without a signing key)");
        return Ok(Checked::Unsigned { digest, reason });
    }
    let invalid = |reason: String| Checked::Invalid {
        digest: digest.clone(),
        reason,
    };
    if !signed {
        return Ok(invalid(unsigned(
            "it was signed with another key, or its signature does not verify",
        )));
    }
    let newest = match newest_statement(client, &repository, &ours, &digest, key).await? {
        Ok(newest) => newest,
        Err(reason) => return Ok(invalid(reason)),
    };
    let Some((provenance, statement)) = newest else {
        return Ok(invalid(format!(
            "{image} ({digest}) has no provenance attached (no referrer of type \
             {PROVENANCE_ARTIFACT_TYPE})"
        )));
    };
    Ok(Checked::Verified(Verified {
        digest,
        statement,
        provenance,
        listing,
        signature_tag,
    }))
}

/// A check's verdict on what was read: the value, or why it does not verify.
type Verdict<T> = std::result::Result<T, String>;

/// The newest of the provenance artifacts `listed` (with its digest), once every one
/// verifies; None when none is listed.
async fn newest_statement(
    client: &RegistryClient,
    repository: &ImageRef,
    listed: &[&Value],
    digest: &str,
    key: &PublicKey,
) -> Result<Verdict<Option<(String, Value)>>> {
    let mut newest = None;
    for descriptor in listed {
        let Some(artifact) = descriptor["digest"].as_str() else {
            continue;
        };
        match verified_statement(client, repository, artifact, digest, key).await? {
            Ok(statement) => newest = Some((artifact.to_string(), statement)),
            Err(reason) => return Ok(Err(reason)),
        }
    }
    Ok(Ok(newest))
}

/// The statement of the provenance artifact `artifact`, once its envelope verifies with
/// `key` and it is about `digest`; else why not.
async fn verified_statement(
    client: &RegistryClient,
    repository: &ImageRef,
    artifact: &str,
    digest: &str,
    key: &PublicKey,
) -> Result<Verdict<Value>> {
    let manifest = referrers::manifest_at(client, repository, artifact).await?;
    if manifest["subject"]["digest"] != json!(digest) {
        return Ok(Err(format!(
            "the provenance {artifact} is listed for {digest} but its subject is another image"
        )));
    }
    let layer = manifest["layers"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|l| l["mediaType"] == json!(dsse::ENVELOPE_MEDIA_TYPE))
        })
        .filter(|l| l["digest"].is_string());
    let Some(layer) = layer else {
        return Ok(Err(format!(
            "the provenance {artifact} holds no DSSE envelope"
        )));
    };
    let bytes = client
        .blob_within(repository, layer, MAX_ENVELOPE_BYTES)
        .await?;
    Ok(envelope_statement(&bytes, artifact, digest, key))
}

/// The statement an envelope's bytes hold, once it verifies with `key` and names `digest`.
fn envelope_statement(
    bytes: &[u8],
    artifact: &str,
    digest: &str,
    key: &PublicKey,
) -> Verdict<Value> {
    let envelope: dsse::Envelope = serde_json::from_slice(bytes)
        .map_err(|_| format!("the provenance {artifact} is not a DSSE envelope"))?;
    if envelope.payload_type != dsse::IN_TOTO_PAYLOAD_TYPE {
        return Err(format!(
            "the provenance {artifact} holds a payload of type '{}', not an in-toto statement",
            envelope.payload_type
        ));
    }
    let payload = envelope
        .verified_payload(key)
        .map_err(|e| format!("the provenance {artifact}: {e:#}"))?;
    let statement: Value = serde_json::from_slice(&payload)
        .map_err(|_| format!("the provenance {artifact}: its statement is not JSON"))?;
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    let about_image = statement["subject"]
        .as_array()
        .is_some_and(|s| s.iter().any(|s| s["digest"]["sha256"] == json!(hex)));
    if !about_image {
        return Err(format!(
            "the provenance {artifact} is signed but names another image as its subject"
        ));
    }
    Ok(statement)
}
