//! The registry client, over oci-client: digest resolution for base images and pushed tags.

pub mod auth;
mod challenge;
pub mod copy;
mod http;
pub mod layout;
pub mod login;
mod outcome;
pub mod probe;
pub mod rebase;
mod rebase_config;
pub mod referrers;
mod token;

use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use serde_json::Value;

use crate::error::{Result, failed};
use crate::model::image::ImageRef;
use crate::model::{Platform, SourceDateEpoch};
use std::sync::OnceLock;
use std::time::Duration;

pub use auth::{AuthFile, Credentials, Login};
use http::scheme;
pub use http::{
    DEFAULT_REQUEST_TIMEOUT, Settings, ca_pem, configure, error_chain_text, http_client,
    is_insecure, plain_http_client, settings,
};
pub use outcome::{Outcome, unreachable};
pub use token::Scope;
use token::{Authorization, tokens};

/// The one Accept set every manifest request sends: asking without the index types can get a
/// multi-platform tag resolved to one platform, a different digest and a false "change".
pub const MANIFEST_MEDIA_TYPES: &[&str] = &[
    OCI_INDEX,
    "application/vnd.docker.distribution.manifest.list.v2+json",
    OCI_MANIFEST,
    "application/vnd.docker.distribution.manifest.v2+json",
];

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// The sha256 digest of `bytes`, as OCI writes it.
pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{:x}", sha2::Sha256::digest(bytes))
}

/// PUTs a manifest (or index) of type `media_type` under `target`'s tag or digest.
pub async fn push_manifest(
    client: &RegistryClient,
    target: &ImageRef,
    body: &[u8],
    media_type: &str,
) -> Result<()> {
    let content_type = reqwest::header::HeaderValue::from_str(media_type)
        .map_err(|_| failed(format!("unusable media type {media_type}")))?;
    let reference = to_reference(target);
    let pusher = client.pushing(target).await?;
    client
        .with_retries(target, || {
            pusher.push_manifest_raw(&reference, body.to_vec(), content_type.clone())
        })
        .await?;
    Ok(())
}

/// What a tag points to: the digest the tag resolves to (an index, or a single manifest) and
/// the digest of the manifest for the wanted platform (the same when there is no index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedImage {
    pub index_digest: String,
    pub platform_digest: String,
}

/// A manifest (or index) as read from a registry: its JSON, its verified digest and its
/// size in bytes.
#[derive(Debug, Clone)]
pub(crate) struct ManifestRead {
    pub json: Value,
    pub digest: String,
    pub size: u64,
}

impl ManifestRead {
    /// The media type it states; an image manifest's when it states none.
    pub(crate) fn media_type(&self) -> &str {
        self.json["mediaType"].as_str().unwrap_or(OCI_MANIFEST)
    }

    /// Its descriptor (media type, digest and size), as an index or a `subject` names it.
    pub(crate) fn descriptor(&self) -> Descriptor {
        Descriptor {
            media_type: self.media_type().to_string(),
            digest: self.digest.clone(),
            size: self.size,
        }
    }
}

/// A manifest as a descriptor names it (an index's entry, an artifact's `subject`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Descriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
}

impl Descriptor {
    /// The descriptor of the manifest `body`, read from `image` at `digest`.
    pub fn of_manifest(image: &ImageRef, body: &[u8], digest: &str) -> Result<Descriptor> {
        let json: Value = serde_json::from_slice(body)
            .map_err(|_| failed(format!("{image}: its manifest is not JSON")))?;
        let read = ManifestRead {
            json,
            digest: digest.to_string(),
            size: body.len() as u64,
        };
        Ok(read.descriptor())
    }

    /// As JSON, in an index or a `subject` field.
    pub fn json(&self) -> Value {
        serde_json::json!({"mediaType": self.media_type, "digest": self.digest, "size": self.size})
    }
}

/// What a single-platform image's config says of it: the platform it is built for (its os,
/// architecture and variant) and when it was made (`created`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFacts {
    pub platform: Option<Platform>,
    pub created: Option<SourceDateEpoch>,
}

