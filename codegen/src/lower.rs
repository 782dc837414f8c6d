//! Schema → IR: `$ref` resolution across documents by `$id`, `allOf` merging, naming with
//! collision errors, nullability, and `Box` on cycle edges.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Document;
use crate::error::Error;
use crate::formats::{self, Applies, Check};
use crate::ir::{
    Field, JsonType, Kind, Module, Newtype, PatternMap, Presence, Struct, Tagged, Tuple, Ty,
    TypeDef, TypeId, Union, UnknownFields, ValueEnum, ValueVariant, Variant,
};
use crate::naming;
use crate::schema::{Additional, Discriminator, Schema, escape, is_annotation};

/// The lowered module, with each top-level type followed by the inline types it introduced.
pub fn lower(documents: &[Document]) -> Result<Module, Error> {
    let docs = canonicalize(documents)?;
    let mut lowerer = Lowerer {
        docs: &docs,
        types: Vec::new(),
        children: Vec::new(),
        by_pointer: BTreeMap::new(),
        names: BTreeMap::new(),
    };
    let mut roots = Vec::new();
    for doc in &docs {
        let root = Schema::parse(&doc.value, format!("{}#", doc.name))?;
        if root.has_validation() {
            let name = match root.docs.title {
                Some(title) => title.to_owned(),
                None => naming::pascal(file_stem(&doc.name)),
            };
            roots.push(lowerer.register(&name, &root.pointer, None)?);
        }
        for (key, _) in &root.defs {
            let keyword = if root.raw.contains_key("$defs") && root.raw["$defs"].get(*key).is_some()
            {
                "$defs"
            } else {
                "definitions"
            };
            roots.push(lowerer.register(
                &naming::pascal(key),
                &root.child(&[keyword, key]),
                None,
            )?);
        }
    }
    for &id in &roots {
        lowerer.lower_registered(id)?;
    }
    lowerer.finish(&roots)
}

/// A document whose `$ref`s have been rewritten to `name#pointer` of the target.
struct Doc {
    name: String,
    value: Value,
}

/// Rewrites every `$ref` to the canonical `document-name#/pointer` form, so lowering never has
/// to remember which document a merged or inlined schema came from.
fn canonicalize(documents: &[Document]) -> Result<Vec<Doc>, Error> {
    let mut parsed = Vec::new();
    for doc in documents {
        let value: Value = serde_json::from_str(&doc.text).map_err(|source| Error::Json {
            document: doc.name.clone(),
            source,
        })?;
        let id = value.get("$id").and_then(Value::as_str).map(str::to_owned);
        parsed.push((doc.name.clone(), id, value));
    }
    let index: Vec<(String, Option<String>)> = parsed
        .iter()
        .map(|(n, id, _)| (n.clone(), id.clone()))
        .collect();
    parsed
        .into_iter()
        .map(|(name, id, mut value)| {
            rewrite_refs(
                &mut value,
                &name,
                id.as_deref(),
                &index,
                &format!("{name}#"),
            )?;
            Ok(Doc { name, value })
        })
        .collect()
}

fn rewrite_refs(
    value: &mut Value,
    doc: &str,
    base: Option<&str>,
    index: &[(String, Option<String>)],
    pointer: &str,
) -> Result<(), Error> {
    let Value::Object(map) = value else {
        if let Value::Array(list) = value {
            for (i, item) in list.iter_mut().enumerate() {
                rewrite_refs(item, doc, base, index, &format!("{pointer}/{i}"))?;
            }
        }
        return Ok(());
    };
    if let Some(Value::String(reference)) = map.get_mut("$ref") {
        let resolved =
            resolve_reference(reference, doc, base, index).map_err(|why| Error::Unresolved {
                pointer: pointer.to_owned(),
                reference: reference.clone(),
                why,
            })?;
        *reference = resolved;
    }
    if let Some(Value::Object(mapping)) = map
        .get_mut("discriminator")
        .and_then(|d| d.get_mut("mapping"))
    {
        // A value with `#` or `/` is a reference; anything else names a component.
        for (tag, target) in mapping.iter_mut() {
            if let Value::String(target) = target
                && target.contains(['#', '/'])
            {
                let resolved = resolve_reference(target, doc, base, index).map_err(|why| {
                    Error::Unresolved {
                        pointer: format!("{pointer}/discriminator/mapping/{}", escape(tag)),
                        reference: target.clone(),
                        why,
                    }
                })?;
                *target = resolved;
            }
        }
    }
    for (key, child) in map.iter_mut() {
        let at = format!("{pointer}/{}", escape(key));
        // Instances and annotations, not schemas: a `$ref` member in an example is data.
        if matches!(key.as_str(), "const" | "enum") || is_annotation(key) {
            continue;
        }
        // Maps from names to schemas: a name is not a keyword (a property may be `default`).
        let named = matches!(
            key.as_str(),
            "properties" | "patternProperties" | "$defs" | "definitions"
        );
        match child {
            Value::Object(schemas) if named => {
                for (name, schema) in schemas.iter_mut() {
                    rewrite_refs(schema, doc, base, index, &format!("{at}/{}", escape(name)))?;
                }
            }
            _ => rewrite_refs(child, doc, base, index, &at)?,
        }
    }
    Ok(())
}

fn resolve_reference(
    reference: &str,
    doc: &str,
    base: Option<&str>,
    index: &[(String, Option<String>)],
) -> Result<String, String> {
    let (uri, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err("only JSON pointer fragments are supported (no anchors)".to_owned());
    }
    let target = if uri.is_empty() {
        doc.to_owned()
    } else {
        let absolute = if uri.contains("://") {
            uri.to_owned()
        } else {
            match base.and_then(|b| b.rsplit_once('/')) {
                Some((dir, _)) => format!("{dir}/{uri}"),
                None => uri.to_owned(),
            }
        };
        let by_id = index
            .iter()
            .find(|(_, id)| id.as_deref() == Some(absolute.as_str()));
        let last = uri.rsplit('/').next().unwrap_or(uri);
        let by_file = || {
            index
                .iter()
                .find(|(name, _)| name.rsplit('/').next() == Some(last))
        };
        match by_id.or_else(by_file) {
            Some((name, _)) => name.clone(),
            None => return Err(format!("no given document has $id {absolute:?}")),
        }
    };
    Ok(format!("{target}#{fragment}"))
}

/// The last reference token of a `$ref`'s pointer, unescaped: a definition's own name.
fn last_segment(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.replace("~1", "/").replace("~0", "~")
}

fn file_stem(name: &str) -> &str {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    file.strip_suffix(".schema.json")
        .or_else(|| file.strip_suffix(".json"))
        .unwrap_or(file)
}

/// How a tagged `oneOf` is told apart: the member and each branch's value of it, in order.
struct Tagging {
    tag: String,
    values: Vec<String>,
}

struct Lowerer<'d> {
    docs: &'d [Doc],
    types: Vec<Option<TypeDef>>,
    /// Pointer of each registered type, and its inline types in order of appearance.
    children: Vec<Vec<TypeId>>,
    by_pointer: BTreeMap<String, TypeId>,
    names: BTreeMap<String, String>,
}

