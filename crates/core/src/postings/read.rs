//! A whole file: JSON (an object, an array, a `@graph`) or an HTML page with JSON-LD scripts.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{fields, from_json, html, identity, Posting, MAX_FILE_BYTES, MAX_POSTINGS_PER_FILE};
use crate::framework::Framework;

/// What a file gave: its postings, and a note for each JobPosting skipped ("posting 3: no
/// title").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileRead {
    pub postings: Vec<Posting>,
    pub skipped: Vec<String>,
}

/// Why a file is refused: where (1-based line and column in the file, when known) and what.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", match (.line, .column) { (Some(l), Some(c)) => format!("line {l}, column {c}: {}", .message), _ => .message.clone() })]
pub struct ReadError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl ReadError {
    fn whole(message: impl Into<String>) -> ReadError {
        ReadError { line: None, column: None, message: message.into() }
    }
}

/// Reads every JobPosting in `text` (a JSON file or a saved HTML page).
pub fn read_file(text: &str, fw: &Framework) -> Result<FileRead, ReadError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ReadError::whole(format!("larger than {} MB", MAX_FILE_BYTES / (1024 * 1024))));
    }
    let text = text.trim_start_matches('\u{feff}');
    let mut out = FileRead::default();
    let (documents, broken) = if html::looks_like_html(text) {
        page_scripts(text, &mut out.skipped)?
    } else {
        (vec![parse(text, 1, 1)?], None)
    };
    let mut found = Vec::new();
    for doc in &documents {
        collect(doc, 0, &mut found);
    }
    if found.is_empty() {
        // The posting may well be in the broken script: its place says more.
        return Err(broken.unwrap_or_else(|| ReadError::whole("no schema.org JobPosting in it")));
    }
    if found.len() > MAX_POSTINGS_PER_FILE {
        return Err(ReadError::whole(format!("more than {MAX_POSTINGS_PER_FILE} postings in one file")));
    }
    let mut nodes = HashMap::new();
    documents.iter().for_each(|d| index_ids(d, 0, &mut nodes));
    for (i, o) in found.into_iter().enumerate() {
        match from_json(&resolve_refs(o, &nodes), fw) {
            Ok(p) => out.postings.push(p),
            Err(why) => out.skipped.push(format!("posting {}: {why}", i + 1)),
        }
    }
    unshare_urls(&mut out.postings);
    Ok(out)
}

/// Every node with an `@id` and something more, by its `@id` (the first one wins).
fn index_ids<'a>(v: &'a Value, depth: usize, out: &mut HashMap<&'a str, &'a Map<String, Value>>) {
    if depth > 32 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| index_ids(x, depth + 1, out)),
        Value::Object(o) => {
            if let (Some(Value::String(id)), true) = (o.get("@id"), o.len() > 1) {
                out.entry(id.as_str()).or_insert(o);
            }
            o.values().for_each(|x| index_ids(x, depth + 1, out));
        }
        _ => {}
    }
}

/// The posting with each `{"@id": ...}` reference (e.g. a `@graph`'s `hiringOrganization`)
/// replaced by the node it names, two levels deep (a Place's address too).
fn resolve_refs(o: &Map<String, Value>, nodes: &HashMap<&str, &Map<String, Value>>) -> Map<String, Value> {
    fn resolve(v: &Value, nodes: &HashMap<&str, &Map<String, Value>>, depth: usize) -> Value {
        match v {
            Value::Object(o) if o.len() == 1 && depth < 3 => match o.get("@id").and_then(Value::as_str) {
                Some(id) if nodes.contains_key(id) => resolve(&Value::Object(nodes[id].clone()), nodes, depth + 1),
                _ => v.clone(),
            },
            Value::Object(o) if depth < 3 => {
                Value::Object(o.iter().map(|(k, x)| (k.clone(), resolve(x, nodes, depth + 1))).collect())
            }
            Value::Array(a) if depth < 3 => Value::Array(a.iter().map(|x| resolve(x, nodes, depth)).collect()),
            other => other.clone(),
        }
    }
    o.iter().map(|(k, v)| (k.clone(), resolve(v, nodes, 1))).collect()
}

/// Postings of one file that share a url (a board linking each to its search page) are told
/// apart by their organisation, title, place and date instead of being merged into one.
pub fn unshare_urls(postings: &mut [Posting]) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for p in postings.iter() {
        *count.entry(p.identity.clone()).or_default() += 1;
    }
    for p in postings.iter_mut().filter(|p| p.identity.starts_with("url:") && count[&p.identity] > 1) {
        let posted = p.date_posted.map(|d| d.to_string()).unwrap_or_default();
        let org = p.organisation.clone().unwrap_or_default();
        p.identity = identity(None, None, &org, &p.title, p.location.as_deref().unwrap_or(""), &posted);
    }
}

/// A page's parsed scripts and the first broken script's error.
type Scripts = (Vec<Value>, Option<ReadError>);

/// The page's JSON-LD scripts, each parsed on its own: a broken one (often a site's unrelated
/// breadcrumb or widget data) becomes a note, and the page is refused only when none parses;
/// the first broken script's error comes along.
fn page_scripts(page: &str, notes: &mut Vec<String>) -> Result<Scripts, ReadError> {
    let scripts = html::ld_json_scripts(page);
    let mut first_error = None;
    let mut documents = Vec::new();
    for s in &scripts {
        match parse(s.text, s.line, s.column) {
            Ok(doc) => documents.push(doc),
            Err(e) => {
                notes.push(format!("JSON-LD script skipped: {e}"));
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if documents.is_empty() => Err(e),
        _ if scripts.is_empty() => {
            Err(ReadError::whole("an HTML page without a JSON-LD script (<script type=\"application/ld+json\">)"))
        }
        broken => Ok((documents, broken)),
    }
}

/// Parses JSON that starts at `line`:`column` of the file, an error placed in the file.
fn parse(json: &str, line: usize, column: usize) -> Result<Value, ReadError> {
    serde_json::from_str(json).map_err(|e| {
        let (l, c) = (e.line(), e.column());
        let (fl, fc) = if l <= 1 { (line, column + c.saturating_sub(1)) } else { (line + l - 1, c) };
        ReadError {
            line: Some(fl),
            column: Some(fc.max(1)),
            message: format!("not valid JSON: {}", strip_position(&e.to_string())),
        }
    })
}

/// serde_json's message without its own " at line L column C" (the file's place is given).
fn strip_position(msg: &str) -> String {
    msg.split(" at line ").next().unwrap_or(msg).to_string()
}

/// Every JobPosting object under `v`, in document order: arrays, `@graph` and other nodes
/// (e.g. a WebPage's `mainEntity`) are searched; a JobPosting's own inside is not.
fn collect<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a Map<String, Value>>) {
    if depth > 32 || out.len() > MAX_POSTINGS_PER_FILE {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| collect(x, depth + 1, out)),
        Value::Object(o) if fields::has_type(o, "JobPosting") => out.push(o),
        Value::Object(o) => o.values().for_each(|x| collect(x, depth + 1, out)),
        _ => {}
    }
}