impl ConfigFacts {
    /// What `config` (an image config's JSON) says.
    pub fn of(config: &Value) -> ConfigFacts {
        let platform = match (config["os"].as_str(), config["architecture"].as_str()) {
            (Some(os), Some(architecture)) => Some(Platform {
                os: os.to_string(),
                architecture: architecture.to_string(),
                variant: config["variant"].as_str().map(str::to_string),
            }),
            _ => None,
        };
        let created = config["created"]
            .as_str()
            .and_then(SourceDateEpoch::from_rfc3339);
        ConfigFacts { platform, created }
    }
}

pub struct RegistryClient {
    /// Built on first use (pushes, blob copies): building one reads the system's root store
    /// (oci-client also builds a default HTTP client, which reads it again), which reading
    /// manifests and configs, and a watch cycle that finds nothing changed, never need.
    client: OnceLock<Client>,
    /// For streamed blob bodies only, with no deadline of its own: reqwest's read timeout
    /// runs from sending a request to its answer, which for a blob's PUT is the whole upload.
    /// What bounds these is a stall watch (`copy::Flow`).
    streaming: OnceLock<Client>,
    /// For what acrt asks registries itself: manifests (read with a cap), Retry-After.
    http: http::Clients,
    insecure: Vec<String>,
    monolithic_push: bool,
    credentials: Credentials,
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
            streaming: OnceLock::new(),
            http: http::Clients::default(),
            insecure: registries
                .iter()
                .filter(|r| is_insecure(r))
                .cloned()
                .collect(),
            monolithic_push,
            credentials,
        }
    }

    /// The OCI client, built the first time it is needed; each read has the request deadline.
    fn client(&self) -> &Client {
        self.client
            .get_or_init(|| self.build_client(Some(settings().request_timeout)))
    }

    /// The OCI client for streamed blob bodies, which a stall watch bounds instead.
    fn streaming(&self) -> &Client {
        self.streaming.get_or_init(|| self.build_client(None))
    }

    fn build_client(&self, read_timeout: Option<Duration>) -> Client {
        use oci_client::client::{Certificate, CertificateEncoding};
        // A CA file that cannot be read is reported by the first request's error instead.
        let ca = ca_pem().ok().flatten().map(|data| Certificate {
            encoding: CertificateEncoding::Pem,
            data,
        });
        // The system's roots as read once per process; without them, the platform's verifier
        // (which reads them again) says that there are none.
        let system = http::system_roots();
        let (tls_certs_only, extra_root_certificates) = if system.is_empty() {
            (Vec::new(), ca.into_iter().collect())
        } else {
            let roots = system.iter().map(|der| Certificate {
                encoding: CertificateEncoding::Der,
                data: der.clone(),
            });
            (roots.chain(ca).collect(), Vec::new())
        };
        let timeout = settings().request_timeout;
        Client::new(ClientConfig {
            protocol: ClientProtocol::HttpsExcept(self.insecure.clone()),
            connect_timeout: Some(timeout.min(Duration::from_secs(10))),
            read_timeout,
            use_monolithic_push: self.monolithic_push,
            tls_certs_only,
            extra_root_certificates,
            ..ClientConfig::default()
        })
    }

    /// `client` (this client's oci-client, or its streaming one) set to authorize requests
    /// for `image`'s repository with what `scopes` need: acrt's own token (see
    /// [`token`]: fetched once per registry, login and scopes, with errors that name the
    /// token service), the login for a registry that takes basic auth, or nothing. oci-client
    /// then asks nothing itself (its own token fetch would send the login to any realm,
    /// ask one scope only, and drop the service's errors).
    async fn authorize<'c>(
        &self,
        client: &'c Client,
        image: &ImageRef,
        scopes: &[Scope],
    ) -> Result<&'c Client> {
        let auth = match self.authorization(image, scopes).await? {
            Authorization::None => return Ok(client),
            Authorization::Basic(l) => RegistryAuth::Basic(l.username, l.password),
            Authorization::Bearer(token) => RegistryAuth::Bearer(token),
        };
        let pushes = scopes
            .iter()
            .any(|s| s.push && s.repository == image.repository);
        let operation = if pushes {
            oci_client::RegistryOperation::Push
        } else {
            oci_client::RegistryOperation::Pull
        };
        client
            .auth(&to_reference(image), &auth, operation)
            .await
            .map_err(|e| registry_error(image, &e))?;
        Ok(client)
    }

    /// What a request to `image`'s registry needing `scopes` carries, with this client's
    /// login for it.
    async fn authorization(&self, image: &ImageRef, scopes: &[Scope]) -> Result<Authorization> {
        let registry = image.api_registry();
        let login = self.credentials.lookup(registry);
        tokens()
            .authorization(registry, scopes, login.as_ref())
            .await
    }

    /// This client's oci-client, authorized to push to `image`'s repository.
    pub(crate) async fn pushing(&self, image: &ImageRef) -> Result<&Client> {
        self.authorize(self.client(), image, &[Scope::push(&image.repository)])
            .await
    }

    /// Resolves `image` (by tag or digest) to its digests for `platform`. The body's sha256
    /// is checked against the digest the registry states: a mismatch is an error, never used.
    pub async fn resolve(&self, image: &ImageRef, platform: &Platform) -> Result<ResolvedImage> {
        let manifest = self.manifest_json(image).await?;
        resolved_from(image, platform, &manifest.json, manifest.digest)
    }

    /// [`RegistryClient::resolve`], and for a single-platform image the platform its config
    /// says it is built for (None for an index, which names many): one read of the manifest.
    pub async fn resolve_with_platform(
        &self,
        image: &ImageRef,
        platform: &Platform,
    ) -> Result<(ResolvedImage, Option<Platform>)> {
        let (resolved, facts) = self.resolve_with_config(image, platform).await?;
        Ok((resolved, facts.and_then(|f| f.platform)))
    }

    /// [`RegistryClient::resolve`], and for a single-platform image what its config says
    /// (None for an index): one read of the manifest, one of the config.
    pub async fn resolve_with_config(
        &self,
        image: &ImageRef,
        platform: &Platform,
    ) -> Result<(ResolvedImage, Option<ConfigFacts>)> {
        let manifest = self.manifest_json(image).await?;
        let facts = self.facts_in_config(image, &manifest.json).await?;
        Ok((
            resolved_from(image, platform, &manifest.json, manifest.digest)?,
            facts,
        ))
    }

    /// What `image`'s tag points to, and each of `platforms`' digest in it (None for a
    /// platform it has no image for): one read of the index.
    pub async fn resolve_each(
        &self,
        image: &ImageRef,
        platforms: &[Platform],
    ) -> Result<(String, Vec<Option<String>>)> {
        let ManifestRead {
            json: manifest,
            digest,
            ..
        } = self.manifest_json(image).await?;
        let each = platforms
            .iter()
            .map(|p| {
                resolved_from(image, p, &manifest, digest.clone())
                    .ok()
                    .map(|r| r.platform_digest)
            })
            .collect();
        Ok((digest, each))
    }

    /// A manifest (or index) read as JSON, with its verified digest and its size.
    pub(crate) async fn manifest_json(&self, image: &ImageRef) -> Result<ManifestRead> {
        let (body, digest) = self.manifest(image).await?;
        let json: Value = serde_json::from_slice(&body).map_err(|e| {
            failed(format!(
                "{image}: the registry sent a manifest that is not JSON ({e})"
            ))
        })?;
        Ok(ManifestRead {
            json,
            digest,
            size: body.len() as u64,
        })
    }

    /// A manifest (or index) as the registry stores it, and its verified digest.
    pub async fn manifest(&self, image: &ImageRef) -> Result<(Vec<u8>, String)> {
        self.retrying_each_within_deadline(image, || self.get_manifest(image))
            .await
    }

    /// The platform a single-platform image says it is built for (its config's os,
    /// architecture and variant); None for an index, which names many.
    pub async fn image_platform(&self, image: &ImageRef) -> Result<Option<Platform>> {
        Ok(self.image_facts(image).await?.and_then(|f| f.platform))
    }

    /// What a single-platform image's config says (None for an index): one manifest read,
    /// one config read.
    pub async fn image_facts(&self, image: &ImageRef) -> Result<Option<ConfigFacts>> {
        let manifest = self.manifest_json(image).await?;
        self.facts_in_config(image, &manifest.json).await
    }

    /// What the config of the single-platform `manifest` says; None for an index.
    async fn facts_in_config(
        &self,
        image: &ImageRef,
        manifest: &Value,
    ) -> Result<Option<ConfigFacts>> {
        if manifest["config"]["digest"].as_str().is_none() {
            return Ok(None);
        }
        let config = self.config(image, &manifest["config"]).await?;
        Ok(Some(ConfigFacts::of(&config)))
    }

    /// An image's config (the blob its manifest's `config` descriptor names), read whole
    /// within the request deadline and at most as large as the descriptor says.
    pub(crate) async fn config(&self, image: &ImageRef, descriptor: &Value) -> Result<Value> {
        if descriptor["digest"].as_str().is_none() {
            return Err(failed(format!("{image}: its manifest names no config")));
        }
        let bytes = self
            .blob_within(image, descriptor, MAX_CONFIG_BYTES)
            .await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| failed(format!("{image}: its config is not JSON ({e})")))
    }

    /// The blob of `image`'s repository that `descriptor` names, read whole within the
    /// request deadline, at most as large as the descriptor says and never more than `bound`,
    /// and checked against its digest.
    pub(crate) async fn blob_within(
        &self,
        image: &ImageRef,
        descriptor: &Value,
        bound: u64,
    ) -> Result<Vec<u8>> {
        let digest = descriptor["digest"].as_str().ok_or_else(|| {
            failed(format!(
                "registry {}: a descriptor in {image} names no blob digest",
                image.registry
            ))
        })?;
        let limit = descriptor["size"]
            .as_u64()
            .map_or(bound, |size| size.min(bound));
        self.retrying_each_within_deadline(image, || self.get_blob(image, digest, limit, bound))
            .await
    }

    /// One GET of a blob by acrt's own client (no oci-client is built for it, nor the root
    /// store it reads), read at most `limit` bytes (of at most `bound`) and checked against
    /// its digest.
    async fn get_blob<'a>(
        &'a self,
        image: &'a ImageRef,
        digest: &str,
        limit: u64,
        bound: u64,
    ) -> std::result::Result<Vec<u8>, Failure<'a>> {
        let url = format!(
            "{}://{}/v2/{}/blobs/{digest}",
            scheme(image.api_registry()),
            image.api_registry(),
            image.repository
        );
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let (body, whole) = self
            .get_within(image, &url, limit, NotFound::IsError)
            .await?
            .unwrap_or_default();
        if !whole {
            return Err(Failure::Final(failed(format!(
                "registry {}: the blob {digest} of {image} is larger than {limit} bytes (what \
                 its descriptor states, at most {} MiB); it is not read",
                image.registry,
                bound >> 20
            ))));
        }
        if !blob_matches(&body, digest) {
            return Err(Failure::Final(failed(format!(
                "registry {}: the blob {digest} of {image} does not match its digest; it is not used",
                image.registry
            ))));
        }
        Ok(body)
    }

    /// One GET of `url` on `image`'s registry, its body read at most `limit` bytes: the
    /// body and whether that was all of it. An answer other than success is the registry's
    /// error, its page read no further than an error message keeps; a 404 is None when
    /// `not_found` says so.
    pub(crate) async fn get_within<'a>(
        &'a self,
        image: &'a ImageRef,
        url: &str,
        limit: usize,
        not_found: NotFound,
    ) -> std::result::Result<Option<(Vec<u8>, bool)>, Failure<'a>> {
        let response = self.get_answered(image, url).await?;
        let mut response = self.followed_to_https(image, response).await?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND && not_found == NotFound::IsNone {
            return Ok(None);
        }
        if !status.is_success() {
            let (body, _) = read_at_most(&mut response, crate::error::MAX_ERROR_TEXT)
                .await
                .unwrap_or_default();
            return Err(Failure::Registry {
                client: self,
                image,
                error: answer_error(status, &body, url),
            });
        }
        // A body held open past the deadline is not asked again (see `within_deadline`).
        let answer =
            read_at_most(&mut response, limit)
                .await
                .map_err(|e| match e.is_timeout() {
                    true => Failure::Final(timed_out(image)),
                    false => self.failure(image, e),
                })?;
        Ok(Some(answer))
    }

    /// A GET of `url` on `image`'s registry with this client's pull authorization.
    async fn get_answered<'a>(
        &'a self,
        image: &'a ImageRef,
        url: &str,
    ) -> std::result::Result<reqwest::Response, Failure<'a>> {
        let request = self.authorized(image, reqwest::Method::GET, url).await?;
        request.send().await.map_err(|e| self.failure(image, e))
    }

    /// A plain-http registry's redirect of a blob to https storage, followed by the client
    /// that trusts certificates (the plain one stops there), without the registry's login.
    async fn followed_to_https<'a>(
        &'a self,
        image: &'a ImageRef,
        response: reqwest::Response,
    ) -> std::result::Result<reqwest::Response, Failure<'a>> {
        let location = response
            .status()
            .is_redirection()
            .then(|| response.headers().get(reqwest::header::LOCATION))
            .flatten()
            .and_then(|l| l.to_str().ok())
            .and_then(|l| response.url().join(l).ok())
            .filter(|url| url.scheme() == "https");
        let Some(location) = location else {
            return Ok(response);
        };
        let client = self.http.for_url(location.as_str())?;
        client
            .get(location)
            .send()
            .await
            .map_err(|e| self.failure(image, e))
    }

    /// The digest a tag resolves to now (HEAD; a GET, hashed, when the registry sends no
    /// digest).
    pub async fn head_digest(&self, image: &ImageRef) -> Result<String> {
        let stated = self
            .retrying_each_within_deadline(image, || async {
                let response = self.send(reqwest::Method::HEAD, image).await?;
                Ok(header_digest(&response))
            })
            .await?;
        match stated {
            Some(digest) => Ok(digest),
            None => Ok(self.manifest(image).await?.1),
        }
    }

    /// One GET of a manifest, read at most [`MAX_MANIFEST_BYTES`] (oci-client reads a body
    /// whole, whatever its size), checked against the digest it is asked by and the one the
    /// registry states.
    async fn get_manifest<'a>(
        &'a self,
        image: &'a ImageRef,
    ) -> std::result::Result<(Vec<u8>, String), Failure<'a>> {
        let mut response = self.send(reqwest::Method::GET, image).await?;
        if response
            .content_length()
            .is_some_and(|n| n > MAX_MANIFEST_BYTES as u64)
        {
            return Err(Failure::Final(manifest_too_large(image)));
        }
        let stated = header_digest(&response);
        let (body, whole) = read_at_most(&mut response, MAX_MANIFEST_BYTES)
            .await
            .map_err(|e| self.failure(image, e))?;
        if !whole {
            return Err(Failure::Final(manifest_too_large(image)));
        }
        let digest = verified_digest(image, &body, stated.as_deref())?;
        Ok((body, digest))
    }

    /// A manifest request (GET or HEAD) with the fixed Accept set and this client's login for
    /// the registry; an answer other than success is the registry's error.
    async fn send<'a>(
        &'a self,
        method: reqwest::Method,
        image: &'a ImageRef,
    ) -> std::result::Result<reqwest::Response, Failure<'a>> {
        let url = manifest_url(image);
        // A token service's failure is explained where it happened; it is not asked again.
        let request = self.authorized(image, method, &url).await?;
        let mut response = request.send().await.map_err(|e| self.failure(image, e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        if matches!(status.as_u16(), 401 | 403) {
            let login = self.credentials.lookup(image.api_registry());
            let why = token::refusal(
                &response,
                &image.registry,
                &image.repository,
                "pull",
                login.as_ref(),
            );
            return Err(Failure::Final(Outcome::of_response(&response).error(
                &format!(
                    "registry {}: cannot resolve {image}: {status}",
                    image.registry
                ),
                &why,
            )));
        }
        // An error page is read no further than what an error message keeps of it.
        let (body, _) = read_at_most(&mut response, crate::error::MAX_ERROR_TEXT)
            .await
            .unwrap_or_default();
        Err(Failure::Registry {
            client: self,
            image,
            error: answer_error(status, &body, &url),
        })
    }

    /// A manifest request to `url` of `image`'s registry, authorized to pull it.
    async fn authorized(
        &self,
        image: &ImageRef,
        method: reqwest::Method,
        url: &str,
    ) -> Result<reqwest::RequestBuilder> {
        let scopes = [Scope::pull(&image.repository)];
        let authorization = self.authorization(image, &scopes).await?;
        let request = self
            .http
            .for_url(url)?
            .request(method, url)
            .header("Accept", MANIFEST_MEDIA_TYPES.join(", "));
        Ok(match authorization.header() {
            Some(value) => request.header("Authorization", value),
            None => request,
        })
    }

    fn failure<'a>(&'a self, image: &'a ImageRef, e: reqwest::Error) -> Failure<'a> {
        Failure::Registry {
            client: self,
            image,
            error: e.into(),
        }
    }
}

