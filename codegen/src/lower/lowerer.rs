//! The lowering pass itself: the registry of named types, `$ref` lookup, and the dispatch from a
//! schema node to the construct it becomes.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::Document;
use crate::error::Error;
use crate::ir::{Kind, Module, Ty, TypeDef, TypeId};
use crate::naming;
use crate::schema::{Additional, Schema};

use super::docs::{paragraph, type_docs};
use super::enums::{lower_enum, lower_value_enum};
use super::refs::{Doc, canonicalize, file_stem, last_segment};
use super::shape::{
    check_ref_siblings, check_union_siblings, is_secret_string, is_struct, is_tuple,
    needs_named_type, single_branch, union_pointer, wrap_nullable,
};

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
    // Each document's own type, and whether the document is a request (`*.request.*`).
    let mut uses = Vec::new();
    for doc in &docs {
        let root = Schema::parse(&doc.value, format!("{}#", doc.name))?;
        if root.has_validation() {
            let name = match root.docs.title {
                Some(title) => title.to_owned(),
                None => naming::pascal(file_stem(&doc.name)),
            };
            let id = lowerer.register(&name, &root.pointer, None)?;
            roots.push(id);
            uses.push((id, is_request(&doc.name)));
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
    lowerer.finish(&roots, &uses)
}

/// A request document by its name: `customer-init.request.schema.json`, `x.request.json`.
fn is_request(name: &str) -> bool {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    file.contains(".request.")
}

pub(super) struct Lowerer<'d> {
    pub(super) docs: &'d [Doc],
    pub(super) types: Vec<Option<TypeDef>>,
    /// Pointer of each registered type, and its inline types in order of appearance.
    pub(super) children: Vec<Vec<TypeId>>,
    pub(super) by_pointer: BTreeMap<String, TypeId>,
    pub(super) names: BTreeMap<String, String>,
}

impl<'d> Lowerer<'d> {
    /// Reserves a name for the schema at `pointer`; two different schemas wanting one name is
    /// an error naming both.
    pub(super) fn register(
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
            closed: false,
        }));
        self.children.push(Vec::new());
        self.by_pointer.insert(pointer.to_owned(), id);
        if let Some(parent) = parent {
            self.children[parent.0].push(id);
        }
        Ok(id)
    }

    pub(super) fn def(&mut self, id: TypeId) -> &mut TypeDef {
        self.types[id.0]
            .as_mut()
            .expect("registered types stay in place")
    }

    pub(super) fn name(&self, id: TypeId) -> String {
        self.types[id.0]
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    /// The JSON at a canonical `document#/pointer`.
    pub(super) fn lookup(&self, pointer: &str) -> Result<&'d Value, Error> {
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
            let token = crate::schema::unescape(token);
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
    pub(super) fn deref(&self, schema: Schema<'d>) -> Result<Schema<'d>, Error> {
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

    pub(super) fn is_nullable(&self, schema: &Schema<'_>) -> Result<bool, Error> {
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

    pub(super) fn lower_registered(&mut self, id: TypeId) -> Result<(), Error> {
        let pointer = self.types[id.0]
            .as_ref()
            .map(|t| t.pointer.clone())
            .unwrap_or_default();
        let value = self.lookup(&pointer)?;
        let schema = Schema::parse(value, pointer)?;
        self.lower_named(id, &schema)
    }

    /// Fills in the registered type `id` from `schema`.
    pub(super) fn lower_named(&mut self, id: TypeId, schema: &Schema<'_>) -> Result<(), Error> {
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
    pub(super) fn lower_ty(
        &mut self,
        schema: &Schema<'_>,
        hint: &str,
        parent: TypeId,
    ) -> Result<Ty, Error> {
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
    pub(super) fn lower_plain(
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

    pub(super) fn lower_items(
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
}
