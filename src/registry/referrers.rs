//! Artifacts attached to an image with the OCI 1.1 `subject` field, and read back: through
//! the referrers API where a registry has it, else through the referrers tag schema (an
//! index of the referrers under the tag `sha256-<hex>`, updated by read-modify-write), which
//! distribution 2.8, GHCR and Docker Hub need. Also the tags cosign keeps an image's
//! signatures and attestations under (`sha256-<hex>.sig`, `sha256-<hex>.att`).

use oci_client::Reference;
use serde_json::{Map, Value, json};

use super::{
    Descriptor, MAX_MANIFEST_BYTES, ManifestRead, NotFound, OCI_CONFIG, OCI_INDEX, OCI_MANIFEST,
    RegistryClient, sha256_digest, to_reference,
};
use crate::error::{Result, failed};
use crate::model::image::ImageRef;

/// The empty config an artifact manifest carries (`{}`).
pub const EMPTY_CONFIG: &str = "application/vnd.oci.empty.v1+json";

/// A blob to push with a manifest: its media type, bytes and annotations.
pub struct Blob {
    pub media_type: String,
    pub bytes: Vec<u8>,
    pub annotations: Map<String, Value>,
}

impl Blob {
    pub fn digest(&self) -> String {
        sha256_digest(&self.bytes)
    }

    fn descriptor(&self) -> Value {
        let mut d = json!({
            "mediaType": self.media_type,
            "digest": self.digest(),
            "size": self.bytes.len(),
        });
        if !self.annotations.is_empty() {
            d["annotations"] = Value::Object(self.annotations.clone());
        }
        d
    }
}

/// How referrers are listed on a registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// `GET /v2/<name>/referrers/<digest>`.
    ReferrersApi,
    /// The index under the tag `sha256-<hex>`.
    TagSchema,
}

impl Listing {
    /// How a run's record (`listed`) names it.
    pub fn key(self) -> &'static str {
        match self {
            Listing::ReferrersApi => "referrersApi",
            Listing::TagSchema => "referrersTag",
        }
    }
}

/// How a sentence names it (`listed through the referrers API`).
impl std::fmt::Display for Listing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Listing::ReferrersApi => "referrers API",
            Listing::TagSchema => "referrers tag schema",
        })
    }
}

/// What attaching cost: the artifact's digest, how it is listed, the requests made and the
/// bytes sent.
#[derive(Debug, Clone, Default)]
pub struct Cost {
    pub requests: usize,
    pub bytes: usize,
}

/// The descriptor of the manifest `image` names by digest: one manifest read.
pub async fn descriptor_of(client: &RegistryClient, image: &ImageRef) -> Result<Descriptor> {
    Ok(client.manifest_json(image).await?.descriptor())
}

/// `repository` (of `image`) at `reference` (a tag or a digest).
fn at(image: &ImageRef, reference: &str) -> ImageRef {
    let (tag, digest) = match reference.contains(':') {
        true => (None, Some(reference.to_string())),
        false => (Some(reference.to_string()), None),
    };
    ImageRef {
        registry: image.registry.clone(),
        repository: image.repository.clone(),
        tag,
        digest,
    }
}

/// The tag the referrers tag schema keeps `digest`'s referrers under.
pub fn referrers_tag(digest: &str) -> String {
    digest.replace(':', "-")
}

/// Pushes `layers` and an artifact manifest of `artifact_type` whose subject is `subject`
/// into `image`'s repository, and lists it as a referrer of the subject. Returns
/// the artifact manifest's digest and how it is listed.
pub async fn attach(
    client: &RegistryClient,
    image: &ImageRef,
    subject: &Descriptor,
    artifact_type: &str,
    layers: &[Blob],
    annotations: Map<String, Value>,
    cost: &mut Cost,
) -> Result<(String, Listing)> {
    let config = Blob {
        media_type: EMPTY_CONFIG.into(),
        bytes: b"{}".to_vec(),
        annotations: Map::new(),
    };
    let mut manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "artifactType": artifact_type,
        "config": config.descriptor(),
        "layers": layers.iter().map(Blob::descriptor).collect::<Vec<_>>(),
        "subject": subject.json(),
    });
    if !annotations.is_empty() {
        manifest["annotations"] = Value::Object(annotations.clone());
    }
    for blob in std::iter::once(&config).chain(layers) {
        push_blob(client, image, blob, cost).await?;
    }
    let body = serde_json::to_vec(&manifest)?;
    let digest = sha256_digest(&body);
    push_manifest(client, &at(image, &digest), &body, OCI_MANIFEST, cost).await?;
    let subject_digest = subject.digest.as_str();
    let mut entry = json!({
        "mediaType": OCI_MANIFEST,
        "digest": digest,
        "size": body.len(),
        "artifactType": artifact_type,
    });
    if !annotations.is_empty() {
        entry["annotations"] = Value::Object(annotations);
    }
    cost.requests += 1;
    // A registry with the API that did not index this one gets the tag too, as the spec asks.
    let listed = api_referrers(client, image, subject_digest).await?;
    if listed.is_some_and(|l| l.iter().any(|d| d["digest"] == json!(digest))) {
        return Ok((digest, Listing::ReferrersApi));
    }
    add_to_tag_index(client, image, subject_digest, entry, cost).await?;
    Ok((digest, Listing::TagSchema))
}

