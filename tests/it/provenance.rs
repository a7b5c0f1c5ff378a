//! Signed provenance: what a run pushes with `signing.key` set carries a DSSE-signed in-toto
//! statement (attached with `subject`, found through the referrers tag schema on
//! distribution 2.8) and a cosign signature, both checked here with openssl, not with
//! acrt's own verifier alone.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::harness::{Registry, TestEnv, require, stderr, stdout};

const INDEX: &str = "application/vnd.oci.image.index.v1+json";
const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

fn openssl(args: &[&str]) -> std::process::Output {
    Command::new(require("openssl"))
        .args(args)
        .output()
        .expect("openssl")
}

/// A P-256 key pair made by openssl: (private PKCS#8 PEM, public PEM).
pub(crate) fn key_pair(dir: &Path) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let (key, public) = (dir.join("key.pem"), dir.join("pub.pem"));
    let out = openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        key.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = openssl(&[
        "pkey",
        "-in",
        key.to_str().unwrap(),
        "-pubout",
        "-out",
        public.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    (key, public)
}

/// Whether openssl finds `signature` (DER) to be `public`'s ECDSA-SHA256 signature of
/// `message`.
fn openssl_verifies(dir: &Path, public: &Path, message: &[u8], signature: &[u8]) -> bool {
    let (m, s) = (dir.join("message.bin"), dir.join("signature.der"));
    std::fs::write(&m, message).unwrap();
    std::fs::write(&s, signature).unwrap();
    openssl(&[
        "dgst",
        "-sha256",
        "-verify",
        public.to_str().unwrap(),
        "-signature",
        s.to_str().unwrap(),
        m.to_str().unwrap(),
    ])
    .status
    .success()
}

/// DSSE's pre-authentication encoding, written out here from the specification.
fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

fn b64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The provenance envelopes listed for `digest` under its referrers tag (the fallback
/// distribution 2.8 needs), each with its artifact manifest.
pub(crate) fn envelopes(
    registry: &Registry,
    repository: &str,
    digest: &str,
) -> Vec<(Value, Value)> {
    let tag = digest.replace(':', "-");
    let index = json_of(&registry.get_manifest_accepting(repository, &tag, INDEX));
    assert_eq!(index["mediaType"], INDEX, "{index}");
    index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["artifactType"] == "application/vnd.dsse.envelope.v1+json")
        .map(|d| {
            let artifact = json_of(&registry.get_manifest_accepting(
                repository,
                d["digest"].as_str().unwrap(),
                MANIFEST,
            ));
            assert_eq!(artifact["subject"]["digest"], json!(digest), "{artifact}");
            let layer = artifact["layers"][0]["digest"].as_str().unwrap();
            (
                artifact.clone(),
                json_of(&registry.get_blob(repository, layer)),
            )
        })
        .collect()
}

/// The digest of the one provenance artifact the referrers tag lists for `digest`.
fn found_digest(registry: &Registry, repository: &str, digest: &str) -> String {
    let index =
        json_of(&registry.get_manifest_accepting(repository, &digest.replace(':', "-"), INDEX));
    index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The statement of `envelope` once openssl verified its signature with `public`.
pub(crate) fn openssl_verified_statement(dir: &Path, public: &Path, envelope: &Value) -> Value {
    assert_eq!(envelope["payloadType"], "application/vnd.in-toto+json");
    let payload = b64(envelope["payload"].as_str().unwrap());
    let signature = b64(envelope["signatures"][0]["sig"].as_str().unwrap());
    assert!(
        openssl_verifies(
            dir,
            public,
            &pae("application/vnd.in-toto+json", &payload),
            &signature
        ),
        "openssl does not verify the envelope's signature"
    );
    serde_json::from_slice(&payload).unwrap()
}

/// Checks the cosign signature of `repository@digest` with openssl: the `.sig` tag's layer,
/// its payload naming the digest, its annotation the signature.
fn assert_cosign_signed(
    dir: &Path,
    public: &Path,
    registry: &Registry,
    repository: &str,
    digest: &str,
) {
    let tag = format!("{}.sig", digest.replace(':', "-"));
    let manifest = json_of(&registry.get_manifest(repository, &tag));
    let layer = &manifest["layers"][0];
    assert_eq!(
        layer["mediaType"],
        "application/vnd.dev.cosign.simplesigning.v1+json"
    );
    let payload = registry.get_blob(repository, layer["digest"].as_str().unwrap());
    let named = json_of(&payload);
    assert_eq!(
        named["critical"]["image"]["docker-manifest-digest"],
        json!(digest)
    );
    assert_eq!(
        named["critical"]["type"],
        "cosign container image signature"
    );
    let signature = b64(layer["annotations"]["dev.cosignproject.cosign/signature"]
        .as_str()
        .unwrap());
    assert!(
        openssl_verifies(dir, public, payload.as_bytes(), &signature),
        "openssl does not verify the cosign signature"
    );
}

const SLSA_V1: &str = "https://slsa.dev/provenance/v1";

/// The statement of the provenance under the `.att` tag of `repository@digest`, checked as
/// `cosign verify-attestation --key` reads it (cosign's own layout: the tag
/// `sha256-<hex>.att` holds an OCI image manifest with an image config whose rootfs lists the
/// layers; each layer a DSSE envelope of media type `application/vnd.dsse.envelope.v1+json`,
/// annotated with an empty `dev.cosignproject.cosign/signature` and its `predicateType`;
/// cosign takes an envelope of payload type in-toto, signed over the PAE, whose statement has
/// a subject with the image's sha256), the envelope's signature verified by openssl.
fn cosign_attested_statement(
    dir: &Path,
    public: &Path,
    registry: &Registry,
    repository: &str,
    digest: &str,
) -> Value {
    let tag = format!("{}.att", digest.replace(':', "-"));
    let manifest = json_of(&registry.get_manifest(repository, &tag));
    assert_eq!(manifest["schemaVersion"], 2, "{manifest}");
    assert_eq!(manifest["mediaType"], MANIFEST, "{manifest}");
    assert_eq!(
        manifest["config"]["mediaType"],
        "application/vnd.oci.image.config.v1+json"
    );
    let config =
        json_of(&registry.get_blob(repository, manifest["config"]["digest"].as_str().unwrap()));
    let layers = manifest["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 1, "{manifest}");
    let layer = &layers[0];
    assert_eq!(config["rootfs"]["diff_ids"], json!([layer["digest"]]));
    assert_eq!(layer["mediaType"], "application/vnd.dsse.envelope.v1+json");
    assert_eq!(
        layer["annotations"],
        json!({"dev.cosignproject.cosign/signature": "", "predicateType": SLSA_V1})
    );
    let envelope = json_of(&registry.get_blob(repository, layer["digest"].as_str().unwrap()));
    // An empty key id: cosign's DSSE verifier then tries the given key.
    assert_eq!(
        envelope["signatures"][0]["keyid"]
            .as_str()
            .unwrap_or_default(),
        ""
    );
    let statement = openssl_verified_statement(dir, public, &envelope);
    assert_eq!(statement["predicateType"], SLSA_V1);
    let names_image = statement["subject"].as_array().unwrap().iter().any(|s| {
        s["digest"]["sha256"]
            .as_str()
            .is_some_and(|hex| format!("sha256:{hex}") == digest)
    });
    assert!(names_image, "{statement}");
    statement
}

#[test]
fn a_signed_build_s_provenance_and_signature_verify_with_openssl() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    env.push_busybox_base("prov/base:1");
    let base_digest = env.registry(0).digest("prov/base", "1", None).unwrap();
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);
    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!(
                "FROM {reg}/prov/base:1\nARG LEVEL\nARG TOKEN\nRUN [\"/bin/busybox\", \"true\"]\n"
            ),
        )],
    );
    let run = env.json(&[
        "build",
        "-t",
        "prov/app:1",
        "--build-arg",
        "LEVEL=3",
        "--secret-build-arg",
        "TOKEN=s3cr3t-value",
        "--no-logs",
        app.to_str().unwrap(),
    ]);
    let digest = env.registry(0).digest("prov/app", "1", None).unwrap();

    let found = envelopes(env.registry(0), "prov/app", &digest);
    assert_eq!(found.len(), 1);
    let (artifact, envelope) = &found[0];
    assert_eq!(
        artifact["artifactType"],
        "application/vnd.dsse.envelope.v1+json"
    );
    assert!(!envelope.to_string().contains("s3cr3t-value"));
    let statement = openssl_verified_statement(&keys, &public, envelope);
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    assert_eq!(statement["predicateType"], "https://slsa.dev/provenance/v1");
    assert_eq!(
        statement["subject"][0]["name"],
        json!(format!("{reg}/prov/app"))
    );
    assert_eq!(
        statement["subject"][0]["digest"]["sha256"],
        json!(digest.strip_prefix("sha256:").unwrap())
    );
    let definition = &statement["predicate"]["buildDefinition"];
    let external = &definition["externalParameters"];
    assert_eq!(external["arguments"], json!({"LEVEL": "3"}), "{external}");
    assert_eq!(external["secretArguments"], json!(["TOKEN"]));
    assert_eq!(external["trigger"]["kind"], "Manual");
    let base = &definition["resolvedDependencies"][0];
    assert_eq!(base["uri"], json!(format!("oci://{reg}/prov/base:1")));
    assert_eq!(
        base["digest"]["sha256"],
        json!(base_digest.strip_prefix("sha256:").unwrap())
    );
    let details = &statement["predicate"]["runDetails"];
    assert_eq!(details["builder"]["id"], "urn:acrt:builder:buildah");
    assert!(details["metadata"]["invocationId"].is_string());
    assert_cosign_signed(&keys, &public, env.registry(0), "prov/app", &digest);

    // The run names what it attached, as show-run prints it.
    let shown = env.json(&[
        "task",
        "show-run",
        "--run-id",
        run["runId"].as_str().unwrap(),
    ]);
    assert_eq!(
        shown["attestations"],
        json!([{
            "image": format!("{reg}/prov/app@{digest}"),
            "provenance": found_digest(env.registry(0), "prov/app", &digest),
            "listed": "referrersTag",
            "signatureTag": format!("{}.sig", digest.replace(':', "-")),
            "attestationTag": format!("{}.att", digest.replace(':', "-")),
        }])
    );
    assert_eq!(shown["attestations"], run["attestations"]);

    // acrt's own verify agrees, and prints the statement or its summary.
    let image = format!("{reg}/prov/app:1");
    let key_arg = public.to_str().unwrap();
    let printed = env.json(&["verify", &image, "--key", key_arg]);
    assert_eq!(printed, statement);
    let table = stdout(&env.ok(&["verify", &image, "--key", key_arg, "-o", "table"]));
    assert!(
        table.contains("urn:acrt:builder:buildah") && table.contains("Manual"),
        "{table}"
    );
    assert!(
        table.contains(&format!("oci://{reg}/prov/base:1 {base_digest}")),
        "{table}"
    );
    // Without --key: the public half of signing.key.
    assert_eq!(env.json(&["verify", &image]), statement);

    // Another key's public key verifies nothing.
    let other = env.dir_with("other-keys", &[]);
    let (_, other_public) = key_pair(&other);
    let e = env.fails(
        &["verify", &image, "--key", other_public.to_str().unwrap()],
        1,
    );
    assert!(e.contains("no cosign signature by the given key"), "{e}");

    // An envelope larger than its descriptor states is not read past that size.
    understate_envelope(env.registry(0), "prov/app", &digest);
    let e = env.fails(&["verify", &image, "--key", key_arg], 1);
    assert!(
        e.contains("is larger than 1 bytes (what its descriptor states"),
        "{e}"
    );

    // A tampered envelope (its statement changed, its signature kept) is refused with exit 1.
    tamper(env.registry(0), "prov/app", &digest);
    let e = env.fails(&["verify", &image, "--key", key_arg], 1);
    assert!(e.contains("is not signed by the given key"), "{e}");
}

