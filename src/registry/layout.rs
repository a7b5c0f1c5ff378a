//! Pushing a multi-platform image: each platform's image, which the builder wrote to an OCI
//! image layout, pushed by digest (its blobs streamed from the files, those the target has
//! skipped), then one image index of them under each tag. acrt writes the index itself, so
//! the index and its children are exactly the digests the run records.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::copy::{ByteCounter, Flow, copy_blob, watched};
use super::{
    Failure, MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES, ManifestRead, OCI_INDEX, OCI_MANIFEST,
    RegistryClient, Scope, blob_matches, push_manifest, retrying, settings, sha256_digest,
    to_reference, within_deadline,
};
use crate::error::{Result, failed};
use crate::model::Platform;
use crate::model::image::ImageRef;

/// One image of an index: its manifest's descriptor and the platform it is for.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    pub platform: Platform,
}

impl IndexEntry {
    /// The entry of `manifest` (its descriptor) for `platform`.
    fn of(manifest: &ManifestRead, platform: &Platform) -> IndexEntry {
        IndexEntry {
            media_type: manifest.media_type().to_string(),
            digest: manifest.digest.clone(),
            size: manifest.size,
            platform: platform.clone(),
        }
    }
}

/// The image of an OCI layout: its manifest's bytes, digest and media type.
struct LayoutImage {
    manifest: Vec<u8>,
    digest: String,
    media_type: String,
}

/// A blob of the layout: `blobs/<algorithm>/<hex>`, for a digest of the expected shape only.
fn blob_path(layout: &Path, digest: &str) -> Result<PathBuf> {
    let (algorithm, hex) = digest
        .split_once(':')
        .filter(|(a, h)| {
            matches!(*a, "sha256" | "sha512")
                && !h.is_empty()
                && h.chars().all(|c| c.is_ascii_hexdigit())
        })
        .ok_or_else(|| {
            failed(format!(
                "the built image names a malformed digest '{digest}'"
            ))
        })?;
    Ok(layout.join("blobs").join(algorithm).join(hex))
}

/// A file of the layout, read at most [`MAX_MANIFEST_BYTES`] (as a manifest from a
/// registry): an index or a manifest larger than a registry accepts is refused unread.
fn read_layout_file(path: &Path, what: &str) -> Result<Vec<u8>> {
    read_layout_file_within(path, what, MAX_MANIFEST_BYTES as u64)
}

/// A file of the layout, read at most `limit` bytes (what a registry accepts for it).
fn read_layout_file_within(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)
        .map_err(|e| failed(format!("the built image's {what} cannot be read ({e})")))?;
    let mut body = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| failed(format!("the built image's {what} cannot be read ({e})")))?;
    if body.len() as u64 > limit {
        return Err(failed(format!(
            "the built image's {what} is larger than {} MiB, the most a registry accepts for \
             it; it is not read: check what the builder wrote to its OCI layout",
            limit >> 20
        )));
    }
    Ok(body)
}

/// The one image the builder wrote to `layout`, its manifest checked against its digest.
fn read_layout(layout: &Path) -> Result<LayoutImage> {
    let index: Value = serde_json::from_slice(&read_layout_file(
        &layout.join("index.json"),
        "layout index",
    )?)
    .map_err(|e| failed(format!("the built image's layout index is not JSON ({e})")))?;
    let entry = &index["manifests"][0];
    let digest = entry["digest"]
        .as_str()
        .ok_or_else(|| failed("the built image's layout names no manifest"))?
        .to_string();
    let manifest = read_layout_file(&blob_path(layout, &digest)?, "manifest")?;
    if !blob_matches(&manifest, &digest) {
        return Err(failed(format!(
            "the built image's manifest does not match its digest {digest}"
        )));
    }
    let media_type = entry["mediaType"]
        .as_str()
        .unwrap_or(OCI_MANIFEST)
        .to_string();
    Ok(LayoutImage {
        manifest,
        digest,
        media_type,
    })
}

