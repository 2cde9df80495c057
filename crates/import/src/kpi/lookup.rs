//! Finding a KPI row's employee by code (or by a platform's identifier, or a unique WFM display
//! name: [`super::Aliases`]), fast for files that list people in the same order every day.

use super::{Directory, Employee};

/// Finds employees by code, first guessing that a row's employee is the one who followed the
/// row before's last time, or one of the next few in index order: exports list the same people
/// in the same order day after day (mostly the order they were added in, less those absent),
/// and a right guess reads compact arrays in index order instead of missing the cache in the
/// directory's table (a seventh of the reading thread's time at 10,000 agents).
pub(super) struct Lookup<'d> {
    directory: &'d Directory,
    /// By dense index: the employee, where their code ends in `codes`, and who came next last
    /// time ([`Lookup::NONE`] if nobody yet).
    employees: Vec<Employee>,
    code_ends: Vec<usize>,
    codes: String,
    next: Vec<u32>,
    last: Option<u32>,
}

impl<'d> Lookup<'d> {
    const NONE: u32 = u32::MAX;

    pub fn new(directory: &'d Directory) -> Lookup<'d> {
        let mut by_index: Vec<(&str, &Employee)> = directory.iter().map(|(code, e)| (code.as_str(), e)).collect();
        by_index.sort_unstable_by_key(|(_, e)| e.index);
        // The key guessed is the one the file most likely gives: the platform's identifier where
        // the person has one, else the code, unless that code is someone's identifier (which
        // wins), then nothing.
        let ids = &directory.aliases.ids;
        if !ids.is_empty() {
            let mut by_alias: Vec<Option<&str>> = vec![None; by_index.len()];
            for (id, &index) in ids {
                by_alias[index as usize] = Some(id);
            }
            for (i, (key, _)) in by_index.iter_mut().enumerate() {
                *key = by_alias[i].unwrap_or(if ids.contains_key(*key) { "" } else { key });
            }
        }
        let mut codes = String::with_capacity(by_index.iter().map(|(code, _)| code.len()).sum());
        let code_ends = by_index
            .iter()
            .map(|(code, _)| {
                codes.push_str(code);
                codes.len()
            })
            .collect();
        Lookup {
            directory,
            employees: by_index.iter().map(|(_, e)| **e).collect(),
            code_ends,
            codes,
            next: vec![Lookup::NONE; by_index.len()],
            last: None,
        }
    }

    /// How far past the row before's employee, in index order, to look: people absent that
    /// day (or not in the file, such as their team leaders) come between.
    const AHEAD: usize = 8;

    /// The index of `code` if it is one of the likeliest: who followed the row before's
    /// employee last time, then the next few in index order.
    fn guess(&self, code: &str) -> Option<usize> {
        let last = self.last? as usize;
        let followed = self.next[last] as usize;
        let ahead = last + 1..(last + 1 + Lookup::AHEAD).min(self.employees.len());
        std::iter::once(followed).filter(|&i| i < self.employees.len()).chain(ahead).find(|&i| self.code(i) == code)
    }

    /// What a row naming no one is told ([`Directory::unknown_message`]).
    pub fn unknown_message(&self) -> String {
        self.directory.unknown_message()
    }

    /// How many employees there are (their indexes are below this).
    pub fn len(&self) -> usize {
        self.employees.len()
    }

    fn code(&self, index: usize) -> &str {
        let start = index.checked_sub(1).map_or(0, |before| self.code_ends[before]);
        &self.codes[start..self.code_ends[index]]
    }

    pub fn get(&mut self, code: &str) -> Option<Employee> {
        if let Some(guess) = self.guess(code) {
            if let Some(last) = self.last {
                self.next[last as usize] = guess as u32;
            }
            self.last = Some(guess as u32);
            return Some(self.employees[guess]);
        }
        let aliases = &self.directory.aliases;
        let found = match aliases.ids.get(code) {
            Some(&index) => Some(self.employees[index as usize]),
            None => self.directory.get(code).copied().or_else(|| {
                let index = *aliases.names.get(code)?;
                Some(self.employees[index as usize])
            }),
        };
        if let (Some(last), Some(e)) = (self.last, found) {
            self.next[last as usize] = e.index;
        }
        self.last = found.map(|e| e.index);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::numbered;
    use chrono::NaiveDate;

    #[test]
    fn the_lookup_finds_each_code_whatever_the_order_and_knows_no_stranger() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let rows =
            [(1, "A"), (2, "B"), (3, "C"), (4, "D")].map(|(id, code)| (id, code.to_string(), None, day)).to_vec();
        let directory = numbered(rows);
        let mut lookup = Lookup::new(&directory);
        // Day by day in one order, then another, with strangers and repeats between.
        let codes = "A B C D A B C D X A B C D D C B A B A A C D X X A C D A D B";
        for code in codes.split(' ') {
            let found = lookup.get(code).map(|e| e.id);
            assert_eq!(found, directory.get(code).map(|e| e.id), "{code} after {:?}", lookup.last);
        }
    }

    #[test]
    fn a_platform_identifier_wins_over_a_code_and_a_unique_display_name_comes_last() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let rows =
            [(1, "A"), (2, "B"), (3, "C"), (4, "D")].map(|(id, code)| (id, code.to_string(), None, day)).to_vec();
        let mut directory = numbered(rows);
        let index_of = directory.values().map(|e| (e.id, e.index)).collect();
        // B's Genesys id is "C", which is also C's code: the identifier wins. Two people are
        // "Sam Cruz" on the WFM tool, so that name matches no one; "Dee Lim" is D alone, but
        // "A" as a display name never beats A's code.
        let ids = vec![(1, "g-1".to_string()), (2, "C".to_string())];
        let names = [(1, "Sam Cruz"), (3, "Sam Cruz"), (4, "Dee Lim"), (2, "A")].map(|(id, n)| (id, n.to_string()));
        directory.aliases = crate::kpi::Aliases::new(ids, names.to_vec(), &index_of);
        let mut lookup = Lookup::new(&directory);
        for _ in 0..3 {
            for (key, id) in [("g-1", Some(1)), ("C", Some(2)), ("B", Some(2)), ("A", Some(1)), ("D", Some(4))] {
                assert_eq!(lookup.get(key).map(|e| e.id), id, "{key}");
            }
            for (key, id) in [("Dee Lim", Some(4)), ("Sam Cruz", None), ("g-2", None), ("C", Some(2))] {
                assert_eq!(lookup.get(key).map(|e| e.id), id, "{key}");
            }
        }
    }
}