impl<'d> Lowerer<'d> {
    /// Reserves a name for the schema at `pointer`; two different schemas wanting one name is
    /// an error naming both.
    fn register(
        &mut self,
        name: &str,
        pointer: &str,
        parent: Option<TypeId>,
    ) -> Result<TypeId, Error> {
        if !naming::is_identifier(name) {
            return Err(Error::unsupported(
                pointer,
                format!("{name:?} is not a Rust type name; give the schema a `title`"),
            ));
        }
        if naming::RESERVED.contains(&name) {
            return Err(Error::NameCollision {
                name: name.to_owned(),
                first: "the generated module's own items".to_owned(),
                second: pointer.to_owned(),
            });
        }
        if let Some(first) = self.names.get(name) {
            return Err(Error::NameCollision {
                name: name.to_owned(),
                first: first.clone(),
                second: pointer.to_owned(),
            });
        }
        self.names.insert(name.to_owned(), pointer.to_owned());
        let id = TypeId(self.types.len());
        self.types.push(Some(TypeDef {
            name: name.to_owned(),
            pointer: pointer.to_owned(),
            docs: Vec::new(),
            kind: Kind::Alias(Ty::Json),
            eq: true,
        }));
        self.children.push(Vec::new());
        self.by_pointer.insert(pointer.to_owned(), id);
        if let Some(parent) = parent {
            self.children[parent.0].push(id);
        }
        Ok(id)
    }

    fn def(&mut self, id: TypeId) -> &mut TypeDef {
        self.types[id.0]
            .as_mut()
            .expect("registered types stay in place")
    }