/// The config of the image in `layout`: its digest and its bytes, checked against it.
pub fn layout_config(layout: &Path) -> Result<(String, Vec<u8>)> {
    let image = read_layout(layout)?;
    let manifest: Value = serde_json::from_slice(&image.manifest)
        .map_err(|e| failed(format!("the built image's manifest is not JSON ({e})")))?;
    let digest = manifest["config"]["digest"]
        .as_str()
        .ok_or_else(|| failed("the built image's manifest names no config"))?;
    let bytes = read_layout_file_within(&blob_path(layout, digest)?, "config", MAX_CONFIG_BYTES)?;
    if !blob_matches(&bytes, digest) {
        return Err(failed(format!(
            "the built image's config does not match its digest {digest}"
        )));
    }
    Ok((digest.to_string(), bytes))
}

/// acrt's own file beside a layout's: the blobs its manifest names that the layout does not
/// hold, because they are the base's own (a docker build's base layers), and the image they
/// are mounted or copied from.
const BASE_BLOBS: &str = "acrt-base-blobs.json";

#[derive(serde::Serialize, serde::Deserialize)]
struct BaseBlobs {
    registry: String,
    repository: String,
    digest: String,
    blobs: Vec<String>,
}

/// Records that the blobs `blobs` of the image in `layout` are `from`'s (by digest), which
/// a push mounts or copies from there.
pub fn write_base_blobs(layout: &Path, from: &ImageRef, blobs: Vec<String>) -> Result<()> {
    let record = BaseBlobs {
        registry: from.registry.clone(),
        repository: from.repository.clone(),
        digest: from.digest.clone().unwrap_or_default(),
        blobs,
    };
    std::fs::write(layout.join(BASE_BLOBS), serde_json::to_vec(&record)?)?;
    Ok(())
}

/// The base image and blobs of [`write_base_blobs`], when the layout has them.
fn read_base_blobs(layout: &Path) -> Result<Option<(ImageRef, Vec<String>)>> {
    let path = layout.join(BASE_BLOBS);
    if !path.exists() {
        return Ok(None);
    }
    let record: BaseBlobs = serde_json::from_slice(&read_layout_file(&path, "base blobs")?)
        .map_err(|e| {
            failed(format!(
                "the built image's base blobs are not readable ({e})"
            ))
        })?;
    let from = ImageRef {
        registry: record.registry,
        repository: record.repository,
        tag: None,
        digest: Some(record.digest),
    };
    Ok(Some((from, record.blobs)))
}

/// Pushes the image in `layout` to `target`'s repository by digest; its descriptor, for an
/// index, with `platform`, and the image as the layout holds it.
async fn push_layout(
    client: &RegistryClient,
    layout: &Path,
    target: &ImageRef,
    platform: &Platform,
) -> Result<(IndexEntry, LayoutImage)> {
    let image = read_layout(layout)?;
    let manifest: Value = serde_json::from_slice(&image.manifest)
        .map_err(|e| failed(format!("the built image's manifest is not JSON ({e})")))?;
    let base = read_base_blobs(layout)?;
    let blobs = std::iter::once(&manifest["config"])
        .chain(manifest["layers"].as_array().into_iter().flatten())
        .map(|d| {
            let digest = d["digest"].as_str().unwrap_or_default().to_string();
            Ok((blob_path(layout, &digest)?, d))
        })
        .collect::<Result<Vec<_>>>()?;
    for (path, descriptor) in &blobs {
        let digest = descriptor["digest"].as_str().unwrap_or_default();
        let size = descriptor["size"].as_u64();
        match &base {
            Some((from, held)) if held.iter().any(|b| b == digest) && !path.exists() => {
                let blob = oci_client::manifest::OciDescriptor {
                    media_type: descriptor["mediaType"].as_str().unwrap_or_default().into(),
                    digest: digest.to_string(),
                    size: size.and_then(|s| i64::try_from(s).ok()).unwrap_or(0),
                    ..Default::default()
                };
                copy_blob(client, client, from, target, &blob, &ByteCounter::default()).await?;
            }
            _ => retrying(|| upload_blob_once(client, target, path, digest, size)).await?,
        }
    }
    let by_digest = ImageRef {
        digest: Some(image.digest.clone()),
        tag: None,
        ..target.clone()
    };
    push_manifest(client, &by_digest, &image.manifest, &image.media_type).await?;
    let entry = IndexEntry {
        media_type: image.media_type.clone(),
        size: image.manifest.len() as u64,
        digest: image.digest.clone(),
        platform: platform.clone(),
    };
    Ok((entry, image))
}

