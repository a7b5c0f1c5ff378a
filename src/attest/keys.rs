//! The signing key (`signing.key`) and public keys, in the formats cosign reads and writes:
//! an unencrypted PKCS#8 or SEC1 PEM, cosign's encrypted PEM (scrypt, then NaCl secretbox,
//! its password in `COSIGN_PASSWORD`), and a PKIX `PUBLIC KEY` PEM. ECDSA P-256 with SHA-256,
//! signatures ASN.1 DER encoded, as cosign makes them. No error quotes key material.

use std::path::Path;

use base64::Engine as _;
use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};
use serde::Deserialize;

use crate::error::{Error, Message, Result};

/// The environment variable cosign reads an encrypted key's password from.
pub const PASSWORD_ENV: &str = "COSIGN_PASSWORD";

/// The PEM labels of cosign's encrypted private keys (the first is current, the second older).
const ENCRYPTED_LABELS: &[&str] = &[
    "ENCRYPTED SIGSTORE PRIVATE KEY",
    "ENCRYPTED COSIGN PRIVATE KEY",
];

/// A key file larger than this is no key (a PEM of a P-256 key is a few hundred bytes).
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// The key that signs provenance and images.
pub struct Signer {
    key: SigningKey,
}

/// A public key that checks signatures.
#[derive(Clone)]
pub struct PublicKey {
    key: VerifyingKey,
}

impl Signer {
    /// Reads the private key at `path`; an encrypted one is decrypted with `password` (the
    /// value of `COSIGN_PASSWORD`, when set).
    pub fn load(path: &Path, password: Option<&str>) -> Result<Signer> {
        let text = read_key_file(path, "signing key")?;
        let (label, der) = pem_block(path, &text)?;
        let key = match label.as_str() {
            "PRIVATE KEY" => SigningKey::from_pkcs8_der(&der).map_err(|_| not_p256(path)),
            "EC PRIVATE KEY" => p256::SecretKey::from_sec1_der(&der)
                .map(SigningKey::from)
                .map_err(|_| not_p256(path)),
            l if ENCRYPTED_LABELS.contains(&l) => {
                let password = password.ok_or_else(|| {
                    key_error(
                        format!("the signing key {} is encrypted", path.display()),
                        format!("set {PASSWORD_ENV} to its password, as for cosign"),
                    )
                })?;
                let plain = decrypt_cosign(path, &der, password)?;
                SigningKey::from_pkcs8_der(&plain).map_err(|_| not_p256(path))
            }
            "ENCRYPTED PRIVATE KEY" => Err(key_error(
                format!(
                    "the signing key {} is an encrypted PKCS#8 key, which acrt does not read",
                    path.display()
                ),
                "give cosign's encrypted form ('cosign import-key-pair') or an unencrypted \
                 PKCS#8 key kept private",
            )),
            other => Err(wrong_label(path, other, "a private key")),
        }?;
        Ok(Signer { key })
    }

    /// The ASN.1 DER ECDSA P-256 signature of `message` (hashed with SHA-256).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let signature: Signature = self.key.sign(message);
        signature.to_der().as_bytes().to_vec()
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            key: *self.key.verifying_key(),
        }
    }
}

impl PublicKey {
    /// Reads a PKIX `PUBLIC KEY` PEM (cosign's `cosign.pub`).
    pub fn load(path: &Path) -> Result<PublicKey> {
        let text = read_key_file(path, "public key")?;
        let (label, der) = pem_block(path, &text)?;
        if label != "PUBLIC KEY" {
            return Err(wrong_label(path, &label, "a public key"));
        }
        let key = VerifyingKey::from_public_key_der(&der).map_err(|_| not_p256(path))?;
        Ok(PublicKey { key })
    }

    /// Whether `signature` (ASN.1 DER) is this key's signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        Signature::from_der(signature).is_ok_and(|s| self.key.verify(message, &s).is_ok())
    }
}

fn key_error(text: String, hint: impl Into<String>) -> anyhow::Error {
    Error::Invalid(Message::hinted(text, hint)).into()
}