    fn name(&self, id: TypeId) -> String {
        self.types[id.0]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    /// The JSON at a canonical `document#/pointer`.
    fn lookup(&self, pointer: &str) -> Result<&'d Value, Error> {
        let (doc, fragment) = pointer.split_once('#').unwrap_or((pointer, ""));
        let missing = |why: &str| Error::Unresolved {
            pointer: pointer.to_owned(),
            reference: pointer.to_owned(),
            why: why.to_owned(),
        };
        let doc = self
            .docs
            .iter()
            .find(|d| d.name == doc)
            .ok_or_else(|| missing("no such document"))?;
        let mut value = &doc.value;
        if fragment.is_empty() {
            return Ok(value);
        }
        for token in fragment.trim_start_matches('/').split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            value = match value {
                Value::Object(map) => map.get(&token),
                Value::Array(list) => token.parse::<usize>().ok().and_then(|i| list.get(i)),
                _ => None,
            }
            .ok_or_else(|| missing("the pointer leads nowhere"))?;
        }
        Ok(value)
    }

    /// Follows `$ref` chains to the schema that shapes the value.
    fn deref(&self, schema: Schema<'d>) -> Result<Schema<'d>, Error> {
        let mut schema = schema;
        for _ in 0..32 {
            let Some(reference) = schema.reference else {
                return Ok(schema);
            };
            schema = Schema::parse(self.lookup(reference)?, reference.to_owned())?;
        }
        Err(Error::unsupported(
            &schema.pointer,
            "a $ref chain longer than 32 links",
        ))
    }

    fn is_nullable(&self, schema: &Schema<'_>) -> Result<bool, Error> {
        if schema.nullable {
            return Ok(true);
        }
        if let Some(branch) = single_branch(schema) {
            let branch = Schema::parse(branch, schema.pointer.clone())?;
            return self.is_nullable(&branch);
        }
        match schema.reference {
            Some(reference) => {
                let target = Schema::parse(self.lookup(reference)?, reference.to_owned())?;
                self.is_nullable(&self.deref(target)?)
            }
            None => Ok(false),
        }
    }

    fn lower_registered(&mut self, id: TypeId) -> Result<(), Error> {
        let pointer = self.types[id.0]
            .as_ref()
            .map(|t| t.pointer.clone())
            .unwrap_or_default();
        let value = self.lookup(&pointer)?;
        let schema = Schema::parse(value, pointer)?;
        self.lower_named(id, &schema)
    }

    /// Fills in the registered type `id` from `schema`.
    fn lower_named(&mut self, id: TypeId, schema: &Schema<'_>) -> Result<(), Error> {
        if !schema.all_of.is_empty() {
            let merged = self.merge_all_of(schema)?;
            let merged_schema = Schema::parse(&merged, schema.pointer.clone())?;
            return self.lower_named(id, &merged_schema);
        }
        let name = self.name(id);
        let kind = if schema.reference.is_some() {
            check_ref_siblings(schema)?;
            Kind::Alias(self.lower_ty(schema, &name, id)?)
        } else if !schema.one_of.is_empty() || !schema.any_of.is_empty() {
            if let Some(tagging) = self.tagging(schema)? {
                Kind::Tagged(self.lower_tagged(schema, id, tagging)?)
            } else if let Some(branch) = single_branch(schema) {
                check_union_siblings(schema)?;
                let branch = Schema::parse(branch, union_pointer(schema, 0))?;
                Kind::Alias(self.lower_ty(&branch, &name, id)?)
            } else {
                Kind::Union(self.lower_union(schema, id)?)
            }
        } else if let Some(values) = &schema.enum_values {
            if values.iter().all(|v| v.is_string()) {
                Kind::Enum(lower_enum(schema, values)?)
            } else {
                Kind::ValueEnum(lower_value_enum(schema, values)?)
            }
        } else if let Some(constant) = schema.constant {
            match constant {
                Value::String(s) => Kind::Const(s.clone()),
                Value::Null => {
                    return Err(Error::unsupported(
                        &schema.child(&["const"]),
                        "`const: null` has no Rust type; make the member nullable instead",
                    ));
                }
                other => Kind::ConstValue(other.clone()),
            }
        } else if is_tuple(schema) {
            Kind::Tuple(self.lower_tuple(schema, id)?)
        } else if !schema.pattern_properties.is_empty() && schema.properties.is_empty() {
            Kind::PatternMap(self.lower_pattern_map(schema, id)?)
        } else if is_struct(schema) {
            Kind::Struct(self.lower_struct(schema, id)?)
        } else if !schema.checks.is_empty() || is_secret_string(schema) {
            Kind::Newtype(self.lower_newtype(schema, id)?)
        } else if !schema.pattern_properties.is_empty() {
            return Err(Error::unsupported(
                &schema.pointer,
                "`patternProperties` on a non-object type",
            ));
        } else {
            Kind::Alias(self.lower_plain(schema, &name, id)?)
        };
        let mut docs = type_docs(schema, &name);
        if let Kind::Union(u) = &kind {
            let rule = if u.exclusive {
                "Reading a value tries every branch: exactly one must accept it (`oneOf`)."
            } else {
                "Reading a value tries the branches in schema order; the first that accepts it wins (`anyOf`)."
            };
            paragraph(&mut docs, [rule.to_owned()]);
        }
        let def = self.def(id);
        def.kind = kind;
        def.docs = docs;
        Ok(())
    }

    /// The Rust type of a value matching `schema`, registering a named type when the schema
    /// needs one (`hint` names it unless it has a `title`).
    fn lower_ty(&mut self, schema: &Schema<'_>, hint: &str, parent: TypeId) -> Result<Ty, Error> {
        if let Some(reference) = schema.reference {
            check_ref_siblings(schema)?;
            if let Some(&id) = self.by_pointer.get(reference) {
                return Ok(Ty::Named(id));
            }
            let target = Schema::parse(self.lookup(reference)?, reference.to_owned())?;
            let name = match target.docs.title {
                Some(title) => title.to_owned(),
                None => naming::pascal(&last_segment(reference)),
            };
            if needs_named_type(&target) {
                let id = self.register(&name, reference, None)?;
                self.lower_named(id, &target)?;
                return Ok(Ty::Named(id));
            }
            return self.lower_ty(&target, &name, parent);
        }
        if let Some(branch) = single_branch(schema)
            && self.tagging(schema)?.is_none()
        {
            check_union_siblings(schema)?;
            let branch = Schema::parse(branch, union_pointer(schema, 0))?;
            return self.lower_ty(&branch, hint, parent);
        }
        if needs_named_type(schema) {
            let name = schema
                .docs
                .title
                .map_or_else(|| hint.to_owned(), str::to_owned);
            let id = self.register(&name, &schema.pointer, Some(parent))?;
            self.lower_named(id, schema)?;
            return Ok(Ty::Named(id));
        }
        self.lower_plain(schema, hint, parent)
    }

    /// A schema that maps to a Rust type without a definition of its own.
    fn lower_plain(
        &mut self,
        schema: &Schema<'_>,
        hint: &str,
        parent: TypeId,
    ) -> Result<Ty, Error> {
        if schema.reference.is_some() {
            return self.lower_ty(schema, hint, parent);
        }
        match schema.types.as_slice() {
            [] if !schema.has_validation() => Ok(Ty::Json),
            [] => Err(Error::unsupported(
                &schema.pointer,
                "a schema with constraints but no `type`",
            )),
            ["boolean"] => Ok(Ty::Bool),
            ["integer"] => Ok(Ty::Integer),
            ["number"] => Ok(Ty::Number),
            ["string"] => Ok(Ty::String),
            ["array"] => Ok(Ty::Vec(Box::new(self.lower_items(schema, hint, parent)?))),
            ["object"] => match schema.additional {
                Additional::Schema(value) => {
                    let inner = Schema::parse(value, schema.child(&["additionalProperties"]))?;
                    let nullable = self.is_nullable(&inner)?;
                    let ty = self.lower_ty(&inner, &format!("{hint}Value"), parent)?;
                    Ok(Ty::Map(Box::new(wrap_nullable(ty, nullable))))
                }
                _ => Ok(Ty::JsonObject),
            },
            [other] => Err(Error::unsupported(
                &schema.pointer,
                format!("type {other:?} is not supported"),
            )),
            _ => Err(Error::unsupported(
                &schema.pointer,
                "several non-null types in one schema are not supported",
            )),
        }
    }

    fn lower_items(
        &mut self,
        schema: &Schema<'_>,
        hint: &str,
        parent: TypeId,
    ) -> Result<Ty, Error> {
        match schema.items {
            None => Ok(Ty::Json),
            Some(Value::Array(_)) => Err(Error::unsupported(
                &schema.child(&["items"]),
                "tuple `items` (an array of schemas) are not supported",
            )),
            Some(items) => {
                let items = Schema::parse(items, schema.child(&["items"]))?;
                let nullable = self.is_nullable(&items)?;
                let ty = self.lower_ty(&items, &format!("{hint}Item"), parent)?;
                Ok(wrap_nullable(ty, nullable))
            }
        }
    }

    fn lower_struct(&mut self, schema: &Schema<'_>, id: TypeId) -> Result<Struct, Error> {
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
            fields.push(Field {
                name,
                wire: (*wire).to_owned(),
                ty,
                presence,
                docs: field_docs(&property, named_here),
                deprecated: property.docs.deprecated,
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

    fn lower_newtype(&mut self, schema: &Schema<'_>, id: TypeId) -> Result<Newtype, Error> {
        let checks = &schema.checks;
        let wrong = |what: &str| {
            Err(Error::unsupported(
                &schema.pointer,
                format!("{what} constraints need a single matching `type`"),
            ))
        };
        let format = match &checks.format {
            None => None,
            Some(name) => Some(formats::by_name(name).ok_or_else(|| {
                Error::unsupported(
                    &schema.child(&["format"]),
                    format!(
                        "format {name:?} is neither an ajv-formats format nor connectFi's `dateISO`"
                    ),
                )
            })?),
        };
        let applies = |kind: Applies| format.is_none_or(|f| f.applies == kind);
        if let Some(f) = format {
            let fits = match schema.types.as_slice() {
                ["string"] => f.applies == Applies::String,
                ["integer"] => f.applies == Applies::Integer,
                _ => false,
            };
            if !fits {
                return Err(Error::unsupported(
                    &schema.child(&["format"]),
                    format!(
                        "format {:?} applies to {} values, not to this schema's `type`",
                        f.name,
                        match f.applies {
                            Applies::String => "string",
                            Applies::Integer => "integer",
                            Applies::Number => "number",
                        }
                    ),
                ));
            }
            if let Check::EcmaRegex | Check::Regex(..) | Check::Uri = f.check {
                let (source, flags) = match f.check {
                    Check::Regex(source, flags) => (source, flags),
                    Check::Uri => formats::uri_regex(),
                    _ => ("", ""),
                };
                regress::Regex::with_flags(source, flags)
                    .expect("ajv-formats' expressions are ECMA-262");
            }
        }
        if checks.has_object_checks() && !matches!(schema.types.as_slice(), ["object"]) {
            return wrong("`minProperties`/`maxProperties`");
        }
        let inner = match schema.types.as_slice() {
            ["string"]
                if !checks.has_array_checks()
                    && !checks.has_number_checks()
                    && !checks.has_object_checks()
                    && applies(Applies::String) =>
            {
                if let Some(pattern) = &checks.pattern {
                    regress::Regex::with_flags(pattern, "u").map_err(|e| {
                        Error::unsupported(
                            &schema.child(&["pattern"]),
                            format!("not an ECMA-262 regular expression: {e}"),
                        )
                    })?;
                }
                Ty::String
            }
            ["array"]
                if !checks.has_string_checks()
                    && !checks.has_number_checks()
                    && !checks.has_object_checks()
                    && format.is_none() =>
            {
                let name = self.name(id);
                Ty::Vec(Box::new(self.lower_items(schema, &name, id)?))
            }
            ["object"]
                if !checks.has_string_checks()
                    && !checks.has_number_checks()
                    && !checks.has_array_checks()
                    && format.is_none() =>
            {
                let name = self.name(id);
                self.lower_plain(schema, &name, id)?
            }
            ["integer"]
                if !checks.has_string_checks()
                    && !checks.has_array_checks()
                    && !checks.has_object_checks()
                    && applies(Applies::Integer) =>
            {
                let bounds: Vec<&serde_json::Number> = [
                    &checks.minimum,
                    &checks.maximum,
                    &checks.exclusive_minimum,
                    &checks.exclusive_maximum,
                ]
                .into_iter()
                .flatten()
                .collect();
                if bounds.iter().all(|b| b.as_i64().is_some()) {
                    Ty::Integer
                } else {
                    // Bounds beyond `i64::MAX` need `u64`, which only fits a range that starts
                    // at zero or above.
                    let lower = checks
                        .minimum
                        .as_ref()
                        .or(checks.exclusive_minimum.as_ref());
                    if bounds.iter().all(|b| b.as_u64().is_some())
                        && lower.is_some()
                        && format.is_none()
                    {
                        Ty::Unsigned
                    } else {
                        return Err(Error::unsupported(
                            &schema.pointer,
                            "integer bounds must be integers within i64, or within u64 with a non-negative minimum",
                        ));
                    }
                }
            }
            ["number"]
                if !checks.has_string_checks()
                    && !checks.has_array_checks()
                    && !checks.has_object_checks()
                    && format.is_none() =>
            {
                Ty::Number
            }
            [_] => return wrong("these"),
            _ => return wrong("value"),
        };
        Ok(Newtype {
            inner,
            checks: checks.clone(),
            // `format: password` says what `x-secret` says: keep it out of logs.
            secret: schema.docs.secret || format.is_some_and(|f| f.name == "password"),
        })
    }

    /// The tag of `schema` if it is a `oneOf` that [`Self::lower_tagged`] takes: on its own
    /// (beside `type: object`, `required` and annotations), every branch an object, and one
    /// member that tells the branches apart. That member is the `discriminator`'s
    /// `propertyName` if there is one, else a required string `const` common to all branches.
    /// Anything else with `oneOf`/`anyOf` is an untagged union, `discriminator` or not.
    fn tagging(&self, schema: &Schema<'_>) -> Result<Option<Tagging>, Error> {
        let extra = schema.raw.keys().any(|k| {
            !matches!(
                k.as_str(),
                "type" | "required" | "oneOf" | "$defs" | "definitions"
            ) && !is_annotation(k)
        });
        if schema.one_of.is_empty()
            || extra
            || schema.nullable
            || !matches!(schema.types.as_slice(), [] | ["object"])
        {
            return Ok(None);
        }
        let mut branches = Vec::new();
        for (i, branch) in schema.one_of.iter().enumerate() {
            let branch = Schema::parse(branch, schema.child(&["oneOf", &i.to_string()]))?;
            let reference = branch.reference;
            let target = self.deref(branch)?;
            if !is_struct(&target) {
                return Ok(None);
            }
            branches.push((reference, target));
        }
        if let Some(discriminator) = &schema.docs.discriminator {
            let mut values = Vec::new();
            for (reference, target) in &branches {
                match self.discriminated_value(discriminator, *reference, target)? {
                    Some(value) => values.push(value),
                    None => return Ok(None),
                }
            }
            return Ok(Some(Tagging {
                tag: discriminator.property.to_owned(),
                values,
            }));
        }
        let consts = branches
            .iter()
            .map(|(_, target)| self.const_properties(target))
            .collect::<Result<Vec<_>, Error>>()?;
        let value_of = |consts: &[(String, String)], tag: &str| {
            consts
                .iter()
                .find(|(name, _)| name == tag)
                .map(|(_, value)| value.clone())
        };
        let tag = schema
            .required
            .iter()
            .copied()
            .chain(consts[0].iter().map(|(name, _)| name.as_str()))
            .find(|tag| consts.iter().all(|c| value_of(c, tag).is_some()));
        Ok(tag.map(|tag| Tagging {
            tag: tag.to_owned(),
            values: consts
                .iter()
                .map(|c| value_of(c, tag).unwrap_or_default())
                .collect(),
        }))
    }

    /// A branch's value of the discriminator's member, which the branch must require: the
    /// string `const` (or single-valued `enum`) its schema gives the member, else the `mapping`
    /// entry naming the branch, else (OpenAPI's implicit mapping) the last segment of its
    /// `$ref`. `None` when the branch has none of these.
    fn discriminated_value(
        &self,
        discriminator: &Discriminator<'_>,
        reference: Option<&str>,
        target: &Schema<'_>,
    ) -> Result<Option<String>, Error> {
        let member = discriminator.property;
        let Some((_, value)) = target.properties.iter().find(|(name, _)| *name == member) else {
            return Ok(None);
        };
        if !target.required.contains(&member) {
            return Ok(None);
        }
        let property = self.deref(Schema::parse(value, target.child(&["properties", member]))?)?;
        let fixed = match (property.constant, property.enum_values.as_deref()) {
            (Some(constant), _) => constant.as_str(),
            (None, Some([only])) => only.as_str(),
            _ => None,
        };
        if let Some(fixed) = fixed {
            return Ok(Some(fixed.to_owned()));
        }
        let Some(reference) = reference else {
            return Ok(None);
        };
        let name = last_segment(reference);
        let mapped = discriminator
            .mapping
            .iter()
            .find(|(_, target)| *target == reference || *target == name);
        Ok(Some(mapped.map_or(name, |(tag, _)| (*tag).to_owned())))
    }

    /// `oneOf`/`anyOf` without a tag: one variant per branch, holding the branch's type.
    fn lower_union(&mut self, schema: &Schema<'_>, id: TypeId) -> Result<Union, Error> {
        check_union_siblings(schema)?;
        let exclusive = !schema.one_of.is_empty();
        let (keyword, branches) = if exclusive {
            ("oneOf", &schema.one_of)
        } else {
            ("anyOf", &schema.any_of)
        };
        let parent_name = self.name(id);
        let mut variants: Vec<(String, Ty)> = Vec::new();
        let mut pointers: Vec<String> = Vec::new();
        for (i, value) in branches.iter().enumerate() {
            let pointer = schema.child(&[keyword, &i.to_string()]);
            let branch = Schema::parse(value, pointer.clone())?;
            if self.is_nullable(&branch)? {
                return Err(Error::unsupported(
                    &pointer,
                    "a nullable branch; give `null` a branch of its own (`{\"type\": \"null\"}`)",
                ));
            }
            if !schema.types.is_empty() {
                let target = self.deref(Schema::parse(value, pointer.clone())?)?;
                if target.types.is_empty() || !target.types.iter().all(|t| schema.types.contains(t))
                {
                    return Err(Error::unsupported(
                        &pointer,
                        "the branch's `type` must be one the `type` beside the union allows",
                    ));
                }
            }
            let ty = self.lower_ty(&branch, &format!("{parent_name}Variant{i}"), id)?;
            let name = match &ty {
                Ty::Named(t) => {
                    let full = self.name(*t);
                    match full.strip_prefix(&parent_name) {
                        Some(rest) if naming::is_identifier(rest) && !rest.starts_with('_') => {
                            rest.to_owned()
                        }
                        _ => full,
                    }
                }
                Ty::String => "String".to_owned(),
                Ty::Integer => "Integer".to_owned(),
                Ty::Unsigned => "Unsigned".to_owned(),
                Ty::Number => "Number".to_owned(),
                Ty::Bool => "Boolean".to_owned(),
                Ty::Vec(_) => "Array".to_owned(),
                Ty::Map(_) | Ty::JsonObject => "Object".to_owned(),
                Ty::Json | Ty::Option(_) | Ty::Box(_) => "Value".to_owned(),
            };
            if let Some(first) = variants.iter().position(|(_, t)| *t == ty) {
                return Err(Error::unsupported(
                    &pointer,
                    format!(
                        "branches {first} and {i} have the same Rust type, so no value could tell them apart"
                    ),
                ));
            }
            if let Some(first) = variants.iter().position(|(n, _)| *n == name) {
                return Err(Error::NameCollision {
                    name,
                    first: pointers[first].clone(),
                    second: pointer,
                });
            }
            pointers.push(pointer);
            variants.push((name, ty));
        }
        Ok(Union {
            exclusive,
            variants,
        })
    }

    /// `items: [..]` (draft-07, with `additionalItems`) or `prefixItems` (2020-12, with
    /// `items`), bounded by `minItems`/`maxItems`.
    fn lower_tuple(&mut self, schema: &Schema<'_>, id: TypeId) -> Result<Tuple, Error> {
        let (prefix, rest, prefix_key) = match (schema.items, schema.prefix_items) {
            (Some(Value::Array(items)), None) => (items, schema.additional_items, "items"),
            (items, Some(Value::Array(prefix))) if !matches!(items, Some(Value::Array(_))) => {
                (prefix, items, "prefixItems")
            }
            _ => {
                return Err(Error::unsupported(
                    &schema.pointer,
                    "a tuple needs either `items` as an array or `prefixItems`, not both",
                ));
            }
        };
        let c = &schema.checks;
        if c.unique_items
            || c.has_string_checks()
            || c.has_number_checks()
            || c.has_object_checks()
            || c.format.is_some()
        {
            return Err(Error::unsupported(
                &schema.pointer,
                "a tuple takes only `minItems` and `maxItems` as constraints",
            ));
        }
        let name = self.name(id);
        let mut items = Vec::new();
        for (i, item) in prefix.iter().enumerate() {
            let item = Schema::parse(item, schema.child(&[prefix_key, &i.to_string()]))?;
            let nullable = self.is_nullable(&item)?;
            let ty = self.lower_ty(&item, &format!("{name}Item{i}"), id)?;
            items.push(wrap_nullable(ty, nullable));
        }
        let rest_key = if prefix_key == "items" {
            "additionalItems"
        } else {
            "items"
        };
        let rest = match rest {
            None | Some(Value::Bool(true)) => Some(Ty::Json),
            Some(Value::Bool(false)) => None,
            Some(value) => {
                let item = Schema::parse(value, schema.child(&[rest_key]))?;
                let nullable = self.is_nullable(&item)?;
                let ty = self.lower_ty(&item, &format!("{name}Rest"), id)?;
                Some(wrap_nullable(ty, nullable))
            }
        };
        let min = usize::try_from(c.min_items.unwrap_or(0)).unwrap_or(usize::MAX);
        let n = items.len();
        let refuse = |why: &str| Err(Error::unsupported(&schema.pointer, why));
        if rest.is_some() {
            if c.max_items.is_some_and(|m| m as usize != n) || min > n {
                return refuse(
                    "a tuple with further items takes `minItems`/`maxItems` only equal to its length",
                );
            }
            if min < n && c.max_items.is_none() {
                return refuse(
                    "a tuple with further items needs `minItems` equal to its length (optional items would have no fixed position)",
                );
            }
            let rest = if c.max_items.is_some() { None } else { rest };
            return Ok(Tuple {
                items,
                required: n,
                rest,
            });
        }
        if c.max_items.is_some_and(|m| (m as usize) < n) || min > n {
            return refuse("`minItems`/`maxItems` must lie within the tuple's length");
        }
        Ok(Tuple {
            items,
            required: min,
            rest: None,
        })
    }

    /// `patternProperties` of `schema` (and its `additionalProperties` for the other members)
    /// as the [`PatternMap`] type `id`.
    fn lower_pattern_map(&mut self, schema: &Schema<'_>, id: TypeId) -> Result<PatternMap, Error> {
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

    /// `oneOf` whose branches each carry a distinct value of one member, as [`Self::tagging`]
    /// found it.
    fn lower_tagged(
        &mut self,
        schema: &Schema<'_>,
        id: TypeId,
        tagging: Tagging,
    ) -> Result<Tagged, Error> {
        let mut variants: Vec<(String, TypeId)> = Vec::new();
        let parent_name = self.name(id);
        for (i, value) in tagging.values.into_iter().enumerate() {
            let branch = Schema::parse(schema.one_of[i], schema.child(&["oneOf", &i.to_string()]))?;
            if variants.iter().any(|(v, _)| *v == value) {
                return Err(Error::unsupported(
                    &branch.pointer,
                    format!("tag value {value:?} appears twice"),
                ));
            }
            let hint = format!("{parent_name}{}", naming::pascal(&value));
            let ty = self.lower_ty(&branch, &hint, id)?;
            let Ty::Named(variant) = ty else {
                return Err(Error::unsupported(
                    &branch.pointer,
                    "a `oneOf` branch must be an object",
                ));
            };
            if self.name(variant) == "Unknown" {
                return Err(Error::NameCollision {
                    name: "Unknown".to_owned(),
                    first: "the catch-all variant of a tagged union".to_owned(),
                    second: branch.pointer.clone(),
                });
            }
            variants.push((value, variant));
        }
        Ok(Tagged {
            tag: tagging.tag,
            variants,
        })
    }

    /// Required properties of an object schema whose value is a string `const`.
    fn const_properties(&self, schema: &Schema<'_>) -> Result<Vec<(String, String)>, Error> {
        let mut out = Vec::new();
        for (name, value) in &schema.properties {
            if !schema.required.contains(name) {
                continue;
            }
            let property = self.deref(Schema::parse(value, schema.child(&["properties", name]))?);
            if let Some(Value::String(constant)) = property?.constant {
                out.push(((*name).to_owned(), constant.clone()));
            }
        }
        Ok(out)
    }

    /// Merges `allOf` branches (following `$ref`s) with the node's own keywords into one schema.
    fn merge_all_of(&self, schema: &Schema<'_>) -> Result<Value, Error> {
        let mut merged = schema.raw.clone();
        merged.remove("allOf");
        for (i, branch) in schema.all_of.iter().enumerate() {
            let pointer = schema.child(&["allOf", &i.to_string()]);
            let mut branch = Schema::parse(branch, pointer.clone())?;
            if let Some(reference) = branch.reference {
                check_ref_siblings(&branch)?;
                branch = self.deref(Schema::parse(
                    self.lookup(reference)?,
                    reference.to_owned(),
                )?)?;
            }
            let value = if branch.all_of.is_empty() {
                branch.raw.clone()
            } else {
                match self.merge_all_of(&branch)? {
                    Value::Object(map) => map,
                    _ => Map::new(),
                }
            };
            merge_into(&mut merged, value, &pointer)?;
        }
        Ok(Value::Object(merged))
    }

    /// Fixes up cycles and trait support, then lays the types out in emission order.
    fn finish(mut self, roots: &[TypeId]) -> Result<Module, Error> {
        let types: Vec<TypeDef> = self
            .types
            .iter_mut()
            .map(|t| t.take().expect("every registered type is lowered once"))
            .collect();
        let mut module = Module { types };
        box_cycles(&mut module)?;
        compute_eq(&mut module);
        // Top-level types in document order, each followed by the inline types it introduced.
        let mut order = Vec::new();
        let mut stack: Vec<TypeId> = roots.iter().rev().copied().collect();
        let mut seen = vec![false; module.types.len()];
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.0], true) {
                continue;
            }
            order.push(id);
            stack.extend(self.children[id.0].iter().rev());
        }
        // Types reached only through a `$ref` to a non-`$defs` pointer come last.
        order.extend((0..module.types.len()).map(TypeId).filter(|id| !seen[id.0]));
        let mut slots: Vec<Option<TypeDef>> = module.types.into_iter().map(Some).collect();
        let remap: BTreeMap<TypeId, TypeId> = order
            .iter()
            .enumerate()
            .map(|(new, old)| (*old, TypeId(new)))
            .collect();
        let mut types: Vec<TypeDef> = order
            .iter()
            .map(|old| slots[old.0].take().expect("each type is placed once"))
            .collect();
        for def in &mut types {
            renumber(def, &remap);
        }
        Ok(Module { types })
    }
}

/// In draft-07 `$ref` siblings are ignored and in 2019-09+ they apply: accept only siblings
/// that mean the same either way.
fn check_ref_siblings(schema: &Schema<'_>) -> Result<(), Error> {
    match schema
        .raw
        .keys()
        .find(|k| *k != "$ref" && !is_annotation(k) && *k != "nullable")
    {
        Some(key) => Err(Error::unsupported(
            &schema.pointer,
            format!("`{key}` next to `$ref` is not supported (only annotations)"),
        )),
        None => Ok(()),
    }
}

/// The only branch of a `oneOf`/`anyOf` (once `null` branches are read as nullability).
fn single_branch<'a>(schema: &Schema<'a>) -> Option<&'a Value> {
    match (schema.one_of.as_slice(), schema.any_of.as_slice()) {
        ([branch], []) | ([], [branch]) => Some(branch),
        _ => None,
    }
}

