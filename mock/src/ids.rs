//! Ids, request ids and tokens: reproducible from a seed (splitmix64) or seeded from the
//! process's hash randomness and the time when no seed is given.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

/// The alphabet of connectFi's ids and tokens, in the order of their digit values.
pub(crate) const BASE62: &[u8; 62] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &[u8; 16] = b"0123456789abcdef";

/// Length of a session token, like the 66-character tokens connectFi hands out.
pub(crate) const TOKEN_LEN: usize = 66;

/// A request id as [`IdGenerator::request_id`] draws it; reads as a `&str`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FreshRequestId([u8; 32]);

impl std::ops::Deref for FreshRequestId {
    type Target = str;

    fn deref(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hexadecimal digits are ASCII")
    }
}

impl From<FreshRequestId> for String {
    fn from(id: FreshRequestId) -> String {
        (*id).to_owned()
    }
}

/// A splitmix64 stream. Its state only ever moves by a constant, so one atomic add per draw
/// keeps it lock-free. Not cryptographic: the mock's tokens only need to be unguessable by
/// accident, and with a seed they are meant to be predictable.
#[derive(Debug)]
pub(crate) struct IdGenerator {
    state: AtomicU64,
}

impl IdGenerator {
    /// A generator that replays the same sequence for the same seed, or an unpredictable one.
    pub(crate) fn new(seed: Option<u64>) -> IdGenerator {
        let seed = seed.unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            RandomState::new().hash_one(nanos)
        });
        IdGenerator {
            state: AtomicU64::new(seed),
        }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&self) -> u64 {
        const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut z = self
            .state
            .fetch_add(GOLDEN, Ordering::Relaxed)
            .wrapping_add(GOLDEN);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A connectFi `requestId`: 32 lower-case hexadecimal characters, inline (every answer
    /// carries one, so it costs no allocation).
    pub(crate) fn request_id(&self) -> FreshRequestId {
        let (a, b) = (self.next_u64(), self.next_u64());
        let mut out = [0; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            let word = if i < 16 { a } else { b };
            let shift = 15 - (i % 16);
            *byte = HEX[((word >> (shift * 4)) & 0xF) as usize];
        }
        FreshRequestId(out)
    }

    /// `len` base-62 characters, the alphabet of connectFi's ids and tokens.
    pub(crate) fn base62(&self, len: usize) -> String {
        let mut out = vec![0; len];
        self.fill_base62(&mut out);
        String::from_utf8(out).expect("base-62 digits are ASCII")
    }

    /// Fills `out` with random base-62 characters (ten per 64-bit draw).
    pub(crate) fn fill_base62(&self, out: &mut [u8]) {
        let mut word = 0u64;
        let mut left = 0;
        for byte in out {
            if left == 0 {
                word = self.next_u64();
                left = 10;
            }
            *byte = BASE62[(word % 62) as usize];
            word /= 62;
            left -= 1;
        }
    }

    pub(crate) fn token(&self) -> String {
        self.base62(TOKEN_LEN)
    }

    /// A document slot id such as `doc-1qfdwf5KV66EBv0vVVdmTW`, with the given separator.
    pub(crate) fn document_id(&self, separator: char) -> String {
        format!("doc{separator}{}", self.base62(22))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_replays_the_same_ids() {
        let (a, b) = (IdGenerator::new(Some(7)), IdGenerator::new(Some(7)));
        assert_eq!(a.request_id(), b.request_id());
        assert_eq!(a.token(), b.token());
        assert_ne!(a.request_id(), IdGenerator::new(Some(8)).request_id());
    }

    #[test]
    fn request_ids_are_32_lower_hex_and_tokens_66_base62() {
        let ids = IdGenerator::new(None);
        let id = ids.request_id();
        assert_eq!(id.len(), 32);
        assert!(
            id.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        );
        let token = ids.token();
        assert_eq!(token.len(), TOKEN_LEN);
        assert!(token.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert!(ids.document_id('-').starts_with("doc-"));
    }

    /// The error bodies and the token answer build generated types from these and `expect`
    /// the constraints to hold; this is the test behind those `expect`s.
    #[test]
    fn ids_and_tokens_meet_the_contracts_constraints() {
        use kyc_spec::generated::{DocumentId, RequestId, Token};
        for seed in [None, Some(0), Some(7), Some(u64::MAX)] {
            let ids = IdGenerator::new(seed);
            for _ in 0..200 {
                RequestId::new(ids.request_id()).expect("a valid requestId");
                Token::new(ids.token()).expect("a valid token");
                for separator in ['-', '_'] {
                    DocumentId::new(ids.document_id(separator)).expect("a valid document id");
                }
            }
        }
    }
}
