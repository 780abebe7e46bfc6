//! Money is exact: integer fen in the database, two-decimal text on the wire.

use serde_json::Value;

/// The largest amount accepted, in fen (the original's `decimal(18,2)`).
const MAX_FEN: i64 = 99_999_999_999_999_999;

/// Parses `60`, `"60.5"`, `"60.05"` or `60.5` into fen; more than two decimals, junk or
/// amounts beyond `decimal(18,2)` are refused.
pub fn parse_fen(v: &Value) -> Option<i64> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 16
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    let fen = whole.checked_mul(100)?.checked_add(frac)?;
    (fen <= MAX_FEN).then_some(if negative { -fen } else { fen })
}

/// `6000` → `"60.00"`.
pub fn render(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn parses_the_shapes_clients_send() {
        assert_eq!(parse_fen(&json!("60.00")), Some(6000));
        assert_eq!(parse_fen(&json!(60.5)), Some(6050));
        assert_eq!(parse_fen(&json!("0.05")), Some(5));
        assert_eq!(parse_fen(&json!(".5")), Some(50));
        assert_eq!(parse_fen(&json!("-3")), Some(-300));
        assert_eq!(parse_fen(&json!("1.234")), None);
        assert_eq!(parse_fen(&json!("1e5")), None);
        assert_eq!(parse_fen(&json!("12abc")), None);
        assert_eq!(parse_fen(&json!(".")), None);
        assert_eq!(parse_fen(&json!("99999999999999999999")), None);
        assert_eq!(render(6000), "60.00");
        assert_eq!(render(-5), "-0.05");
    }

    proptest! {
        #[test]
        fn render_then_parse_is_identity(fen in -MAX_FEN..MAX_FEN) {
            prop_assert_eq!(parse_fen(&Value::String(render(fen))), Some(fen));
        }
    }
}