/// Pointer of the `i`th union branch (after null branches were set aside the index may be off
/// by the null branches before it; the pointer is for messages only).
fn union_pointer(schema: &Schema<'_>, i: usize) -> String {
    let keyword = if schema.one_of.is_empty() {
        "anyOf"
    } else {
        "oneOf"
    };
    schema.child(&[keyword, &i.to_string()])
}

/// An untagged union stands alone: beside it only annotations, `$defs`, `nullable` and a
/// `type` that every branch respects.
fn check_union_siblings(schema: &Schema<'_>) -> Result<(), Error> {
    if !schema.one_of.is_empty() && !schema.any_of.is_empty() {
        return Err(Error::unsupported(
            &schema.pointer,
            "`oneOf` and `anyOf` on one schema are not supported",
        ));
    }
    let extra = schema.raw.keys().find(|k| {
        !matches!(
            k.as_str(),
            "type" | "nullable" | "oneOf" | "anyOf" | "$defs" | "definitions"
        ) && !is_annotation(k)
    });
    match extra {
        Some(key) => Err(Error::unsupported(
            &schema.pointer,
            format!(
                "`{key}` next to an untagged `oneOf`/`anyOf` is not supported; move it into the branches"
            ),
        )),
        None => Ok(()),
    }
}

/// `items` as an array or `prefixItems`.
fn is_tuple(schema: &Schema<'_>) -> bool {
    matches!(schema.items, Some(Value::Array(_))) || schema.prefix_items.is_some()
}

