//! How many minor units a currency has (ISO 4217 exponent): one table for the form that reads
//! amounts, the pages that show them and the JSON-LD that publishes them, so all three agree.

/// Currencies without minor units.
const ZERO: [&str; 16] =
    ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"];
/// Currencies with three minor digits (a thousandth).
const THREE: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// The currency's minor digits: 0, 3, or 2 (every other currency).
pub fn minor_digits(currency: &str) -> u32 {
    if ZERO.contains(&currency) {
        0
    } else if THREE.contains(&currency) {
        3
    } else {
        2
    }
}

/// Minor units in one major unit (1, 100 or 1000).
pub fn minor_per_major(currency: &str) -> i64 {
    10_i64.pow(minor_digits(currency))
}

/// An amount typed in major units ("25,000.50") as minor units; `None` unless it is a finite,
/// non-negative number that fits.
pub fn parse_major(text: &str, currency: &str) -> Option<i64> {
    let x = text.replace(',', "").trim().parse::<f64>().ok()?;
    let minor = (x * minor_per_major(currency) as f64).round();
    (minor.is_finite() && (0.0..=i64::MAX as f64 / 2.0).contains(&minor)).then_some(minor as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_currency_has_its_own_minor_digits() {
        assert_eq!((minor_digits("PHP"), minor_digits("USD")), (2, 2));
        for c in ["JPY", "KRW", "VND"] {
            assert_eq!(minor_digits(c), 0, "{c}");
        }
        for c in ["BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"] {
            assert_eq!(minor_digits(c), 3, "{c}");
        }
    }

    #[test]
    fn typed_amounts_become_minor_units_of_their_currency() {
        assert_eq!(parse_major("25,000.50", "PHP"), Some(2_500_050));
        assert_eq!(parse_major("3000", "JPY"), Some(3000));
        assert_eq!(parse_major("1.250", "KWD"), Some(1250));
        for bad in ["nan", "NaN", "inf", "-inf", "-1", "1e400", "x", ""] {
            assert_eq!(parse_major(bad, "PHP"), None, "{bad}");
        }
    }
}