/// Adds `entry` to the index under the subject's referrers tag (read, add, write; read once
/// more to see that no writer beside replaced it, and try again if one did).
async fn add_to_tag_index(
    client: &RegistryClient,
    image: &ImageRef,
    subject_digest: &str,
    entry: Value,
    cost: &mut Cost,
) -> Result<()> {
    let tagged = at(image, &referrers_tag(subject_digest));
    for _ in 0..3 {
        cost.requests += 1;
        let mut manifests = tag_index(client, &tagged).await?;
        if !manifests.iter().any(|d| d["digest"] == entry["digest"]) {
            manifests.push(entry.clone());
        }
        let index = json!({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": manifests,
        });
        let body = serde_json::to_vec(&index)?;
        push_manifest(client, &tagged, &body, OCI_INDEX, cost).await?;
        cost.requests += 1;
        if tag_index(client, &tagged)
            .await?
            .iter()
            .any(|d| d["digest"] == entry["digest"])
        {
            return Ok(());
        }
    }
    Err(failed(format!(
        "registry {}: the referrers index {tagged} kept being replaced by another writer; \
         run again",
        image.registry
    )))
}

/// The descriptors the index under a referrers tag lists (none when the tag does not exist).
async fn tag_index(client: &RegistryClient, tagged: &ImageRef) -> Result<Vec<Value>> {
    match client.manifest_json(tagged).await {
        Ok(ManifestRead { json: index, .. }) => {
            if index["mediaType"] != json!(OCI_INDEX) && index["manifests"].is_null() {
                return Err(failed(format!(
                    "{tagged}: the tag holds something other than a referrers index; it is left \
                     as it is: remove or rename that tag"
                )));
            }
            Ok(index["manifests"].as_array().cloned().unwrap_or_default())
        }
        Err(e) if is_missing(&e) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

fn is_missing(e: &anyhow::Error) -> bool {
    super::Outcome::of_error(e).is_some_and(super::Outcome::is_missing)
}

/// The referrers of `subject_digest` in `image`'s repository and how the registry lists them.
pub async fn referrers(
    client: &RegistryClient,
    image: &ImageRef,
    subject_digest: &str,
) -> Result<(Vec<Value>, Listing)> {
    if let Some(listed) = api_referrers(client, image, subject_digest).await? {
        return Ok((listed, Listing::ReferrersApi));
    }
    let tagged = at(image, &referrers_tag(subject_digest));
    Ok((tag_index(client, &tagged).await?, Listing::TagSchema))
}

/// The referrers API's answer; None when the registry has no such API (404).
async fn api_referrers(
    client: &RegistryClient,
    image: &ImageRef,
    subject_digest: &str,
) -> Result<Option<Vec<Value>>> {
    let url = api_url(image, &format!("referrers/{subject_digest}"));
    let answer = client
        .retrying_each_within_deadline(image, || {
            client.get_within(image, &url, MAX_MANIFEST_BYTES, NotFound::IsNone)
        })
        .await?;
    let Some((body, whole)) = answer else {
        return Ok(None);
    };
    if !whole {
        return Err(failed(format!(
            "registry {}: {url} answers with more than {MAX_MANIFEST_BYTES} bytes; it is not read",
            image.registry
        )));
    }
    let index: Value = serde_json::from_slice(&body).map_err(|_| {
        failed(format!(
            "registry {}: its referrers answer for {image} is not JSON",
            image.registry
        ))
    })?;
    Ok(Some(
        index["manifests"].as_array().cloned().unwrap_or_default(),
    ))
}

/// `/v2/<repository>/<path>` on `image`'s registry.
fn api_url(image: &ImageRef, path: &str) -> String {
    format!(
        "{}://{}/v2/{}/{path}",
        super::scheme(image.api_registry()),
        image.api_registry(),
        image.repository
    )
}

/// Whether a layer's blob must still be uploaded, or is in the repository already (the
/// provenance envelope, pushed as the referrer's layer, is also the `.att` tag's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    Needed,
    AlreadyThere,
}

/// Adds `layer` to the manifest cosign keeps an image's signatures or attestations in
/// (under `tag`: `sha256-<hex>.sig` or `.att`), keeping the layers already there; `config`
/// makes the manifest's config from its layers' digests.
pub async fn add_cosign_layer(
    client: &RegistryClient,
    image: &ImageRef,
    tag: &str,
    layer: Blob,
    upload: Upload,
    config: impl Fn(&[String]) -> Vec<u8>,
    cost: &mut Cost,
) -> Result<String> {
    let tagged = at(image, tag);
    cost.requests += 1;
    let mut layers = match client.manifest(&tagged).await {
        Ok((body, _)) => serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|m| m["layers"].as_array().cloned())
            .ok_or_else(|| {
                failed(format!(
                    "{tagged}: the tag holds no cosign manifest; it is left as it is: remove \
                     or rename that tag"
                ))
            })?,
        Err(e) if is_missing(&e) => Vec::new(),
        Err(e) => return Err(e),
    };
    let descriptor = layer.descriptor();
    if !layers.contains(&descriptor) {
        if upload == Upload::Needed {
            push_blob(client, image, &layer, cost).await?;
        }
        layers.push(descriptor);
    }
    let digests: Vec<String> = layers
        .iter()
        .filter_map(|l| l["digest"].as_str().map(str::to_string))
        .collect();
    let config = Blob {
        media_type: OCI_CONFIG.into(),
        bytes: config(&digests),
        annotations: Map::new(),
    };
    push_blob(client, image, &config, cost).await?;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config.descriptor(),
        "layers": layers,
    });
    let body = serde_json::to_vec(&manifest)?;
    push_manifest(client, &tagged, &body, OCI_MANIFEST, cost).await?;
    Ok(sha256_digest(&body))
}

