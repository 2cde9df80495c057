//! The demo's bulk writer: rows buffered per table and written in large transactions, as
//! multi-row prepared `INSERT`s on SQLite and `COPY … FROM STDIN` on PostgreSQL, on a task of
//! its own while the next batch is generated. It knows tables only through the list it is given.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::table::Table;
use crate::{Db, Result, StoreError};

/// One column's value in a demo row.
#[derive(Debug, Clone)]
pub(super) enum V {
    Int(i64),
    Real(f64),
    Text(String),
    /// Text that needs no allocation: literals and shared ids.
    Static(&'static str),
    Shared(Arc<str>),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    Bool(bool),
    Null,
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::Int(v)
    }
}
impl From<f64> for V {
    fn from(v: f64) -> V {
        V::Real(v)
    }
}
impl From<String> for V {
    fn from(v: String) -> V {
        V::Text(v)
    }
}
impl From<&str> for V {
    fn from(v: &str) -> V {
        V::Text(v.to_string())
    }
}
impl From<Arc<str>> for V {
    fn from(v: Arc<str>) -> V {
        V::Shared(v)
    }
}
impl From<NaiveDate> for V {
    fn from(v: NaiveDate) -> V {
        V::Date(v)
    }
}
impl From<DateTime<Utc>> for V {
    fn from(v: DateTime<Utc>) -> V {
        V::Time(v)
    }
}
impl From<bool> for V {
    fn from(v: bool) -> V {
        V::Bool(v)
    }
}
impl<T: Into<V>> From<Option<T>> for V {
    fn from(v: Option<T>) -> V {
        v.map_or(V::Null, Into::into)
    }
}

/// Flush once this many values are buffered.
const FLUSH_VALUES: usize = 1_500_000;

/// A batch: each table's values, row after row, in the order of the table list.
type Batch = Vec<Vec<V>>;

/// Buffers rows per table and hands full batches to a task that writes them, so the next batch
/// is generated while the database takes the last one (on two cores this nearly halves the time).
pub(super) struct Writer {
    tables: &'static [Table],
    buffers: Batch,
    written: Vec<u64>,
    buffered: usize,
    sender: Option<tokio::sync::mpsc::Sender<Batch>>,
    task: Option<tokio::task::JoinHandle<Result<()>>>,
}

impl Writer {
    /// A writer of rows into `tables` (in foreign-key order: a batch is written in this order).
    pub(super) fn new(db: &Db, tables: &'static [Table]) -> Writer {
        // One batch in flight while the next is built keeps memory bounded.
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Batch>(1);
        let db = db.clone();
        let task = tokio::spawn(async move {
            let mut sql_cache = HashMap::new();
            while let Some(batch) = receiver.recv().await {
                write_batch(&db, tables, &mut sql_cache, batch).await?;
            }
            Ok(())
        });
        Writer {
            tables,
            buffers: tables.iter().map(|_| Vec::new()).collect(),
            written: vec![0; tables.len()],
            buffered: 0,
            sender: Some(sender),
            task: Some(task),
        }
    }

    /// Buffers one row of the table at index `table` of the list.
    pub(super) fn row<const N: usize>(&mut self, table: usize, values: [V; N]) {
        debug_assert_eq!(N, self.tables[table].column_count(), "{} has other columns", self.tables[table].name);
        self.buffers[table].extend(values);
        self.written[table] += 1;
        self.buffered += N;
    }

    /// Rows written (or buffered) per table, in the list's order.
    pub(super) fn counts(&self) -> Vec<(String, u64)> {
        self.tables.iter().zip(&self.written).map(|(t, n)| (t.name.to_string(), *n)).collect()
    }

    pub(super) async fn flush_if_full(&mut self) -> Result<()> {
        if self.buffered >= FLUSH_VALUES {
            self.flush().await?;
        }
        Ok(())
    }

    /// Queues everything buffered as one transaction (parents before children).
    pub(super) async fn flush(&mut self) -> Result<()> {
        if self.buffered == 0 {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.buffers, self.tables.iter().map(|_| Vec::new()).collect());
        self.buffered = 0;
        let sent = match &self.sender {
            Some(sender) => sender.send(batch).await.is_ok(),
            None => false,
        };
        if !sent {
            // The writer stopped: report why.
            self.sender = None;
            let failure = match self.task.take() {
                Some(task) => task.await.map_err(|e| StoreError::Invalid(format!("the demo writer failed: {e}")))?,
                None => Ok(()),
            };
            return failure.and(Err(StoreError::Invalid("the demo writer stopped".into())));
        }
        Ok(())
    }