/// The most of a manifest acrt reads: distribution's own limit for a manifest it accepts.
pub const MAX_MANIFEST_BYTES: usize = 4 << 20;

/// The most of an image config acrt reads (besides never more than its descriptor says).
pub(crate) const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// The error for a manifest over [`MAX_MANIFEST_BYTES`].
pub(crate) fn manifest_too_large(image: &ImageRef) -> anyhow::Error {
    failed(format!(
        "registry {}: the manifest of {image} is larger than {} MiB, the most a registry \
         accepts (distribution's limit); it is not read: check what the registry serves under that name",
        image.registry,
        MAX_MANIFEST_BYTES >> 20
    ))
}

/// A response's body up to `limit` bytes, and whether that was all of it.
pub(crate) async fn read_at_most(
    response: &mut reqwest::Response,
    limit: usize,
) -> reqwest::Result<(Vec<u8>, bool)> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            body.extend_from_slice(&chunk[..limit - body.len()]);
            return Ok((body, false));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, true))
}

/// Whether `body` has `digest` (sha256 or sha512).
fn blob_matches(body: &[u8], digest: &str) -> bool {
    use sha2::Digest as _;
    match digest.split_once(':') {
        Some(("sha256", hex)) => format!("{:x}", sha2::Sha256::digest(body)) == hex,
        Some(("sha512", hex)) => format!("{:x}", sha2::Sha512::digest(body)) == hex,
        _ => false,
    }
}

