//! A `docker save` archive (docker-archive: `manifest.json`, the config as the daemon keeps
//! it, uncompressed layer tars) read back by acrt: its config, or its image written as an OCI
//! image layout (one platform of a multi-platform build on a docker without buildx). The
//! archive is the daemon's output in the run's own work dir; still, every path in it stays
//! inside it and every JSON file is read within a bound.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use serde_json::{Value, json};
use sha2::Digest as _;

use crate::error::{Result, failed};
use crate::model::Platform;
use crate::model::image::ImageRef;
use crate::registry::{
    ConfigFacts, OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST, sha256_digest,
};

/// The most a saved image's manifest or config may hold (what a registry's config may).
const MAX_ARCHIVED_JSON: u64 = 16 << 20;

/// A platform's image that `docker save` wrote to `archive`, to be written as the OCI image
/// layout `layout` (then the archive removed): what acrt does itself after a build's
/// processes.
#[derive(Debug, Clone)]
pub struct ArchiveToLayout {
    pub archive: PathBuf,
    pub layout: PathBuf,
    /// What the saved config must say it is.
    pub platform: Platform,
    /// The manifest's annotations (docker's image store keeps none).
    pub annotations: Vec<(String, String)>,
    /// The pinned base's layers as its registry holds them, reused where the saved image
    /// starts with them; None: every layer compressed by acrt.
    pub base: Option<BaseLayers>,
}

/// A base image's layers: the image (by digest) and each layer's descriptor with its diff id.
#[derive(Debug, Clone)]
pub struct BaseLayers {
    pub image: ImageRef,
    pub layers: Vec<BaseLayer>,
}

#[derive(Debug, Clone)]
pub struct BaseLayer {
    pub diff_id: String,
    pub media_type: String,
    pub digest: String,
    pub size: u64,
}