/// Pushes the image in `layout`, built for `platform`, by digest, checks that its config
/// says that platform, then puts it under `target`'s tag; its descriptor.
pub async fn push_tagged(
    client: &RegistryClient,
    layout: &Path,
    target: &ImageRef,
    platform: &Platform,
) -> Result<IndexEntry> {
    let (entry, image) = push_layout(client, layout, target, platform).await?;
    check_child(client, target, &entry).await?;
    push_manifest(client, target, &image.manifest, &image.media_type).await?;
    Ok(entry)
}

/// One platform's image of an index: built by this run (its layout), or kept from an
/// earlier one (already in every target repository, by digest).
#[derive(Debug, Clone)]
pub enum Child {
    Built(Platform, PathBuf),
    Kept(IndexEntry),
}

/// What pushing a multi-platform image left: its index's digest and each platform's image.
#[derive(Debug)]
pub struct PushedIndex {
    pub digest: String,
    pub entries: Vec<IndexEntry>,
}

/// Pushes each platform's image built (`children`) by digest into every repository of
/// `targets`, checks that each one's config says its platform, then the index of them and of
/// those kept with `annotations` under every target. `log` hears of each push.
pub async fn push_image_index(
    client: &RegistryClient,
    children: &[Child],
    targets: &[ImageRef],
    annotations: &[(String, String)],
    log: &dyn Fn(String),
) -> Result<PushedIndex> {
    let mut entries: Vec<IndexEntry> = Vec::new();
    for target in one_per_repository(targets) {
        entries.clear();
        for child in children {
            let (platform, layout) = match child {
                Child::Built(platform, layout) => (platform, layout),
                Child::Kept(entry) => {
                    entries.push(entry.clone());
                    continue;
                }
            };
            let (entry, _) = push_layout(client, layout, target, platform).await?;
            log(format!(
                "Pushed the {platform} image to {}/{}: {}",
                target.registry, target.repository, entry.digest
            ));
            check_child(client, target, &entry).await?;
            entries.push(entry);
        }
    }
    let (body, digest) = index_of(&entries, annotations);
    for target in targets {
        push_manifest(client, target, &body, OCI_INDEX).await?;
    }
    Ok(PushedIndex { digest, entries })
}

/// The first of `targets` of each repository (registry and repository), in their order.
fn one_per_repository(targets: &[ImageRef]) -> impl Iterator<Item = &ImageRef> {
    targets.iter().enumerate().filter_map(|(i, target)| {
        let first = !targets[..i].iter().any(|earlier| {
            earlier.registry == target.registry && earlier.repository == target.repository
        });
        first.then_some(target)
    })
}

/// The index entry of the image `digest` for `platform`, when the repository of every one
/// of `targets` has it; None when one has not (or cannot be read). Each repository is asked
/// once, however many of the targets are its tags.
pub async fn entry_in(
    client: &RegistryClient,
    targets: &[ImageRef],
    platform: &Platform,
    digest: &str,
) -> Option<IndexEntry> {
    let mut entry = None;
    for target in one_per_repository(targets) {
        let child = ImageRef {
            digest: Some(digest.to_string()),
            tag: None,
            ..target.clone()
        };
        let manifest = client.manifest_json(&child).await.ok()?;
        entry = Some(IndexEntry::of(&manifest, platform));
    }
    entry
}

/// A platform's pushed image must say it is that platform (its config's os, architecture
/// and variant), whatever the builder did.
async fn check_child(client: &RegistryClient, target: &ImageRef, entry: &IndexEntry) -> Result<()> {
    let child = ImageRef {
        digest: Some(entry.digest.clone()),
        tag: None,
        ..target.clone()
    };
    match client.image_platform(&child).await? {
        Some(built) if built.matches(&entry.platform) => Ok(()),
        built => Err(failed(format!(
            "the image built for {} is {}, not the platform asked for; nothing was pushed under \
             the tags",
            entry.platform,
            built.map_or("of no platform".to_string(), |b| b.to_string())
        ))),
    }
}

