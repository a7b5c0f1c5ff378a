//! The registry client, over oci-client: digest resolution for base images and pushed tags.

pub mod auth;

use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use serde_json::Value;

use crate::error::{Result, failed};
use crate::model::Platform;
use crate::model::image::{ImageRef, is_loopback};

pub use auth::{AuthFile, Credentials, Login};

/// The one Accept set every manifest request sends: asking without the index types can get a
/// multi-platform tag resolved to one platform, a different digest and a false "change".
pub const MANIFEST_MEDIA_TYPES: &[&str] = &[
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// What a tag points to: the digest the tag resolves to (an index, or a single manifest) and
/// the digest of the manifest for the wanted platform (the same when there is no index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedImage {
    pub index_digest: String,
    pub platform_digest: String,
}

pub struct RegistryClient {
    client: Client,
    credentials: Credentials,
}

impl RegistryClient {
    /// A client that speaks plain http to loopback registries and https to every other.
    pub fn new(credentials: Credentials, registries: &[String]) -> RegistryClient {
        let insecure: Vec<String> = registries
            .iter()
            .filter(|r| is_loopback(r))
            .cloned()
            .collect();
        let config = ClientConfig {
            protocol: ClientProtocol::HttpsExcept(insecure),
            connect_timeout: Some(std::time::Duration::from_secs(10)),
            read_timeout: Some(std::time::Duration::from_secs(60)),
            ..ClientConfig::default()
        };
        RegistryClient {
            client: Client::new(config),
            credentials,
        }
    }

    fn auth(&self, registry: &str) -> RegistryAuth {
        match self.credentials.lookup(registry) {
            Some(login) => RegistryAuth::Basic(login.username, login.password),
            None => RegistryAuth::Anonymous,
        }
    }

    /// Resolves `image` (by tag or digest) to its digests for `platform`. The body's sha256
    /// is checked against the digest the registry states: a mismatch is an error, never used.
    pub async fn resolve(&self, image: &ImageRef, platform: &Platform) -> Result<ResolvedImage> {
        let reference = to_reference(image);
        let auth = self.auth(image.api_registry());
        let (body, digest) = with_retries(image, || {
            self.client
                .pull_manifest_raw(&reference, &auth, MANIFEST_MEDIA_TYPES)
        })
        .await?;
        let manifest: Value = serde_json::from_slice(&body).map_err(|e| {
            failed(format!(
                "{image}: the registry sent a manifest that is not JSON ({e})"
            ))
        })?;
        let platform_digest = match manifest.get("manifests").and_then(Value::as_array) {
            Some(entries) => pick_platform(entries, platform).ok_or_else(|| {
                let available: Vec<String> = entries.iter().filter_map(platform_of).collect();
                failed(format!(
                    "{image} has no image for {platform} (it has: {}); build for one of those with --platform",
                    available.join(", ")
                ))
            })?,
            None => digest.clone(),
        };
        Ok(ResolvedImage {
            index_digest: digest,
            platform_digest,
        })
    }

    /// The digest a tag resolves to now (HEAD; GET and hash when the registry sends no digest).
    pub async fn head_digest(&self, image: &ImageRef) -> Result<String> {
        let reference = to_reference(image);
        let auth = self.auth(image.api_registry());
        with_retries(image, || {
            self.client.fetch_manifest_digest(&reference, &auth)
        })
        .await
    }
}

/// Attempts per request: a 429, a 5xx or a dropped connection is tried again, with a delay
/// that doubles (from 500 ms; at least 2 s after a 429), up to this many times in all.
/// oci-client does not hand back response headers with its errors, so a Retry-After value
/// cannot be read; the doubling delay stands in for it.
const MAX_ATTEMPTS: u32 = 4;

