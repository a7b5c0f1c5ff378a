//! Times as Go's `time` package writes them: `date "2006-01-02"` takes a Go layout (the
//! reference time Mon Jan 2 15:04:05 MST 2006 written the way the result should look), and a
//! time printed as it is reads like Go's `time.Time.String()`. acrt's times are all UTC.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// `t` as Go's `time.Time.String()` prints it: `2006-01-02 15:04:05.999999999 +0000 UTC`.
pub fn go_string(t: DateTime<Utc>) -> String {
    format_layout(t, "2006-01-02 15:04:05.999999999 -0700 MST")
}

/// A time that [`go_string`] wrote, read back.
pub fn parse_go_string(text: &str) -> Option<DateTime<Utc>> {
    let text = text.strip_suffix(" UTC")?;
    DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f %z")
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `t` written with the Go layout `layout`; what is not a layout element is copied.
pub fn format_layout(t: DateTime<Utc>, layout: &str) -> String {
    let mut out = String::with_capacity(layout.len() + 8);
    let mut rest = layout;
    while !rest.is_empty() {
        match element_at(rest) {
            Some((element, len)) => {
                write_element(&mut out, t, element);
                rest = &rest[len..];
            }
            None => {
                let c = rest.chars().next().unwrap_or_default();
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// One element of a Go layout.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Element {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekday,
    Weekday,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    ZoneName,
    /// `-0700`, `-07:00`, `-07`, `-070000`, `-07:00:00`; with `Z` first, UTC is written `Z`.
    Offset {
        iso_z: bool,
    },
    /// `.000` / `,000` (always that many digits) or `.999` (trailing zeros dropped).
    Fraction {
        separator: char,
        digits: usize,
        trim: bool,
    },
}

/// The layout element `text` starts with, and its length in bytes.
fn element_at(text: &str) -> Option<(Element, usize)> {
    use Element::*;
    const WORDS: &[(&str, Element)] = &[
        ("January", LongMonth),
        ("Jan", Month),
        ("Monday", LongWeekday),
        ("Mon", Weekday),
        ("MST", ZoneName),
        ("2006", LongYear),
        ("002", ZeroYearDay),
        ("01", ZeroMonth),
        ("02", ZeroDay),
        ("03", ZeroHour12),
        ("04", ZeroMinute),
        ("05", ZeroSecond),
        ("06", Year),
        ("15", Hour),
        ("__2", UnderYearDay),
        ("_2", UnderDay),
        ("1", NumMonth),
        ("2", Day),
        ("3", Hour12),
        ("4", Minute),
        ("5", Second),
        ("PM", PM),
        ("pm", Pm),
    ];
    // `_2006` is a literal underscore and a year, as in Go.
    if text.starts_with("_2006") {
        return None;
    }
    if let Some(found) = offset_at(text) {
        return Some(found);
    }
    if let Some(found) = fraction_at(text) {
        return Some(found);
    }
    WORDS
        .iter()
        .find(|(word, _)| text.starts_with(word))
        .map(|(word, element)| (*element, word.len()))
}

fn offset_at(text: &str) -> Option<(Element, usize)> {
    const FORMS: &[&str] = &["070000", "07:00:00", "0700", "07:00", "07"];
    let (iso_z, body) = match text.strip_prefix('Z') {
        Some(body) => (true, body),
        None => (false, text.strip_prefix('-')?),
    };
    let form = FORMS.iter().find(|f| body.starts_with(**f))?;
    Some((Element::Offset { iso_z }, 1 + form.len()))
}

fn fraction_at(text: &str) -> Option<(Element, usize)> {
    let mut chars = text.chars();
    let separator = chars.next().filter(|c| matches!(c, '.' | ','))?;
    let digit = chars.next().filter(|c| matches!(c, '0' | '9'))?;
    let digits = 1 + chars.clone().take_while(|c| *c == digit).count();
    // A run of digits followed by another digit is not a fraction (`.0001` in `15.0001` is).
    if chars.nth(digits - 1).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let element = Element::Fraction {
        separator,
        digits,
        trim: digit == '9',
    };
    Some((element, 1 + digits))
}

fn write_element(out: &mut String, t: DateTime<Utc>, element: Element) {
    use Element::*;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const WEEKDAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let month = MONTHS[t.month0() as usize];
    let weekday = WEEKDAYS[t.weekday().num_days_from_monday() as usize];
    let hour12 = match t.hour() % 12 {
        0 => 12,
        h => h,
    };
    let text = match element {
        LongMonth => month.to_string(),
        Month => month[..3].to_string(),
        NumMonth => t.month().to_string(),
        ZeroMonth => format!("{:02}", t.month()),
        LongWeekday => weekday.to_string(),
        Weekday => weekday[..3].to_string(),
        Day => t.day().to_string(),
        UnderDay => format!("{:>2}", t.day()),
        ZeroDay => format!("{:02}", t.day()),
        UnderYearDay => format!("{:>3}", t.ordinal()),
        ZeroYearDay => format!("{:03}", t.ordinal()),
        Hour => format!("{:02}", t.hour()),
        Hour12 => hour12.to_string(),
        ZeroHour12 => format!("{hour12:02}"),
        Minute => t.minute().to_string(),
        ZeroMinute => format!("{:02}", t.minute()),
        Second => t.second().to_string(),
        ZeroSecond => format!("{:02}", t.second()),
        LongYear => format!("{:04}", t.year()),
        Year => format!("{:02}", t.year().rem_euclid(100)),
        PM => (if t.hour() >= 12 { "PM" } else { "AM" }).to_string(),
        Pm => (if t.hour() >= 12 { "pm" } else { "am" }).to_string(),
        ZoneName => "UTC".to_string(),
        Offset { iso_z: true } => "Z".to_string(),
        Offset { iso_z: false } => "+0000".to_string(),
        Fraction {
            separator,
            digits,
            trim,
        } => fraction(t.nanosecond(), separator, digits, trim),
    };
    out.push_str(&text);
}

/// Nanoseconds as `digits` decimals after `separator`; trimmed of trailing zeros (and then
/// of the separator too, when nothing is left) for a `.999` element.
fn fraction(nanos: u32, separator: char, digits: usize, trim: bool) -> String {
    let all = format!("{:09}", nanos.min(999_999_999));
    let mut decimals = all[..digits.min(9)].to_string();
    if trim {
        decimals.truncate(decimals.trim_end_matches('0').len());
        if decimals.is_empty() {
            return String::new();
        }
    }
    format!("{separator}{decimals}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 7, 14, 5, 9).unwrap() + chrono::Duration::milliseconds(120)
    }

    #[test]
    fn go_layouts() {
        assert_eq!(format_layout(t(), "2006-01-02"), "2026-03-07");
        assert_eq!(format_layout(t(), "20060102-150405"), "20260307-140509");
        assert_eq!(format_layout(t(), "2006"), "2026");
        assert_eq!(
            format_layout(t(), "Mon Jan _2 3:04:05PM MST 06"),
            "Sat Mar  7 2:05:09PM UTC 26"
        );
        assert_eq!(
            format_layout(t(), "Monday, January 2 2006 002"),
            "Saturday, March 7 2026 066"
        );
        assert_eq!(
            format_layout(t(), "15:04:05.000 .999999 Z07:00 -0700"),
            "14:05:09.120 .12 Z +0000"
        );
        assert_eq!(format_layout(t(), "v1.2.x"), "v3.7.x");
    }

    #[test]
    fn go_string_reads_back() {
        let s = go_string(t());
        assert_eq!(s, "2026-03-07 14:05:09.12 +0000 UTC");
        assert_eq!(parse_go_string(&s), Some(t()));
        assert_eq!(parse_go_string("yesterday"), None);
    }
}
