//! JavaScript's property order: `for…in`, `Object.keys` and `JSON.stringify` visit
//! array-index keys (`"0"`, `"2"`, `"10"`) first in ascending numeric order, then the other
//! keys in insertion order. Ajv picks "the first" extra or failing property in this order.

use serde_json::{Map, Value};

/// True for a canonical array index: `"0"` or digits without a leading zero, below 2^32 − 1.
pub fn is_array_index(key: &str) -> bool {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return false;
    }
    key.parse::<u64>().is_ok_and(|n| n < u64::from(u32::MAX))
}

/// The keys of `map` in JavaScript order. Allocates only when some key is an array index.
pub fn keys(map: &Map<String, Value>) -> Keys<'_> {
    if map.keys().any(|k| is_array_index(k)) {
        let mut indexes: Vec<(u64, &str)> = map
            .keys()
            .filter(|k| is_array_index(k))
            .map(|k| (k.parse::<u64>().unwrap_or(u64::MAX), k.as_str()))
            .collect();
        indexes.sort_unstable();
        let mut ordered: Vec<&str> = indexes.into_iter().map(|(_, k)| k).collect();
        ordered.extend(
            map.keys()
                .filter(|k| !is_array_index(k))
                .map(String::as_str),
        );
        Keys::Sorted(ordered.into_iter())
    } else {
        Keys::Plain(map.keys())
    }
}

/// Iterator returned by [`keys`].
#[derive(Debug)]
pub enum Keys<'a> {
    /// No array-index keys: insertion order as stored.
    Plain(serde_json::map::Keys<'a>),
    /// Reordered.
    Sorted(std::vec::IntoIter<&'a str>),
}

impl<'a> Iterator for Keys<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Keys::Plain(it) => it.next().map(String::as_str),
            Keys::Sorted(it) => it.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_indexes_come_first_in_numeric_order() {
        let map: Map<String, Value> = serde_json::from_str(
            r#"{"a":1,"b":2,"z":3,"10":4,"2":5,"01":6,"-1":7,"4294967295":8,"4294967294":9}"#,
        )
        .expect("literal JSON");
        let order: Vec<&str> = keys(&map).collect();
        assert_eq!(
            order,
            [
                "2",
                "10",
                "4294967294",
                "a",
                "b",
                "z",
                "01",
                "-1",
                "4294967295"
            ]
        );
    }
}
