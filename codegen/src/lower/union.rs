//! `oneOf`/`anyOf`: unions told apart by a tag member (a `const`, or what `discriminator` names),
//! and untagged unions that try their branches.

use serde_json::Value;

use crate::error::Error;
use crate::ir::{Tagged, Ty, TypeId, Union};
use crate::naming;
use crate::schema::{Discriminator, Schema, is_annotation};

use super::lowerer::Lowerer;
use super::refs::last_segment;
use super::shape::{check_union_siblings, is_struct};

/// How a tagged `oneOf` is told apart: the member and each branch's value of it, in order.
pub(super) struct Tagging {
    pub(super) tag: String,
    pub(super) values: Vec<String>,
}

impl Lowerer<'_> {
    /// The tag of `schema` if it is a `oneOf` that [`Self::lower_tagged`] takes: on its own
    /// (beside `type: object`, `required` and annotations), every branch an object, and one
    /// member that tells the branches apart. That member is the `discriminator`'s
    /// `propertyName` if there is one, else a required string `const` common to all branches.
    /// Anything else with `oneOf`/`anyOf` is an untagged union, `discriminator` or not.
    pub(super) fn tagging(&self, schema: &Schema<'_>) -> Result<Option<Tagging>, Error> {
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
    pub(super) fn discriminated_value(
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
    pub(super) fn lower_union(&mut self, schema: &Schema<'_>, id: TypeId) -> Result<Union, Error> {
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

    /// `oneOf` whose branches each carry a distinct value of one member, as [`Self::tagging`]
    /// found it.
    pub(super) fn lower_tagged(
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
        let mut names: Vec<String> = variants
            .iter()
            .map(|(value, _)| naming::pascal(value))
            .collect();
        let distinct = names
            .iter()
            .enumerate()
            .all(|(i, n)| naming::is_identifier(n) && n != "Unknown" && !names[..i].contains(n));
        if !distinct {
            names = variants.iter().map(|(_, v)| self.name(*v)).collect();
        }
        Ok(Tagged {
            tag: tagging.tag,
            variants,
            names,
            implied: false,
            after_tag: Vec::new(),
        })
    }

    /// Required properties of an object schema whose value is a string `const`.
    pub(super) fn const_properties(
        &self,
        schema: &Schema<'_>,
    ) -> Result<Vec<(String, String)>, Error> {
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
}