/// Lists for `repository@digest` a copy of its provenance whose envelope's descriptor
/// states a size of 1 byte.
fn understate_envelope(registry: &Registry, repository: &str, digest: &str) {
    let found = envelopes(registry, repository, digest);
    let mut understated = found[0].0.clone();
    understated["layers"][0]["size"] = json!(1);
    relist(registry, repository, digest, &understated.to_string());
}

/// Puts the artifact manifest `body` in the place of the first referrer listed for
/// `repository@digest` under its referrers tag.
fn relist(registry: &Registry, repository: &str, digest: &str, body: &str) {
    let artifact_digest = registry.put_manifest(
        repository,
        &format!("sha256:{}", sha256_hex(body.as_bytes())),
        MANIFEST,
        body,
    );
    let tag = digest.replace(':', "-");
    let mut index = json_of(&registry.get_manifest_accepting(repository, &tag, INDEX));
    index["manifests"][0]["digest"] = json!(artifact_digest);
    index["manifests"][0]["size"] = json!(body.len());
    registry.put_manifest(repository, &tag, INDEX, &index.to_string());
}

/// Replaces the provenance listed for `repository@digest` by one whose statement was changed
/// and whose signature was kept.
fn tamper(registry: &Registry, repository: &str, digest: &str) {
    let found = envelopes(registry, repository, digest);
    let (artifact, envelope) = &found[0];
    let mut forged =
        json_of(&String::from_utf8(b64(envelope["payload"].as_str().unwrap())).unwrap());
    forged["predicate"]["runDetails"]["builder"]["id"] = json!("urn:example:other");
    let mut tampered = envelope.clone();
    tampered["payload"] =
        json!(base64::engine::general_purpose::STANDARD.encode(forged.to_string()));
    let layer = registry.put_blob(repository, tampered.to_string().as_bytes());
    let mut forged_artifact = artifact.clone();
    forged_artifact["layers"][0]["digest"] = json!(layer);
    forged_artifact["layers"][0]["size"] = json!(tampered.to_string().len());
    relist(registry, repository, digest, &forged_artifact.to_string());
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// A python3 that has `cryptography` and `nacl` (Debian's python3-cryptography and
/// python3-nacl, which scripts/setup installs).
fn python_with_nacl() -> PathBuf {
    for candidate in ["/usr/bin/python3", "python3"] {
        let ok = Command::new(candidate)
            .args(["-c", "import nacl.secret, cryptography"])
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "a python3 with nacl and cryptography is needed (python3-nacl, python3-cryptography): run scripts/setup"
    );
}

/// cosign's encrypted key format, made independently of acrt: the PKCS#8 key sealed with
/// NaCl secretbox under a scrypt key (N=32768, r=8, p=1, as cosign), in JSON, in a PEM
/// block "ENCRYPTED SIGSTORE PRIVATE KEY".
const ENCRYPT_KEY: &str = r#"
import base64, hashlib, json, os, sys
import nacl.secret
from cryptography.hazmat.primitives import serialization
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
salt, nonce = os.urandom(32), os.urandom(24)
box_key = hashlib.scrypt(sys.argv[2].encode(), salt=salt, n=32768, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)
sealed = nacl.secret.SecretBox(box_key).encrypt(der, nonce).ciphertext
b = lambda x: base64.b64encode(x).decode()
doc = json.dumps({"kdf": {"name": "scrypt", "params": {"N": 32768, "r": 8, "p": 1}, "salt": b(salt)},
                  "cipher": {"name": "nacl/secretbox", "nonce": b(nonce)}, "ciphertext": b(sealed)}).encode()
text = base64.b64encode(doc).decode()
body = "".join(text[i:i + 64] + "\n" for i in range(0, len(text), 64))
sys.stdout.write("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n" + body + "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n")
"#;

#[test]
fn an_encrypted_cosign_key_signs_with_cosign_password_and_a_wrong_one_is_refused_first() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    let out = Command::new(python_with_nacl())
        .args(["-c", ENCRYPT_KEY, key.to_str().unwrap(), "hunter2-pass"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let encrypted = keys.join("cosign.key");
    std::fs::write(&encrypted, &out.stdout).unwrap();
    std::fs::remove_file(&key).unwrap();

    let e = env.fails(&["config", "set", "signing.key=/nonexistent/cosign.key"], 2);
    assert!(e.contains("is not a file"), "{e}");
    env.ok(&[
        "config",
        "set",
        &format!("signing.key={}", encrypted.display()),
    ]);
    let app = env.busybox_context(
        "app",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    let build = |env: &TestEnv| {
        env.run(&[
            "build",
            "-t",
            "enc/app:1",
            "--no-logs",
            "-o",
            "none",
            app.to_str().unwrap(),
        ])
    };
    // No password, or a wrong one: refused before anything is built or queued.
    let out = build(&env);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("COSIGN_PASSWORD"), "{}", stderr(&out));
    let env = env.with_env("COSIGN_PASSWORD", "wrong-pass");
    let out = build(&env);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be decrypted"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("wrong-pass"));
    assert_eq!(env.registry(0).digest("enc/app", "1", None), None);
    assert_eq!(env.json(&["task", "list-runs"]), json!([]));

    let env = env.with_env("COSIGN_PASSWORD", "hunter2-pass");
    let out = build(&env);
    assert!(out.status.success(), "{}", stderr(&out));
    let digest = env.registry(0).digest("enc/app", "1", None).unwrap();
    let found = envelopes(env.registry(0), "enc/app", &digest);
    let statement = openssl_verified_statement(&keys, &public, &found[0].1);
    assert_eq!(
        statement["subject"][0]["name"],
        json!(format!("{reg}/enc/app"))
    );
    assert_cosign_signed(&keys, &public, env.registry(0), "enc/app", &digest);
}

#[test]
fn a_base_change_s_rebuild_names_the_old_and_new_base_digests_in_its_provenance() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);
    env.push_patched_base("watched/base:1", "v1");
    let old = env.registry(0).digest("watched/base", "1", None).unwrap();
    env.built_task(
        "watched-app",
        &reg,
        "watched/app:1",
        &format!("FROM {reg}/watched/base:1\nRUN [\"/bin/busybox\", \"true\"]\n"),
    );
    env.push_patched_base("watched/base:1", "v2");
    let new = env.registry(0).digest("watched/base", "1", None).unwrap();
    assert_ne!(old, new);

    let out = env.ok(&["watch", "--once"]);
    assert!(
        stderr(&out).contains("watched-app is due"),
        "{}",
        stderr(&out)
    );
    let digest = env.registry(0).digest("watched/app", "1", None).unwrap();
    let found = envelopes(env.registry(0), "watched/app", &digest);
    assert_eq!(found.len(), 1, "one provenance for the rebuilt digest");
    let statement = openssl_verified_statement(&keys, &public, &found[0].1);
    let trigger = &statement["predicate"]["buildDefinition"]["externalParameters"]["trigger"];
    assert_eq!(trigger["kind"], "ImageUpdate", "{trigger}");
    assert_eq!(
        trigger["images"][0]["name"],
        json!(format!("{reg}/watched/base:1"))
    );
    assert_eq!(trigger["images"][0]["previousDigest"], json!(old));
    assert_eq!(trigger["images"][0]["digest"], json!(new));
    let table = stdout(&env.ok(&["verify", &format!("{reg}/watched/app:1"), "-o", "table"]));
    assert!(
        table.contains(&format!(
            "base {reg}/watched/base:1 moved from {old} to {new}"
        )),
        "{table}"
    );
}

