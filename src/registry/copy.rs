//! Copying an image between repositories and registries, as `acrt import` does: every
//! platform of an index (so the copy has the source's index digest), blobs streamed (memory
//! stays flat whatever their size), blobs the target has skipped, and within one registry
//! mounted across repositories (with a normal upload when the registry declines).

use futures_util::StreamExt;
use oci_client::errors::OciDistributionError;
use oci_client::manifest::OciDescriptor;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::Descriptor;
use super::{
    Failure, MANIFEST_MEDIA_TYPES, RegistryClient, Scope, platform_of, retrying, settings,
    to_reference, within_deadline,
};
use crate::error::{Result, failed};
use crate::model::image::ImageRef;

#[derive(Debug, Default, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CopyStats {
    pub blobs_copied: usize,
    pub blobs_mounted: usize,
    pub blobs_skipped: usize,
    pub bytes_copied: u64,
    pub manifests: usize,
}

/// Counts bytes as they stream, for a progress bar.
pub type ByteCounter = Arc<AtomicU64>;

/// What one copy made: the manifest the target now serves (the source's, at its digest), and
/// the platforms of the source's index (none for a single image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub manifest: Descriptor,
    pub platforms: Vec<String>,
}

/// Copies `source` to `target` (a tag, or the source digest when `target` has none).
pub async fn copy_image(
    src: &RegistryClient,
    dst: &RegistryClient,
    source: &ImageRef,
    target: &ImageRef,
    counter: &ByteCounter,
    stats: &mut CopyStats,
) -> Result<Copied> {
    let (body, digest) = src.manifest(source).await?;
    let source_repo = ImageRef {
        digest: Some(digest.clone()),
        tag: None,
        ..source.clone()
    };
    copy_manifest(
        src,
        dst,
        &source_repo,
        &body,
        &digest,
        target,
        counter,
        stats,
    )
    .await?;
    Ok(Copied {
        manifest: Descriptor::of_manifest(&source_repo, &body, &digest)?,
        platforms: index_platforms(&body),
    })
}

/// The platforms an index's entries name (`os/architecture[/variant]`), each once, in its
/// order; an entry of no platform (`unknown/unknown`: an attestation manifest) is none.
fn index_platforms(body: &[u8]) -> Vec<String> {
    let manifest: Value = serde_json::from_slice(body).unwrap_or_default();
    let mut platforms: Vec<String> = Vec::new();
    for entry in manifest["manifests"].as_array().into_iter().flatten() {
        let Some(platform) = platform_of(entry).filter(|p| !p.starts_with("unknown/")) else {
            continue;
        };
        if !platforms.contains(&platform) {
            platforms.push(platform);
        }
    }
    platforms
}

#[allow(clippy::too_many_arguments)]
fn copy_manifest<'a>(
    src: &'a RegistryClient,
    dst: &'a RegistryClient,
    source: &'a ImageRef,
    body: &'a [u8],
    digest: &'a str,
    target: &'a ImageRef,
    counter: &'a ByteCounter,
    stats: &'a mut CopyStats,
) -> futures_util::future::LocalBoxFuture<'a, Result<()>> {
    Box::pin(async move {
        let manifest: Value = serde_json::from_slice(body)
            .map_err(|e| failed(format!("{source}: the manifest is not JSON ({e})")))?;
        let media_type = media_type_of(&manifest);
        if let Some(children) = manifest.get("manifests").and_then(Value::as_array) {
            for child in children {
                let child_digest = child["digest"]
                    .as_str()
                    .ok_or_else(|| failed(format!("{source}: an index entry has no digest")))?;
                let child_source = ImageRef {
                    digest: Some(child_digest.to_string()),
                    tag: None,
                    ..source.clone()
                };
                let (child_body, got) = src.manifest(&child_source).await?;
                let child_target = ImageRef {
                    digest: Some(child_digest.to_string()),
                    tag: None,
                    ..target.clone()
                };
                copy_manifest(
                    src,
                    dst,
                    &child_source,
                    &child_body,
                    &got,
                    &child_target,
                    counter,
                    stats,
                )
                .await?;
            }
        } else {
            let mut blobs: Vec<OciDescriptor> = Vec::new();
            if let Some(config) = manifest.get("config") {
                blobs.push(descriptor(config, source)?);
            }
            for layer in manifest
                .get("layers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                blobs.push(descriptor(layer, source)?);
            }
            // Several blobs at a time, as docker and skopeo copy them.
            let outcomes: Vec<Result<BlobCopy>> = futures_util::stream::iter(blobs.iter())
                .map(|blob| copy_blob(src, dst, source, target, blob, counter))
                .buffer_unordered(BLOB_CONCURRENCY)
                .collect()
                .await;
            for outcome in outcomes {
                match outcome? {
                    BlobCopy::Skipped => stats.blobs_skipped += 1,
                    BlobCopy::Mounted => stats.blobs_mounted += 1,
                    BlobCopy::Copied(bytes) => {
                        stats.blobs_copied += 1;
                        stats.bytes_copied += bytes;
                    }
                }
            }
        }
        let target_ref = to_reference(&if target.tag.is_some() {
            ImageRef {
                digest: None,
                ..target.clone()
            }
        } else {
            ImageRef {
                digest: Some(digest.to_string()),
                ..target.clone()
            }
        });
        let content_type = reqwest::header::HeaderValue::from_str(&media_type)
            .map_err(|_| failed(format!("{source}: unusable media type {media_type}")))?;
        let client = dst.pushing(target).await?;
        dst.with_retries(target, || {
            client.push_manifest_raw(&target_ref, body.to_vec(), content_type.clone())
        })
        .await?;
        stats.manifests += 1;
        Ok(())
    })
}

