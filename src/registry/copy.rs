//! Copying an image between repositories and registries, as `acrt import` does: every
//! platform of an index (so the copy has the source's index digest), blobs streamed (memory
//! stays flat whatever their size), blobs the target has skipped, and within one registry
//! mounted across repositories (with a normal upload when the registry declines).

use futures_util::StreamExt;
use oci_client::manifest::OciDescriptor;
use oci_client::secrets::RegistryAuth;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{MANIFEST_MEDIA_TYPES, RegistryClient, to_reference};
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

/// Copies `source` to `target` (a tag, or the source digest when `target` has none).
/// Returns the digest the target now serves.
pub async fn copy_image(
    src: &RegistryClient,
    dst: &RegistryClient,
    source: &ImageRef,
    target: &ImageRef,
    counter: &ByteCounter,
    stats: &mut CopyStats,
) -> Result<String> {
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
    Ok(digest)
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
        let auth = dst.auth(target.api_registry()).await?;
        dst.client()
            .store_auth_if_needed(target.api_registry(), &auth)
            .await;
        dst.with_retries(target, || {
            dst.client()
                .push_manifest_raw(&target_ref, body.to_vec(), content_type.clone())
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

pub(super) async fn copy_blob(
    src: &RegistryClient,
    dst: &RegistryClient,
    source: &ImageRef,
    target: &ImageRef,
    blob: &OciDescriptor,
    counter: &ByteCounter,
) -> Result<BlobCopy> {
    let target_ref = to_reference(&ImageRef {
        digest: None,
        tag: Some("latest".into()),
        ..target.clone()
    });
    let source_ref = to_reference(source);
    let dst_auth = dst.auth(target.api_registry()).await?;
    dst.client()
        .auth(&target_ref, &dst_auth, oci_client::RegistryOperation::Push)
        .await
        .map_err(|e| super::registry_error(target, &e))?;
    if dst
        .client()
        .blob_exists(&target_ref, &blob.digest)
        .await
        .unwrap_or(false)
    {
        return Ok(BlobCopy::Skipped);
    }
    if source.api_registry() == target.api_registry() && source.repository != target.repository {
        // 201: mounted. 202 (an upload was opened instead) or an error: upload normally.
        if dst
            .client()
            .mount_blob(&target_ref, &source_ref, &blob.digest)
            .await
            .is_ok()
        {
            return Ok(BlobCopy::Mounted);
        }
    }
    let src_auth = src.auth(source.api_registry()).await?;
    if !matches!(src_auth, RegistryAuth::Anonymous) {
        src.client()
            .store_auth_if_needed(source.api_registry(), &src_auth)
            .await;
    }
    src.client()
        .auth(&source_ref, &src_auth, oci_client::RegistryOperation::Pull)
        .await
        .map_err(|e| super::registry_error(source, &e))?;
    let pulled = src
        .client()
        .pull_blob_stream(&source_ref, blob)
        .await
        .map_err(|e| super::registry_error(source, &e))?;
    let counter = counter.clone();
    // pull_blob_stream checks the digest as the bytes go by; a mismatch ends the stream in error.
    let stream = pulled.stream.map(move |chunk| {
        chunk
            .inspect(|bytes| {
                counter.fetch_add(bytes.len() as u64, Ordering::Relaxed);
            })
            .map_err(oci_client::errors::OciDistributionError::from)
    });
    dst.client()
        .push_blob_stream(
            &target_ref,
            stream,
            &blob.digest,
            u64::try_from(blob.size).ok(),
        )
        .await
        .map_err(|e| super::registry_error(target, &e))?;
    Ok(BlobCopy::Copied(u64::try_from(blob.size).unwrap_or(0)))
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