/// The request lines (`METHOD /path`) of the registry's access log so far.
fn logged_requests(registry: &Registry) -> Vec<String> {
    registry
        .logged("HTTP/1.1\"")
        .iter()
        .filter_map(|l| l.split('"').nth(1).map(str::to_string))
        .collect()
}

/// Builds `repository:1` from a context of its own; (the requests the registry saw, seconds,
/// the image's digest, the run's log).
fn measured_build(env: &TestEnv, repository: &str) -> (Vec<String>, f64, String, String) {
    let dir = env.busybox_context(
        repository.replace('/', "-").as_str(),
        &[
            (
                "Dockerfile",
                "FROM scratch\nCOPY busybox /bin/busybox\nCOPY own.txt /own.txt\n",
            ),
            ("own.txt", repository),
        ],
    );
    let before = logged_requests(env.registry(0)).len();
    let started = std::time::Instant::now();
    let run = env.json(&[
        "build",
        "-t",
        &format!("{repository}:1"),
        "--no-logs",
        dir.to_str().unwrap(),
    ]);
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(run["status"], "Succeeded", "{run}");
    let log = stdout(&env.ok(&["task", "logs", "--run-id", run["runId"].as_str().unwrap()]));
    let requests = logged_requests(env.registry(0)).split_off(before);
    let digest = run["outputImages"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    (requests, seconds, digest, log)
}

/// What signing and attaching cost a run, beside the build itself: the requests the registry
/// saw from the first of signing's (the read of the pushed manifest by digest) on, the bytes
/// sent and the time, as the run's log reports them. `scripts/provenance-cost` prints these.
#[test]
fn signing_costs_a_run_a_few_requests_and_kilobytes() {
    let env = TestEnv::builder().registry().build();
    let keys = env.dir_with("keys", &[]);
    let (key, _) = key_pair(&keys);
    let (plain, plain_seconds, _, _) = measured_build(&env, "cost/plain");
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);
    let (signed, signed_seconds, digest, log) = measured_build(&env, "cost/signed");
    let first = signed
        .iter()
        .position(|r| r.starts_with(&format!("GET /v2/cost/signed/manifests/{digest} ")))
        .expect("signing reads the pushed manifest by digest first");
    let line = log
        .lines()
        .find(|l| l.contains("Signed "))
        .unwrap_or_else(|| panic!("no 'Signed' line in the log:\n{log}"));
    let figures: Vec<u64> = line
        .rsplit_once('(')
        .unwrap()
        .1
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let [requests, bytes, millis] = figures[..] else {
        panic!("{line}");
    };
    eprintln!(
        "provenance cost: a build without signing: {} requests, {plain_seconds:.2} s; the same \
         build signed: {} requests, {signed_seconds:.2} s, of which signing and attaching \
         {requests} requests ({} seen by the registry), {bytes} bytes sent, {millis} ms",
        plain.len(),
        signed.len(),
        signed.len() - first
    );
    // What the run counts is what the registry saw.
    assert_eq!(
        signed.len() - first,
        requests as usize,
        "{line}: {signed:#?}"
    );
    assert!(requests <= 20 && bytes < 16 * 1024, "{line}");
    // The image built before the key was set is not signed, and verify says so.
    let reg = env.registry(0).addr.clone();
    let e = env.fails(&["verify", &format!("{reg}/cost/plain:1")], 1);
    assert!(
        e.contains("has no cosign signature by the given key"),
        "{e}"
    );
}

