//! cosign's signature of an image, as `cosign verify --key` reads it: a "simple signing"
//! payload naming the image's digest, signed, kept as a layer (with the signature in the
//! `dev.cosignproject.cosign/signature` annotation) of the manifest under the tag
//! `sha256-<hex>.sig` beside the image. And cosign's attestations, as `cosign
//! verify-attestation --key` reads them: each a DSSE envelope kept as a layer of the manifest
//! under the tag `sha256-<hex>.att` (its signature inside the envelope, so the signature
//! annotation is empty, and the statement's predicate type in the `predicateType` one).

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::keys::{PublicKey, Signer};
use crate::error::{Result, failed};
use crate::registry::referrers::Blob;

pub const SIMPLE_SIGNING_MEDIA_TYPE: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
pub const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
/// The annotation of an attestation layer naming its statement's predicate type.
pub const PREDICATE_TYPE_ANNOTATION: &str = "predicateType";

/// The tag cosign keeps the signatures of the image `digest` under.
pub fn signature_tag(digest: &str) -> String {
    format!("{}.sig", crate::registry::referrers::referrers_tag(digest))
}

/// The tag cosign keeps the attestations of the image `digest` under.
pub fn attestation_tag(digest: &str) -> String {
    format!("{}.att", crate::registry::referrers::referrers_tag(digest))
}

/// The attestation layer of a DSSE `envelope` (its JSON bytes) whose statement has
/// `predicate_type`.
pub fn attestation_layer(envelope: Vec<u8>, predicate_type: &str) -> Blob {
    let mut annotations = Map::new();
    annotations.insert(SIGNATURE_ANNOTATION.into(), json!(""));
    annotations.insert(PREDICATE_TYPE_ANNOTATION.into(), json!(predicate_type));
    Blob {
        media_type: super::dsse::ENVELOPE_MEDIA_TYPE.into(),
        bytes: envelope,
        annotations,
    }
}

/// The payload cosign signs for the image `repository` (`registry/repository`) at `digest`.
pub fn payload(repository: &str, digest: &str) -> Vec<u8> {
    let payload = json!({
        "critical": {
            "identity": {"docker-reference": repository},
            "image": {"docker-manifest-digest": digest},
            "type": "cosign container image signature",
        },
        "optional": null,
    });
    serde_json::to_vec(&payload).expect("JSON")
}

/// The signature layer for `repository` at `digest`.
pub fn signature_layer(repository: &str, digest: &str, signer: &Signer) -> Blob {
    let bytes = payload(repository, digest);
    let signature = base64::engine::general_purpose::STANDARD.encode(signer.sign(&bytes));
    let mut annotations = Map::new();
    annotations.insert(SIGNATURE_ANNOTATION.into(), json!(signature));
    Blob {
        media_type: SIMPLE_SIGNING_MEDIA_TYPE.into(),
        bytes,
        annotations,
    }
}

/// The config cosign writes for a signature (or attestation) manifest: its layers as the
/// rootfs, no platform.
pub fn signature_config(layer_digests: &[String]) -> Vec<u8> {
    let config = json!({
        "architecture": "",
        "os": "",
        "created": "0001-01-01T00:00:00Z",
        "config": {},
        "history": layer_digests.iter().map(|_| json!({"created": "0001-01-01T00:00:00Z"})).collect::<Vec<_>>(),
        "rootfs": {"type": "layers", "diff_ids": layer_digests},
    });
    serde_json::to_vec(&config).expect("JSON")
}

/// Whether one of `layers` (with `payload_of` giving each layer's payload, read by its
/// descriptor) is `key`'s signature of a payload naming `digest`.
pub async fn is_signed<F, Fut>(
    layers: &[Value],
    digest: &str,
    key: &PublicKey,
    payload_of: F,
) -> Result<bool>
where
    F: Fn(Value) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<u8>>>,
{
    let b64 = base64::engine::general_purpose::STANDARD;
    for layer in layers {
        let (true, Some(signature)) = (
            layer["digest"].is_string(),
            layer["annotations"][SIGNATURE_ANNOTATION].as_str(),
        ) else {
            continue;
        };
        let Ok(signature) = b64.decode(signature) else {
            continue;
        };
        let payload = payload_of(layer.clone()).await?;
        if !key.verifies(&payload, &signature) {
            continue;
        }
        let named: Value = serde_json::from_slice(&payload)
            .map_err(|_| failed("a signed cosign payload is not JSON"))?;
        if named["critical"]["image"]["docker-manifest-digest"] == json!(digest) {
            return Ok(true);
        }
    }
    Ok(false)
}
