//! "1–50 of 1,234" and a "Next page" link under a paged list (`service::listing`). The link
//! carries the cursor and where the next page starts counting (`from`), which only labels it.

use serde::Deserialize;

use super::format::thousands;

use crate::service::listing::Listing;

/// A page's place in its list, read from the query string.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageAt {
    pub cursor: Option<String>,
    /// The number of the page's first item (1 on the first page).
    pub from: Option<u64>,
}

/// What the page shows under the list.
#[derive(Debug, Clone)]
pub struct Pager {
    pub from: u64,
    pub to: u64,
    pub total: u64,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the page's path with its other parameters, ending in `?` or `&`.
    pub fn of<T>(listing: &Listing<T>, at: &PageAt, base: &str) -> Pager {
        let from = at.from.unwrap_or(1).max(1);
        let shown = listing.items.len() as u64;
        let to = from + shown.saturating_sub(1);
        let next = listing.next.as_ref().map(|c| format!("{base}cursor={c}&from={}", to + 1));
        Pager { from: if shown == 0 { 0 } else { from }, to, total: listing.total, next }
    }

    /// "1–50 of 1,234".
    pub fn label(&self) -> String {
        format!("{}–{} of {}", self.from, self.to, thousands(self.total))
    }
}

/// "the newest 500 of 1,234" (`which` first) when a page shows only the first page of its list;
/// nothing when the list is whole.
pub fn cut_note<T>(listing: &Listing<T>, which: &str) -> Option<String> {
    let shown = listing.items.len() as u64;
    listing.next.as_ref().map(|_| format!("{which} {} of {}", thousands(shown), thousands(listing.total)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_counts_from_where_the_page_starts() {
        let listing = Listing { items: vec![1, 2, 3], total: 1234, next: Some("ab".into()) };
        let pager = Pager::of(&listing, &PageAt { cursor: Some("x".into()), from: Some(51) }, "/admin?");
        assert_eq!(pager.label(), "51–53 of 1,234");
        assert_eq!(pager.next.as_deref(), Some("/admin?cursor=ab&from=54"));
    }

    #[test]
    fn a_cut_list_says_how_many_of_how_many_and_a_whole_one_nothing() {
        let cut = Listing { items: vec![1; 500], total: 1234, next: Some("ab".into()) };
        assert_eq!(cut_note(&cut, "the newest").as_deref(), Some("the newest 500 of 1,234"));
        let whole = Listing { items: vec![1, 2], total: 2, next: None };
        assert_eq!(cut_note(&whole, "the newest"), None);
    }
}
