//! The two bits of HTML a posting reader needs: the `<script type="application/ld+json">`
//! blocks of a saved page, and plain text from the HTML that postings put in their
//! descriptions and benefits. Not a full HTML parser: saved job pages are read leniently,
//! and anything that is not one of those scripts is ignored.

/// One JSON-LD script of a page: its text and where it starts (1-based line and column of its
/// first character), so a JSON error inside it can name the place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Script<'a> {
    pub text: &'a str,
    pub line: usize,
    pub column: usize,
}

/// Whether `text` looks like an HTML page rather than JSON (its first non-blank character is
/// `<`).
pub fn looks_like_html(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('<')
}

/// Every JSON-LD script of `page`, in order; other scripts are skipped.
pub fn ld_json_scripts(page: &str) -> Vec<Script<'_>> {
    let lower = page.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let tag_start = at + found;
        let Some(tag_len) = lower[tag_start..].find('>') else { break };
        let tag = &lower[tag_start..tag_start + tag_len];
        let body_start = tag_start + tag_len + 1;
        let body_end = lower[body_start..].find("</script").map_or(page.len(), |e| body_start + e);
        if is_ld_json(tag) {
            let (text, offset) = unwrap_comment(&page[body_start..body_end]);
            let (line, column) = line_col(page, body_start + offset);
            out.push(Script { text, line, column });
        }
        at = body_end;
    }
    out
}

/// Whether a lower-cased `<script …` tag declares JSON-LD, however it is quoted.
fn is_ld_json(tag: &str) -> bool {
    let squeezed: String = tag.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect();
    squeezed.contains("type=application/ld+json")
}

/// A script body without the `<!-- … -->` or `<![CDATA[ … ]]>` some pages wrap it in, and the
/// byte offset of what is kept.
fn unwrap_comment(body: &str) -> (&str, usize) {
    let lead = body.len() - body.trim_start().len();
    let trimmed = body.trim();
    for (open, close) in [("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")] {
        if let Some(inner) = trimmed.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
            return (inner, lead + open.len());
        }
    }
    (body, 0)
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Plain text from HTML: tags dropped (block tags become line breaks, list items bullets),
/// entities decoded (also when the HTML itself was entity-encoded, as some feeds do), runs of
/// spaces and blank lines squeezed.
pub fn to_text(html: &str) -> String {
    let decoded_first = if html.contains("&lt;") { decode_entities(html) } else { html.to_string() };
    let mut out = String::with_capacity(decoded_first.len());
    let mut rest = decoded_first.as_str();
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        out.push_str(tag_break(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    squeeze(&super::fields::clean(&decode_entities(&out)))
}

/// What a tag leaves in the text: a line break for block tags, a bullet for list items.
fn tag_break(tag: &str) -> &'static str {
    let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    match name.to_ascii_lowercase().as_str() {
        "li" if !tag.starts_with('/') => "\n• ",
        "br" | "p" | "div" | "ul" | "ol" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "section" => "\n",
        _ => "",
    }
}

/// Spaces squeezed within lines, blank lines dropped, ends trimmed.
fn squeeze(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty() && l != "•")
        .collect::<Vec<_>>()
        .join("\n")
}

/// `&amp;`, `&#8369;`, `&#x20B1;` and the named entities job pages use, decoded; an unknown
/// one is left as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        match end.and_then(|e| entity(&after[..e]).map(|c| (c, e))) {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "peso" => '₱',
        "euro" => '€',
        "pound" => '£',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_found_whatever_the_quoting_and_case_and_other_scripts_are_skipped() {
        let page = "<html>\n<script>var a = 1;</script>\n<SCRIPT TYPE='application/ld+json'>{\"a\":1}</SCRIPT>\n\
            <script type=\"application/ld+json\" nonce=\"x\">\n<!--\n[1]\n-->\n</script>";
        let scripts = ld_json_scripts(page);
        assert_eq!(scripts.len(), 2);
        assert_eq!(scripts[0].text, "{\"a\":1}");
        assert_eq!((scripts[0].line, scripts[0].column), (3, 36));
        assert_eq!(scripts[1].text.trim(), "[1]");
    }

    #[test]
    fn html_becomes_plain_text_with_entities_decoded() {
        assert_eq!(
            to_text("<p>Night&nbsp;shift &amp; <b>HMO</b></p><ul><li>Rice</li><li>Transport</li></ul>"),
            "Night shift & HMO\n• Rice\n• Transport"
        );
        assert_eq!(to_text("&lt;p&gt;Salary &#8369;18,000&lt;/p&gt;"), "Salary ₱18,000");
        assert_eq!(to_text("AT&T 5 < 6"), "AT&T 5 < 6");
        assert_eq!(to_text("<p>Night\u{0}shift&#0; &#x1;agent</p>"), "Nightshift agent");
    }
}