async fn with_retries<T, F, Fut>(image: &ImageRef, mut request: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<
            Output = std::result::Result<T, oci_client::errors::OciDistributionError>,
        >,
{
    let mut delay = std::time::Duration::from_millis(500);
    let mut attempt = 1;
    loop {
        match request().await {
            Ok(value) => return Ok(value),
            Err(e) => match retry_kind(&e) {
                Some(kind) if attempt < MAX_ATTEMPTS => {
                    let wait = if kind == Retry::TooManyRequests {
                        delay.max(std::time::Duration::from_secs(2))
                    } else {
                        delay
                    };
                    tokio::time::sleep(wait).await;
                    delay *= 2;
                    attempt += 1;
                }
                _ => return Err(registry_error(image, &e)),
            },
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Retry {
    TooManyRequests,
    Transient,
}

/// Which failures are worth another attempt: rate limits, server errors, broken connections.
fn retry_kind(e: &oci_client::errors::OciDistributionError) -> Option<Retry> {
    use oci_client::errors::OciDistributionError as E;
    match e {
        E::ServerError { code: 429, .. } => Some(Retry::TooManyRequests),
        E::ServerError { code, .. } if *code >= 500 => Some(Retry::Transient),
        E::RegistryError { envelope, .. }
            if envelope.errors.iter().any(|x| {
                format!("{:?}", x.code)
                    .to_ascii_lowercase()
                    .contains("toomanyrequests")
            }) =>
        {
            Some(Retry::TooManyRequests)
        }
        E::RequestError(r) if r.is_connect() || r.is_timeout() || r.is_request() || r.is_body() => {
            Some(Retry::Transient)
        }
        _ => None,
    }
}

fn to_reference(image: &ImageRef) -> Reference {
    let registry = image.api_registry().to_string();
    match (&image.digest, &image.tag) {
        (Some(d), _) => Reference::with_digest(registry, image.repository.clone(), d.clone()),
        (None, tag) => Reference::with_tag(
            registry,
            image.repository.clone(),
            tag.clone().unwrap_or_else(|| "latest".into()),
        ),
    }
}

fn platform_of(entry: &Value) -> Option<String> {
    let p = entry.get("platform")?;
    let mut s = format!("{}/{}", p["os"].as_str()?, p["architecture"].as_str()?);
    if let Some(v) = p["variant"].as_str() {
        s.push('/');
        s.push_str(v);
    }
    Some(s)
}

/// The index entry for `platform`: os and architecture must match; a variant, when asked for,
/// too (arm64's v8 is implied when absent).
fn pick_platform(entries: &[Value], platform: &Platform) -> Option<String> {
    entries
        .iter()
        .find(|e| {
            let p = &e["platform"];
            let variant_ok = match (&platform.variant, p["variant"].as_str()) {
                (None, _) => true,
                (Some(want), Some(have)) => want == have,
                (Some(want), None) => platform.architecture == "arm64" && want == "v8",
            };
            p["os"].as_str() == Some(platform.os.as_str())
                && p["architecture"].as_str() == Some(platform.architecture.as_str())
                && variant_ok
        })
        .and_then(|e| e["digest"].as_str().map(str::to_string))
}

/// An error that names the registry, the image and what to do.
fn registry_error(
    image: &ImageRef,
    err: &oci_client::errors::OciDistributionError,
) -> anyhow::Error {
    let text = err.to_string();
    let lower = text.to_ascii_lowercase();
    let hint = if ["401", "unauthorized", "not authorized", "authentication"]
        .iter()
        .any(|k| lower.contains(k))
    {
        format!(
            "log in: 'acrt task credential add --login-server {}' for a task, or 'docker login {}'",
            image.registry, image.registry
        )
    } else if text.contains("404")
        || text.contains("MANIFEST_UNKNOWN")
        || text.contains("NAME_UNKNOWN")
    {
        "check the repository and tag: the registry does not have it".to_string()
    } else {
        format!(
            "check that the registry {} is up and reachable",
            image.registry
        )
    };
    failed(format!(
        "registry {}: cannot resolve {image}: {text}; {hint}",
        image.registry
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn picks_the_platform_from_an_index() {
        let entries = vec![
            json!({"digest": "sha256:a", "platform": {"os": "linux", "architecture": "amd64"}}),
            json!({"digest": "sha256:b", "platform": {"os": "linux", "architecture": "arm", "variant": "v7"}}),
            json!({"digest": "sha256:c", "platform": {"os": "linux", "architecture": "arm64"}}),
        ];
        let p = |t| Platform::parse(t).unwrap();
        assert_eq!(
            pick_platform(&entries, &p("linux/amd64")).as_deref(),
            Some("sha256:a")
        );
        assert_eq!(
            pick_platform(&entries, &p("linux/arm/v7")).as_deref(),
            Some("sha256:b")
        );
        assert_eq!(pick_platform(&entries, &p("linux/arm/v6")), None);
        assert_eq!(
            pick_platform(&entries, &p("linux/arm64/v8")).as_deref(),
            Some("sha256:c")
        );
        assert_eq!(pick_platform(&entries, &p("windows/amd64")), None);
    }
}