#[test]
fn a_rebase_is_signed_and_its_provenance_names_the_digest_it_replaced() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);
    env.push_patched_base("rebased/base:1", "v1");
    let app = env.dir_with(
        "app",
        &[(
            "Dockerfile",
            &format!("FROM {reg}/rebased/base:1\nRUN [\"/bin/busybox\", \"true\"]\n"),
        )],
    );
    env.ok(&[
        "task",
        "create",
        "-n",
        "rebased-app",
        "-c",
        app.to_str().unwrap(),
        "-t",
        "rebased/app:1",
        "--base-image-update",
        "rebase",
        "-o",
        "none",
    ]);
    env.ok(&[
        "task",
        "run",
        "-n",
        "rebased-app",
        "--no-logs",
        "-o",
        "none",
    ]);
    let built = env.registry(0).digest("rebased/app", "1", None).unwrap();
    env.push_patched_base("rebased/base:1", "v2");
    let run = env.json(&["task", "rebase", "-n", "rebased-app"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    assert!(run["rebase"].is_object(), "{run}");
    let rebased = env.registry(0).digest("rebased/app", "1", None).unwrap();
    assert_ne!(built, rebased);
    let found = envelopes(env.registry(0), "rebased/app", &rebased);
    let statement = openssl_verified_statement(&keys, &public, &found[0].1);
    let definition = &statement["predicate"]["buildDefinition"];
    assert_eq!(definition["buildType"], "urn:acrt:buildtype:rebase:v1");
    assert_eq!(
        definition["internalParameters"]["rebase"]["replacedDigest"],
        json!(built)
    );
    assert_cosign_signed(&keys, &public, env.registry(0), "rebased/app", &rebased);
}

#[test]
fn a_task_file_s_push_and_a_mirror_copy_are_signed_too() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    env.push_busybox_base("signed/base:1");
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);

    let yaml = "version: v1.1.0\nsteps:\n  - build: -t $Registry/signed/steps:1 .\n  - push: [\"$Registry/signed/steps:1\"]\n";
    let dockerfile = format!("FROM {reg}/signed/base:1\nRUN [\"/bin/busybox\", \"true\"]\n");
    let dir = env.dir_with("steps", &[("acb.yaml", yaml), ("Dockerfile", &dockerfile)]);
    env.ok(&["run", dir.to_str().unwrap(), "-o", "none"]);
    let digest = env.registry(0).digest("signed/steps", "1", None).unwrap();
    let found = envelopes(env.registry(0), "signed/steps", &digest);
    let statement = openssl_verified_statement(&keys, &public, &found[0].1);
    let definition = &statement["predicate"]["buildDefinition"];
    assert_eq!(definition["buildType"], "urn:acrt:buildtype:taskfile:v1");
    assert_eq!(definition["externalParameters"]["taskFile"], "acb.yaml");
    assert_cosign_signed(&keys, &public, env.registry(0), "signed/steps", &digest);

    env.ok(&[
        "task",
        "create",
        "-n",
        "mirror",
        "--import-source",
        &format!("{reg}/signed/base:1"),
        "-t",
        "signed/mirror:1",
        "-o",
        "none",
    ]);
    env.ok(&["task", "run", "-n", "mirror", "--no-logs", "-o", "none"]);
    let digest = env.registry(0).digest("signed/mirror", "1", None).unwrap();
    let found = envelopes(env.registry(0), "signed/mirror", &digest);
    let statement = openssl_verified_statement(&keys, &public, &found[0].1);
    let definition = &statement["predicate"]["buildDefinition"];
    assert_eq!(definition["buildType"], "urn:acrt:buildtype:mirror:v1");
    assert_eq!(
        definition["externalParameters"]["source"],
        json!(format!("{reg}/signed/base:1"))
    );
    assert_eq!(
        statement["predicate"]["runDetails"]["builder"]["id"],
        "urn:acrt:builder:copy"
    );
    assert_cosign_signed(&keys, &public, env.registry(0), "signed/mirror", &digest);
}