/// The digest of `body`, checked against the digest the image is asked by and the one the
/// registry states (when sha256): a mismatch is an error, never used.
fn verified_digest(
    image: &ImageRef,
    body: &[u8],
    stated: Option<&str>,
) -> std::result::Result<String, Failure<'static>> {
    use sha2::Digest as _;
    let sha256 = sha256_digest(body);
    let computed = match image.digest.as_deref() {
        Some(d) if d.starts_with("sha512:") => {
            format!("sha512:{:x}", sha2::Sha512::digest(body))
        }
        _ => sha256.clone(),
    };
    let expected = image
        .digest
        .as_deref()
        .into_iter()
        .chain(stated.filter(|s| s.starts_with("sha256:")));
    for want in expected {
        let have = if want.starts_with("sha256:") {
            &sha256
        } else {
            &computed
        };
        if want != have {
            return Err(Failure::Final(failed(format!(
                "registry {}: the manifest of {image} does not match its digest ({want}, content {have}); it is not used",
                image.registry
            ))));
        }
    }
    Ok(computed)
}

/// The Docker-Content-Digest header, when it is a well-formed digest.
pub(crate) fn header_digest(response: &reqwest::Response) -> Option<String> {
    let value = response
        .headers()
        .get("docker-content-digest")?
        .to_str()
        .ok()?
        .trim();
    let (algorithm, hex) = value.split_once(':')?;
    let length = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        _ => return None,
    };
    (hex.len() == length
        && hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    .then(|| value.to_string())
}

