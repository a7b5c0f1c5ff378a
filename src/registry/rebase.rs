//! Rebase at the manifest level (as `crane rebase` and `pack rebase` do): an image's first
//! layers, its old base's, swapped for the new base's, its own layers kept as they are; the
//! config's diff ids and history follow. Nothing is pulled into a builder or unpacked: the
//! new base's layers are mounted or copied registry-side.

use oci_client::manifest::OciDescriptor;
use serde_json::{Value, json};

use super::copy::{ByteCounter, copy_blob};
use super::rebase_config;
use super::{RegistryClient, to_reference};
use crate::error::{Result, failed};
use crate::model::image::ImageRef;
use crate::model::run::CarriedField;

/// A single-platform image read from a registry: its manifest and config.
struct Image {
    manifest: Value,
    config: Value,
}

impl Image {
    fn layers(&self) -> &[Value] {
        self.manifest["layers"]
            .as_array()
            .map_or(&[], Vec::as_slice)
    }

    fn diff_ids(&self) -> &[Value] {
        self.config["rootfs"]["diff_ids"]
            .as_array()
            .map_or(&[], Vec::as_slice)
    }

    fn history(&self) -> &[Value] {
        self.config["history"].as_array().map_or(&[], Vec::as_slice)
    }

    fn platform(&self) -> (Value, Value, Value) {
        (
            self.config["os"].clone(),
            self.config["architecture"].clone(),
            self.config["variant"].clone(),
        )
    }
}

async fn read(client: &RegistryClient, image: &ImageRef) -> Result<Image> {
    let manifest = client.manifest_json(image).await?.json;
    if manifest["config"]["digest"].as_str().is_none() {
        return Err(failed(format!(
            "{image} is an index, not one platform's image"
        )));
    }
    let config = client.config(image, &manifest["config"]).await?;
    Ok(Image { manifest, config })
}

/// What a rebase needs: the image (by digest), its old base and the new one (each one
/// platform's manifest, by digest), the base's name for the annotations, and the tags to push
/// (a target without a tag: its repository, which gets the image by digest only).
pub struct RebaseRequest<'a> {
    pub image: &'a ImageRef,
    pub old_base: &'a ImageRef,
    pub new_base: &'a ImageRef,
    pub base_name: &'a str,
    pub targets: &'a [ImageRef],
}

/// What a rebase pushed: the digest under every target, and the config fields it took from
/// the new base.
pub struct Rebased {
    pub digest: String,
    pub carried_over: Vec<CarriedField>,
}

/// Rebases, or says why it would not be sound (Ok(Err(reason))): the image's first layers
/// are not exactly the old base's (by digest and by diff id), the new base is for another
/// platform, or a config field the image changed was changed by the new base too. The
/// image's runtime config takes the new base's value of every field it left as the old
/// base had it ([`rebase_config::merge`]).
pub async fn rebase(
    client: &RegistryClient,
    request: &RebaseRequest<'_>,
) -> Result<std::result::Result<Rebased, String>> {
    let app = read(client, request.image).await?;
    let old = read(client, request.old_base).await?;
    let new = read(client, request.new_base).await?;
    if let Err(reason) = check_sound(&app, &old, &new) {
        return Ok(Err(reason));
    }
    let runtime = |image: &Image| image.config["config"].clone();
    let (runtime_config, carried_over) =
        match rebase_config::merge(&runtime(&app), &runtime(&old), &runtime(&new)) {
            Ok(merged) => merged,
            Err(conflict) => return Ok(Err(conflict.to_string())),
        };
    let own_layers = &app.layers()[old.layers().len()..];
    let own_diff_ids = &app.diff_ids()[old.diff_ids().len()..];
    let own_history = &app.history()[old.history().len().min(app.history().len())..];

    let mut config = app.config.clone();
    if !carried_over.is_empty() {
        config["config"] = runtime_config;
    }
    config["rootfs"]["diff_ids"] =
        Value::Array(new.diff_ids().iter().chain(own_diff_ids).cloned().collect());
    config["history"] = Value::Array(new.history().iter().chain(own_history).cloned().collect());
    let config_bytes = serde_json::to_vec(&config)?;
    let config_digest = super::sha256_digest(&config_bytes);

    let mut manifest = app.manifest.clone();
    manifest["layers"] = Value::Array(new.layers().iter().chain(own_layers).cloned().collect());
    manifest["config"]["digest"] = json!(config_digest);
    manifest["config"]["size"] = json!(config_bytes.len());
    let annotations = manifest
        .as_object_mut()
        .expect("a manifest is an object")
        .entry("annotations")
        .or_insert_with(|| json!({}));
    annotations["org.opencontainers.image.base.name"] = json!(request.base_name);
    annotations["org.opencontainers.image.base.digest"] =
        json!(request.new_base.digest.clone().unwrap_or_default());
    let body = serde_json::to_vec(&manifest)?;
    let digest = super::sha256_digest(&body);
    let media_type = manifest["mediaType"]
        .as_str()
        .unwrap_or(super::OCI_MANIFEST)
        .to_string();

    let counter = ByteCounter::default();
    for target in request.targets {
        for layer in new.layers() {
            let blob: OciDescriptor = serde_json::from_value(layer.clone()).map_err(|e| {
                failed(format!(
                    "{}: a layer descriptor is not valid ({e})",
                    request.new_base
                ))
            })?;
            copy_blob(client, client, request.new_base, target, &blob, &counter).await?;
        }
        let repository = to_reference(&ImageRef {
            tag: Some("latest".into()),
            digest: None,
            ..target.clone()
        });
        let pusher = client.pushing(target).await?;
        client
            .with_retries(target, || {
                pusher.push_blob(&repository, config_bytes.clone(), &config_digest)
            })
            .await?;
        let content_type = reqwest::header::HeaderValue::from_str(&media_type)
            .map_err(|_| failed(format!("unusable media type {media_type}")))?;
        // A target without a tag (a platform's image of an index) gets it by digest only.
        let reference = match target.tag {
            Some(_) => to_reference(target),
            None => to_reference(&ImageRef {
                digest: Some(digest.clone()),
                ..target.clone()
            }),
        };
        client
            .with_retries(target, || {
                pusher.push_manifest_raw(&reference, body.clone(), content_type.clone())
            })
            .await?;
    }
    Ok(Ok(Rebased {
        digest,
        carried_over,
    }))
}

/// The rule: the image starts with exactly the old base's layers (digests and diff ids), and
/// the new base is for the same platform.
fn check_sound(app: &Image, old: &Image, new: &Image) -> std::result::Result<(), String> {
    let digests =
        |layers: &[Value]| -> Vec<Value> { layers.iter().map(|l| l["digest"].clone()).collect() };
    if !digests(app.layers()).starts_with(&digests(old.layers())) {
        return Err("the image's first layers are not its old base's layers".into());
    }
    if !app.diff_ids().starts_with(old.diff_ids()) {
        return Err("the image's first diff ids are not its old base's".into());
    }
    if old.platform() != new.platform() {
        return Err(format!(
            "the new base is for another platform ({} rather than {})",
            platform_text(&new.platform()),
            platform_text(&old.platform())
        ));
    }
    if new.layers().len() != new.diff_ids().len() {
        return Err("the new base's layers and diff ids do not match in number".into());
    }
    Ok(())
}

fn platform_text((os, arch, variant): &(Value, Value, Value)) -> String {
    let mut text = format!(
        "{}/{}",
        os.as_str().unwrap_or("?"),
        arch.as_str().unwrap_or("?")
    );
    if let Some(v) = variant.as_str() {
        text.push('/');
        text.push_str(v);
    }
    text
}
