//! What a real registry cannot do on demand: 429s, 5xx, dropped connections, missing and
//! wrong digests. An in-process HTTP server (wiremock) stands in for the registry.

use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use acrt::model::Platform;
use acrt::model::image::ImageRef;
use acrt::registry::{Credentials, RegistryClient};

const MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#;
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

fn digest_of(body: &str) -> String {
    format!("sha256:{:x}", Sha256::digest(body.as_bytes()))
}

async fn registry() -> (MockServer, RegistryClient, ImageRef) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let addr = server.address().to_string();
    let client = RegistryClient::new(Credentials::default(), std::slice::from_ref(&addr));
    let image = ImageRef::parse(&format!("{addr}/app:1")).unwrap();
    (server, client, image)
}

fn ok_head() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("Docker-Content-Digest", digest_of(MANIFEST).as_str())
        .insert_header("Content-Type", OCI_MANIFEST)
}

#[tokio::test]
async fn server_errors_are_retried() {
    let (server, client, image) = registry().await;
    Mock::given(method("HEAD"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(ok_head())
        .with_priority(2)
        .mount(&server)
        .await;
    assert_eq!(
        client.head_digest(&image).await.unwrap(),
        digest_of(MANIFEST)
    );
}

#[tokio::test]
async fn rate_limits_wait_as_long_as_retry_after_says() {
    let (server, client, image) = registry().await;
    // The failed HEAD, the GET it falls back to, and the probe that reads Retry-After.
    let limited = || ResponseTemplate::new(429).insert_header("Retry-After", "3");
    Mock::given(method("HEAD"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(limited())
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(limited())
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(ok_head())
        .with_priority(2)
        .mount(&server)
        .await;
    let started = Instant::now();
    assert_eq!(
        client.head_digest(&image).await.unwrap(),
        digest_of(MANIFEST)
    );
    // 3 s is what the registry asked for: more than acrt's own 2 s minimum after a 429.
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "it waited as asked: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_longer_than_a_minute_is_an_error() {
    let (server, client, image) = registry().await;
    let limited = || ResponseTemplate::new(429).insert_header("Retry-After", "3600");
    Mock::given(method("HEAD"))
        .respond_with(limited())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(limited())
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = format!("{:#}", client.head_digest(&image).await.unwrap_err());
    assert!(
        err.contains("rate limited") && err.contains("3600"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_registry_that_keeps_failing_gives_a_clear_error() {
    let (server, client, image) = registry().await;
    Mock::given(method("HEAD"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let err = format!("{:#}", client.head_digest(&image).await.unwrap_err());
    assert!(
        err.contains(&format!("registry {}", server.address())) && err.contains("app:1"),
        "{err}"
    );
    assert!(err.contains("reachable"), "{err}");
}

#[tokio::test]
async fn a_missing_digest_header_means_get_and_hash() {
    let (server, client, image) = registry().await;
    Mock::given(method("HEAD"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(ResponseTemplate::new(200).insert_header("Content-Type", OCI_MANIFEST))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Type", OCI_MANIFEST)
                .set_body_string(MANIFEST),
        )
        .mount(&server)
        .await;
    assert_eq!(
        client.head_digest(&image).await.unwrap(),
        digest_of(MANIFEST)
    );
}

#[tokio::test]
async fn a_digest_that_does_not_match_the_content_is_refused() {
    let (server, client, image) = registry().await;
    let wrong = format!("sha256:{}", "0".repeat(64));
    Mock::given(method("GET"))
        .and(path("/v2/app/manifests/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Type", OCI_MANIFEST)
                .insert_header("Docker-Content-Digest", wrong.as_str())
                .set_body_string(MANIFEST),
        )
        .mount(&server)
        .await;
    let err = format!(
        "{:#}",
        client
            .resolve(&image, &Platform::default())
            .await
            .unwrap_err()
    );
    assert!(err.to_lowercase().contains("digest"), "{err}");
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let digest = digest_of(MANIFEST);
    tokio::spawn(async move {
        let mut served = 0;
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            if request.starts_with("GET /v2/ ") {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                    .await;
                continue;
            }
            served += 1;
            if served == 1 {
                continue; // drop the first manifest request without an answer
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\nDocker-Content-Digest: {digest}\r\nContent-Type: {OCI_MANIFEST}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    let client = RegistryClient::new(Credentials::default(), std::slice::from_ref(&addr));
    let image = ImageRef::parse(&format!("{addr}/app:1")).unwrap();
    assert_eq!(
        client.head_digest(&image).await.unwrap(),
        digest_of(MANIFEST)
    );
}