#[test]
fn a_git_context_s_commit_is_a_resolved_dependency() {
    let env = TestEnv::builder().registry().build();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);
    let repo = env.git_repo(
        "git-context",
        &[
            ("Dockerfile", "FROM scratch\nCOPY a.txt /a.txt\n"),
            ("a.txt", "a"),
        ],
    );
    let head = crate::harness::git(
        Path::new(repo.strip_prefix("file://").unwrap()),
        &["rev-parse", "HEAD"],
    );
    env.ok(&[
        "build",
        "-t",
        "gitctx/app:1",
        "--no-logs",
        "-o",
        "none",
        &repo,
    ]);
    let digest = env.registry(0).digest("gitctx/app", "1", None).unwrap();
    let found = envelopes(env.registry(0), "gitctx/app", &digest);
    let statement = openssl_verified_statement(&keys, &public, &found[0].1);
    let dependencies = &statement["predicate"]["buildDefinition"]["resolvedDependencies"];
    assert_eq!(
        dependencies,
        &json!([{"name": "context", "uri": repo, "digest": {"gitCommit": head.trim()}}])
    );
}

/// A registry with the referrers API (distribution 2.8 has none, so an HTTP test server
/// stands in for one): it lists each manifest pushed with a `subject` under that subject.
mod referrers_api {
    use std::sync::{Arc, Mutex};

