//! What a new password must be: long enough, not a run of one key, not one of the passwords
//! tried first by anyone guessing, and not the person's own email address.

/// The rule as shown next to a password field.
pub const RULE: &str = "at least 10 characters; not one character repeated, a run like 1234567890, \
    a very common password or your email address";

pub const MIN_CHARS: usize = 10;

/// Common passwords of 10 or more characters (shorter ones fail the length rule), compared
/// without case. A short list on purpose: the length rule does most of the work.
const COMMON: &[&str] = &[
    "1234567890",
    "0123456789",
    "123456789a",
    "a123456789",
    "1234567891",
    "12345678910",
    "123456789012",
    "1234567890a",
    "1234512345",
    "1231231231",
    "123123123123",
    "1111122222",
    "1122334455",
    "1212121212",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5",
    "q1w2e3r4t5y6",
    "1qaz2wsx3edc",
    "zaq12wsxcde",
    "qazwsxedcrfv",
    "1qazxsw23edc",
    "123qweasdzxc",
    "1234qwerasdf",
    "qwer1234asdf",
    "asdfghjkl1",
    "asdfghjkl;",
    "zxcvbnm123",
    "abc1234567",
    "abcd123456",
    "abcdefghij",
    "password12",
    "password123",
    "password1234",
    "password1!",
    "password@123",
    "passw0rd123",
    "p@ssw0rd123",
    "p@ssword123",
    "iloveyou123",
    "welcome123",
    "welcome1234",
    "welcome@123",
    "letmein123",
    "admin12345",
    "admin@1234",
    "administrator",
    "changeme123",
    "sunshine123",
    "football123",
    "princess123",
    "monkey12345",
    "dragon12345",
    "baseball123",
    "superman123",
    "trustno1234",
    "starwars123",
    "computer123",
    "michael123",
    "jennifer123",
    "basketball",
    "chocolate1",
    "whatever123",
    "master12345",
    "secret1234",
];

/// Why `password` is refused, or `None` when it may be used. `email` is the account's, if known.
pub fn refused(password: &str, email: Option<&str>) -> Option<&'static str> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < MIN_CHARS {
        return Some("use at least 10 characters");
    }
    if chars.iter().all(|c| c.is_whitespace()) {
        return Some("use letters, digits or symbols, not only spaces");
    }
    if chars.iter().all(|&c| c == chars[0]) {
        return Some("use more than one different character");
    }
    if is_run(&chars) {
        return Some("use something other than a run of keys like 1234567890");
    }
    let lower = password.trim().to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Some("this is one of the most common passwords; choose another");
    }
    if let Some(email) = email.map(str::to_lowercase) {
        let local = email.split('@').next().unwrap_or_default();
        if lower == email || lower == local {
            return Some("use something other than your email address");
        }
    }
    None
}

/// Each character one after the other, up or down (abcdefghij, 9876543210).
fn is_run(chars: &[char]) -> bool {
    let steps: Vec<i64> = chars.windows(2).map(|w| w[1] as i64 - w[0] as i64).collect();
    steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == -1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        assert_eq!(refused("short", None), Some("use at least 10 characters"));
        assert!(refused("            ", None).unwrap().contains("not only spaces"));
        assert!(refused("zzzzzzzzzzzz", None).unwrap().contains("more than one different character"));
        assert!(refused("abcdefghijkl", None).unwrap().contains("run"));
        assert!(refused("9876543210", None).unwrap().contains("run"));
        assert!(refused("Password123", None).unwrap().contains("most common"));
        assert!(refused("QWERTYUIOP", None).unwrap().contains("most common"));
        let email = Some("Ana.Reyes.Santos@example.com");
        assert!(refused("ana.reyes.santos", email).unwrap().contains("email"));
        assert!(refused("ana.reyes.santos@example.com", email).unwrap().contains("email"));
    }

    #[test]
    fn ordinary_passwords_pass() {
        assert_eq!(refused("correct horse battery", None), None);
        assert_eq!(refused("night-shift-2026", Some("ana@example.com")), None);
        assert_eq!(refused("          x", None), None);
    }

    #[test]
    fn the_list_holds_only_passwords_the_length_rule_lets_through() {
        for p in COMMON {
            assert!(p.chars().count() >= MIN_CHARS, "{p}");
            assert_eq!(*p, p.to_lowercase(), "{p}");
        }
    }
}
