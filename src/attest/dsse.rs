//! DSSE (Dead Simple Signing Envelope) v1: a payload, its type, and signatures over the
//! pre-authentication encoding (PAE) of both, so that a signature can never be read as one
//! over another type of payload.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::keys::{PublicKey, Signer};
use crate::error::{Result, failed};

/// The payload type of an in-toto statement.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// The media type a DSSE envelope is stored under.
pub const ENVELOPE_MEDIA_TYPE: &str = "application/vnd.dsse.envelope.v1+json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    pub payload_type: String,
    /// The payload, base64 (standard, padded).
    pub payload: String,
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    #[serde(default)]
    pub keyid: String,
    /// The ASN.1 DER signature of the PAE, base64.
    pub sig: String,
}

/// `DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths in decimal bytes.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

impl Envelope {
    /// `payload` of `payload_type`, signed with `signer`.
    pub fn sign(payload_type: &str, payload: &[u8], signer: &Signer) -> Envelope {
        let b64 = base64::engine::general_purpose::STANDARD;
        Envelope {
            payload_type: payload_type.to_string(),
            payload: b64.encode(payload),
            signatures: vec![EnvelopeSignature {
                keyid: String::new(),
                sig: b64.encode(signer.sign(&pae(payload_type, payload))),
            }],
        }
    }

    /// The payload, once one of the envelope's signatures is `key`'s; an error otherwise.
    pub fn verified_payload(&self, key: &PublicKey) -> Result<Vec<u8>> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let payload = b64
            .decode(&self.payload)
            .map_err(|_| failed("the provenance envelope's payload is not base64"))?;
        let message = pae(&self.payload_type, &payload);
        let signed = self.signatures.iter().any(|s| {
            b64.decode(&s.sig)
                .is_ok_and(|sig| key.verifies(&message, &sig))
        });
        if !signed {
            return Err(failed(
                "the provenance envelope is not signed by the given key (a signature that does \
                 not verify, or none)",
            ));
        }
        Ok(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_is_the_spec_s_encoding() {
        // The example of the DSSE specification's protocol page.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }
}