fn is_struct(schema: &Schema<'_>) -> bool {
    !schema.properties.is_empty()
        || (schema.types == ["object"] && matches!(schema.additional, Additional::Denied))
}

/// Whether a schema (not a `$ref`) becomes a type of its own rather than `String`, `Vec<_>`...
fn needs_named_type(schema: &Schema<'_>) -> bool {
    schema.reference.is_none()
        && (is_struct(schema)
            || schema.enum_values.is_some()
            || schema.constant.is_some()
            || !schema.one_of.is_empty()
            || !schema.any_of.is_empty()
            || !schema.all_of.is_empty()
            || !schema.pattern_properties.is_empty()
            || is_tuple(schema)
            || !schema.checks.is_empty()
            || is_secret_string(schema))
}

/// A secret string gets a type of its own so that its `Debug` can be redacted.
fn is_secret_string(schema: &Schema<'_>) -> bool {
    schema.docs.secret && schema.types == ["string"]
}

fn wrap_nullable(ty: Ty, nullable: bool) -> Ty {
    if nullable {
        Ty::Option(Box::new(ty))
    } else {
        ty
    }
}

fn lower_enum(schema: &Schema<'_>, values: &[&Value]) -> Result<Vec<Variant>, Error> {
    let docs = &schema.docs;
    for (list, key) in [
        (docs.enum_descriptions.len(), "x-enum-descriptions"),
        (docs.enum_varnames.len(), "x-enum-varnames"),
    ] {
        if list != 0 && list != values.len() {
            return Err(Error::unsupported(
                &schema.child(&[key]),
                "needs exactly one entry per non-null `enum` value",
            ));
        }
    }
    if values.is_empty() {
        return Err(Error::unsupported(
            &schema.child(&["enum"]),
            "an `enum` of only `null`",
        ));
    }
    let mut variants: Vec<Variant> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let Value::String(value) = value else {
            return Err(Error::unsupported(
                &schema.child(&["enum", &i.to_string()]),
                "only string `enum` values are supported",
            ));
        };
        let name = match docs.enum_varnames.get(i) {
            Some(name) => (*name).to_owned(),
            None => naming::pascal(value),
        };
        let pointer = schema.child(&["enum", &i.to_string()]);
        if !naming::is_identifier(&name) || name == "Unknown" || name == "Self" {
            return Err(Error::unsupported(
                &pointer,
                format!("{value:?} gives no usable variant name ({name:?}); add `x-enum-varnames`"),
            ));
        }
        if let Some(first) = variants.iter().position(|v| v.name == name) {
            return Err(Error::NameCollision {
                name,
                first: schema.child(&["enum", &first.to_string()]),
                second: pointer,
            });
        }
        let docs = docs
            .enum_descriptions
            .get(i)
            .map(|d| d.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        variants.push(Variant {
            name,
            value: value.clone(),
            docs,
        });
    }
    Ok(variants)
}