const BLOB_CONCURRENCY: usize = 4;

pub(super) enum BlobCopy {
    Skipped,
    Mounted,
    Copied(u64),
}

/// Copies one blob unless the target has it (or mounts it within one registry), retried as
/// every request is ([`retrying`]): a 503 or a dropped connection costs an attempt, not the
/// copy.
pub(super) async fn copy_blob(
    src: &RegistryClient,
    dst: &RegistryClient,
    source: &ImageRef,
    target: &ImageRef,
    blob: &OciDescriptor,
    counter: &ByteCounter,
) -> Result<BlobCopy> {
    retrying(|| copy_blob_once(src, dst, source, target, blob, counter)).await
}

async fn copy_blob_once<'a>(
    src: &'a RegistryClient,
    dst: &'a RegistryClient,
    source: &'a ImageRef,
    target: &'a ImageRef,
    blob: &'a OciDescriptor,
    counter: &'a ByteCounter,
) -> std::result::Result<BlobCopy, Failure<'a>> {
    let of_source = |error| Failure::Registry {
        client: src,
        image: source,
        error,
    };
    let of_target = |error| Failure::Registry {
        client: dst,
        image: target,
        error,
    };
    let target_ref = to_reference(&ImageRef {
        digest: None,
        tag: Some("latest".into()),
        ..target.clone()
    });
    let source_ref = to_reference(source);
    let mounts =
        source.api_registry() == target.api_registry() && source.repository != target.repository;
    // One token serves the target's check, the mount and the upload: push to the target and,
    // for a mount, pull from the source (the registry wants both in one token).
    let mut target_scopes = vec![Scope::push(&target.repository)];
    if mounts {
        target_scopes.push(Scope::pull(&source.repository));
    }
    let target_client = dst.authorize(dst.client(), target, &target_scopes).await?;
    if within_deadline(target, target_client.blob_exists(&target_ref, &blob.digest))
        .await?
        .unwrap_or(false)
    {
        return Ok(BlobCopy::Skipped);
    }
    if mounts {
        // 201: mounted. 202 (an upload was opened instead) or an error: upload normally.
        let mount = target_client.mount_blob(&target_ref, &source_ref, &blob.digest);
        if within_deadline(target, mount).await?.is_ok() {
            return Ok(BlobCopy::Mounted);
        }
    }
    // The bodies go through the streaming clients, which the stall watch bounds; they are
    // given the tokens already fetched.
    let source_scopes = [Scope::pull(&source.repository)];
    src.authorize(src.streaming(), source, &source_scopes)
        .await?;
    dst.authorize(dst.streaming(), target, &target_scopes)
        .await?;
    let pulled = within_deadline(source, src.streaming().pull_blob_stream(&source_ref, blob))
        .await?
        .map_err(of_source)?;
    let flow = Arc::new(Flow::new());
    // pull_blob_stream checks the digest as the bytes go by; a mismatch ends the stream in error.
    let stream = watched(pulled.stream, flow.clone(), counter.clone());
    let push = dst.streaming().push_blob_stream(
        &target_ref,
        stream,
        &blob.digest,
        u64::try_from(blob.size).ok(),
    );
    let pushed = tokio::select! {
        pushed = push => pushed,
        side = flow.stalled() => {
            counter.fetch_sub(flow.bytes(), Ordering::Relaxed);
            let (registry, what) = match side {
                Side::Source => (&source.registry, "sent no bytes of"),
                Side::Target => (&target.registry, "took no bytes of, or gave no answer for,"),
            };
            return Err(Failure::Final(failed(format!(
                "registry {registry}: {what} blob {} of {source} for {} s; check that it is up \
                 and reachable, or allow more time with 'acrt config set core.registry_timeout=SECONDS'",
                blob.digest,
                settings().request_timeout.as_secs()
            ))));
        }
    };
    if let Err(e) = pushed {
        counter.fetch_sub(flow.bytes(), Ordering::Relaxed);
        // A source that failed mid-stream fails the push too: the source is named.
        return Err(match flow.source_error() {
            Some(source_error) => of_source(source_error.into()),
            None => of_target(e),
        });
    }
    Ok(BlobCopy::Copied(u64::try_from(blob.size).unwrap_or(0)))
}