    use serde_json::{Value, json};
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

    use acrt::model::image::ImageRef;
    use acrt::registry::Descriptor;
    use acrt::registry::referrers::{Blob, Cost, Listing, attach, referrers};
    use acrt::registry::{Credentials, RegistryClient};

    /// Keeps every manifest pushed by digest, and answers the referrers API from them.
    #[derive(Clone, Default)]
    struct Referrers(Arc<Mutex<Vec<Value>>>);

    impl Respond for Referrers {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            if request.method.as_str() == "PUT" {
                let manifest: Value = serde_json::from_slice(&request.body).unwrap();
                let digest = request.url.path().rsplit('/').next().unwrap().to_string();
                self.0.lock().unwrap().push(json!({
                    "mediaType": manifest["mediaType"],
                    "digest": digest,
                    "size": request.body.len(),
                    "artifactType": manifest["artifactType"],
                    "subject": manifest["subject"]["digest"],
                }));
                return ResponseTemplate::new(201)
                    .insert_header("Location", request.url.path())
                    .insert_header(
                        "OCI-Subject",
                        manifest["subject"]["digest"].as_str().unwrap(),
                    );
            }
            let subject = request.url.path().rsplit('/').next().unwrap();
            let listed: Vec<Value> = self
                .0
                .lock()
                .unwrap()
                .iter()
                .filter(|m| m["subject"] == json!(subject))
                .cloned()
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "manifests": listed,
            }))
        }
    }

    #[tokio::test]
    async fn a_registry_with_the_referrers_api_lists_the_artifact_and_no_tag_is_written() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v2/"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/v2/app/blobs/uploads/"))
            .respond_with(
                ResponseTemplate::new(202).insert_header("Location", "/v2/app/blobs/uploads/u1"),
            )
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path("/v2/app/blobs/uploads/u1"))
            .respond_with(ResponseTemplate::new(201).insert_header("Location", "/v2/app/blobs/x"))
            .mount(&server)
            .await;
        let listed = Referrers::default();
        Mock::given(method("PUT"))
            .and(path_regex("^/v2/app/manifests/sha256:[0-9a-f]{64}$"))
            .respond_with(listed.clone())
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex("^/v2/app/referrers/sha256:[0-9a-f]{64}$"))
            .respond_with(listed.clone())
            .mount(&server)
            .await;
        let addr = server.address().to_string();
        let client =
            RegistryClient::for_pushing(Credentials::default(), std::slice::from_ref(&addr));
        let subject_digest = format!("sha256:{}", "b".repeat(64));
        let image = ImageRef::parse(&format!("{addr}/app@{subject_digest}")).unwrap();
        let subject = Descriptor {
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            digest: subject_digest.clone(),
            size: 7,
        };
        let envelope = Blob {
            media_type: "application/vnd.dsse.envelope.v1+json".into(),
            bytes: b"{\"payloadType\":\"x\"}".to_vec(),
            annotations: Default::default(),
        };
        let mut cost = Cost::default();
        let (digest, listing) = attach(
            &client,
            &image,
            &subject,
            "application/vnd.dsse.envelope.v1+json",
            &[envelope],
            Default::default(),
            &mut cost,
        )
        .await
        .unwrap();
        assert_eq!(listing, Listing::ReferrersApi);
        let (found, listing) = referrers(&client, &image, &subject_digest).await.unwrap();
        assert_eq!(listing, Listing::ReferrersApi);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0]["digest"], json!(digest));
        let tag = subject_digest.replace(':', "-");
        let requests = server.received_requests().await.unwrap();
        assert!(
            requests.iter().all(|r| !r.url.path().ends_with(&tag)),
            "no referrers tag read or written: {:?}",
            requests
                .iter()
                .map(|r| format!("{} {}", r.method, r.url.path()))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            cost.requests, 6,
            "two blobs (two requests each), the manifest, the API"
        );
    }
}