/// A registry's answer other than success, as oci-client would report it (so that one rule
/// retries and explains it): 401 unauthorized, the OCI error envelope of a 4xx, else the
/// status and the start of the body.
fn answer_error(
    status: reqwest::StatusCode,
    body: &[u8],
    url: &str,
) -> oci_client::errors::OciDistributionError {
    use oci_client::errors::{OciDistributionError as E, OciEnvelope};
    if status == reqwest::StatusCode::UNAUTHORIZED {
        return E::UnauthorizedError {
            url: url.to_string(),
        };
    }
    if status.is_client_error()
        && let Ok(envelope) = serde_json::from_slice::<OciEnvelope>(body)
    {
        return E::RegistryError {
            envelope,
            url: url.to_string(),
        };
    }
    E::ServerError {
        code: status.as_u16(),
        url: url.to_string(),
        message: crate::error::clip_text(&String::from_utf8_lossy(body)).into_owned(),
    }
}

/// Attempts per request: a 429, a 5xx or a dropped connection is tried again, up to this
/// many times in all. After a 429 acrt waits as long as the registry's Retry-After says (at
/// most [`MAX_RETRY_AFTER`]); otherwise the delay doubles from 500 ms.
const MAX_ATTEMPTS: u32 = 4;

/// The longest Retry-After acrt waits out; a registry asking for more gets an error (and, in
/// watch, a back-off) instead of a hung command.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// What a 404 answer to a GET is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotFound {
    /// The registry's error, as any other answer but success.
    IsError,
    /// Nothing there (a registry without the referrers API): the GET's answer is None.
    IsNone,
}