impl BaseLayers {
    /// The layers of `image`'s `manifest` with the diff ids of its `config`; None when they
    /// do not pair up.
    pub fn of(image: ImageRef, manifest: &Value, config: &Value) -> Option<BaseLayers> {
        let descriptors = manifest["layers"].as_array()?;
        let diff_ids = config["rootfs"]["diff_ids"].as_array()?;
        if descriptors.len() != diff_ids.len() {
            return None;
        }
        let layers = descriptors
            .iter()
            .zip(diff_ids)
            .map(|(d, id)| {
                Some(BaseLayer {
                    diff_id: id.as_str()?.to_string(),
                    media_type: oci_layer_type(d["mediaType"].as_str()?)?.to_string(),
                    digest: d["digest"].as_str()?.to_string(),
                    size: d["size"].as_u64()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(BaseLayers { image, layers })
    }
}

/// A layer's media type as an OCI manifest names it: Docker's gzip layer is OCI's; another
/// kind (foreign, non-distributable) is not reused.
fn oci_layer_type(media_type: &str) -> Option<&'static str> {
    match media_type {
        OCI_LAYER_GZIP | "application/vnd.docker.image.rootfs.diff.tar.gzip" => {
            Some(OCI_LAYER_GZIP)
        }
        "application/vnd.oci.image.layer.v1.tar+zstd" => {
            Some("application/vnd.oci.image.layer.v1.tar+zstd")
        }
        "application/vnd.oci.image.layer.v1.tar" => Some("application/vnd.oci.image.layer.v1.tar"),
        _ => None,
    }
}

impl ArchiveToLayout {
    /// Writes the layout and removes the archive, off the async runtime (it compresses every
    /// layer).
    pub async fn write(self) -> Result<()> {
        tokio::task::spawn_blocking(move || {
            let written = write_layout(&self);
            let _ = std::fs::remove_file(&self.archive);
            written
        })
        .await
        .map_err(|e| failed(format!("writing the saved image as a layout stopped: {e}")))?
    }
}

/// The config of the one image in a `docker save` archive, as the daemon saved it.
pub fn config_in_archive(archive: &Path) -> Result<Vec<u8>> {
    let saved = SavedImage::read(archive)?;
    read_archive(archive, &saved.config, |_, _| Ok(()))?.ok_or_else(|| missing(&saved.config))
}

/// What `manifest.json` says of the archive's one image: its config's path, its layers' in
/// order (symbolic links resolved: docker links a layer saved twice to the first copy).
struct SavedImage {
    config: String,
    layers: Vec<String>,
}

impl SavedImage {
    fn read(archive: &Path) -> Result<SavedImage> {
        let mut links = BTreeMap::new();
        let mut manifest = None;
        let mut tar = tar::Archive::new(open(archive)?);
        for entry in tar.entries().map_err(unreadable)? {
            let entry = entry.map_err(unreadable)?;
            let path = inside(&entry.path().map_err(unreadable)?)?;
            if let Some(target) = entry.link_name().map_err(unreadable)?
                && entry.header().entry_type().is_symlink()
            {
                let parent = Path::new(&path).parent().unwrap_or(Path::new(""));
                links.insert(path.clone(), inside(&parent.join(target))?);
            }
            if path == "manifest.json" {
                manifest = Some(read_bounded(entry, "manifest.json")?);
            }
        }
        let manifest: Value = manifest
            .and_then(|m| serde_json::from_slice(&m).ok())
            .ok_or_else(|| failed("docker save wrote no manifest.json acrt can read"))?;
        let images = manifest.as_array().map_or(0, Vec::len);
        if images != 1 {
            return Err(failed(format!(
                "docker save's manifest.json lists {images} images, not the one saved"
            )));
        }
        let resolve = |name: &str| -> Result<String> {
            let mut path = inside(Path::new(name))?;
            // A link to a link is followed a few times at most.
            for _ in 0..8 {
                match links.get(&path) {
                    Some(target) => path = target.clone(),
                    None => return Ok(path),
                }
            }
            Err(failed(format!(
                "docker save's archive links {name} in a loop"
            )))
        };
        let config = manifest[0]["Config"]
            .as_str()
            .ok_or_else(|| failed("docker save's manifest.json names no config"))?;
        let layers = manifest[0]["Layers"]
            .as_array()
            .ok_or_else(|| failed("docker save's manifest.json names no layers"))?
            .iter()
            .map(|l| {
                l.as_str()
                    .ok_or_else(|| failed("docker save's manifest.json names a layer oddly"))
                    .and_then(resolve)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SavedImage {
            config: resolve(config)?,
            layers,
        })
    }
}

/// One layer as written to the layout: its compressed blob and its uncompressed digest.
struct Layer {
    digest: String,
    size: u64,
    diff_id: String,
}

fn write_layout(job: &ArchiveToLayout) -> Result<()> {
    let saved = SavedImage::read(&job.archive)?;
    let blobs = job.layout.join("blobs").join("sha256");
    std::fs::create_dir_all(&blobs)?;
    let mut layers: BTreeMap<String, Layer> = BTreeMap::new();
    let config = read_archive(&job.archive, &saved.config, |path, entry| {
        if saved.layers.contains(&path.to_string()) && !layers.contains_key(path) {
            layers.insert(path.to_string(), compress(entry, &blobs)?);
        }
        Ok(())
    })?;
    let config = config.ok_or_else(|| missing(&saved.config))?;
    check_config(&config, &job.platform, &saved, &layers)?;
    let config_digest = put_blob(&blobs, &config)?;
    let descriptors = layer_descriptors(job, &saved, &layers, &blobs)?;
    let mut manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": config.len()},
        "layers": descriptors,
    });
    if !job.annotations.is_empty() {
        let map: serde_json::Map<String, Value> = job
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        manifest["annotations"] = Value::Object(map);
    }
    let manifest = serde_json::to_vec(&manifest)?;
    let manifest_digest = put_blob(&blobs, &manifest)?;
    let index = json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [{"mediaType": OCI_MANIFEST, "digest": manifest_digest, "size": manifest.len()}],
    });
    std::fs::write(
        job.layout.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )?;
    std::fs::write(job.layout.join("index.json"), serde_json::to_vec(&index)?)?;
    Ok(())
}

