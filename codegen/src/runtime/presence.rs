// The `deserialize_with` functions of members whose presence and nullability serde's
// default for `Option` would blur.

/// Reads a required, nullable member: unlike serde's default for `Option`, a missing
/// key is an error.
fn deserialize_present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// Reads an optional, non-nullable member: absent is `None`, but an explicit `null`
/// is an error, as the schema says.
fn deserialize_some<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod presence_tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Required {
        #[serde(deserialize_with = "deserialize_present")]
        member: Option<u8>,
    }

    #[derive(Debug, Deserialize)]
    struct Optional {
        #[serde(default, deserialize_with = "deserialize_some")]
        member: Option<u8>,
    }

    #[test]
    fn a_required_nullable_member_must_be_there() {
        let read = |text| serde_json::from_str::<Required>(text).map(|r| r.member);
        assert_eq!(read(r#"{"member":null}"#).expect("null is allowed"), None);
        assert_eq!(read(r#"{"member":1}"#).expect("a value"), Some(1));
        assert!(read("{}").is_err());
    }

    #[test]
    fn an_optional_member_may_be_absent_but_not_null() {
        let read = |text| serde_json::from_str::<Optional>(text).map(|r| r.member);
        assert_eq!(read("{}").expect("absent is allowed"), None);
        assert_eq!(read(r#"{"member":1}"#).expect("a value"), Some(1));
        assert!(read(r#"{"member":null}"#).is_err());
    }
}
