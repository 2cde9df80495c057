//! A table's shape as the module that owns it declares it: its name and the columns a bulk
//! writer gives (the demo writes every table this way). Each owner lists its tables once, in a
//! `tables` module beside its queries; a test checks each list against both migration sets.

/// A table and the columns a bulk writer gives, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// Whether `id` is an identity column: after ids written by hand, PostgreSQL's sequence has
    /// to move past them.
    pub identity: bool,
}