/// The JSON type of an `enum` value, or `None` for arrays and objects.
fn json_type(value: &Value) -> Option<JsonType> {
    match value {
        Value::String(_) => Some(JsonType::String),
        Value::Bool(_) => Some(JsonType::Boolean),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(JsonType::Integer),
        Value::Number(_) => Some(JsonType::Number),
        _ => None,
    }
}

/// An `enum` with a non-string value. Names come from `x-enum-varnames`, else from the value:
/// strings as for string enums, `7` → `Value7`, `-1` → `ValueMinus1`, `true` → `True`; other
/// numbers need `x-enum-varnames`.
fn lower_value_enum(schema: &Schema<'_>, values: &[&Value]) -> Result<ValueEnum, Error> {
    let docs = &schema.docs;
    for (list, key) in [
        (docs.enum_descriptions.len(), "x-enum-descriptions"),
        (docs.enum_varnames.len(), "x-enum-varnames"),
    ] {
        if list != 0 && list != values.len() {
            return Err(Error::unsupported(
                &schema.child(&[key]),
                "needs exactly one entry per non-null `enum` value",
            ));
        }
    }
    let mut types: Vec<JsonType> = Vec::new();
    for t in &schema.types {
        types.push(match *t {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            other => {
                return Err(Error::unsupported(
                    &schema.child(&["type"]),
                    format!("an `enum` of type {other:?} is not supported (only scalars)"),
                ));
            }
        });
    }
    let declared = !types.is_empty();
    let mut variants: Vec<ValueVariant> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let pointer = schema.child(&["enum", &i.to_string()]);
        let Some(kind) = json_type(value) else {
            return Err(Error::unsupported(
                &pointer,
                "only scalar `enum` values (strings, numbers, booleans, null) are supported",
            ));
        };
        let allowed = types.contains(&kind)
            || (kind == JsonType::Integer && types.contains(&JsonType::Number));
        if !allowed {
            if declared {
                return Err(Error::unsupported(
                    &pointer,
                    "the value is not of the schema's `type`, so it could never match",
                ));
            }
            types.push(kind);
        }
        let name = match (docs.enum_varnames.get(i), value) {
            (Some(name), _) => (*name).to_owned(),
            (None, Value::String(s)) => naming::pascal(s),
            (None, Value::Bool(b)) => if *b { "True" } else { "False" }.to_owned(),
            (None, Value::Number(n)) if n.is_u64() => format!("Value{n}"),
            (None, Value::Number(n)) if n.is_i64() => {
                format!("ValueMinus{}", n.to_string().trim_start_matches('-'))
            }
            (None, _) => {
                return Err(Error::unsupported(
                    &pointer,
                    format!("{value} gives no variant name; add `x-enum-varnames`"),
                ));
            }
        };
        if !naming::is_identifier(&name) || name == "Unknown" || name == "Self" {
            return Err(Error::unsupported(
                &pointer,
                format!("{value} gives no usable variant name ({name:?}); add `x-enum-varnames`"),
            ));
        }
        if let Some(first) = variants.iter().position(|v| v.name == name) {
            return Err(Error::NameCollision {
                name,
                first: schema.child(&["enum", &first.to_string()]),
                second: pointer,
            });
        }
        let docs = docs
            .enum_descriptions
            .get(i)
            .map(|d| d.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        variants.push(ValueVariant {
            name,
            value: (*value).clone(),
            docs,
        });
    }
    Ok(ValueEnum { variants, types })
}

