// What enums and tagged unions keep when a value is not one the schema lists. Each is
// emitted on its own, only into modules that need it.

/// A string enum value the schema does not list. It cannot be built or matched by
/// literal outside this module; read it with [`UnknownValue::as_str`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// The value exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An object whose tag the schema does not list, exactly as received.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct UnknownObject(serde_json::Map<String, serde_json::Value>);

impl UnknownObject {
    /// The object's members.
    pub fn as_map(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.0
    }
}

/// An `enum` value the schema does not list, of a JSON type it does list. It cannot
/// be built outside this module; read it with [`UnknownJson::as_json`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnknownJson(serde_json::Value);

impl UnknownJson {
    /// The value exactly as received.
    pub fn as_json(&self) -> &serde_json::Value {
        &self.0
    }
}

#[cfg(test)]
mod unknown_tests {
    use super::*;

    #[test]
    fn unknown_values_are_read_back_as_received() {
        assert_eq!(UnknownValue("LATER".to_owned()).as_str(), "LATER");
        assert_eq!(
            UnknownJson(serde_json::json!(7)).as_json(),
            &serde_json::json!(7)
        );
        let mut map = serde_json::Map::new();
        map.insert("kind".to_owned(), serde_json::json!("new"));
        let object = UnknownObject(map.clone());
        assert_eq!(object.as_map(), &map);
        assert_eq!(
            serde_json::to_string(&object).expect("writes"),
            r#"{"kind":"new"}"#
        );
    }
}