/// Which end of a streamed copy went silent.
pub(super) enum Side {
    Source,
    Target,
}

/// How a streamed blob copy goes: when bytes last moved, whether the source is being waited
/// on, and the source's own error if it failed mid-stream. A copy may take as long as it
/// needs; what fails it is a silence of `core.registry_timeout`, blamed on the end it is
/// waiting for.
pub(super) struct Flow {
    last_progress: Mutex<tokio::time::Instant>,
    awaiting_source: AtomicBool,
    bytes: AtomicU64,
    source_error: Mutex<Option<std::io::Error>>,
}

impl Flow {
    pub(super) fn new() -> Flow {
        Flow {
            last_progress: Mutex::new(tokio::time::Instant::now()),
            awaiting_source: AtomicBool::new(false),
            bytes: AtomicU64::new(0),
            source_error: Mutex::new(None),
        }
    }

    fn moved(&self) {
        *self.last_progress.lock().unwrap_or_else(|e| e.into_inner()) = tokio::time::Instant::now();
    }

    fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    fn source_error(&self) -> Option<std::io::Error> {
        self.source_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// Resolves when nothing moved for the request deadline, naming the side waited on.
    pub(super) async fn stalled(&self) -> Side {
        let limit = settings().request_timeout;
        loop {
            let last = *self.last_progress.lock().unwrap_or_else(|e| e.into_inner());
            tokio::time::sleep_until(last + limit).await;
            let now_last = *self.last_progress.lock().unwrap_or_else(|e| e.into_inner());
            if now_last == last {
                return match self.awaiting_source.load(Ordering::Relaxed) {
                    true => Side::Source,
                    false => Side::Target,
                };
            }
        }
    }
}

/// The source's blob stream as the push reads it, reporting to `flow`: each chunk is
/// progress (and counted); while the push waits for the next one, the source is waited on.
pub(super) fn watched(
    mut source: futures_util::stream::BoxStream<'static, std::io::Result<bytes::Bytes>>,
    flow: Arc<Flow>,
    counter: ByteCounter,
) -> impl futures_util::Stream<Item = std::result::Result<bytes::Bytes, OciDistributionError>>
+ Send
+ 'static {
    futures_util::stream::poll_fn(move |cx| {
        flow.awaiting_source.store(true, Ordering::Relaxed);
        let next = futures_util::ready!(source.poll_next_unpin(cx));
        flow.awaiting_source.store(false, Ordering::Relaxed);
        flow.moved();
        std::task::Poll::Ready(match next {
            Some(Ok(bytes)) => {
                let n = bytes.len() as u64;
                flow.bytes.fetch_add(n, Ordering::Relaxed);
                counter.fetch_add(n, Ordering::Relaxed);
                Some(Ok(bytes))
            }
            Some(Err(e)) => {
                *flow.source_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                Some(Err(OciDistributionError::GenericError(Some(
                    "the source registry failed".into(),
                ))))
            }
            None => None,
        })
    })
}

fn descriptor(value: &Value, source: &ImageRef) -> Result<OciDescriptor> {
    serde_json::from_value(value.clone())
        .map_err(|e| failed(format!("{source}: a blob descriptor is not valid ({e})")))
}

fn media_type_of(manifest: &Value) -> String {
    match manifest.get("mediaType").and_then(Value::as_str) {
        Some(m) => m.to_string(),
        None if manifest.get("manifests").is_some() => MANIFEST_MEDIA_TYPES[0].to_string(),
        None => MANIFEST_MEDIA_TYPES[2].to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::index_platforms;

    #[test]
    fn an_index_s_platforms_are_its_entries_but_attestations() {
        let index = serde_json::json!({"manifests": [
            {"platform": {"os": "linux", "architecture": "amd64"}},
            {"platform": {"os": "linux", "architecture": "arm", "variant": "v7"}},
            {"platform": {"os": "unknown", "architecture": "unknown"}},
            {"platform": {"os": "linux", "architecture": "amd64"}},
            {"digest": "sha256:no-platform"},
        ]});
        assert_eq!(
            index_platforms(index.to_string().as_bytes()),
            vec!["linux/amd64", "linux/arm/v7"]
        );
        assert!(index_platforms(br#"{"layers": []}"#).is_empty());
    }
}