/// The layers of the manifest under `tag` (none when the tag does not exist).
pub async fn tagged_layers(
    client: &RegistryClient,
    image: &ImageRef,
    tag: &str,
) -> Result<Vec<Value>> {
    let tagged = at(image, tag);
    match client.manifest(&tagged).await {
        Ok((body, _)) => Ok(serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|m| m["layers"].as_array().cloned())
            .unwrap_or_default()),
        Err(e) if is_missing(&e) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// A manifest of `image`'s repository by digest, parsed (the digest checked by the read).
pub async fn manifest_at(client: &RegistryClient, image: &ImageRef, digest: &str) -> Result<Value> {
    Ok(client.manifest_json(&at(image, digest)).await?.json)
}

async fn push_blob(
    client: &RegistryClient,
    image: &ImageRef,
    blob: &Blob,
    cost: &mut Cost,
) -> Result<()> {
    let repository = repository_reference(image);
    let pusher = client.pushing(image).await?;
    let digest = blob.digest();
    client
        .with_retries(image, || {
            pusher.push_blob(&repository, blob.bytes.clone(), &digest)
        })
        .await?;
    // oci-client's push: the upload's POST, then its PUT.
    cost.requests += 2;
    cost.bytes += blob.bytes.len();
    Ok(())
}

async fn push_manifest(
    client: &RegistryClient,
    target: &ImageRef,
    body: &[u8],
    media_type: &str,
    cost: &mut Cost,
) -> Result<()> {
    super::push_manifest(client, target, body, media_type).await?;
    cost.requests += 1;
    cost.bytes += body.len();
    Ok(())
}

/// The repository of `image` as oci-client names it for a blob upload.
fn repository_reference(image: &ImageRef) -> Reference {
    to_reference(&ImageRef {
        tag: Some("latest".into()),
        digest: None,
        ..image.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::Listing;

    /// The record's names are stored in runs; the sentence's are what `acrt verify` says.
    #[test]
    fn a_listing_is_named_for_a_record_and_for_a_sentence() {
        assert_eq!(Listing::ReferrersApi.key(), "referrersApi");
        assert_eq!(Listing::TagSchema.key(), "referrersTag");
        assert_eq!(Listing::ReferrersApi.to_string(), "referrers API");
        assert_eq!(Listing::TagSchema.to_string(), "referrers tag schema");
    }
}