#[test]
fn a_build_s_provenance_is_also_a_cosign_attestation_under_the_att_tag() {
    let env = TestEnv::builder().registry().build();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);
    let app = env.busybox_context(
        "app",
        &[("Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\n")],
    );
    env.ok(&[
        "build",
        "-t",
        "att/app:1",
        "--no-logs",
        "-o",
        "none",
        app.to_str().unwrap(),
    ]);
    let digest = env.registry(0).digest("att/app", "1", None).unwrap();
    let attested = cosign_attested_statement(&keys, &public, env.registry(0), "att/app", &digest);
    // The same statement as the referrer's: one provenance, found both ways.
    let found = envelopes(env.registry(0), "att/app", &digest);
    assert_eq!(
        openssl_verified_statement(&keys, &public, &found[0].1),
        attested
    );
    assert_eq!(
        attested["predicate"]["buildDefinition"]["buildType"],
        "urn:acrt:buildtype:dockerfile:v1"
    );
}

#[test]
fn an_import_with_signing_is_signed_and_its_provenance_names_the_source_digest() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    env.push_busybox_base("imp/src:1");
    let source = env.registry(0).digest("imp/src", "1", None).unwrap();
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);

    let before = logged_requests(env.registry(0)).len();
    let out = env.json(&[
        "import",
        "-n",
        &reg,
        "--source",
        &format!("{reg}/imp/src:1"),
        "-t",
        "imp/copy:1",
    ]);
    let requests = logged_requests(env.registry(0)).split_off(before);
    let digest = env.registry(0).digest("imp/copy", "1", None).unwrap();
    assert_eq!(digest, source, "a copy has its source's digest");
    // The copy's manifest is known from copying it: signing does not read it back.
    assert!(
        !requests
            .iter()
            .any(|r| r.starts_with(&format!("GET /v2/imp/copy/manifests/{digest} "))),
        "{requests:#?}"
    );
    let found = envelopes(env.registry(0), "imp/copy", &digest);
    assert_eq!(found.len(), 1);
    let statement = openssl_verified_statement(&keys, &public, &found[0].1);
    assert_eq!(
        statement["subject"][0]["name"],
        json!(format!("{reg}/imp/copy"))
    );
    let definition = &statement["predicate"]["buildDefinition"];
    assert_eq!(definition["buildType"], "urn:acrt:buildtype:mirror:v1");
    let external = &definition["externalParameters"];
    assert_eq!(external["source"], json!(format!("{reg}/imp/src:1")));
    assert_eq!(external["images"], json!([format!("{reg}/imp/copy:1")]));
    assert_eq!(external["allPlatforms"], json!(true));
    assert_eq!(external["trigger"]["kind"], "Manual");
    assert_eq!(
        definition["resolvedDependencies"],
        json!([{
            "uri": format!("oci://{reg}/imp/src:1"),
            "name": format!("{reg}/imp/src:1"),
            "digest": {"sha256": source.strip_prefix("sha256:").unwrap()},
        }])
    );
    let details = &statement["predicate"]["runDetails"];
    assert_eq!(details["builder"]["id"], "urn:acrt:builder:copy");
    assert!(details["metadata"]["finishedOn"].is_string(), "{details}");
    assert!(
        details["metadata"].get("invocationId").is_none(),
        "no run: {details}"
    );
    assert_cosign_signed(&keys, &public, env.registry(0), "imp/copy", &digest);
    assert_eq!(
        cosign_attested_statement(&keys, &public, env.registry(0), "imp/copy", &digest),
        statement
    );
    // The import names what it attached, as a run does.
    assert_eq!(
        out["attestations"],
        json!([{
            "image": format!("{reg}/imp/copy@{digest}"),
            "provenance": found_digest(env.registry(0), "imp/copy", &digest),
            "listed": "referrersTag",
            "signatureTag": format!("{}.sig", digest.replace(':', "-")),
            "attestationTag": format!("{}.att", digest.replace(':', "-")),
        }])
    );
    let key_arg = public.to_str().unwrap();
    assert_eq!(
        env.json(&["verify", &format!("{reg}/imp/copy:1"), "--key", key_arg]),
        statement
    );
}