/// The manifest's layers: the base's own blobs for the first layers that are the base's
/// (the same diff ids, in order; recorded for the push), acrt's compressed ones after.
fn layer_descriptors(
    job: &ArchiveToLayout,
    saved: &SavedImage,
    layers: &BTreeMap<String, Layer>,
    blobs: &Path,
) -> Result<Vec<Value>> {
    let base = job.base.as_ref();
    let from_base = base.map_or(0, |base| {
        saved
            .layers
            .iter()
            .zip(&base.layers)
            .take_while(|(path, b)| layers[*path].diff_id == b.diff_id)
            .count()
    });
    let mut descriptors = Vec::new();
    let mut reused = Vec::new();
    for (at, path) in saved.layers.iter().enumerate() {
        let layer = &layers[path];
        match base.filter(|_| at < from_base) {
            Some(base) => {
                let b = &base.layers[at];
                descriptors
                    .push(json!({"mediaType": b.media_type, "digest": b.digest, "size": b.size}));
                reused.push(b.digest.clone());
            }
            None => descriptors.push(
                json!({"mediaType": OCI_LAYER_GZIP, "digest": layer.digest, "size": layer.size}),
            ),
        }
    }
    // acrt's own blob of a reused layer goes, unless a later layer is the same.
    for path in &saved.layers[..from_base] {
        let digest = &layers[path].digest;
        if !descriptors.iter().any(|d| d["digest"] == digest.as_str()) {
            let _ = std::fs::remove_file(blobs.join(digest.trim_start_matches("sha256:")));
        }
    }
    if let Some(base) = base.filter(|_| from_base > 0) {
        crate::registry::layout::write_base_blobs(&job.layout, &base.image, reused)?;
    }
    Ok(descriptors)
}

/// The saved config must be the platform built, and its `rootfs.diff_ids` the layers saved.
fn check_config(
    config: &[u8],
    platform: &Platform,
    saved: &SavedImage,
    layers: &BTreeMap<String, Layer>,
) -> Result<()> {
    let value: Value = serde_json::from_slice(config)
        .map_err(|e| failed(format!("the config docker saved is not JSON ({e})")))?;
    match ConfigFacts::of(&value).platform {
        Some(built) if built.matches(platform) => {}
        built => {
            return Err(failed(format!(
                "the image docker built for {platform} is {}, not the platform asked for",
                built.map_or("of no platform".to_string(), |b| b.to_string())
            )));
        }
    }
    let said: Vec<&str> = value["rootfs"]["diff_ids"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut found = Vec::new();
    for path in &saved.layers {
        let layer = layers.get(path).ok_or_else(|| missing(path))?;
        found.push(layer.diff_id.as_str());
    }
    if said != found {
        return Err(failed(format!(
            "the config docker saved names the layers {said:?}, and its archive holds {found:?}"
        )));
    }
    Ok(())
}

/// Reads the archive once: the file `wanted` (a JSON file) within its bound, every other
/// regular file handed to `each` with its path.
fn read_archive(
    archive: &Path,
    wanted: &str,
    mut each: impl FnMut(&str, &mut dyn Read) -> Result<()>,
) -> Result<Option<Vec<u8>>> {
    let mut found = None;
    let mut tar = tar::Archive::new(open(archive)?);
    for entry in tar.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = inside(&entry.path().map_err(unreadable)?)?;
        if path == wanted {
            found = Some(read_bounded(entry, &path)?);
            continue;
        }
        each(&path, &mut entry)?;
    }
    Ok(found)
}

/// A layer tar gzip-compressed into `blobs` (a fixed level, no name or time in the header:
/// the same layer gives the same blob), hashed before and after.
fn compress(layer: &mut dyn Read, blobs: &Path) -> Result<Layer> {
    let file = tempfile::NamedTempFile::new_in(blobs)?;
    let mut out = Hashing::new(std::io::BufWriter::new(file));
    let mut gzip = flate2::GzBuilder::new().write(&mut out, flate2::Compression::default());
    let mut plain = sha2::Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = layer.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        plain.update(&buf[..n]);
        gzip.write_all(&buf[..n])?;
    }
    gzip.finish()?;
    let (digest, size, writer) = out.finish();
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.persist(blobs.join(digest.trim_start_matches("sha256:")))
        .map_err(|e| e.error)?;
    Ok(Layer {
        digest,
        size,
        diff_id: format!("sha256:{:x}", plain.finalize()),
    })
}

/// A writer that hashes and counts what goes through it.
struct Hashing<W> {
    inner: W,
    hash: sha2::Sha256,
    size: u64,
}

impl<W: Write> Hashing<W> {
    fn new(inner: W) -> Self {
        Hashing {
            inner,
            hash: sha2::Sha256::new(),
            size: 0,
        }
    }