/// Why one attempt at a registry request failed.
pub(crate) enum Failure<'a> {
    /// The registry's answer or a broken connection, as oci-client reports them, with the
    /// client that asked and the image it was about: tried again when [`retry_kind`] says
    /// so, else explained by [`registry_error`].
    Registry {
        client: &'a RegistryClient,
        image: &'a ImageRef,
        error: oci_client::errors::OciDistributionError,
    },
    /// Not worth another attempt (a stall, a manifest too large, a wrong digest).
    Final(anyhow::Error),
}

impl From<anyhow::Error> for Failure<'_> {
    fn from(e: anyhow::Error) -> Self {
        Failure::Final(e)
    }
}

/// The one retry rule: `attempt` is made again after a 429 (as long as the registry's
/// Retry-After says), a 5xx or a dropped connection, up to [`MAX_ATTEMPTS`] in all.
pub(crate) async fn retrying<'a, T, F, Fut>(mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<T, Failure<'a>>>,
{
    let mut delay = Duration::from_millis(500);
    let mut attempts = 1;
    loop {
        let (client, image, e) = match attempt().await {
            Ok(value) => return Ok(value),
            Err(Failure::Final(e)) => return Err(e),
            Err(Failure::Registry {
                client,
                image,
                error,
            }) => (client, image, error),
        };
        let wait = match retry_kind(&e) {
            Some(_) if attempts >= MAX_ATTEMPTS => None,
            Some(Retry::TooManyRequests) => match client.retry_after(image).await {
                Some(wait) if wait > MAX_RETRY_AFTER => {
                    return Err(failed(format!(
                        "registry {}: rate limited on {image}; it asks to retry after {} s; try again later",
                        image.registry,
                        wait.as_secs()
                    )));
                }
                Some(wait) => Some(wait),
                None => Some(delay.max(Duration::from_secs(2))),
            },
            Some(Retry::Transient) => Some(delay),
            None => None,
        };
        let Some(wait) = wait else {
            return Err(registry_error(image, &e));
        };
        tokio::time::sleep(wait).await;
        delay *= 2;
        attempts += 1;
    }
}

