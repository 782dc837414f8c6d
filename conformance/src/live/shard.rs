//! `--shard I/N`: which cassettes one of N CI jobs runs.
//!
//! A cassette belongs to shard `1 + h(name) mod N`, where `h` is 64-bit FNV-1a over the
//! name's UTF-8 bytes. The hash is spelled out here (not `std`'s, which may change between
//! Rust releases) so a cassette stays in its shard across toolchains and machines, and
//! adding or removing a cassette never moves any other. Every cassette is in exactly one
//! shard, so the N jobs together run the whole suite once.

use std::fmt;
use std::str::FromStr;

/// One of `count` shards, `index` counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

/// A `--shard` value that is not `I/N` with `1 <= I <= N`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("--shard must be I/N with 1 <= I <= N (e.g. 2/4), not {0:?}")]
pub struct ShardError(String);

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(text: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError(text.to_string());
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = i.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the cassette called `name` runs in this shard.
    pub fn contains(&self, name: &str) -> bool {
        fnv1a(name.as_bytes()) % self.count == self.index - 1
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2/4".parse::<Shard>().unwrap().to_string(), "2/4");
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_the_suite_and_are_stable() {
        let names: Vec<String> = (0..500).map(|i| format!("case-{i}")).collect();
        for n in 1..=7u64 {
            let shards: Vec<Shard> = (1..=n)
                .map(|i| format!("{i}/{n}").parse().unwrap())
                .collect();
            for name in &names {
                let owners = shards.iter().filter(|s| s.contains(name)).count();
                assert_eq!(owners, 1, "{name} in {owners} of {n} shards");
            }
            if n > 1 {
                // No shard is empty or holds nearly everything.
                for s in &shards {
                    let size = names.iter().filter(|c| s.contains(c)).count() as u64;
                    assert!(size > 500 / n / 2 && size < 500 * 2 / n, "{s}: {size}");
                }
            }
        }
        // Pinned values: a change of hash would silently reshuffle every CI fan-out.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
