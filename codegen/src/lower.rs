//! Schema → IR: `$ref` resolution across documents by `$id`, `allOf` merging, naming with
//! collision errors, nullability, and `Box` on cycle edges. One module per construct, around
//! the pass in `lowerer`.

mod all_of;
mod docs;
mod enums;
mod layout;
mod lowerer;
mod newtype;
mod object;
mod refs;
mod renumber;
mod requests;
mod shape;
mod share;
mod tuple;
mod union;

pub use lowerer::lower;