/// `request` bounded by the request deadline as a whole. A registry that holds a request
/// open is not asked again: it would hold the next one as long.
pub(crate) async fn within_deadline<T>(
    image: &ImageRef,
    request: impl std::future::Future<Output = T>,
) -> std::result::Result<T, Failure<'static>> {
    let deadline = settings().request_timeout;
    tokio::time::timeout(deadline, request)
        .await
        .map_err(|_| Failure::Final(timed_out(image)))
}

/// A request about `image` that did not end within the request deadline.
fn timed_out(image: &ImageRef) -> anyhow::Error {
    failed(format!(
        "registry {}: timed out after {} s on {image}; check that it is up and reachable, \
         or allow more time with 'acrt config set core.registry_timeout=SECONDS'",
        image.registry,
        settings().request_timeout.as_secs()
    ))
}

impl RegistryClient {
    /// An oci-client request about `image`, read whole: each attempt within the request
    /// deadline, retried by [`retrying`]'s rule.
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
        self.retrying_each_within_deadline(image, || {
            let attempt = request();
            async move {
                attempt.await.map_err(|error| Failure::Registry {
                    client: self,
                    image,
                    error,
                })
            }
        })
        .await
    }

    /// [`retrying`], each attempt within the request deadline.
    async fn retrying_each_within_deadline<'a, T, F, Fut>(
        &'a self,
        image: &'a ImageRef,
        mut attempt: F,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = std::result::Result<T, Failure<'a>>>,
    {
        retrying(|| {
            let attempt = attempt();
            async move { within_deadline(image, attempt).await? }
        })
        .await
    }

    /// How long a rate-limited registry asks us to wait. oci-client does not hand back
    /// response headers with its errors, so this asks once more (with the same credentials)
    /// and reads Retry-After (seconds, or an HTTP date) from the 429.
    async fn retry_after(&self, image: &ImageRef) -> Option<std::time::Duration> {
        let request = self
            .authorized(image, reqwest::Method::HEAD, &manifest_url(image))
            .await
            .ok()?;
        let response = within_deadline(image, request.send()).await.ok()?.ok()?;
        if response.status().as_u16() != 429 {
            return None;
        }
        retry_after_of(&response)
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
/// The Retry-After a registry's answer (a 429) gives, if any.
fn retry_after_of(response: &reqwest::Response) -> Option<std::time::Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?;
    parse_retry_after(value.to_str().ok()?)
}

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
        E::RegistryError { .. } if matches!(Outcome::of_oci(e), Outcome::RateLimited { .. }) => {
            Some(Retry::TooManyRequests)
        }
        E::RequestError(r) if is_transient(r) => Some(Retry::Transient),
        // A blob stream's broken connection comes wrapped in an io::Error.
        E::IoError(io)
            if io
                .get_ref()
                .and_then(|e| e.downcast_ref::<reqwest::Error>())
                .is_some_and(is_transient) =>
        {
            Some(Retry::Transient)
        }
        _ => None,
    }
}