fn read_key_file(path: &Path, what: &str) -> Result<String> {
    let unreadable = |why: String| {
        key_error(
            format!("cannot read the {what} {}: {why}", path.display()),
            "give the path of a key file cosign made ('cosign generate-key-pair') or a P-256 PEM",
        )
    };
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if size > MAX_KEY_FILE_BYTES {
        return Err(unreadable(format!("{size} bytes is too large for a key")));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    String::from_utf8(bytes).map_err(|_| unreadable("it is not a PEM text file".into()))
}

/// The first PEM block of `text`: its label and its bytes (lines of any length, as tools
/// other than cosign and openssl may wrap them).
fn pem_block(path: &Path, text: &str) -> Result<(String, Vec<u8>)> {
    let not_pem = |why: &str| {
        key_error(
            format!("{} is not a valid PEM key file: {why}", path.display()),
            "give a PEM key file as cosign or openssl writes it",
        )
    };
    let mut lines = text.lines().map(str::trim);
    let label = lines
        .by_ref()
        .find_map(|l| l.strip_prefix("-----BEGIN ")?.strip_suffix("-----"))
        .ok_or_else(|| not_pem("it holds no PEM block (-----BEGIN ...)"))?;
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    for line in lines.by_ref() {
        if line == end {
            let der = base64::engine::general_purpose::STANDARD
                .decode(&body)
                .map_err(|_| not_pem("its body is not base64"))?;
            return Ok((label.to_string(), der));
        }
        if line.starts_with("Proc-Type:") && line.contains("ENCRYPTED") {
            return Err(key_error(
                format!(
                    "{} is encrypted in OpenSSL's legacy form, which acrt does not read",
                    path.display()
                ),
                "give cosign's encrypted form ('cosign import-key-pair') or an unencrypted PKCS#8 key kept private",
            ));
        }
        // Other encapsulated headers are not base64.
        if !line.contains(':') {
            body.push_str(line);
        }
    }
    Err(not_pem(&format!("the block has no line '{end}'")))
}

fn not_p256(path: &Path) -> anyhow::Error {
    key_error(
        format!("{} is not an ECDSA P-256 key", path.display()),
        "make one with 'cosign generate-key-pair' or \
         'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256'",
    )
}

fn wrong_label(path: &Path, label: &str, wanted: &str) -> anyhow::Error {
    key_error(
        format!("{} holds a PEM '{label}', not {wanted}", path.display()),
        "give a P-256 key file as cosign or openssl writes it",
    )
}

/// cosign's encrypted key: JSON with the scrypt parameters and salt, the secretbox nonce and
/// the sealed PKCS#8 key.
#[derive(Deserialize)]
struct EncryptedKey {
    kdf: Kdf,
    cipher: Cipher,
    ciphertext: String,
}

#[derive(Deserialize)]
struct Kdf {
    name: String,
    params: KdfParams,
    salt: String,
}

#[derive(Deserialize)]
struct KdfParams {
    #[serde(rename = "N")]
    n: u64,
    r: u32,
    p: u32,
}

#[derive(Deserialize)]
struct Cipher {
    name: String,
    nonce: String,
}

/// scrypt costs at most this much memory (128 * r * N bytes): cosign's own use 32 MiB.
const MAX_SCRYPT_MEMORY: u64 = 512 << 20;

fn decrypt_cosign(path: &Path, json: &[u8], password: &str) -> Result<Vec<u8>> {
    use crypto_secretbox::aead::{Aead as _, KeyInit as _};
    let damaged = |what: &str| {
        key_error(
            format!(
                "the encrypted signing key {} is damaged: {what}",
                path.display()
            ),
            "give the key file as cosign wrote it",
        )
    };
    let data: EncryptedKey =
        serde_json::from_slice(json).map_err(|_| damaged("its content is not cosign's JSON"))?;
    if data.kdf.name != "scrypt" || data.cipher.name != "nacl/secretbox" {
        return Err(damaged(
            "it names a key derivation or cipher other than scrypt and nacl/secretbox",
        ));
    }
    let KdfParams { n, r, p } = data.kdf.params;
    let memory = 128u64.saturating_mul(u64::from(r)).saturating_mul(n);
    if !n.is_power_of_two() || n < 2 || !(1..=32).contains(&r) || !(1..=16).contains(&p) {
        return Err(damaged("its scrypt parameters are not valid"));
    }
    if memory > MAX_SCRYPT_MEMORY {
        return Err(damaged("its scrypt parameters ask for more than 512 MiB"));
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let salt = b64
        .decode(&data.kdf.salt)
        .map_err(|_| damaged("bad salt"))?;
    let nonce = b64
        .decode(&data.cipher.nonce)
        .map_err(|_| damaged("bad nonce"))?;
    let sealed = b64
        .decode(&data.ciphertext)
        .map_err(|_| damaged("bad ciphertext"))?;
    if nonce.len() != 24 {
        return Err(damaged("its nonce is not 24 bytes"));
    }
    let params = scrypt::Params::new(n.trailing_zeros() as u8, r, p, 32)
        .map_err(|_| damaged("its scrypt parameters are not valid"))?;
    let mut key = [0u8; 32];
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key)
        .map_err(|_| damaged("its scrypt parameters are not valid"))?;
    let cipher = crypto_secretbox::XSalsa20Poly1305::new(&key.into());
    cipher
        .decrypt(
            crypto_secretbox::Nonce::from_slice(&nonce),
            sealed.as_slice(),
        )
        .map_err(|_| {
            key_error(
                format!(
                    "the signing key {} cannot be decrypted with the password in {PASSWORD_ENV}",
                    path.display()
                ),
                format!("set {PASSWORD_ENV} to the password the key was made with"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    // A P-256 key made for these tests only (openssl genpkey), and its public key.
    const PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgGv08FE+bDWkQVCEt
HTjqKhpdbgo8vJrTVQha/YmuaBGhRANCAASZOo3aNu+/nTLiomxYFDoiWx8sx0t5
J9JPQcvF6VZCG9BJJYtVyllK8eGKnyKHE1cRoK3AER6j0OWoZKuebLG3
-----END PRIVATE KEY-----
";

    /// The key as a `PUBLIC KEY` PEM, as `cosign.pub` holds it.
    fn public_pem(key: &PublicKey) -> String {
        use p256::pkcs8::EncodePublicKey as _;
        key.key
            .to_public_key_pem(p256::pkcs8::LineEnding::LF)
            .unwrap()
    }

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_pkcs8_key_signs_and_its_public_pem_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let signer = Signer::load(&write(dir.path(), "k.pem", PKCS8), None).unwrap();
        let signature = signer.sign(b"hello");
        let public = write(dir.path(), "k.pub", &public_pem(&signer.public_key()));
        let public = PublicKey::load(&public).unwrap();
        assert!(public.verifies(b"hello", &signature));
        assert!(!public.verifies(b"hellO", &signature));
        assert!(!public.verifies(b"hello", b"not der"));
    }

    #[test]
    fn an_encrypted_cosign_key_needs_the_right_password() {
        use crypto_secretbox::aead::{Aead as _, KeyInit as _};
        let dir = tempfile::tempdir().unwrap();
        let (_, der) = p256::pkcs8::der::pem::decode_vec(PKCS8.as_bytes()).unwrap();
        let (salt, nonce) = ([7u8; 32], [9u8; 24]);
        let mut key = [0u8; 32];
        let params = scrypt::Params::new(10, 8, 1, 32).unwrap();
        scrypt::scrypt(b"pw", &salt, &params, &mut key).unwrap();
        let sealed = crypto_secretbox::XSalsa20Poly1305::new(&key.into())
            .encrypt(crypto_secretbox::Nonce::from_slice(&nonce), der.as_slice())
            .unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        let json = serde_json::json!({
            "kdf": {"name": "scrypt", "params": {"N": 1024, "r": 8, "p": 1}, "salt": b64.encode(salt)},
            "cipher": {"name": "nacl/secretbox", "nonce": b64.encode(nonce)},
            "ciphertext": b64.encode(sealed),
        });
        let pem = p256::pkcs8::der::pem::encode_string(
            "ENCRYPTED SIGSTORE PRIVATE KEY",
            p256::pkcs8::LineEnding::LF,
            json.to_string().as_bytes(),
        )
        .unwrap();
        let path = write(dir.path(), "cosign.key", &pem);
        let plain = Signer::load(&write(dir.path(), "k.pem", PKCS8), None).unwrap();
        let decrypted = Signer::load(&path, Some("pw")).unwrap();
        assert_eq!(
            public_pem(&decrypted.public_key()),
            public_pem(&plain.public_key())
        );
        for (password, says) in [
            (None, "is encrypted"),
            (Some("nope"), "cannot be decrypted"),
        ] {
            let e = format!("{:#}", Signer::load(&path, password).err().unwrap());
            assert!(e.contains(says) && !e.contains("MIGH"), "{e}");
        }
    }

    #[test]
    fn a_file_that_is_no_key_says_so() {
        let dir = tempfile::tempdir().unwrap();
        for (text, says) in [
            ("hello", "no PEM block"),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n", "no line"),
            (
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "CERTIFICATE",
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "P-256",
            ),
        ] {
            let path = write(dir.path(), "bad.pem", text);
            let e = format!("{:#}", Signer::load(&path, None).err().unwrap());
            assert!(e.contains(says), "{e}");
        }
        let e = format!(
            "{:#}",
            Signer::load(&dir.path().join("none"), None).err().unwrap()
        );
        assert!(e.contains("cannot read the signing key"), "{e}");
    }
}
