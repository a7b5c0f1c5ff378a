//! The registry client, over oci-client: digest resolution for base images and pushed tags.

pub mod auth;
mod challenge;
pub mod copy;
mod http;
pub mod login;
pub mod probe;
pub mod rebase;

use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use serde_json::Value;

use crate::error::{Result, failed};
use crate::model::Platform;
use crate::model::image::ImageRef;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

pub use auth::{AuthFile, Credentials, Login};
use http::scheme;
pub use http::{
    DEFAULT_REQUEST_TIMEOUT, Settings, ca_pem, configure, error_chain_text, http_client,
    is_insecure, plain_http_client, settings, tls_hint,
};

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
    /// Built on first use: building one reads the system's root certificates, which a watch
    /// cycle that finds nothing changed never needs.
    client: OnceLock<Client>,
    insecure: Vec<String>,
    monolithic_push: bool,
    credentials: Credentials,
    /// Registries whose challenge was read and names no realm that would get a login in clear.
    destinations_checked: Mutex<HashSet<String>>,
}

impl RegistryClient {
    /// A client that speaks plain http to loopback registries and https to every other.
    pub fn new(credentials: Credentials, registries: &[String]) -> RegistryClient {
        Self::with_config(credentials, registries, false)
    }

    /// A client for pushing blobs of known size: each goes in one streamed PUT rather than
    /// many chunked PATCHes.
    pub fn for_pushing(credentials: Credentials, registries: &[String]) -> RegistryClient {
        Self::with_config(credentials, registries, true)
    }

    fn with_config(
        credentials: Credentials,
        registries: &[String],
        monolithic_push: bool,
    ) -> RegistryClient {
        RegistryClient {
            client: OnceLock::new(),
            insecure: registries
                .iter()
                .filter(|r| is_insecure(r))
                .cloned()
                .collect(),
            monolithic_push,
            credentials,
            destinations_checked: Mutex::default(),
        }
    }

    /// The OCI client, built the first time it is needed.
    fn client(&self) -> &Client {
        self.client.get_or_init(|| {
            // A CA file that cannot be read is reported by the first request's error instead.
            let extra_root_certificates = ca_pem()
                .ok()
                .flatten()
                .map(|data| {
                    vec![oci_client::client::Certificate {
                        encoding: oci_client::client::CertificateEncoding::Pem,
                        data,
                    }]
                })
                .unwrap_or_default();
            let timeout = settings().request_timeout;
            Client::new(ClientConfig {
                protocol: ClientProtocol::HttpsExcept(self.insecure.clone()),
                connect_timeout: Some(timeout.min(Duration::from_secs(10))),
                // Blob bodies may take long: what bounds them is a silence of this length.
                read_timeout: Some(timeout),
                use_monolithic_push: self.monolithic_push,
                extra_root_certificates,
                ..ClientConfig::default()
            })
        })
    }

    /// The login oci-client gets for `registry`. oci-client sends it to whatever token realm
    /// the registry names, http included: the registry's challenge is read first (once per
    /// registry that answered) and a realm that would get it in clear is refused.
    pub(crate) async fn auth(&self, registry: &str) -> Result<RegistryAuth> {
        let Some(login) = self.credentials.lookup(registry) else {
            return Ok(RegistryAuth::Anonymous);
        };
        if !self.lock_checked().contains(registry) {
            let status = challenge::check_login_destination(registry).await?;
            // A 429 or 5xx says nothing about where logins go: asked again next time.
            if status.is_success() || status == reqwest::StatusCode::UNAUTHORIZED {
                self.lock_checked().insert(registry.to_string());
            }
        }
        Ok(RegistryAuth::Basic(login.username, login.password))
    }