    /// Writes what is left and waits until everything is in the database.
    pub(super) async fn finish(&mut self) -> Result<()> {
        if self.buffered > 0 && self.sender.is_some() {
            self.flush().await?;
        }
        self.sender = None;
        match self.task.take() {
            Some(task) => task.await.map_err(|e| StoreError::Invalid(format!("the demo writer failed: {e}")))?,
            None => Ok(()),
        }
    }
}

/// Writes one batch in one transaction, and raises the figures' version with it.
async fn write_batch(
    db: &Db,
    tables: &[Table],
    sql_cache: &mut HashMap<(usize, usize), String>,
    batch: Batch,
) -> Result<()> {
    match db {
        Db::Sqlite(pool, _) => {
            let mut tx = pool.begin().await?;
            for (t, (table, values)) in tables.iter().zip(batch).enumerate() {
                insert_rows(db, &mut tx, (t, table), &values, sql_cache).await?;
            }
            sqlx::query(crate::kra::FIGURES_CHANGED).execute(&mut *tx).await?;
            tx.commit().await?;
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            for (table, values) in tables.iter().zip(batch) {
                copy_rows(&mut tx, table, &values).await?;
            }
            sqlx::query(crate::kra::FIGURES_CHANGED).execute(&mut *tx).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// One table's rows on SQLite, as multi-row prepared `INSERT`s (kept by `(table, rows)`).
async fn insert_rows(
    db: &Db,
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    (t, table): (usize, &Table),
    values: &[V],
    sql_cache: &mut HashMap<(usize, usize), String>,
) -> Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let ncols = table.column_count();
    // Up to ~30,000 parameters per statement (SQLite allows 32,766) and 1,000 rows.
    let per_statement = (30_000 / ncols).clamp(1, 1000);
    for chunk in values.chunks(per_statement * ncols) {
        let rows = chunk.len() / ncols;
        let sql = sql_cache
            .entry((t, rows))
            .or_insert_with(|| {
                format!(
                    "INSERT INTO {} ({}) VALUES {}",
                    table.name,
                    table.columns,
                    db.backend().values_list(rows, ncols)
                )
            })
            .clone();
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = match v {
                V::Int(i) => q.bind(*i),
                V::Real(f) => q.bind(*f),
                V::Text(s) => q.bind(s.as_str()),
                V::Static(s) => q.bind(*s),
                V::Shared(s) => q.bind(&**s),
                V::Date(d) => q.bind(*d),
                V::Time(t) => q.bind(*t),
                V::Bool(b) => q.bind(*b),
                V::Null => q.bind(None::<i64>),
            };
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// One table's rows on PostgreSQL, through `COPY … FROM STDIN` in its text format.
async fn copy_rows(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, table: &Table, values: &[V]) -> Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let mut copy = tx.copy_in_raw(&format!("COPY {} ({}) FROM STDIN", table.name, table.columns)).await?;
    let mut buf = String::with_capacity(1 << 20);
    for row in values.chunks(table.column_count()) {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                buf.push('\t');
            }
            copy_text(&mut buf, v);
        }
        buf.push('\n');
        if buf.len() >= 1 << 20 {
            copy.send(buf.as_bytes()).await?;
            buf.clear();
        }
    }
    if !buf.is_empty() {
        copy.send(buf.as_bytes()).await?;
    }
    copy.finish().await?;
    Ok(())
}

/// A value in COPY's text format.
fn copy_text(buf: &mut String, v: &V) {
    use std::fmt::Write;
    match v {
        V::Int(i) => write!(buf, "{i}").expect("write to string"),
        V::Real(f) => write!(buf, "{f}").expect("write to string"),
        V::Text(_) | V::Static(_) | V::Shared(_) => {
            let s: &str = match v {
                V::Text(s) => s,
                V::Static(s) => s,
                V::Shared(s) => s,
                _ => unreachable!("text"),
            };
            for c in s.chars() {
                match c {
                    '\\' => buf.push_str("\\\\"),
                    '\t' => buf.push_str("\\t"),
                    '\n' => buf.push_str("\\n"),
                    '\r' => buf.push_str("\\r"),
                    c => buf.push(c),
                }
            }
        }
        V::Date(d) => write!(buf, "{}", d.format("%Y-%m-%d")).expect("write to string"),
        V::Time(t) => write!(buf, "{}", t.format("%Y-%m-%d %H:%M:%S%.f+00")).expect("write to string"),
        V::Bool(b) => buf.push(if *b { 't' } else { 'f' }),
        V::Null => buf.push_str("\\N"),
    }
}