/// The index of `entries` with `annotations`: its bytes and digest.
pub fn index_of(entries: &[IndexEntry], annotations: &[(String, String)]) -> (Vec<u8>, String) {
    let manifests: Vec<Value> = entries
        .iter()
        .map(|e| {
            let mut platform = json!({"os": e.platform.os, "architecture": e.platform.architecture});
            if let Some(v) = &e.platform.variant {
                platform["variant"] = json!(v);
            }
            json!({"mediaType": e.media_type, "digest": e.digest, "size": e.size, "platform": platform})
        })
        .collect();
    let mut index = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests});
    if !annotations.is_empty() {
        let map: serde_json::Map<String, Value> = annotations
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        index["annotations"] = Value::Object(map);
    }
    let body = serde_json::to_vec(&index).expect("an index serializes");
    let digest = sha256_digest(&body);
    (body, digest)
}

/// Uploads one blob file unless the target has it; bounded by a stall watch, as a copy's.
async fn upload_blob_once<'a>(
    client: &'a RegistryClient,
    target: &'a ImageRef,
    path: &Path,
    digest: &str,
    size: Option<u64>,
) -> std::result::Result<(), Failure<'a>> {
    let target_ref = to_reference(&ImageRef {
        digest: None,
        tag: Some("latest".into()),
        ..target.clone()
    });
    let scopes = [Scope::push(&target.repository)];
    let checking = client.authorize(client.client(), target, &scopes).await?;
    if within_deadline(target, checking.blob_exists(&target_ref, digest))
        .await?
        .unwrap_or(false)
    {
        return Ok(());
    }
    let streaming = client
        .authorize(client.streaming(), target, &scopes)
        .await?;
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| Failure::Final(e.into()))?;
    let flow = Arc::new(Flow::new());
    let stream = watched(file_stream(file), flow.clone(), ByteCounter::default());
    let push = streaming.push_blob_stream(&target_ref, stream, digest, size);
    tokio::select! {
        pushed = push => pushed.map(|_| ()).map_err(|error| Failure::Registry { client, image: target, error }),
        _ = flow.stalled() => Err(Failure::Final(failed(format!(
            "registry {}: took no bytes of, or gave no answer for, blob {digest} for {} s; check \
             that it is up and reachable, or allow more time with 'acrt config set core.registry_timeout=SECONDS'",
            target.registry,
            settings().request_timeout.as_secs()
        )))),
    }
}

/// A file's bytes as a stream of chunks.
fn file_stream(
    file: tokio::fs::File,
) -> futures_util::stream::BoxStream<'static, std::io::Result<bytes::Bytes>> {
    use futures_util::StreamExt;
    use tokio::io::AsyncReadExt;
    futures_util::stream::unfold(file, |mut file| async move {
        let mut buf = vec![0u8; 256 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(bytes::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layout_blob_path_takes_only_a_digest() {
        let layout = Path::new("/layout");
        assert_eq!(
            blob_path(layout, "sha256:ab12").unwrap(),
            Path::new("/layout/blobs/sha256/ab12")
        );
        assert!(blob_path(layout, "sha256:../../etc/passwd").is_err());
        assert!(blob_path(layout, "md5:ab").is_err());
    }

    #[test]
    fn a_layout_file_larger_than_a_manifest_may_be_is_refused_unread() {
        let dir = std::env::temp_dir().join(format!("acrt-layout-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("index.json");
        std::fs::write(&big, vec![b' '; MAX_MANIFEST_BYTES + 1]).unwrap();
        let err = read_layout(&dir).err().expect("refused").to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            err.contains("layout index is larger than 4 MiB") && err.contains("not read"),
            "{err}"
        );
    }

    #[test]
    fn an_index_names_each_platform_and_its_annotations() {
        let entry = |arch: &str, digest: &str| IndexEntry {
            media_type: OCI_MANIFEST.into(),
            digest: digest.into(),
            size: 10,
            platform: Platform::parse(&format!("linux/{arch}")).unwrap(),
        };
        let (body, digest) = index_of(
            &[entry("amd64", "sha256:aa"), entry("arm/v7", "sha256:bb")],
            &[(
                "org.opencontainers.image.base.digest".into(),
                "sha256:cc".into(),
            )],
        );
        let index: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(index["mediaType"], OCI_INDEX);
        assert_eq!(index["manifests"][1]["platform"]["variant"], "v7");
        assert!(index["manifests"][0]["platform"].get("variant").is_none());
        assert_eq!(
            index["annotations"]["org.opencontainers.image.base.digest"],
            "sha256:cc"
        );
        assert!(blob_matches(&body, &digest));
    }
}
