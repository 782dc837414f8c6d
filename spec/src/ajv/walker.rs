//! Evaluates a compiled [`Program`] the way the code Ajv 8 generates does, so the error list
//! comes out in Ajv's order with Ajv's early exits:
//!
//! * keywords run in Ajv's rule order (untyped group, then number, string, array, object),
//!   not in the order the schema lists them;
//! * without `allErrors`, a schema stops at its first failing keyword, and outside composite
//!   keywords (`anyOf`, `oneOf`, `not`, `if`, `contains`, `propertyNames` branches) the whole
//!   validation stops at the first error;
//! * composite keywords keep their branches' errors and append their own.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::AjvError;
use super::compile::{
    AdditionalItems, AdditionalProperties, Group, Items, Node, NodeId, Program, Ref, SchemaNode,
    types_match,
};
use super::equality::equal;
use super::formats::FormatType;
use super::messages::{self, Fixed};
use super::{js_number, js_order, paths};

/// Context Ajv threads through subschemas of one compiled function.
#[derive(Clone, Copy)]
struct Cx<'k> {
    /// Inside a branch of a composite keyword: errors are collected, not returned at once.
    composite: bool,
    /// Set inside `propertyNames`: the key being checked (reported on every error).
    property_name: Option<&'k str>,
}

/// One validation run.
pub struct Walker<'p> {
    nodes: &'p [Node],
    all_errors: bool,
    errors: Vec<AjvError>,
    path: String,
    /// Ajv has executed `return false` in the current compiled function (an own error outside
    /// composite keywords without `allErrors`): everything unwinds to the function's caller,
    /// which only sees a failed `$ref` and carries on with its own rules.
    returning: bool,
    /// Which compiled Ajv function invocation is running (see `contains_memory`).
    frame: u64,
    frames: u64,
    /// Ajv keeps `contains`' result in a function-scoped `var` that only its item loop
    /// assigns, so for an empty array it reads whatever that keyword's previous run in the
    /// same function invocation left (e.g. the previous property in an
    /// `additionalProperties` loop), or `undefined` (fails) on the first run. Keyed by
    /// (invocation, keyword's schema node).
    /// A `BTreeMap`: it costs nothing until a `contains` keyword runs, where a `HashMap`
    /// would seed its hasher on every run.
    contains_memory: BTreeMap<(u64, usize), bool>,
}

impl<'p> Walker<'p> {
    /// Validates `data`; returns Ajv's error list (empty when valid).
    pub fn run(program: &'p Program, data: &Value, all_errors: bool) -> Vec<AjvError> {
        let mut w = Walker {
            nodes: &program.nodes,
            all_errors,
            errors: Vec::new(),
            path: String::new(),
            returning: false,
            frame: 0,
            frames: 0,
            contains_memory: BTreeMap::new(),
        };
        let cx = Cx {
            composite: false,
            property_name: None,
        };
        w.eval(program.root, data, cx);
        w.errors
    }

    fn stopped(&self, since: usize) -> bool {
        !self.all_errors && self.errors.len() != since
    }

    fn fixed(&mut self, error: &Fixed, cx: Cx<'_>) {
        let e = error.at(&self.path, cx.property_name);
        self.push(e, cx);
    }

    /// Records an error the way Ajv's `reportError` does: outside composite keywords and
    /// without `allErrors` it returns from the compiled function.
    fn push(&mut self, error: AjvError, cx: Cx<'_>) {
        self.errors.push(error);
        if !self.all_errors && !cx.composite {
            self.returning = true;
        }
    }

