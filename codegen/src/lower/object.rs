//! Objects: structs from `properties`, and maps checked by `patternProperties`.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::ir::{Field, Kind, PatternMap, Presence, Struct, Ty, TypeId, UnknownFields};
use crate::naming;
use crate::schema::{Additional, Schema};

use super::docs::field_docs;
use super::lowerer::Lowerer;
use super::shape::wrap_nullable;

impl Lowerer<'_> {
    pub(super) fn lower_struct(
        &mut self,
        schema: &Schema<'_>,
        id: TypeId,
    ) -> Result<Struct, Error> {
        if !matches!(schema.types.as_slice(), [] | ["object"]) {
            return Err(Error::unsupported(
                &schema.pointer,
                "`properties` on a non-object type",
            ));
        }
        let parent_name = self.name(id);
        for required in &schema.required {
            if !schema.properties.iter().any(|(name, _)| name == required) {
                return Err(Error::unsupported(
                    &schema.child(&["required"]),
                    format!("required property {required:?} has no schema in `properties`"),
                ));
            }
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut field_pointers: BTreeMap<String, String> = BTreeMap::new();
        for (wire, value) in &schema.properties {
            let pointer = schema.child(&["properties", wire]);
            let property = Schema::parse(value, pointer.clone())?;
            let name = naming::snake(wire);
            if !naming::is_identifier(&name) || matches!(name.as_str(), "self" | "super" | "crate")
            {
                return Err(Error::unsupported(
                    &pointer,
                    format!("{wire:?} has no Rust field name"),
                ));
            }
            if let Some(first) = field_pointers.insert(name.clone(), pointer.clone()) {
                return Err(Error::NameCollision {
                    name,
                    first,
                    second: pointer,
                });
            }
            let nullable = self.is_nullable(&property)?;
            let required = schema.required.contains(wire);
            let presence = match (required, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let hint = format!("{parent_name}{}", naming::pascal(wire));
            let ty = self.lower_ty(&property, &hint, id)?;
            let named_here = matches!(ty, Ty::Named(_)) && property.reference.is_none();
            let default = applicable_default(&ty, presence, property.docs.default);
            fields.push(Field {
                name,
                wire: (*wire).to_owned(),
                ty,
                presence,
                docs: field_docs(&property, named_here),
                deprecated: property.docs.deprecated,
                default,
            });
        }
        if schema.checks.has_object_checks() {
            return Err(Error::unsupported(
                &schema.pointer,
                "`minProperties`/`maxProperties` on an object with `properties` are not supported",
            ));
        }
        if !schema.pattern_properties.is_empty() {
            if let Some(first) = field_pointers.get("pattern_properties") {
                return Err(Error::NameCollision {
                    name: "pattern_properties".to_owned(),
                    first: first.clone(),
                    second: format!("{} (the members `patternProperties` match)", schema.pointer),
                });
            }
            let pointer = schema.child(&["patternProperties"]);
            let map = self.register(
                &format!("{parent_name}PatternProperties"),
                &pointer,
                Some(id),
            )?;
            let kind = Kind::PatternMap(self.lower_pattern_map(schema, map)?);
            let def = self.def(map);
            def.kind = kind;
            def.docs = vec![format!(
                "The members of [`{parent_name}`] that `patternProperties` matches, and the others."
            )];
            return Ok(Struct {
                fields,
                unknown: UnknownFields::Patterns(map),
            });
        }
        if !matches!(schema.additional, Additional::Denied)
            && let Some(first) = field_pointers.get("additional_properties")
        {
            return Err(Error::NameCollision {
                name: "additional_properties".to_owned(),
                first: first.clone(),
                second: format!("{} (the map of other members)", schema.pointer),
            });
        }
        let unknown = match schema.additional {
            Additional::Tolerated => UnknownFields::Keep,
            Additional::Denied => UnknownFields::Deny,
            Additional::Schema(value) => {
                let pointer = schema.child(&["additionalProperties"]);
                let inner = Schema::parse(value, pointer)?;
                let nullable = self.is_nullable(&inner)?;
                let ty = self.lower_ty(&inner, &format!("{parent_name}Value"), id)?;
                UnknownFields::Collect(wrap_nullable(ty, nullable))
            }
        };
        Ok(Struct { fields, unknown })
    }

    /// `patternProperties` of `schema` (and its `additionalProperties` for the other members)
    /// as the [`PatternMap`] type `id`.
    pub(super) fn lower_pattern_map(
        &mut self,
        schema: &Schema<'_>,
        id: TypeId,
    ) -> Result<PatternMap, Error> {
        if !matches!(schema.types.as_slice(), [] | ["object"]) {
            return Err(Error::unsupported(
                &schema.pointer,
                "`patternProperties` on a non-object type",
            ));
        }
        if !schema.checks.is_empty() {
            return Err(Error::unsupported(
                &schema.pointer,
                "`minProperties`/`maxProperties` next to `patternProperties` are not supported",
            ));
        }
        let (_, first) = schema.pattern_properties[0];
        let mut patterns = Vec::new();
        for (pattern, value) in &schema.pattern_properties {
            let pointer = schema.child(&["patternProperties", pattern]);
            let regex = regress::Regex::with_flags(pattern, "u").map_err(|e| {
                Error::unsupported(&pointer, format!("not an ECMA-262 regular expression: {e}"))
            })?;
            if *value != first {
                return Err(Error::unsupported(
                    &pointer,
                    "every `patternProperties` pattern must have the same schema (a member matching two would need both)",
                ));
            }
            if let Some((name, _)) = schema
                .properties
                .iter()
                .find(|(name, _)| regex.find(name).is_some())
            {
                return Err(Error::unsupported(
                    &pointer,
                    format!(
                        "property {name:?} also matches this pattern, so both schemas would apply"
                    ),
                ));
            }
            patterns.push((*pattern).to_owned());
        }
        let name = self.name(id);
        let (key, _) = schema.pattern_properties[0];
        let value = Schema::parse(first, schema.child(&["patternProperties", key]))?;
        let nullable = self.is_nullable(&value)?;
        let value = wrap_nullable(
            self.lower_ty(&value, &format!("{name}Value"), id)?,
            nullable,
        );
        let other = match schema.additional {
            Additional::Tolerated => UnknownFields::Keep,
            Additional::Denied => UnknownFields::Deny,
            Additional::Schema(other) => {
                let other = Schema::parse(other, schema.child(&["additionalProperties"]))?;
                let nullable = self.is_nullable(&other)?;
                let ty = self.lower_ty(&other, &format!("{name}Other"), id)?;
                UnknownFields::Collect(wrap_nullable(ty, nullable))
            }
        };
        Ok(PatternMap {
            patterns,
            value,
            other,
        })
    }
}

/// `default` where it can be applied on read: an optional member of a plain scalar type whose
/// JSON type it has, so it always fits.
fn applicable_default(
    ty: &Ty,
    presence: Presence,
    default: Option<&serde_json::Value>,
) -> Option<serde_json::Value> {
    use serde_json::Value;
    if matches!(presence, Presence::Required | Presence::RequiredNullable) {
        return None;
    }
    let fits = match (ty, default?) {
        (Ty::Bool, Value::Bool(_)) | (Ty::String, Value::String(_)) => true,
        (Ty::Integer, Value::Number(n)) => n.is_i64(),
        (Ty::Unsigned, Value::Number(n)) => n.is_u64(),
        (Ty::Number, Value::Number(_)) => true,
        _ => false,
    };
    fits.then(|| default.cloned()).flatten()
}
