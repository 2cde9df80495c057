//! Answers kept between requests until a version in the database moves: the organisation-wide
//! counts (the pipeline's 9-box, the headcount) read 100,000 rows, and HR's pages ask for the
//! same few again and again. The version is read first, with one cheap query, so a change made
//! by any server or by the CLI is seen by all.

use std::collections::HashMap;
use std::sync::Mutex;

/// Distinct keys kept at most; past it the store starts again (keys are a viewer's scope and
/// form, so a few hundred cover a working day).
const CAPACITY: usize = 512;

#[derive(Debug)]
pub struct Kept<V> {
    kept: Mutex<HashMap<String, (i64, V)>>,
}

impl<V> Default for Kept<V> {
    fn default() -> Self {
        Kept { kept: Mutex::new(HashMap::new()) }
    }
}

impl<V: Clone> Kept<V> {
    /// The answer kept for `key` at `version`, else `compute`'s, kept. Read `version` before
    /// computing: a change in between moves it on, so the answer is kept under the older
    /// version and computed again on the next request.
    pub async fn get_or<E>(
        &self,
        key: String,
        version: i64,
        compute: impl AsyncFnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if let Some((v, answer)) = self.kept.lock().expect("not poisoned").get(&key) {
            if *v == version {
                return Ok(answer.clone());
            }
        }
        let answer = compute().await?;
        let mut kept = self.kept.lock().expect("not poisoned");
        if kept.len() >= CAPACITY {
            kept.clear();
        }
        kept.insert(key, (version, answer.clone()));
        Ok(answer)
    }
}
