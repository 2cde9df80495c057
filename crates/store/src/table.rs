//! A table's shape as the module that owns it declares it: its name and the columns a bulk
//! writer gives (the demo writes every table this way). Each owner lists its tables once, in a
//! `tables` module beside its queries; a test checks each list against both migration sets.

/// A table and the columns a bulk writer gives, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    /// The column list as an `INSERT` or `COPY` names it: `id, employee_id, …`.
    pub columns: &'static str,
    /// Whether `id` is an identity column: after ids written by hand, PostgreSQL's sequence has
    /// to move past them.
    pub identity: bool,
}

impl Table {
    /// A table whose `id` is an identity column (written first).
    pub const fn with_id(name: &'static str, columns: &'static str) -> Table {
        Table { name, columns, identity: true }
    }

    /// A table without an identity column.
    pub const fn new(name: &'static str, columns: &'static str) -> Table {
        Table { name, columns, identity: false }
    }

    /// Each column's name, in order.
    pub fn column_names(&self) -> impl Iterator<Item = &'static str> {
        self.columns.split(", ")
    }

    pub fn column_count(&self) -> usize {
        self.column_names().count()
    }
}
