//! One page of a long list, for the API and the pages alike: the items, how many there are in
//! all (`total`) and an opaque cursor for the next page (`next`, absent on the last page).
//!
//! Pages are read by key (the sort key of the last item shown), not by offset: page 500 costs
//! what page 1 costs, and a row added meanwhile does not shift the pages. A list's query struct
//! carries `limit` and `cursor` itself (no `#[serde(flatten)]`), so `deny_unknown_fields` can
//! refuse a parameter it does not know.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};

/// Items per page when the caller does not say.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most items one page may hold.
pub const MAX_LIMIT: u32 = 500;
/// A cursor longer than this was not made by us.
const MAX_CURSOR_LEN: usize = 512;

/// One page of a list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// How many there are in all, over every page, with the filters applied.
    pub total: u64,
    /// Pass as `cursor` to read the next page; absent on the last page.
    pub next: Option<String>,
}

/// Which way a list runs by its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Oldest (or first by name) first.
    Ascending,
    /// Newest first.
    Descending,
}

impl Order {
    fn apply(self, o: std::cmp::Ordering) -> std::cmp::Ordering {
        match self {
            Order::Ascending => o,
            Order::Descending => o.reverse(),
        }
    }
}

/// The query of a list with no filter of its own: only the page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The `next` of the page before.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page it asks for, checked.
    pub fn spec(&self) -> ApiResult<PageSpec> {
        PageSpec::new(self.limit, self.cursor.as_deref())
    }
}

/// Where a page starts and how long it is, checked: `limit` 1–500 (default 50), `cursor` one
/// we handed out.
#[derive(Debug, Clone)]
pub struct PageSpec {
    pub limit: u32,
    cursor: Option<String>,
}

impl PageSpec {
    pub fn new(limit: Option<u32>, cursor: Option<&str>) -> ApiResult<PageSpec> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        let cursor = cursor.map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        if cursor.as_ref().is_some_and(|c| c.len() > MAX_CURSOR_LEN) {
            return Err(ApiError::invalid("cursor", "is not a cursor this list handed out"));
        }
        Ok(PageSpec { limit, cursor })
    }

    /// The first page.
    pub fn first(limit: u32) -> PageSpec {
        PageSpec { limit: limit.clamp(1, MAX_LIMIT), cursor: None }
    }

    /// The sort key of the last item of the previous page, or `None` on the first page.
    pub fn after<K: DeserializeOwned>(&self) -> ApiResult<Option<K>> {
        let Some(cursor) = &self.cursor else { return Ok(None) };
        let bad = || ApiError::invalid("cursor", "is not a cursor this list handed out");
        let bytes = hex::decode(cursor).map_err(|_| bad())?;
        serde_json::from_slice(&bytes).map(Some).map_err(|_| bad())
    }

    /// How many rows to read: one more than the page, to know whether another page follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

/// The cursor that resumes a list after `key`.
pub fn cursor_of<K: Serialize>(key: &K) -> String {
    hex::encode(serde_json::to_vec(key).unwrap_or_default())
}

impl<T> Listing<T> {
    /// Builds a page from up to `page.fetch()` rows read after the cursor, in the list's order;
    /// `key` gives a row's sort key, which the next page resumes after.
    pub fn from_rows<K: Serialize>(mut rows: Vec<T>, page: &PageSpec, total: u64, key: impl Fn(&T) -> K) -> Listing<T> {
        let more = rows.len() > page.limit as usize;
        rows.truncate(page.limit as usize);
        let next = if more { rows.last().map(|last| cursor_of(&key(last))) } else { None };
        Listing { items: rows, total, next }
    }