#[test]
fn task_graph_verify_marks_verified_unsigned_and_invalid_images() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    env.push_busybox_base("gv/base:1");
    env.push_busybox_base("gv/other:1");
    let on = |base: &str, name: &str| format!("FROM {reg}/gv/{base}:1\nENV T={name}\n");
    env.built_task("gv-plain", &reg, "gv/plain:1", &on("base", "plain"));
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);
    env.built_task("gv-signed", &reg, "gv/signed:1", &on("base", "signed"));
    env.built_task(
        "gv-tampered",
        &reg,
        "gv/tampered:1",
        &on("other", "tampered"),
    );
    let tampered = env.registry(0).digest("gv/tampered", "1", None).unwrap();
    tamper(env.registry(0), "gv/tampered", &tampered);
    let key_arg = public.to_str().unwrap();

    // Printed, then exit 1 for the invalid one, named with why.
    let out = env.run(&["task", "graph", "--verify", "--key", key_arg, "-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let graph = json_of(&stdout(&out));
    let check = |name: &str| graph["provenance"][format!("{reg}/gv/{name}:1")].clone();
    assert_eq!(check("signed")["status"], "verified", "{graph}");
    assert_eq!(check("signed")["task"], "gv-signed");
    assert_eq!(
        check("signed")["digest"],
        json!(env.registry(0).digest("gv/signed", "1", None).unwrap())
    );
    assert_eq!(check("plain")["status"], "unsigned", "{graph}");
    assert!(check("plain").get("reason").is_none(), "{graph}");
    assert_eq!(check("tampered")["status"], "invalid", "{graph}");
    assert_eq!(check("tampered")["digest"], json!(tampered));
    let reason = check("tampered")["reason"].as_str().unwrap().to_string();
    assert!(
        reason.contains("is not signed by the given key"),
        "{reason}"
    );
    let e = stderr(&out);
    assert!(
        e.contains("the provenance of 1 image(s) does not verify")
            && e.contains(&format!(
                "{reg}/gv/tampered:1 ({tampered}, task gv-tampered)"
            ))
            && e.contains(&reason),
        "{e}"
    );

    let out = env.run(&["task", "graph", "--verify", "--key", key_arg, "-o", "table"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::with_settings!({filters => vec![(r"127\.0\.0\.1:\d+", "[registry]")]}, {
        insta::assert_snapshot!("task_graph_verify", stdout(&out));
    });

    // Nothing invalid under this base: exit 0; the key is signing.key's public half.
    let graph = env.json(&["task", "graph", "--verify", "--base", "gv/base:1"]);
    let statuses: Vec<&Value> = graph["provenance"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| &c["status"])
        .collect();
    assert_eq!(statuses, vec!["unsigned", "verified"], "{graph}");
    // Without --verify: no check, no provenance field; --key alone is refused.
    assert!(env.json(&["task", "graph"]).get("provenance").is_none());
    env.fails(&["task", "graph", "--key", key_arg], 2);
}

/// Creates task `name` building `repository:1` from a COPY-only context of its own, its
/// times fixed (the same inputs, the same image), and runs it.
fn run_reproducible_task(env: &TestEnv, name: &str, repository: &str) -> Value {
    let dir = env.dir_with(
        name,
        &[
            ("Dockerfile", "FROM scratch\nCOPY own.txt /own.txt\n"),
            ("own.txt", name),
        ],
    );
    let image = format!("{repository}:1");
    let dir = dir.to_str().unwrap();
    let create = ["task", "create", "-n", name, "-c", dir, "-t", &image];
    env.ok(&[&create[..], &["--source-date-epoch", "1000", "-o", "none"]].concat());
    rerun(env, name)
}

fn rerun(env: &TestEnv, name: &str) -> Value {
    let run = env.json(&["task", "run", "-n", name, "--no-logs"]);
    assert_eq!(run["status"], "Succeeded", "{run}");
    run
}

fn log_of(env: &TestEnv, run: &Value) -> String {
    stdout(&env.ok(&["task", "logs", "--run-id", run["runId"].as_str().unwrap()]))
}

/// A signed task run again on the same inputs changes nothing and writes nothing (not one
/// PUT): its record names the signature and provenance the image already carries
/// (`existing`). A task first run without a key, then unchanged with one configured, is
/// signed by that run.
#[test]
fn an_unchanged_run_signs_only_an_image_that_is_not_signed_yet() {
    let env = TestEnv::builder().registry().build();
    let reg = env.registry(0).addr.clone();
    let keys = env.dir_with("keys", &[]);
    let (key, public) = key_pair(&keys);
    let late = run_reproducible_task(&env, "late-app", "unchanged/late");
    assert!(late["attestations"].is_null(), "{late}");
    env.ok(&["config", "set", &format!("signing.key={}", key.display())]);

    let first = run_reproducible_task(&env, "signed-app", "unchanged/signed");
    let made = &first["attestations"][0];
    assert!(
        made["provenance"].is_string() && made["existing"].is_null(),
        "{first}"
    );
    let puts = env.registry(0).requests("PUT ");
    let second = rerun(&env, "signed-app");
    let log = log_of(&env, &second);
    assert_eq!(second["unchanged"], json!(true), "{second}");
    assert_eq!(env.registry(0).requests("PUT "), puts, "no PUT: {log}");
    assert!(log.contains("Not signed again"), "{log}");
    let kept = &second["attestations"][0];
    assert_eq!(kept["existing"], json!(true), "{second}");
    for field in ["image", "provenance", "signatureTag", "listed"] {
        assert_eq!(kept[field], made[field], "{field}: {second}");
    }

    let before = logged_requests(env.registry(0)).len();
    let late = rerun(&env, "late-app");
    let requests = logged_requests(env.registry(0)).split_off(before);
    let log = log_of(&env, &late);
    assert_eq!(late["unchanged"], json!(true), "{late}");
    // The image's manifest is read to find the run unchanged, and once more to sign it: the
    // read that checks its signature names it as the provenance's subject too.
    let digest = late["outputImages"][0]["digest"].as_str().unwrap();
    let read = format!("GET /v2/unchanged/late/manifests/{digest} ");
    let reads = requests.iter().filter(|r| r.starts_with(&read)).count();
    assert_eq!(reads, 2, "{requests:#?}");
    assert!(log.contains("unchanged and signed now"), "{log}");
    let signed = &late["attestations"][0];
    assert!(
        signed["provenance"].is_string() && signed["existing"].is_null(),
        "{late}"
    );
    let public = public.display().to_string();
    env.ok(&[
        "verify",
        &format!("{reg}/unchanged/late:1"),
        "--key",
        &public,
    ]);
}