    fn lock_checked(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.destinations_checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Resolves `image` (by tag or digest) to its digests for `platform`. The body's sha256
    /// is checked against the digest the registry states: a mismatch is an error, never used.
    pub async fn resolve(&self, image: &ImageRef, platform: &Platform) -> Result<ResolvedImage> {
        let (body, digest) = self.manifest(image).await?;
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

    /// A manifest (or index) as the registry stores it, and its verified digest.
    pub async fn manifest(&self, image: &ImageRef) -> Result<(Vec<u8>, String)> {
        let reference = to_reference(image);
        let auth = self.auth(image.api_registry()).await?;
        let (body, digest) = self
            .with_retries(image, || {
                self.client()
                    .pull_manifest_raw(&reference, &auth, MANIFEST_MEDIA_TYPES)
            })
            .await?;
        Ok((body.to_vec(), digest))
    }

    /// The platform a single-platform image says it is built for (its config's os,
    /// architecture and variant); None for an index, which names many.
    pub async fn image_platform(&self, image: &ImageRef) -> Result<Option<Platform>> {
        let (body, _) = self.manifest(image).await?;
        let manifest: Value = serde_json::from_slice(&body).map_err(|e| {
            failed(format!(
                "{image}: the registry sent a manifest that is not JSON ({e})"
            ))
        })?;
        let Some(config) = manifest["config"]["digest"].as_str() else {
            return Ok(None);
        };
        let reference = to_reference(image);
        let mut bytes = Vec::new();
        tokio::time::timeout(
            settings().request_timeout,
            self.client().pull_blob(&reference, config, &mut bytes),
        )
        .await
        .map_err(|_| {
            failed(format!(
                "registry {}: timed out reading the config of {image}",
                image.registry
            ))
        })?
        .map_err(|e| registry_error(image, &e))?;
        let config: Value = serde_json::from_slice(&bytes)
            .map_err(|e| failed(format!("{image}: its config is not JSON ({e})")))?;
        let (Some(os), Some(architecture)) =
            (config["os"].as_str(), config["architecture"].as_str())
        else {
            return Ok(None);
        };
        Ok(Some(Platform {
            os: os.to_string(),
            architecture: architecture.to_string(),
            variant: config["variant"].as_str().map(str::to_string),
        }))
    }

    /// The digest a tag resolves to now (HEAD; GET and hash when the registry sends no digest).
    pub async fn head_digest(&self, image: &ImageRef) -> Result<String> {
        let reference = to_reference(image);
        let auth = self.auth(image.api_registry()).await?;
        self.with_retries(image, || {
            self.client().fetch_manifest_digest(&reference, &auth)
        })
        .await
    }
}

/// Attempts per request: a 429, a 5xx or a dropped connection is tried again, up to this
/// many times in all. After a 429 acrt waits as long as the registry's Retry-After says (at
/// most [`MAX_RETRY_AFTER`]); otherwise the delay doubles from 500 ms.
const MAX_ATTEMPTS: u32 = 4;

/// The longest Retry-After acrt waits out; a registry asking for more gets an error (and, in
/// watch, a back-off) instead of a hung command.
pub const MAX_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

impl RegistryClient {
    pub(crate) async fn with_retries<T, F, Fut>(
        &self,
        image: &ImageRef,
        mut request: F,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<
                Output = std::result::Result<T, oci_client::errors::OciDistributionError>,
            >,
    {
        let mut delay = std::time::Duration::from_millis(500);
        let mut attempt = 1;
        loop {
            let deadline = settings().request_timeout;
            let e = match tokio::time::timeout(deadline, request()).await {
                Ok(Ok(value)) => return Ok(value),
                Ok(Err(e)) => e,
                // A registry that holds a request open is not asked again: it would hold the
                // next one as long.
                Err(_) => {
                    return Err(failed(format!(
                        "registry {}: timed out after {} s on {image}; check that it is up and reachable, \
                         or allow more time with 'acrt config set core.registry_timeout=SECONDS'",
                        image.registry,
                        deadline.as_secs()
                    )));
                }
            };
            let wait = match retry_kind(&e) {
                Some(_) if attempt >= MAX_ATTEMPTS => None,
                Some(Retry::TooManyRequests) => match self.retry_after(image).await {
                    Some(wait) if wait > MAX_RETRY_AFTER => {
                        return Err(failed(format!(
                            "registry {}: rate limited on {image}; it asks to retry after {} s; try again later",
                            image.registry,
                            wait.as_secs()
                        )));
                    }
                    Some(wait) => Some(wait),
                    None => Some(delay.max(std::time::Duration::from_secs(2))),
                },
                Some(Retry::Transient) => Some(delay),
                None => None,
            };
            let Some(wait) = wait else {
                return Err(registry_error(image, &e));
            };
            tokio::time::sleep(wait).await;
            delay *= 2;
            attempt += 1;
        }
    }

    /// How long a rate-limited registry asks us to wait. oci-client does not hand back
    /// response headers with its errors, so this asks once more (with the same credentials)
    /// and reads Retry-After (seconds, or an HTTP date) from the 429.
    async fn retry_after(&self, image: &ImageRef) -> Option<std::time::Duration> {
        let reference = to_reference(image);
        let auth = self.auth(image.api_registry()).await.ok()?;
        let token = self
            .client()
            .auth(&reference, &auth, oci_client::RegistryOperation::Pull)
            .await
            .ok()
            .flatten();
        let mut request = http_client()
            .ok()?
            .head(manifest_url(image))
            .header("Accept", MANIFEST_MEDIA_TYPES.join(", "));
        request = match (token, &auth) {
            (Some(t), _) => request.bearer_auth(t),
            (None, RegistryAuth::Basic(u, p)) => request.basic_auth(u, Some(p)),
            _ => request,
        };
        let response = request.send().await.ok()?;
        if response.status().as_u16() != 429 {
            return None;
        }
        parse_retry_after(response.headers().get("retry-after")?.to_str().ok()?)
    }
}

/// The URL of `image`'s manifest (by digest, else tag): plain http for insecure registries.
fn manifest_url(image: &ImageRef) -> String {
    format!(
        "{}://{}/v2/{}/manifests/{}",
        scheme(image.api_registry()),
        image.api_registry(),
        image.repository,
        image
            .digest
            .as_deref()
            .or(image.tag.as_deref())
            .unwrap_or("latest")
    )
}

/// Retry-After is delta-seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<std::time::Duration> {
    if let Ok(secs) = value.trim().parse::<u64>() {
        return Some(std::time::Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
    (when.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
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

pub(crate) fn to_reference(image: &ImageRef) -> Reference {
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
    let text = error_chain_text(err);
    let lower = text.to_ascii_lowercase();
    let missing = text.contains("code: 404")
        || lower.contains("404 not found")
        || lower.contains("manifest_unknown")
        || lower.contains("manifest unknown")
        || lower.contains("name_unknown")
        || lower.contains("name unknown");
    let refused = [
        "401",
        "403",
        "unauthorized",
        "not authorized",
        "authentication required",
        "denied",
        "forbidden",
    ]
    .iter()
    .any(|k| lower.contains(k));
    let hint = if let Some(hint) = tls_hint(&text, &image.registry) {
        hint
    } else if ["401", "unauthorized", "not authorized", "authentication"]
        .iter()
        .any(|k| lower.contains(k))
    {
        format!(
            "log in with 'acrt login -r {} -u USER --password-stdin'; for a task's runs, fix its login with \
             'acrt task credential update -n TASK --login-server {} -u USER --password-stdin' \
             ('credential add' if the task has none for it)",
            image.registry, image.registry
        )
    } else if missing {
        "check the repository and tag: the registry does not have it".to_string()
    } else {
        format!(
            "check that the registry {} is up and reachable",
            image.registry
        )
    };
    let message = format!(
        "registry {}: cannot resolve {image}: {text}; {hint}",
        image.registry
    );
    // Typed, so that watch tells a base's or a login's problem from its registry's.
    if missing {
        crate::error::Error::Missing(message).into()
    } else if refused {
        crate::error::Error::Refused(message).into()
    } else {
        failed(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        assert_eq!(
            parse_retry_after("7"),
            Some(std::time::Duration::from_secs(7))
        );
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let d = parse_retry_after(&later).unwrap();
        assert!(
            d <= std::time::Duration::from_secs(30) && d >= std::time::Duration::from_secs(28),
            "{d:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

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
