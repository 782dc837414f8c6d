// `Tristate`: the field type of an optional, nullable member.

/// A member that may be absent, `null`, or hold a value, keeping the three apart so
/// each round-trips exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tristate<T> {
    /// The member is not in the object.
    #[default]
    Absent,
    /// The member is `null`.
    Null,
    /// The member holds a value.
    Value(T),
}

impl<T> Tristate<T> {
    /// Whether the member is absent (used to skip it when serializing).
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the member is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, treating absent and `null` alike.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T: Serialize> Serialize for Tristate<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tristate<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}

impl<T: JsonSchema> JsonSchema for Tristate<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Nullable_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Option::<T>::json_schema(generator)
    }
}

#[cfg(test)]
mod tristate_tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(default, skip_serializing_if = "Tristate::is_absent")]
        member: Tristate<u8>,
    }

    #[test]
    fn absent_null_and_a_value_round_trip_apart() {
        for (text, member) in [
            ("{}", Tristate::Absent),
            (r#"{"member":null}"#, Tristate::Null),
            (r#"{"member":7}"#, Tristate::Value(7)),
        ] {
            let holder: Holder = serde_json::from_str(text).expect("reads");
            assert_eq!(holder.member, member);
            assert_eq!(serde_json::to_string(&holder).expect("writes"), text);
        }
        assert_eq!(Tristate::Value(7).into_value(), Some(7));
        assert_eq!(Tristate::<u8>::Null.as_value(), None);
    }
}