fn is_transient(r: &reqwest::Error) -> bool {
    r.is_connect() || r.is_timeout() || r.is_request() || r.is_body()
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

/// The platform an index entry names, as `os/architecture[/variant]`.
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

/// What `manifest` (read for `image` by `digest`) resolves to for `platform`: the index's
/// entry for it, or the manifest itself.
fn resolved_from(
    image: &ImageRef,
    platform: &Platform,
    manifest: &Value,
    digest: String,
) -> Result<ResolvedImage> {
    let platform_digest = match manifest.get("manifests").and_then(Value::as_array) {
        Some(entries) => pick_platform(entries, platform).ok_or_else(|| {
            let available: std::collections::BTreeSet<String> =
                entries.iter().filter_map(platform_of).collect();
            let available = Vec::from_iter(available).join(", ");
            failed(format!(
                "{image} has no image for {platform} (it has: {}); build for one of those with --platform",
                crate::error::clip_text(&available)
            ))
        })?,
        None => digest.clone(),
    };
    Ok(ResolvedImage {
        index_digest: digest,
        platform_digest,
    })
}

/// An error that names the registry, the image and what to do, of the kind the registry's
/// answer is ([`Outcome::of_oci`]).
fn registry_error(
    image: &ImageRef,
    err: &oci_client::errors::OciDistributionError,
) -> anyhow::Error {
    // A registry's error page can be of any size.
    let text = crate::error::clip_text(&error_chain_text(err)).into_owned();
    let outcome = Outcome::of_oci(err);
    outcome.error(
        &format!(
            "registry {}: cannot resolve {image}: {text}",
            image.registry
        ),
        &outcome.hint(&image.registry),
    )
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
