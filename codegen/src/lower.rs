//! Schema → IR: `$ref` resolution across documents by `$id`, `allOf` merging, naming with
//! collision errors, nullability, and `Box` on cycle edges.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Document;
use crate::error::Error;
use crate::ir::{
    Field, Kind, Module, Newtype, Presence, Struct, Tagged, Ty, TypeDef, TypeId, UnknownFields,
    Variant,
};
use crate::naming;
use crate::schema::{Additional, Schema, escape};

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
    for (key, child) in map.iter_mut() {
        // Instances, not schemas: a `$ref` member in an example is data.
        if matches!(key.as_str(), "examples" | "default" | "const" | "enum") {
            continue;
        }
        rewrite_refs(
            child,
            doc,
            base,
            index,
            &format!("{pointer}/{}", escape(key)),
        )?;
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

fn file_stem(name: &str) -> &str {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    file.strip_suffix(".schema.json")
        .or_else(|| file.strip_suffix(".json"))
        .unwrap_or(file)
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
            deprecated: false,
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
        } else if !schema.one_of.is_empty() {
            Kind::Tagged(self.lower_tagged(schema, id)?)
        } else if let Some(values) = &schema.enum_values {
            Kind::Enum(lower_enum(schema, values)?)
        } else if let Some(constant) = schema.constant {
            match constant {
                Value::String(s) => Kind::Const(s.clone()),
                _ => {
                    return Err(Error::unsupported(
                        &schema.pointer,
                        "only string `const` values are supported",
                    ));
                }
            }
        } else if is_struct(schema) {
            Kind::Struct(self.lower_struct(schema, id)?)
        } else if !schema.checks.is_empty() || is_secret_string(schema) {
            Kind::Newtype(self.lower_newtype(schema, id)?)
        } else {
            Kind::Alias(self.lower_plain(schema, &name, id)?)
        };
        let docs = type_docs(schema, &name);
        let def = self.def(id);
        def.kind = kind;
        def.docs = docs;
        def.deprecated = schema.docs.deprecated;
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
            let last = reference.rsplit('/').next().unwrap_or(reference);
            let name = match target.docs.title {
                Some(title) => title.to_owned(),
                None => naming::pascal(&last.replace("~1", "/").replace("~0", "~")),
            };
            if needs_named_type(&target) {
                let id = self.register(&name, reference, None)?;
                self.lower_named(id, &target)?;
                return Ok(Ty::Named(id));
            }
            return self.lower_ty(&target, &name, parent);
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
        if !matches!(schema.additional, Additional::Denied) {
            if let Some(first) = field_pointers.get("additional_properties") {
                return Err(Error::NameCollision {
                    name: "additional_properties".to_owned(),
                    first: first.clone(),
                    second: format!("{} (the map of other members)", schema.pointer),
                });
            }
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
        let inner = match schema.types.as_slice() {
            ["string"] if !checks.has_array_checks() && !checks.has_number_checks() => {
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
            ["array"] if !checks.has_string_checks() && !checks.has_number_checks() => {
                let name = self.name(id);
                Ty::Vec(Box::new(self.lower_items(schema, &name, id)?))
            }
            ["integer"] if !checks.has_string_checks() && !checks.has_array_checks() => {
                for bound in [
                    &checks.minimum,
                    &checks.maximum,
                    &checks.exclusive_minimum,
                    &checks.exclusive_maximum,
                ]
                .into_iter()
                .flatten()
                {
                    if bound.as_i64().is_none() {
                        return Err(Error::unsupported(
                            &schema.pointer,
                            "integer bounds must be integers",
                        ));
                    }
                }
                Ty::Integer
            }
            ["number"] if !checks.has_string_checks() && !checks.has_array_checks() => Ty::Number,
            [_] => return wrong("these"),
            _ => return wrong("value"),
        };
        Ok(Newtype {
            inner,
            checks: checks.clone(),
            secret: schema.docs.secret,
        })
    }

    /// `oneOf` whose branches all carry a distinct string `const` in one common property.
    fn lower_tagged(&mut self, schema: &Schema<'_>, id: TypeId) -> Result<Tagged, Error> {
        let extra = schema.raw.keys().any(|k| {
            !matches!(
                k.as_str(),
                "type" | "required" | "oneOf" | "$defs" | "definitions"
            ) && !is_annotation(k)
        });
        if extra || !matches!(schema.types.as_slice(), [] | ["object"]) {
            return Err(Error::unsupported(
                &schema.pointer,
                "`oneOf` is supported only on its own (with `type: object` and `required`), as a union tagged by a `const` property",
            ));
        }
        let mut branches = Vec::new();
        for (i, branch) in schema.one_of.iter().enumerate() {
            let branch = Schema::parse(branch, schema.child(&["oneOf", &i.to_string()]))?;
            let target = match branch.reference {
                Some(reference) => self.deref(Schema::parse(
                    self.lookup(reference)?,
                    reference.to_owned(),
                )?)?,
                None => Schema::parse(schema.one_of[i], branch.pointer.clone())?,
            };
            if !is_struct(&target) {
                return Err(Error::unsupported(
                    &branch.pointer,
                    "a `oneOf` branch must be an object with `properties`",
                ));
            }
            let consts = self.const_properties(&target)?;
            branches.push((branch, consts));
        }
        let candidates: Vec<&str> = schema
            .required
            .iter()
            .copied()
            .chain(branches[0].1.iter().map(|(name, _)| name.as_str()))
            .collect();
        let tag = candidates
            .into_iter()
            .find(|tag| branches.iter().all(|(_, consts)| consts.iter().any(|(n, _)| n == tag)))
            .ok_or_else(|| {
                Error::unsupported(
                    &schema.child(&["oneOf"]),
                    "no property holds a required string `const` in every branch, so the branches cannot be told apart",
                )
            })?
            .to_owned();
        let mut variants: Vec<(String, TypeId)> = Vec::new();
        let parent_name = self.name(id);
        for (branch, consts) in &branches {
            let value = consts
                .iter()
                .find(|(n, _)| *n == tag)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            if variants.iter().any(|(v, _)| *v == value) {
                return Err(Error::unsupported(
                    &branch.pointer,
                    format!("tag value {value:?} appears twice"),
                ));
            }
            let hint = format!("{parent_name}{}", naming::pascal(&value));
            let ty = self.lower_ty(branch, &hint, id)?;
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
        Ok(Tagged { tag, variants })
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

fn is_annotation(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "$schema"
                | "$id"
                | "$comment"
                | "title"
                | "description"
                | "examples"
                | "default"
                | "deprecated"
        )
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
            || !schema.all_of.is_empty()
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
    docs
}

/// Doc lines of a field. Constraints live on the field's own type, except when that type is
/// plain.
fn field_docs(schema: &Schema<'_>, has_own_type: bool) -> Vec<String> {
    let mut docs = Vec::new();
    if !has_own_type {
        if let Some(title) = schema.docs.title {
            docs.push(title.to_owned());
        }
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
    .collect();
    if !flags.is_empty() {
        paragraph(docs, flags);
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
        Kind::Enum(_) | Kind::Const(_) => {}
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
            Kind::Alias(_) | Kind::Newtype(_) if reaches_self(module, this) => {
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
        Ty::Bool | Ty::Integer | Ty::String | Ty::Json | Ty::JsonObject => true,
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
                            _ => true,
                        }
                }
                Kind::Newtype(n) => ty_eq(module, &n.inner),
                Kind::Tagged(t) => t.variants.iter().all(|(_, id)| module.types[id.0].eq),
                Kind::Enum(_) | Kind::Const(_) => true,
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
            if let UnknownFields::Collect(t) = &mut s.unknown {
                ty(t, remap);
            }
        }
        Kind::Newtype(n) => ty(&mut n.inner, remap),
        Kind::Tagged(t) => t.variants.iter_mut().for_each(|(_, id)| *id = remap[id]),
        Kind::Enum(_) | Kind::Const(_) => {}
    }
}
