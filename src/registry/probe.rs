//! Watch's manifest check: one HEAD per base, authorized by the process's one token cache
//! (`token.rs`: each registry's challenge asked once per cycle, bearer tokens kept until
//! they expire). oci-client asks `GET /v2/` before every request to a registry that sends no
//! challenge, falls back to a GET when a 429 carries no digest, and keeps a 429's Retry-After
//! from its caller: a poll over hundreds of bases can afford none of that. Pulls, pushes and
//! copies stay on oci-client.

use std::time::Duration;

use reqwest::{Method, StatusCode};

use super::token::{Authorization, Scope, tokens};
use super::{
    Login, MANIFEST_MEDIA_TYPES, MAX_MANIFEST_BYTES, Outcome, header_digest, manifest_too_large,
    read_at_most,
};
use crate::error::{Result, failed};
use crate::model::image::ImageRef;

/// What a tag points to, as its HEAD says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    pub digest: String,
    /// A single image's manifest, not an index: its digest is the platform's, with no need to
    /// read it.
    pub single: bool,
}

/// Whether the answer is a single image's manifest (its Content-Type), not an index.
fn is_single_manifest(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("application/vnd.oci.image.manifest.v1+json")
                || t.starts_with("application/vnd.docker.distribution.manifest.v2+json")
        })
}

/// Manifest HEADs; one per watcher.
pub struct ManifestProbe {
    http: super::http::Clients,
}

impl ManifestProbe {
    pub fn new() -> Result<ManifestProbe> {
        Ok(ManifestProbe {
            http: super::http::Clients::default(),
        })
    }

    fn http(&self, url: &str) -> Result<&reqwest::Client> {
        self.http.for_url(url)
    }

    /// Forgets what registries answered to `GET /v2/` (asked again once per registry next
    /// cycle); tokens are kept until they expire.
    pub fn new_cycle(&self) {
        tokens().new_cycle();
    }

    /// The digest `image`'s tag points to now: one HEAD (a GET only when the registry's HEAD
    /// names no digest). A 5xx or a dropped connection is tried once more; a 429 never is:
    /// its Retry-After goes back in [`crate::error::Error::RateLimited`].
    pub async fn digest(&self, image: &ImageRef, login: Option<&Login>) -> Result<Tagged> {
        let registry = image.api_registry();
        let scopes = [Scope::pull(&image.repository)];
        let mut retried = false;
        loop {
            let authorization = tokens().authorization(registry, &scopes, login).await?;
            let auth = authorization.header();
            let response = match self.send(Method::HEAD, image, auth.as_deref()).await? {
                // A dropped connection is tried once more; a registry that held the request
                // until the deadline is not: it would hold the next one as long.
                Err(e) if !retried && !e.is_timeout() => {
                    retried = true;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
                other => other.map_err(|e| unreachable(image, &e))?,
            };
            let status = response.status();
            // Under basic auth a 401 is the login refused: asking again changes nothing.
            let basic = matches!(authorization, Authorization::Basic(_));
            if status == StatusCode::UNAUTHORIZED && !retried && !basic {
                // The registry's auth changed since it was asked (or a token expired early).
                retried = true;
                tokens().forget(registry, login);
                continue;
            }
            if status.is_server_error() && !retried {
                retried = true;
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
            if !status.is_success() {
                return Err(status_error(image, &response, login));
            }
            if let Some(digest) = header_digest(&response) {
                return Ok(Tagged {
                    single: is_single_manifest(&response),
                    digest,
                });
            }
            return self.get_and_hash(image, auth.as_deref(), login).await;
        }
    }

    async fn send(
        &self,
        method: Method,
        image: &ImageRef,
        auth: Option<&str>,
    ) -> Result<reqwest::Result<reqwest::Response>> {
        let url = super::manifest_url(image);
        let mut request = self
            .http(&url)?
            .request(method, url)
            .header("Accept", MANIFEST_MEDIA_TYPES.join(", "));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        Ok(request.send().await)
    }

    /// For a registry whose HEAD names no digest: the manifest's sha256, checked against the
    /// digest its GET names, if any.
    async fn get_and_hash(
        &self,
        image: &ImageRef,
        auth: Option<&str>,
        login: Option<&Login>,
    ) -> Result<Tagged> {
        let response = self
            .send(Method::GET, image, auth)
            .await?
            .map_err(|e| unreachable(image, &e))?;
        if !response.status().is_success() {
            return Err(status_error(image, &response, login));
        }
        let stated = header_digest(&response);
        let single = is_single_manifest(&response);
        let mut response = response;
        let (body, whole) = read_at_most(&mut response, MAX_MANIFEST_BYTES)
            .await
            .map_err(|e| unreachable(image, &e))?;
        if !whole {
            return Err(manifest_too_large(image));
        }
        let digest = super::sha256_digest(&body);
        match stated {
            Some(s) if s.starts_with("sha256:") && s != digest => Err(failed(format!(
                "registry {}: the manifest of {image} does not match the digest it names ({s}, content {digest}); it is not used",
                image.registry
            ))),
            _ => Ok(Tagged { digest, single }),
        }
    }
}

/// A request that got no answer: the registry is down, unreachable, or its TLS is not trusted.
fn unreachable(image: &ImageRef, e: &reqwest::Error) -> anyhow::Error {
    super::unreachable(
        &image.registry,
        &format!("registry {}: cannot resolve {image}", image.registry),
        e,
    )
}

/// A registry's refusal, typed as watch needs it ([`Outcome::of_status`]): missing (404),
/// refused (401, 403), rate limited (429, with its Retry-After), or the registry's own failure.
fn status_error(
    image: &ImageRef,
    response: &reqwest::Response,
    login: Option<&Login>,
) -> anyhow::Error {
    let status = response.status();
    let registry = &image.registry;
    let prefix = format!("registry {registry}: cannot resolve {image}: {status}");
    let challenge = response
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok());
    let outcome = Outcome::of_status(status.as_u16(), challenge, super::retry_after_of(response));
    match outcome {
        Outcome::Refused | Outcome::InsufficientScope => {
            let why = super::token::refusal(response, registry, &image.repository, "pull", login);
            outcome.error(&prefix, &why)
        }
        Outcome::RateLimited { retry_after } => {
            let when = retry_after.map_or_else(
                || "it gave no Retry-After".to_string(),
                |d| format!("it asks to retry after {} s", d.as_secs()),
            );
            outcome.error(
                &format!("registry {registry}: rate limited on {image}"),
                &when,
            )
        }
        _ => outcome.error(&prefix, &outcome.hint(registry)),
    }
}