fn merge_into(
    merged: &mut Map<String, Value>,
    branch: Map<String, Value>,
    pointer: &str,
) -> Result<(), Error> {
    for (key, value) in branch {
        if is_annotation(&key) && key != "deprecated" {
            merged.entry(key).or_insert(value);
            continue;
        }
        match (key.as_str(), merged.get_mut(&key)) {
            (_, None) => {
                merged.insert(key, value);
            }
            ("properties", Some(Value::Object(existing))) => {
                let Value::Object(new) = value else {
                    return Err(Error::unsupported(
                        pointer,
                        "`properties` must be an object",
                    ));
                };
                for (name, schema) in new {
                    match existing.get(&name) {
                        Some(old) if *old != schema => {
                            return Err(Error::unsupported(
                                pointer,
                                format!("allOf branches give property {name:?} different schemas"),
                            ));
                        }
                        Some(_) => {}
                        None => {
                            existing.insert(name, schema);
                        }
                    }
                }
            }
            ("required", Some(Value::Array(existing))) => {
                if let Value::Array(new) = value {
                    for name in new {
                        if !existing.contains(&name) {
                            existing.push(name);
                        }
                    }
                }
            }
            (_, Some(old)) if *old == value => {}
            (_, Some(_)) => {
                return Err(Error::unsupported(
                    pointer,
                    format!("allOf branches disagree on `{key}`"),
                ));
            }
        }
    }
    Ok(())
}

/// Doc lines of a named type: title (unless it is the name), description, constraints,
/// default and examples.
fn type_docs(schema: &Schema<'_>, name: &str) -> Vec<String> {
    let mut docs = Vec::new();
    if let Some(title) = schema.docs.title.filter(|t| *t != name) {
        docs.push(title.to_owned());
    }
    describe(schema, &mut docs);
    constraint_docs(schema, &mut docs);
    example_docs(schema, &mut docs);
    // Not `#[deprecated]`: schemars' derive names the type in impls it does not mark
    // `#[allow(deprecated)]`, so the generated code would warn about itself, and the only cure
    // would be an inner `#![allow(deprecated)]`, which `include!` cannot take. Fields keep
    // `#[deprecated]`, which the derives tolerate.
    if schema.docs.deprecated {
        paragraph(
            &mut docs,
            [
                "Deprecated (`deprecated: true`): kept for compatibility, avoid it in new code."
                    .to_owned(),
            ],
        );
    }
    docs
}

/// Doc lines of a field. Constraints live on the field's own type, except when that type is
/// plain.
fn field_docs(schema: &Schema<'_>, has_own_type: bool) -> Vec<String> {
    let mut docs = Vec::new();
    if !has_own_type && let Some(title) = schema.docs.title {
        docs.push(title.to_owned());
    }
    describe(schema, &mut docs);
    if !has_own_type {
        constraint_docs(schema, &mut docs);
    }
    example_docs(schema, &mut docs);
    docs
}

fn paragraph(docs: &mut Vec<String>, lines: impl IntoIterator<Item = String>) {
    if !docs.is_empty() {
        docs.push(String::new());
    }
    docs.extend(lines);
}

fn describe(schema: &Schema<'_>, docs: &mut Vec<String>) {
    if let Some(description) = schema.docs.description {
        paragraph(docs, description.lines().map(|l| l.trim_end().to_owned()));
    }
    let flags: Vec<String> = [
        (
            "x-personal",
            "Personal data (`x-personal`): pseudonymise it in recordings.",
        ),
        (
            "x-secret",
            "Secret (`x-secret`): never log, record or report it.",
        ),
        (
            "x-assumption",
            "Assumed (`x-assumption`): not published by the API's owner.",
        ),
    ]
    .iter()
    .filter(|(key, _)| schema.raw.get(*key) == Some(&Value::Bool(true)))
    .map(|(_, text)| (*text).to_owned())
    .chain(schema.docs.read_only.then(|| {
        "Read-only (`readOnly`): the server sets it; a request need not send it.".to_owned()
    }))
    .chain(
        schema
            .docs
            .write_only
            .then(|| "Write-only (`writeOnly`): sent in requests, never returned.".to_owned()),
    )
    .collect();
    if !flags.is_empty() {
        paragraph(docs, flags);
    }
    if let Some(external) = schema.docs.external_docs {
        let line = match external.description {
            Some(description) => format!("See also: [{description}]({}).", external.url),
            None => format!("See also: <{}>.", external.url),
        };
        paragraph(docs, [line]);
    }
}

fn constraint_docs(schema: &Schema<'_>, docs: &mut Vec<String>) {
    let c = &schema.checks;
    let mut lines = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => {
            lines.push(format!("Length: {min} to {max} characters (code points)."))
        }
        (Some(min), None) => {
            lines.push(format!("Length: at least {min} characters (code points)."))
        }
        (None, Some(max)) => lines.push(format!("Length: at most {max} characters (code points).")),
        (None, None) => {}
    }
    if let Some(pattern) = &c.pattern {
        lines.push(format!("Pattern (ECMA-262): `{pattern}`."));
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => lines.push(format!("Items: {min} to {max}.")),
        (Some(min), None) => lines.push(format!("Items: at least {min}.")),
        (None, Some(max)) => lines.push(format!("Items: at most {max}.")),
        (None, None) => {}
    }
    for (bound, text) in [
        (&c.minimum, ">="),
        (&c.exclusive_minimum, ">"),
        (&c.maximum, "<="),
        (&c.exclusive_maximum, "<"),
    ] {
        if let Some(bound) = bound {
            lines.push(format!("Value: {text} {bound}."));
        }
    }
    if c.unique_items {
        lines.push("Items: unique.".to_owned());
    }
    match (c.min_properties, c.max_properties) {
        (Some(min), Some(max)) => lines.push(format!("Members: {min} to {max}.")),
        (Some(min), None) => lines.push(format!("Members: at least {min}.")),
        (None, Some(max)) => lines.push(format!("Members: at most {max}.")),
        (None, None) => {}
    }
    if let Some(Value::String(format)) = schema.raw.get("format") {
        let how = match formats::by_name(format).map(|f| f.check) {
            Some(Check::Nothing) => "the text is kept as received, nothing is checked",
            _ => "checked as ajv-formats checks it; the text is kept as received",
        };
        lines.push(format!("Format: `{format}` ({how})."));
    }
    if let Some(default) = schema.docs.default {
        lines.push(format!("Default when absent: `{default}`."));
    }
    if !lines.is_empty() {
        paragraph(docs, lines);
    }
}