    fn finish(self) -> (String, u64, W) {
        (
            format!("sha256:{:x}", self.hash.finalize()),
            self.size,
            self.inner,
        )
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `bytes` as a blob of `blobs`; its digest.
fn put_blob(blobs: &Path, bytes: &[u8]) -> Result<String> {
    let digest = sha256_digest(bytes);
    std::fs::write(blobs.join(digest.trim_start_matches("sha256:")), bytes)?;
    Ok(digest)
}

/// `path` as a name inside the archive (`./` dropped), refused when it leaves it.
fn inside(path: &Path) -> Result<String> {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir if parts.pop().is_some() => {}
            _ => {
                return Err(failed(format!(
                    "docker save's archive names {}, which leaves the archive; it is not read",
                    path.display()
                )));
            }
        }
    }
    Ok(parts.join("/"))
}

fn read_bounded(entry: impl Read, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    entry
        .take(MAX_ARCHIVED_JSON + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_ARCHIVED_JSON {
        return Err(failed(format!(
            "docker save's {name} is larger than {} MiB; it is not read",
            MAX_ARCHIVED_JSON >> 20
        )));
    }
    Ok(bytes)
}

fn open(archive: &Path) -> Result<std::fs::File> {
    std::fs::File::open(archive).map_err(|e| {
        failed(format!(
            "the image docker saved cannot be read ({e}): did docker save write it?"
        ))
    })
}

fn unreadable(e: std::io::Error) -> anyhow::Error {
    failed(format!("docker save's archive cannot be read: {e}"))
}

fn missing(name: &str) -> anyhow::Error {
    failed(format!(
        "docker save's archive has no {name}, which its manifest.json names"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An archive as docker 20.10 saves one: a layer, the same layer linked, a config.
    fn archive(dir: &Path, platform: &str, extra: Option<(&str, &str)>) -> PathBuf {
        let mut layer = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_size(4);
        header.set_mode(0o644);
        header.set_cksum();
        layer
            .append_data(&mut header, "file.txt", &b"app\n"[..])
            .unwrap();
        let layer = layer.into_inner().unwrap();
        let diff_id = sha256_digest(&layer);
        let (os, arch) = platform.split_once('/').unwrap();
        let config = json!({"os": os, "architecture": arch,
            "rootfs": {"type": "layers", "diff_ids": [diff_id, diff_id]}});
        let manifest = json!([{"Config": "abc.json", "RepoTags": ["x:1"],
            "Layers": ["l1/layer.tar", "l2/layer.tar"]}]);
        let path = dir.join("saved.tar");
        let mut tar = tar::Builder::new(std::fs::File::create(&path).unwrap());
        let mut add = |name: &str, bytes: &[u8]| {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, bytes).unwrap();
        };
        add("l1/layer.tar", &layer);
        add("abc.json", &serde_json::to_vec(&config).unwrap());
        add("manifest.json", &serde_json::to_vec(&manifest).unwrap());
        let mut link = tar::Header::new_gnu();
        link.set_entry_type(tar::EntryType::Symlink);
        link.set_size(0);
        let (name, target) = extra.unwrap_or(("l2/layer.tar", "../l1/layer.tar"));
        tar.append_link(&mut link, name, target).unwrap();
        tar.finish().unwrap();
        path
    }

    fn job(dir: &Path, archive: PathBuf, platform: &str) -> ArchiveToLayout {
        ArchiveToLayout {
            archive,
            layout: dir.join("layout"),
            platform: Platform::parse(platform).unwrap(),
            annotations: vec![("a".into(), "b".into())],
            base: None,
        }
    }

    #[test]
    fn a_saved_image_becomes_a_layout_of_gzip_layers_the_same_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let saved = archive(dir.path(), "linux/arm64", None);
        write_layout(&job(dir.path(), saved.clone(), "linux/arm64")).unwrap();
        let (config_digest, config) =
            crate::registry::layout::layout_config(&dir.path().join("layout")).unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&config).unwrap()["architecture"],
            "arm64"
        );
        assert!(config_digest.starts_with("sha256:"));
        let index = std::fs::read(dir.path().join("layout/index.json")).unwrap();
        let index: Value = serde_json::from_slice(&index).unwrap();
        let manifest_digest = index["manifests"][0]["digest"]
            .as_str()
            .unwrap()
            .to_string();
        let manifest = std::fs::read(
            dir.path()
                .join("layout/blobs/sha256")
                .join(manifest_digest.trim_start_matches("sha256:")),
        )
        .unwrap();
        let manifest: Value = serde_json::from_slice(&manifest).unwrap();
        assert_eq!(manifest["layers"][0]["mediaType"], OCI_LAYER_GZIP);
        assert_eq!(
            manifest["layers"][0]["digest"],
            manifest["layers"][1]["digest"]
        );
        assert_eq!(manifest["annotations"]["a"], "b");
        // The layer un-gzips to the saved tar.
        let blob = dir.path().join("layout/blobs/sha256").join(
            manifest["layers"][0]["digest"]
                .as_str()
                .unwrap()
                .trim_start_matches("sha256:"),
        );
        let mut files = tar::Archive::new(flate2::read::GzDecoder::new(
            std::fs::File::open(blob).unwrap(),
        ));
        let names: Vec<String> = files
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["file.txt"]);
        // Written again, the same manifest.
        std::fs::remove_dir_all(dir.path().join("layout")).unwrap();
        write_layout(&job(dir.path(), saved, "linux/arm64")).unwrap();
        let again = std::fs::read(dir.path().join("layout/index.json")).unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&again).unwrap()["manifests"][0]["digest"],
            manifest_digest.as_str()
        );
    }

    #[test]
    fn the_base_s_first_layers_are_its_own_blobs_and_recorded_for_the_push() {
        let dir = tempfile::tempdir().unwrap();
        let saved = archive(dir.path(), "linux/arm64", None);
        let config: Value = serde_json::from_slice(&config_in_archive(&saved).unwrap()).unwrap();
        let diff_id = config["rootfs"]["diff_ids"][0].clone();
        let base_manifest = json!({"layers": [{"mediaType":
            "application/vnd.docker.image.rootfs.diff.tar.gzip", "digest": "sha256:bb", "size": 7}]});
        let base_config = json!({"rootfs": {"diff_ids": [diff_id]}});
        let image =
            ImageRef::parse(&format!("127.0.0.1:5000/base@sha256:{}", "c".repeat(64))).unwrap();
        let mut job = job(dir.path(), saved, "linux/arm64");
        job.base = BaseLayers::of(image, &base_manifest, &base_config);
        write_layout(&job).unwrap();
        let index: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("layout/index.json")).unwrap())
                .unwrap();
        let digest = index["manifests"][0]["digest"].as_str().unwrap();
        let blobs = dir.path().join("layout/blobs/sha256");
        let manifest: Value = serde_json::from_slice(
            &std::fs::read(blobs.join(digest.trim_start_matches("sha256:"))).unwrap(),
        )
        .unwrap();
        // The base had one layer: the first is its blob (with OCI's type), the second acrt's,
        // which is kept since the same layer comes again.
        assert_eq!(manifest["layers"][0]["digest"], "sha256:bb");
        assert_eq!(manifest["layers"][0]["mediaType"], OCI_LAYER_GZIP);
        let own = manifest["layers"][1]["digest"].as_str().unwrap();
        assert!(blobs.join(own.trim_start_matches("sha256:")).exists());
        let recorded =
            std::fs::read_to_string(dir.path().join("layout/acrt-base-blobs.json")).unwrap();
        assert!(
            recorded.contains("sha256:bb") && recorded.contains("sha256:ccc"),
            "{recorded}"
        );
    }

    #[test]
    fn a_saved_image_of_another_platform_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let saved = archive(dir.path(), "linux/amd64", None);
        let err = write_layout(&job(dir.path(), saved, "linux/arm64")).unwrap_err();
        assert!(
            err.to_string()
                .contains("built for linux/arm64 is linux/amd64"),
            "{err}"
        );
    }

    #[test]
    fn a_link_out_of_the_archive_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let saved = archive(
            dir.path(),
            "linux/arm64",
            Some(("l2/layer.tar", "../../etc/passwd")),
        );
        let err = write_layout(&job(dir.path(), saved, "linux/arm64")).unwrap_err();
        assert!(err.to_string().contains("leaves the archive"), "{err}");
    }

    #[test]
    fn the_config_is_read_as_saved() {
        let dir = tempfile::tempdir().unwrap();
        let saved = archive(dir.path(), "linux/arm64", None);
        let config = config_in_archive(&saved).unwrap();
        assert!(String::from_utf8(config).unwrap().contains("arm64"));
    }
}