    /// A page of a list read whole (one person's short lists: tokens, identities, training):
    /// sorted here by `key`, which is unique within the list, and resumed after the cursor's key.
    pub fn slice<K>(mut rows: Vec<T>, page: &PageSpec, order: Order, key: impl Fn(&T) -> K) -> ApiResult<Listing<T>>
    where
        K: Serialize + DeserializeOwned + Ord,
    {
        let after: Option<K> = page.after()?;
        let total = rows.len() as u64;
        rows.sort_by(|a, b| order.apply(key(a).cmp(&key(b))));
        let start = after.map_or(0, |after| rows.partition_point(|r| order.apply(key(r).cmp(&after)).is_le()));
        let rows: Vec<T> = rows.into_iter().skip(start).take(page.fetch() as usize).collect();
        Ok(Listing::from_rows(rows, page, total, key))
    }

    /// A page of a list whose order is its own (a ranking, a fixed catalogue, a computed list):
    /// resumed after the place in the list (from 0) of the last item shown.
    pub fn ranked(rows: Vec<T>, page: &PageSpec) -> ApiResult<Listing<T>> {
        let placed: Vec<(usize, T)> = rows.into_iter().enumerate().collect();
        Ok(Listing::slice(placed, page, Order::Ascending, |(place, _)| *place)?.map(|(_, row)| row))
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listing<U> {
        Listing { items: self.items.into_iter().map(f).collect(), total: self.total, next: self.next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_outside_the_range_are_refused_naming_the_field() {
        for bad in [0, MAX_LIMIT + 1] {
            let err = PageSpec::new(Some(bad), None).unwrap_err();
            assert!(format!("{err:?}").contains("limit"), "{err:?}");
        }
        assert_eq!(PageSpec::new(None, None).unwrap().limit, DEFAULT_LIMIT);
    }

    #[test]
    fn a_cursor_resumes_after_the_last_item_and_the_last_page_has_none() {
        let page = PageSpec::new(Some(2), None).unwrap();
        let first = Listing::from_rows(vec![(1, "a"), (2, "b"), (3, "c")], &page, 3, |r| (r.1.to_string(), r.0));
        assert_eq!(first.items.len(), 2);
        let next = first.next.expect("a second page");
        let resumed = PageSpec::new(Some(2), Some(&next)).unwrap();
        assert_eq!(resumed.after::<(String, i64)>().unwrap(), Some(("b".to_string(), 2)));
        let last = Listing::from_rows(vec![(3, "c")], &resumed, 3, |r| (r.1.to_string(), r.0));
        assert_eq!((last.items.len(), last.next), (1, None));
    }

    #[test]
    fn a_slice_pages_a_whole_list_either_way_with_nothing_twice() {
        for order in [Order::Ascending, Order::Descending] {
            let (mut seen, mut cursor) = (Vec::new(), None::<String>);
            loop {
                let page = PageSpec::new(Some(2), cursor.as_deref()).unwrap();
                let listing = Listing::slice(vec![3, 1, 5, 4, 2], &page, order, |n| *n).unwrap();
                assert_eq!(listing.total, 5);
                seen.extend(listing.items);
                match listing.next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            let want = if order == Order::Ascending { [1, 2, 3, 4, 5] } else { [5, 4, 3, 2, 1] };
            assert_eq!(seen, want, "{order:?}");
        }
    }

    #[test]
    fn a_ranked_list_pages_in_its_own_order() {
        let (mut seen, mut cursor) = (Vec::new(), None::<String>);
        loop {
            let page = PageSpec::new(Some(2), cursor.as_deref()).unwrap();
            let listing = Listing::ranked(vec!["c", "a", "b", "a"], &page).unwrap();
            assert_eq!(listing.total, 4);
            seen.extend(listing.items);
            match listing.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["c", "a", "b", "a"], "the list's own order, repeats and all");
    }

    #[test]
    fn a_made_up_cursor_is_refused() {
        for bad in ["zz", "7b", &"a".repeat(MAX_CURSOR_LEN + 2)] {
            let page = PageSpec::new(None, Some(bad));
            let err = page.and_then(|p| p.after::<(String, i64)>()).unwrap_err();
            assert!(format!("{err:?}").contains("cursor"), "{bad}: {err:?}");
        }
    }
}