    fn eval<'v>(&mut self, id: NodeId, data: &'v Value, cx: Cx<'v>) -> bool {
        let start = self.errors.len();
        let nodes = self.nodes;
        match &nodes[id] {
            Node::Pending => unreachable!("compile fills every node it reserves"),
            Node::Bool { value: true, .. } => {}
            Node::Bool {
                value: false,
                error,
            } => self.fixed(error, cx),
            Node::Schema(s) => self.schema(s, data, cx, start),
        }
        self.errors.len() == start
    }

    fn schema<'v>(&mut self, s: &'p SchemaNode, data: &'v Value, cx: Cx<'v>, start: usize) {
        if s.ref_only {
            if let Some(r) = &s.reference {
                self.reference(r, data, cx);
            }
            return;
        }
        if s.type_first && !types_match(&s.types, data) {
            if let Some(e) = &s.type_error {
                self.fixed(e, cx);
            }
            if self.returning {
                return;
            }
        }
        if s.untyped {
            self.untyped(s, data, cx);
            if self.stopped(start) {
                return;
            }
        }
        for g in Group::ALL {
            if !s.groups[g as usize] {
                continue;
            }
            let group_start = self.errors.len();
            match (g, data) {
                (Group::Number, Value::Number(n)) => {
                    self.number(s, js_number::to_f64(n), cx, group_start)
                }
                (Group::String, Value::String(text)) => self.string(s, text, cx, group_start),
                (Group::Array, Value::Array(items)) => self.array(s, items, cx, group_start),
                (Group::Object, Value::Object(map)) => self.object(s, data, map, cx, group_start),
                _ => {
                    if s.deferred_type == Some(g)
                        && let Some(e) = &s.type_error
                    {
                        self.fixed(e, cx);
                    }
                }
            }
            if self.stopped(start) {
                return;
            }
        }
    }

    fn reference<'v>(&mut self, r: &Ref, data: &'v Value, cx: Cx<'v>) -> bool {
        if !r.separate {
            return self.eval(r.target, data, cx);
        }
        // A separately compiled Ajv function starts without composite context, and its
        // `return false` ends only that function.
        let callee = Cx {
            composite: false,
            property_name: None,
        };
        let caller = self.frame;
        self.frames += 1;
        self.frame = self.frames;
        let valid = self.eval(r.target, data, callee);
        self.frame = caller;
        self.returning = false;
        valid
    }

    /// Runs a branch with `createErrors: false, allErrors: false` and drops what it reported.
    fn probe<'v>(&mut self, id: NodeId, data: &'v Value, cx: Cx<'v>) -> bool {
        let saved = self.errors.len();
        let all = std::mem::replace(&mut self.all_errors, false);
        let valid = self.eval(
            id,
            data,
            Cx {
                composite: true,
                ..cx
            },
        );
        self.all_errors = all;
        self.errors.truncate(saved);
        valid
    }

    fn untyped<'v>(&mut self, s: &'p SchemaNode, data: &'v Value, cx: Cx<'v>) {
        let start = self.errors.len();
        let branch = Cx {
            composite: true,
            ..cx
        };
        if let Some(r) = &s.reference {
            self.reference(r, data, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some((value, e)) = &s.constant
            && !equal(data, value)
        {
            self.fixed(e, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some((values, e)) = &s.enumeration
            && !values.iter().any(|v| equal(data, v))
        {
            self.fixed(e, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some((id, e)) = &s.not
            && self.probe(*id, data, cx)
        {
            self.fixed(e, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some((ids, e)) = &s.any_of {
            let saved = self.errors.len();
            let mut valid = false;
            for id in ids {
                if self.eval(*id, data, branch) {
                    valid = true;
                    break;
                }
            }
            if valid {
                self.errors.truncate(saved);
            } else {
                self.fixed(e, cx);
                if self.stopped(start) {
                    return;
                }
            }
        }
        if let Some((branches, schema_path)) = &s.one_of {
            let saved = self.errors.len();
            let mut valid = false;
            let mut passing = Value::Null;
            for (i, b) in branches.iter().enumerate() {
                let branch_valid = match b {
                    Some(id) => self.eval(*id, data, branch),
                    None => true,
                };
                if branch_valid {
                    if valid {
                        valid = false;
                        passing = Value::Array(vec![passing, Value::from(i)]);
                        break;
                    }
                    valid = true;
                    passing = Value::from(i);
                }
            }
            if valid {
                self.errors.truncate(saved);
            } else {
                let e = messages::one_of(&self.path, schema_path, passing, cx.property_name);
                self.push(e, cx);
                if self.stopped(start) {
                    return;
                }
            }
        }
        for id in &s.all_of {
            self.eval(*id, data, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some(ite) = &s.if_then_else {
            let (clause, e) = if self.probe(ite.condition, data, cx) {
                (ite.then, &ite.then_error)
            } else {
                (ite.otherwise, &ite.else_error)
            };
            if let Some(id) = clause
                && !self.eval(id, data, cx)
                && !self.returning
            {
                // Unless Ajv already returned with the clause's own error.
                self.fixed(e, cx);
            }
        }
    }

    fn number(&mut self, s: &'p SchemaNode, x: f64, cx: Cx<'_>, start: usize) {
        for (limit, fails) in &s.number_limits {
            if fails(x, limit.limit) || x.is_nan() {
                self.fixed(&limit.error, cx);
                if self.stopped(start) {
                    return;
                }
            }
        }
        if let Some(m) = &s.multiple_of {
            // Ajv: `res = data / m; res !== parseInt(res)`, and parseInt reads JavaScript's
            // string form, which switches to exponent notation from 1e21 on.
            let res = x / m.limit;
            if !(res.fract() == 0.0 && res.abs() < 1e21) {
                self.fixed(&m.error, cx);
                if self.stopped(start) {
                    return;
                }
            }
        }
        if let Some((format, e)) = &s.format
            && format.applies_to() == Some(FormatType::Number)
            && !format.check_number(x)
        {
            self.fixed(e, cx);
        }
    }

    fn string(&mut self, s: &'p SchemaNode, text: &str, cx: Cx<'_>, start: usize) {
        if s.max_length.is_some() || s.min_length.is_some() {
            // Ajv counts code points (its `ucs2length` joins surrogate pairs).
            #[allow(clippy::cast_precision_loss)]
            let len = if text.is_ascii() {
                text.len()
            } else {
                text.chars().count()
            } as f64;
            if let Some(l) = &s.max_length
                && len > l.limit
            {
                self.fixed(&l.error, cx);
                if self.stopped(start) {
                    return;
                }
            }
            if let Some(l) = &s.min_length
                && len < l.limit
            {
                self.fixed(&l.error, cx);
                if self.stopped(start) {
                    return;
                }
            }
        }
        if let Some((pattern, e)) = &s.pattern
            && !pattern.test(text)
        {
            self.fixed(e, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some((format, e)) = &s.format
            && format.applies_to() == Some(FormatType::String)
            && !format.check_str(text)
        {
            self.fixed(e, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some(e) = &s.not_only_whitespace
            && !has_non_whitespace(text)
        {
            self.fixed(e, cx);
        }
    }

    fn item<'v>(&mut self, id: NodeId, items: &'v [Value], i: usize, cx: Cx<'v>) -> bool {
        let mark = self.path.len();
        self.path.push('/');
        self.path.push_str(&i.to_string());
        let valid = self.eval(id, &items[i], cx);
        self.path.truncate(mark);
        valid
    }

    fn member<'v>(
        &mut self,
        id: NodeId,
        map: &'v Map<String, Value>,
        key: &str,
        cx: Cx<'v>,
    ) -> bool {
        self.member_value(id, &map[key], key, cx)
    }

    /// Like [`Walker::member`], with the value already looked up.
    fn member_value<'v>(&mut self, id: NodeId, value: &'v Value, key: &str, cx: Cx<'v>) -> bool {
        let mark = self.path.len();
        paths::push_pointer_segment(&mut self.path, key);
        let valid = self.eval(id, value, cx);
        self.path.truncate(mark);
        valid
    }

    fn array<'v>(&mut self, s: &'p SchemaNode, items: &'v [Value], cx: Cx<'v>, start: usize) {
        #[allow(clippy::cast_precision_loss)]
        let len = items.len() as f64;
        if let Some(l) = &s.max_items
            && len > l.limit
        {
            self.fixed(&l.error, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some(l) = &s.min_items
            && len < l.limit
        {
            self.fixed(&l.error, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some((additional, tuple_len)) = &s.additional_items
            && items.len() > *tuple_len
        {
            match additional {
                AdditionalItems::False(e) => self.fixed(e, cx),
                AdditionalItems::Schema(id) => {
                    for i in *tuple_len..items.len() {
                        if !self.item(*id, items, i, cx) && !self.all_errors {
                            break;
                        }
                    }
                }
            }
            if self.stopped(start) {
                return;
            }
        }
        match &s.items {
            None => {}
            Some(Items::All(id)) => {
                for i in 0..items.len() {
                    if !self.item(*id, items, i, cx) && !self.all_errors {
                        break;
                    }
                }
                if self.stopped(start) {
                    return;
                }
            }
            Some(Items::Tuple(ids)) => {
                for (i, id) in ids.iter().enumerate() {
                    if let Some(id) = id
                        && i < items.len()
                    {
                        self.item(*id, items, i, cx);
                        if self.stopped(start) {
                            return;
                        }
                    }
                }
            }
        }
        if let Some((schema, e)) = &s.contains {
            let saved = self.errors.len();
            let found = match schema {
                None => !items.is_empty(),
                Some(id) => {
                    let key = (self.frame, std::ptr::from_ref(s) as usize);
                    if items.is_empty() {
                        self.contains_memory.get(&key).copied().unwrap_or(false)
                    } else {
                        let branch = Cx {
                            composite: true,
                            ..cx
                        };
                        let found = (0..items.len()).any(|i| self.item(*id, items, i, branch));
                        self.contains_memory.insert(key, found);
                        found
                    }
                }
            };
            if found {
                self.errors.truncate(saved);
            } else {
                if !self.all_errors && !cx.composite {
                    // Ajv returns `[containsError]`, replacing what the items reported.
                    self.errors.truncate(saved);
                }
                self.fixed(e, cx);
                if self.stopped(start) {
                    return;
                }
            }
        }
        if let Some(u) = &s.unique_items
            && items.len() > 1
            && let Some((i, j)) = duplicate(items, &u.item_types)
        {
            let e = messages::unique_items(&self.path, &u.schema_path, i, j, cx.property_name);
            self.push(e, cx);
        }
    }

    fn object<'v>(
        &mut self,
        s: &'p SchemaNode,
        data: &'v Value,
        map: &'v Map<String, Value>,
        cx: Cx<'v>,
        start: usize,
    ) {
        #[allow(clippy::cast_precision_loss)]
        let count = map.len() as f64;
        if let Some(l) = &s.max_properties
            && count > l.limit
        {
            self.fixed(&l.error, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some(l) = &s.min_properties
            && count < l.limit
        {
            self.fixed(&l.error, cx);
            if self.stopped(start) {
                return;
            }
        }
        if let Some((names, sp)) = &s.required {
            for name in names {
                if lookup(map, name).is_none() {
                    let e = messages::required(&self.path, sp, name, cx.property_name);
                    self.push(e, cx);
                    if self.stopped(start) {
                        return;
                    }
                }
            }
        }
        if let Some((id, sp)) = &s.property_names {
            for key in js_order::keys(map) {
                let name = Value::String(key.to_owned());
                let branch = Cx {
                    composite: true,
                    property_name: Some(key),
                };
                if !self.eval(*id, &name, branch) {
                    let e = messages::property_names(&self.path, sp, key, cx.property_name);
                    self.push(e, cx);
                    if self.stopped(start) {
                        return;
                    }
                }
            }
        }
        if let Some(additional) = &s.additional_properties {
            for key in js_order::keys(map) {
                if s.declared.iter().any(|d| d == key)
                    || s.pattern_properties.iter().any(|(p, _)| p.test(key))
                {
                    continue;
                }
                match additional {
                    AdditionalProperties::False(sp) => {
                        let e =
                            messages::additional_property(&self.path, sp, key, cx.property_name);
                        self.push(e, cx);
                    }
                    AdditionalProperties::Schema(id) => {
                        self.member(*id, map, key, cx);
                    }
                }
                if self.stopped(start) {
                    return;
                }
            }
        }
        if let Some(d) = &s.dependencies {
            for (property, deps) in &d.properties {
                if lookup(map, property).is_none() {
                    continue;
                }
                for dep in deps {
                    if lookup(map, dep).is_none() {
                        let e = messages::dependencies(
                            &self.path,
                            &d.schema_path,
                            property,
                            dep,
                            deps,
                            cx.property_name,
                        );
                        self.push(e, cx);
                        if self.stopped(start) {
                            return;
                        }
                    }
                }
            }
            for (property, id) in &d.schemas {
                if lookup(map, property).is_some() {
                    self.eval(*id, data, cx);
                    if self.stopped(start) {
                        return;
                    }
                }
            }
        }
        for (name, id) in &s.properties {
            // One lookup, not `contains_key` then an index.
            if let Some(value) = lookup(map, name) {
                self.member_value(*id, value, name, cx);
                if self.stopped(start) {
                    return;
                }
            }
        }
        for (pattern, id) in &s.pattern_properties {
            let Some(id) = id else { continue };
            for key in js_order::keys(map) {
                if pattern.test(key) {
                    self.member(*id, map, key, cx);
                    if self.stopped(start) {
                        return;
                    }
                }
            }
        }
    }
}

/// The duplicate pair Ajv's `uniqueItems` loop reports, as `(i, j)`.
///
/// With scalar item types Ajv walks down from the end remembering each value's last index
/// (skipping items of other types); otherwise it compares every pair from the end.
fn duplicate(items: &[Value], item_types: &[super::compile::JsType]) -> Option<(usize, usize)> {
    use super::compile::JsType;
    let scalar = !item_types.is_empty()
        && !item_types
            .iter()
            .any(|t| matches!(t, JsType::Object | JsType::Array));
    if scalar {
        let several = item_types.len() > 1;
        let mut seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
        for i in (0..items.len()).rev() {
            let item = &items[i];
            if !types_match(item_types, item) {
                continue;
            }
            // JavaScript object keys: the value's string form; strings get a suffix when
            // numbers could collide with them.
            let key = match item {
                Value::String(s) if several => format!("{s}_"),
                other => messages::js_string(other),
            };
            if key == "__proto__" {
                // `indices["__proto__"]` is Object.prototype, never a number, and assigning a
                // number to it is ignored: Ajv never sees this string as a duplicate.
                continue;
            }
            if let Some(j) = seen.get(&key) {
                return Some((i, *j));
            }
            seen.insert(key, i);
        }
        None
    } else {
        for i in (0..items.len()).rev() {
            for j in (0..i).rev() {
                if equal(&items[i], &items[j]) {
                    return Some((i, j));
                }
            }
        }
        None
    }
}

/// A member by name. Request and response objects have a handful of members, and for those a
/// scan of the (ordered) entries is several times cheaper than hashing the key with SipHash.
fn lookup<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    const SCAN_UP_TO: usize = 8;
    if map.len() <= SCAN_UP_TO {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

/// connectFi's `isNotOnlyWhitespace` as its plugin most plausibly defines it: the string has a
/// character JavaScript's `/\S/` matches, i.e. one that is neither ECMAScript white space nor a
/// line terminator.
pub(crate) fn has_non_whitespace(text: &str) -> bool {
    text.chars().any(|c| !super::js_space::is_js_whitespace(c))
}