fn example_docs(schema: &Schema<'_>, docs: &mut Vec<String>) {
    if schema.docs.examples.is_empty() {
        return;
    }
    let mut lines = vec!["# Examples".to_owned(), String::new(), "```json".to_owned()];
    lines.extend(schema.docs.examples.iter().map(|e| e.to_string()));
    lines.push("```".to_owned());
    paragraph(docs, lines);
}

/// Types a value of `ty` contains by value (not behind `Vec`, a map or `Box`).
fn contained(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Option(inner) => contained(inner, out),
        _ => {}
    }
}

fn direct_children(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &def.kind {
        Kind::Alias(ty) => contained(ty, &mut out),
        Kind::Struct(s) => s.fields.iter().for_each(|f| contained(&f.ty, &mut out)),
        Kind::Newtype(n) => contained(&n.inner, &mut out),
        Kind::Tagged(t) => out.extend(t.variants.iter().map(|(_, id)| *id)),
        Kind::Union(u) => u.variants.iter().for_each(|(_, t)| contained(t, &mut out)),
        Kind::Tuple(t) => t.items.iter().for_each(|t| contained(t, &mut out)),
        Kind::PatternMap(_) => {}
        Kind::Enum(_) | Kind::Const(_) | Kind::ValueEnum(_) | Kind::ConstValue(_) => {}
    }
    if let Kind::Struct(s) = &def.kind
        && let UnknownFields::Patterns(id) = s.unknown
    {
        out.push(id);
    }
    out
}

fn reaches(module: &Module, from: TypeId, to: TypeId) -> bool {
    let mut seen = vec![false; module.types.len()];
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if !std::mem::replace(&mut seen[id.0], true) {
            stack.extend(direct_children(&module.types[id.0]));
        }
    }
    false
}

/// Boxes exactly the struct fields whose type leads back to the struct by value.
fn box_cycles(module: &mut Module) -> Result<(), Error> {
    for i in 0..module.types.len() {
        let this = TypeId(i);
        let cyclic: Vec<usize> = match &module.types[i].kind {
            Kind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    let mut targets = Vec::new();
                    contained(&f.ty, &mut targets);
                    targets.iter().any(|t| reaches(module, *t, this))
                })
                .map(|(n, _)| n)
                .collect(),
            Kind::Alias(_) | Kind::Newtype(_) | Kind::Union(_) | Kind::Tuple(_)
                if reaches_self(module, this) =>
            {
                return Err(Error::unsupported(
                    &module.types[i].pointer,
                    "a recursive schema must recurse through an object property",
                ));
            }
            _ => Vec::new(),
        };
        if let Kind::Struct(s) = &mut module.types[i].kind {
            for n in cyclic {
                let ty = &mut s.fields[n].ty;
                *ty = box_named(std::mem::replace(ty, Ty::Json));
            }
        }
    }
    Ok(())
}

fn reaches_self(module: &Module, id: TypeId) -> bool {
    direct_children(&module.types[id.0])
        .into_iter()
        .any(|c| reaches(module, c, id))
}

fn box_named(ty: Ty) -> Ty {
    match ty {
        Ty::Option(inner) => Ty::Option(Box::new(box_named(*inner))),
        named @ Ty::Named(_) => Ty::Box(Box::new(named)),
        other => other,
    }
}

fn ty_eq(module: &Module, ty: &Ty) -> bool {
    match ty {
        Ty::Number => false,
        Ty::Bool | Ty::Integer | Ty::Unsigned | Ty::String | Ty::Json | Ty::JsonObject => true,
        Ty::Named(id) => module.types[id.0].eq,
        Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Box(t) => ty_eq(module, t),
    }
}

/// `Eq` and `Hash` hold unless a float is inside; iterate to a fixed point for recursion.
fn compute_eq(module: &mut Module) {
    loop {
        let mut changed = false;
        for i in 0..module.types.len() {
            if !module.types[i].eq {
                continue;
            }
            let eq = match &module.types[i].kind {
                Kind::Alias(ty) => ty_eq(module, ty),
                Kind::Struct(s) => {
                    s.fields.iter().all(|f| ty_eq(module, &f.ty))
                        && match &s.unknown {
                            UnknownFields::Collect(ty) => ty_eq(module, ty),
                            UnknownFields::Patterns(id) => module.types[id.0].eq,
                            _ => true,
                        }
                }
                Kind::Newtype(n) => ty_eq(module, &n.inner),
                Kind::Tagged(t) => t.variants.iter().all(|(_, id)| module.types[id.0].eq),
                Kind::Union(u) => u.variants.iter().all(|(_, t)| ty_eq(module, t)),
                Kind::Tuple(t) => {
                    t.items.iter().all(|t| ty_eq(module, t))
                        && t.rest.as_ref().is_none_or(|t| ty_eq(module, t))
                }
                Kind::PatternMap(p) => {
                    ty_eq(module, &p.value)
                        && match &p.other {
                            UnknownFields::Collect(ty) => ty_eq(module, ty),
                            _ => true,
                        }
                }
                Kind::Enum(_) | Kind::Const(_) | Kind::ValueEnum(_) | Kind::ConstValue(_) => true,
            };
            if !eq {
                module.types[i].eq = false;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

fn renumber(def: &mut TypeDef, remap: &BTreeMap<TypeId, TypeId>) {
    fn ty(t: &mut Ty, remap: &BTreeMap<TypeId, TypeId>) {
        match t {
            Ty::Named(id) => *id = remap[id],
            Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Box(i) => ty(i, remap),
            _ => {}
        }
    }
    match &mut def.kind {
        Kind::Alias(t) => ty(t, remap),
        Kind::Struct(s) => {
            s.fields.iter_mut().for_each(|f| ty(&mut f.ty, remap));
            match &mut s.unknown {
                UnknownFields::Collect(t) => ty(t, remap),
                UnknownFields::Patterns(id) => *id = remap[id],
                UnknownFields::Keep | UnknownFields::Deny => {}
            }
        }
        Kind::Newtype(n) => ty(&mut n.inner, remap),
        Kind::Tagged(t) => t.variants.iter_mut().for_each(|(_, id)| *id = remap[id]),
        Kind::Union(u) => u.variants.iter_mut().for_each(|(_, t)| ty(t, remap)),
        Kind::Tuple(t) => {
            t.items.iter_mut().for_each(|t| ty(t, remap));
            if let Some(rest) = &mut t.rest {
                ty(rest, remap);
            }
        }
        Kind::PatternMap(p) => {
            ty(&mut p.value, remap);
            if let UnknownFields::Collect(t) = &mut p.other {
                ty(t, remap);
            }
        }
        Kind::Enum(_) | Kind::Const(_) | Kind::ValueEnum(_) | Kind::ConstValue(_) => {}
    }
}
