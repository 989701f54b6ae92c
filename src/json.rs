//! A tiny strict (RFC 8259) JSON toolkit, and the response normaliser.
//!
//! Owns: a tree parser for small inputs (call arguments, error bodies), a writer, a validator
//! that walks raw bytes without building anything, and the normaliser that turns the API's
//! loosely typed bodies into the typed JSON the JS side parses once.
//!
//! Must not: panic on any input, recurse without a depth limit, or pull in `core::fmt`, float
//! parsing or serde (each costs kilobytes of wasm). Numbers are kept as their JSON text.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::time;

/// Nesting allowed in anything this module reads; deeper input is refused, never overflowed.
const MAX_DEPTH: u32 = 64;

const E_EOF: &str = "unexpected end of JSON input";
const E_VALUE: &str = "expected a JSON value";
const E_LITERAL: &str = "invalid literal (expected true, false or null)";
const E_NUMBER: &str = "invalid number";
const E_STRING_END: &str = "unterminated string";
const E_ESCAPE: &str = "invalid escape in string";
const E_CONTROL: &str = "unescaped control character in string";
const E_UTF8: &str = "invalid UTF-8 in string";
const E_KEY: &str = "expected a string key";
const E_COLON: &str = "expected ':' after an object key";
const E_OBJ: &str = "expected ',' or '}' in object";
const E_ARR: &str = "expected ',' or ']' in array";
const E_DEEP: &str = "JSON nested deeper than 64 levels";
const E_TRAILING: &str = "unexpected characters after the JSON value";

#[derive(Clone, PartialEq)]
#[cfg_attr(test, derive(Debug))]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's JSON text, validated: converting is left to whoever needs a given width.
    Num(String),
    Str(String),
    Arr(Vec<Value>),
    Obj(Vec<(String, Value)>),
}

impl Value {
    /// A member of an object; the last of duplicate keys wins, as in `JSON.parse`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The type as an error message names it ("expected a string, got a number").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Arr(_) => "an array",
            Value::Obj(m) => {
                // The JS skin marks what JSON.stringify would silently drop, so a wrong type is
                // named instead of looking like a missing field.
                if let [(k, Value::Str(t))] = m.as_slice() {
                    if k == "__jsType" {
                        match t.as_str() {
                            "function" => return "a function",
                            "symbol" => return "a symbol",
                            "bigint" => return "a bigint",
                            "undefined" => return "undefined",
                            _ => {}
                        }
                    }
                }
                "an object"
            }
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
#[cfg_attr(test, derive(Debug))]
pub struct JsonError {
    /// Byte offset where the problem was seen.
    pub pos: usize,
    pub msg: &'static str,
}

fn err(pos: usize, msg: &'static str) -> JsonError {
    JsonError { pos, msg }
}

// ---------------------------------------------------------------------------------------------
// Byte-level scanning, shared by the parser, the validator and the normaliser.

/// The byte at `i`, or 0 past the end (0 is never a JSON token or whitespace, and a raw 0
/// inside a string is rejected as a control character).
#[inline(always)]
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let mut v = 0u32;
    for &c in b.get(i..i.checked_add(4)?)? {
        v = v * 16 + (c as char).to_digit(16)?;
    }
    Some(v)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Validates the string starting at the quote at `i`; returns the index after the closing quote
/// and whether it contains escapes (an escape-free string can be used as a slice, uncopied).
fn scan_string(b: &[u8], i: usize) -> Result<(usize, bool), JsonError> {
    let start = i + 1;
    let mut j = start;
    let mut escaped = false;
    let mut non_ascii = false;
    loop {
        // Eight bytes at a time while none of them is a quote, a backslash or a control byte
        // (the exact "some byte is zero / below n" word tests), then byte by byte: the
        // normaliser spends most of its time here, inside string values.
        while let Some(w) = b.get(j..j + 8) {
            let x = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
            let (q, s) = (x ^ (ONES * b'"' as u64), x ^ (ONES * b'\\' as u64));
            let zero_or_low = (q.wrapping_sub(ONES) & !q)
                | (s.wrapping_sub(ONES) & !s)
                | (x.wrapping_sub(ONES * 0x20) & !x);
            if zero_or_low & HIGH != 0 {
                break;
            }
            non_ascii |= x & HIGH != 0;
            j += 8;
        }
        while let Some(&c) = b.get(j) {
            if c == b'"' || c == b'\\' || c < 0x20 {
                break;
            }
            non_ascii |= c >= 0x80;
            j += 1;
        }
        match at(b, j) {
            b'"' => break,
            b'\\' => {
                escaped = true;
                match b.get(j + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
                    Some(b'u') if hex4(b, j + 2).is_some() => j += 6,
                    None => return Err(err(j + 1, E_STRING_END)),
                    Some(_) => return Err(err(j, E_ESCAPE)),
                }
            }
            _ if j >= b.len() => return Err(err(j, E_STRING_END)),
            _ => return Err(err(j, E_CONTROL)),
        }
    }
    // Only strings can hold non-ASCII bytes, so checking them here makes skip_value a complete
    // validator; the quotes cannot fall inside a multi-byte sequence, so the slice is exact.
    if non_ascii
        && b.get(start..j)
            .is_none_or(|s| core::str::from_utf8(s).is_err())
    {
        return Err(err(start, E_UTF8));
    }
    Ok((j + 1, escaped))
}

fn scan_digits(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

fn scan_number(b: &[u8], i: usize) -> Result<usize, JsonError> {
    let mut j = i;
    if at(b, j) == b'-' {
        j += 1;
    }
    match b.get(j) {
        Some(b'0') => j += 1,
        Some(b'1'..=b'9') => j = scan_digits(b, j + 1),
        _ => return Err(err(j, E_NUMBER)),
    }
    if at(b, j) == b'.' {
        let d = j + 1;
        j = scan_digits(b, d);
        if j == d {
            return Err(err(j, E_NUMBER));
        }
    }
    if let Some(b'e' | b'E') = b.get(j) {
        j += 1;
        if let Some(b'+' | b'-') = b.get(j) {
            j += 1;
        }
        let d = j;
        j = scan_digits(b, d);
        if j == d {
            return Err(err(j, E_NUMBER));
        }
    }
    Ok(j)
}

fn scan_literal(b: &[u8], i: usize, lit: &[u8]) -> Result<usize, JsonError> {
    match b.get(i..i + lit.len()) {
        Some(s) if s == lit => Ok(i + lit.len()),
        _ => Err(err(i, E_LITERAL)),
    }
}

/// `i` at an object key (whitespace already skipped); returns the index after the colon.
fn skip_key(b: &[u8], i: usize) -> Result<usize, JsonError> {
    if at(b, i) != b'"' {
        return Err(err(i, E_KEY));
    }
    let (j, _) = scan_string(b, i)?;
    let j = ws(b, j);
    if at(b, j) != b':' {
        return Err(err(j, E_COLON));
    }
    Ok(j + 1)
}

/// Validates one JSON value starting at `pos` (leading whitespace allowed) and returns the index
/// just after it. Iterative, with the open containers kept as bits of one `u64`, so it allocates
/// nothing and cannot overflow the stack; more than 64 levels is an error.
pub fn skip_value(bytes: &[u8], pos: usize) -> Result<usize, JsonError> {
    let b = bytes;
    let mut open: u64 = 0; // bit set = object, clear = array; lowest bit is the innermost
    let mut depth: u32 = 0;
    let mut i = pos;
    'value: loop {
        i = ws(b, i);
        match b.get(i) {
            Some(&c @ (b'{' | b'[')) => {
                if depth >= MAX_DEPTH {
                    return Err(err(i, E_DEEP));
                }
                let is_obj = c == b'{';
                i = ws(b, i + 1);
                if b.get(i) == Some(if is_obj { &b'}' } else { &b']' }) {
                    i += 1;
                } else {
                    open = (open << 1) | is_obj as u64;
                    depth += 1;
                    if is_obj {
                        i = skip_key(b, i)?;
                    }
                    continue 'value;
                }
            }
            Some(b'"') => i = scan_string(b, i)?.0,
            Some(b't') => i = scan_literal(b, i, b"true")?,
            Some(b'f') => i = scan_literal(b, i, b"false")?,
            Some(b'n') => i = scan_literal(b, i, b"null")?,
            Some(b'-' | b'0'..=b'9') => i = scan_number(b, i)?,
            Some(_) => return Err(err(i, E_VALUE)),
            None => return Err(err(i, E_EOF)),
        }
        // A value just ended: close containers until one wants another member.
        loop {
            if depth == 0 {
                return Ok(i);
            }
            i = ws(b, i);
            let is_obj = open & 1 == 1;
            match b.get(i) {
                Some(b',') => {
                    i = ws(b, i + 1);
                    if is_obj {
                        i = skip_key(b, i)?;
                    }
                    continue 'value;
                }
                Some(b'}') if is_obj => {}
                Some(b']') if !is_obj => {}
                None => return Err(err(i, E_EOF)),
                Some(_) => return Err(err(i, if is_obj { E_OBJ } else { E_ARR })),
            }
            i += 1;
            open >>= 1;
            depth -= 1;
        }
    }
}

/// Exactly one JSON value with optional surrounding whitespace (and valid UTF-8 throughout).
pub fn is_valid(bytes: &[u8]) -> bool {
    match skip_value(bytes, 0) {
        Ok(end) => ws(bytes, end) == bytes.len(),
        Err(_) => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Strings

/// Appends the decoded content of a string literal's inside (`raw` already validated by
/// `scan_string`). Lone surrogates become U+FFFD, as they cannot live in a Rust string.
fn unescape_into(out: &mut String, raw: &str) {
    let b = raw.as_bytes();
    let mut i = 0;
    let mut run = 0;
    while i < b.len() {
        if at(b, i) != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(raw.get(run..i).unwrap_or(""));
        let c = b.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match c {
            b'b' => out.push('\x08'),
            b'f' => out.push('\x0C'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = hex4(b, i).unwrap_or(0xFFFD);
                i += 4;
                let mut ch = char::from_u32(hi);
                if (0xD800..0xDC00).contains(&hi)
                    && at(b, i) == b'\\'
                    && at(b, i + 1) == b'u'
                {
                    if let Some(lo @ 0xDC00..=0xDFFF) = hex4(b, i + 2) {
                        ch = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                        i += 6;
                    }
                }
                out.push(ch.unwrap_or('\u{FFFD}'));
            }
            other => out.push(other as char),
        }
        run = i;
    }
    out.push_str(raw.get(run..).unwrap_or(""));
}

/// The content of the string literal `s[start..end]` (quotes included): a slice when it has no
/// escapes, else decoded into `buf`.
fn content<'a>(
    s: &'a str,
    start: usize,
    end: usize,
    escaped: bool,
    buf: &'a mut String,
) -> &'a str {
    let inner = s.get(start + 1..end.saturating_sub(1)).unwrap_or("");
    if !escaped {
        return inner;
    }
    buf.clear();
    unescape_into(buf, inner);
    buf
}

fn hex_digit(n: u8) -> char {
    char::from_digit((n & 15) as u32, 16).unwrap_or('0')
}

/// Writes `s` as a JSON string literal, escaping as `JSON.stringify` does (short escapes where
/// they exist, `\u00XX` for other control characters, everything else as UTF-8).
pub fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut run = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        let short = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(s.get(run..i).unwrap_or(""));
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(c >> 4));
            out.push(hex_digit(c));
        } else {
            out.push_str(short);
        }
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or(""));
    out.push('"');
}

fn push_usize(out: &mut String, n: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut n = n;
    while let Some(j) = i.checked_sub(1) {
        if let Some(d) = buf.get_mut(j) {
            *d = b'0' + (n % 10) as u8;
        }
        i = j;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(
        buf.get(i..)
            .and_then(|d| core::str::from_utf8(d).ok())
            .unwrap_or("0"),
    );
}

// ---------------------------------------------------------------------------------------------
// Tree parser and writer

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn string(&mut self) -> Result<String, JsonError> {
        let (end, escaped) = scan_string(self.b, self.i)?;
        let inner = self.s.get(self.i + 1..end.saturating_sub(1)).unwrap_or("");
        let owned = if escaped {
            let mut o = String::with_capacity(inner.len());
            unescape_into(&mut o, inner);
            o
        } else {
            inner.to_owned()
        };
        self.i = end;
        Ok(owned)
    }

    fn value(&mut self, depth: u32) -> Result<Value, JsonError> {
        let b = self.b;
        self.i = ws(b, self.i);
        let start = self.i;
        match b.get(start) {
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(err(start, E_DEEP));
                }
                let mut members = Vec::new();
                self.i = ws(b, start + 1);
                if at(b, self.i) == b'}' {
                    self.i += 1;
                    return Ok(Value::Obj(members));
                }
                loop {
                    if at(b, self.i) != b'"' {
                        return Err(err(self.i, E_KEY));
                    }
                    let k = self.string()?;
                    self.i = ws(b, self.i);
                    if at(b, self.i) != b':' {
                        return Err(err(self.i, E_COLON));
                    }
                    self.i += 1;
                    let v = self.value(depth + 1)?;
                    members.push((k, v));
                    self.i = ws(b, self.i);
                    match b.get(self.i) {
                        Some(b',') => self.i = ws(b, self.i + 1),
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Obj(members));
                        }
                        None => return Err(err(self.i, E_EOF)),
                        Some(_) => return Err(err(self.i, E_OBJ)),
                    }
                }
            }
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(err(start, E_DEEP));
                }
                let mut items = Vec::new();
                self.i = ws(b, start + 1);
                if at(b, self.i) == b']' {
                    self.i += 1;
                    return Ok(Value::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.i = ws(b, self.i);
                    match b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Arr(items));
                        }
                        None => return Err(err(self.i, E_EOF)),
                        Some(_) => return Err(err(self.i, E_ARR)),
                    }
                }
            }
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b't') => {
                self.i = scan_literal(b, start, b"true")?;
                Ok(Value::Bool(true))
            }
            Some(b'f') => {
                self.i = scan_literal(b, start, b"false")?;
                Ok(Value::Bool(false))
            }
            Some(b'n') => {
                self.i = scan_literal(b, start, b"null")?;
                Ok(Value::Null)
            }
            Some(b'-' | b'0'..=b'9') => {
                self.i = scan_number(b, start)?;
                Ok(Value::Num(
                    self.s.get(start..self.i).unwrap_or("0").to_owned(),
                ))
            }
            Some(_) => Err(err(start, E_VALUE)),
            None => Err(err(start, E_EOF)),
        }
    }
}

/// Parses exactly one JSON value (surrounding whitespace allowed). Meant for small inputs;
/// bodies go through the normaliser, which builds no tree.
pub fn parse(input: &str) -> Result<Value, JsonError> {
    let mut p = Parser {
        s: input,
        b: input.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    let end = ws(p.b, p.i);
    if end != p.b.len() {
        return Err(err(end, E_TRAILING));
    }
    Ok(v)
}

/// Writes `v` compactly. Recursive, so it is meant for values `parse` made (64 levels at most)
/// or that code built.
pub fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Num(n) => out.push_str(n),
        Value::Str(s) => write_str(out, s),
        Value::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Obj(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The normaliser

/// What a known field holds, so a loosely typed value can be turned into its JS type.
#[derive(Clone, Copy, PartialEq)]
#[cfg_attr(test, derive(Debug))]
pub enum Kind {
    Bool,
    Num,
    Time,
    Id,
}

/// A record's known fields. Fields not listed are copied verbatim (never dropped, never changed).
pub type Shape = &'static [(&'static str, Kind)];

#[derive(Clone, PartialEq)]
#[cfg_attr(test, derive(Debug))]
pub enum DecodeError {
    /// The body is not the JSON we expect; the message says what was wrong.
    Invalid(&'static str),
    /// The body says `"success": false`; carries its error message if it has one.
    Failure(Option<String>),
}

impl From<JsonError> for DecodeError {
    fn from(e: JsonError) -> DecodeError {
        DecodeError::Invalid(e.msg)
    }
}

#[derive(Clone, PartialEq)]
#[cfg_attr(test, derive(Debug))]
pub struct Page {
    /// `{"count":…,"next":…,"results":[…],…}` ready for one `JSON.parse`.
    pub json: String,
    pub next: Option<String>,
    /// Rows actually in `results`.
    pub count: usize,
}

const E_NOT_UTF8: &str = "the response body is not UTF-8";
const E_NOT_OBJECT: &str = "the response body is not a JSON object";
const E_NO_RESULTS: &str = "the response has no \"results\" array";
const E_RESULTS_TYPE: &str = "the response's \"results\" is not an array";
const E_NEXT_TYPE: &str = "the response's \"next\" is neither a string nor null";
const E_BODY_TRAILING: &str = "unexpected characters after the JSON body";

/// What a top-level key means to the envelope checks.
#[derive(Clone, Copy, PartialEq)]
enum TopKey {
    Other,
    Success,
    /// An error message field, with its priority (higher wins).
    Message(u8),
}

fn top_key(key: &str) -> TopKey {
    match key {
        "success" => TopKey::Success,
        "error_message" => TopKey::Message(3),
        "message" => TopKey::Message(2),
        "error" => TopKey::Message(1),
        _ => TopKey::Other,
    }
}

/// The `success`/error-message facts of a top-level object.
#[derive(Default)]
struct Verdict {
    failed: bool,
    message: Option<String>,
    rank: u8,
}

impl Verdict {
    fn note_str(&mut self, key: TopKey, text: &str) {
        match key {
            TopKey::Success => self.failed |= text.trim_ascii().eq_ignore_ascii_case("false"),
            TopKey::Message(rank) if rank >= self.rank && !text.trim_ascii().is_empty() => {
                self.message = Some(text.to_owned());
                self.rank = rank;
            }
            _ => {}
        }
    }

    fn into_result(self) -> Result<(), DecodeError> {
        if self.failed {
            Err(DecodeError::Failure(self.message))
        } else {
            Ok(())
        }
    }
}

/// Output buffer and the two scratch buffers for decoding escaped keys and values, reused across
/// every record so a page costs one big allocation.
///
/// The output is the body with some values rewritten: the body is copied lazily, in whole spans
/// up to the next rewritten value (`copy_to`), so most of a page is one bulk copy instead of a
/// push per key, colon and comma.
struct Norm<'a> {
    s: &'a str,
    b: &'a [u8],
    out: String,
    /// The body before this index is in `out` already, copied or rewritten.
    copied: usize,
    key_buf: String,
    val_buf: String,
}

/// A trimmed loose number ("007", "+5", " -1.5 ", "1e3") written as a valid JSON number.
fn write_loose_number(out: &mut String, t: &str) -> bool {
    let b = t.as_bytes();
    let (neg, int_start) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let int_end = scan_digits(b, int_start);
    if int_end == int_start {
        return false;
    }
    let mut i = int_end;
    let frac_start = i;
    if at(b, i) == b'.' {
        i = scan_digits(b, i + 1);
        if i == frac_start + 1 {
            return false;
        }
    }
    let exp_start = i;
    if let Some(b'e' | b'E') = b.get(i) {
        let mut j = i + 1;
        if let Some(b'+' | b'-') = b.get(j) {
            j += 1;
        }
        i = scan_digits(b, j);
        if i == j {
            return false;
        }
    }
    if i != b.len() {
        return false;
    }
    if neg {
        out.push('-');
    }
    // JSON forbids leading zeros; the value is unchanged without them.
    let int = t
        .get(int_start..int_end)
        .unwrap_or("0")
        .trim_start_matches('0');
    out.push_str(if int.is_empty() { "0" } else { int });
    out.push_str(t.get(frac_start..exp_start).unwrap_or(""));
    out.push_str(t.get(exp_start..).unwrap_or(""));
    true
}

/// Writes the typed form of a known field's string value; false leaves the original to be copied.
fn write_loose(out: &mut String, kind: Kind, text: &str) -> bool {
    if kind == Kind::Id {
        return false;
    }
    let t = text.trim_ascii();
    if t.is_empty() {
        out.push_str("null");
        return true;
    }
    match kind {
        Kind::Bool => {
            let v = if ["true", "yes", "1"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(t))
            {
                "true"
            } else if ["false", "no", "0"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(t))
            {
                "false"
            } else {
                return false;
            };
            out.push_str(v);
            true
        }
        Kind::Num => write_loose_number(out, t),
        Kind::Time => time::push_timestamp(out, t),
        Kind::Id => false,
    }
}

impl Norm<'_> {
    fn new(s: &str) -> Norm<'_> {
        // Typed output is about the size of the loose input: quotes come off booleans and
        // numbers, go onto ids, and whitespace is dropped.
        Norm {
            s,
            b: s.as_bytes(),
            out: String::with_capacity(s.len() + s.len() / 16 + 64),
            copied: 0,
            key_buf: String::new(),
            val_buf: String::new(),
        }
    }

    /// Copies the body up to `i` into the output.
    fn copy_to(&mut self, i: usize) {
        let s = self.s;
        self.out.push_str(s.get(self.copied..i).unwrap_or(""));
        self.copied = i;
    }

    /// Reads the value at `i`, converting it in the output if it belongs to a known field whose
    /// value is loosely typed; returns the index after it.
    fn field_value(
        &mut self,
        i: usize,
        kind: Option<Kind>,
        top: TopKey,
        verdict: &mut Verdict,
    ) -> Result<usize, JsonError> {
        let b = self.b;
        match b.get(i) {
            Some(b'"') => {
                let (end, escaped) = scan_string(b, i)?;
                if kind.is_some() || top != TopKey::Other {
                    let s = self.s;
                    let mut buf = core::mem::take(&mut self.val_buf);
                    let text = content(s, i, end, escaped, &mut buf);
                    verdict.note_str(top, text);
                    if let Some(k) = kind {
                        self.copy_to(i);
                        if write_loose(&mut self.out, k, text) {
                            self.copied = end;
                        }
                    }
                    self.val_buf = buf;
                }
                Ok(end)
            }
            Some(b'-' | b'0'..=b'9') => {
                let end = scan_number(b, i)?;
                let raw = self.s.get(i..end).unwrap_or("0");
                let typed = match (kind, raw) {
                    (Some(Kind::Id), _) => None,
                    (Some(Kind::Bool), "1") => Some("true"),
                    (Some(Kind::Bool), "0") => Some("false"),
                    _ => return Ok(end),
                };
                self.copy_to(i);
                match typed {
                    Some(v) => self.out.push_str(v),
                    None => {
                        self.out.push('"');
                        self.out.push_str(raw);
                        self.out.push('"');
                    }
                }
                self.copied = end;
                Ok(end)
            }
            _ => {
                let end = skip_value(b, i)?;
                if top == TopKey::Success && b.get(i..end) == Some(b"false") {
                    verdict.failed = true;
                }
                Ok(end)
            }
        }
    }

    /// Writes the normalised object at `i` (which holds `{`); returns the index after it.
    fn record(
        &mut self,
        i: usize,
        shape: &[(&str, Kind)],
        verdict: Option<&mut Verdict>,
    ) -> Result<usize, JsonError> {
        let b = self.b;
        let mut scratch = Verdict::default();
        let (verdict, at_top) = match verdict {
            Some(v) => (v, true),
            None => (&mut scratch, false),
        };
        let mut i = ws(b, i + 1);
        if at(b, i) == b'}' {
            return Ok(i + 1);
        }
        loop {
            if at(b, i) != b'"' {
                return Err(err(i, E_KEY));
            }
            let key_start = i;
            let (key_end, escaped) = scan_string(b, i)?;
            let key = content(self.s, key_start, key_end, escaped, &mut self.key_buf);
            let kind = shape.iter().find(|(name, _)| *name == key).map(|&(_, k)| k);
            let top = if at_top { top_key(key) } else { TopKey::Other };
            i = ws(b, key_end);
            if at(b, i) != b':' {
                return Err(err(i, E_COLON));
            }
            i = ws(b, i + 1);
            i = ws(b, self.field_value(i, kind, top, verdict)?);
            match b.get(i) {
                Some(b',') => i = ws(b, i + 1),
                Some(b'}') => return Ok(i + 1),
                None => return Err(err(i, E_EOF)),
                Some(_) => return Err(err(i, E_OBJ)),
            }
        }
    }

    /// Writes the normalised `results` array at `i` (which holds `[`) as the whole output; returns
    /// the index after it and the number of rows.
    fn results(&mut self, i: usize, shape: &[(&str, Kind)]) -> Result<(usize, usize), JsonError> {
        let b = self.b;
        // A repeated "results" replaces the earlier one, as JSON.parse would.
        self.out.clear();
        self.copied = i;
        let mut i = ws(b, i + 1);
        let mut rows = 0usize;
        if at(b, i) != b']' {
            loop {
                i = match b.get(i) {
                    Some(b'{') => self.record(i, shape, None)?,
                    _ => skip_value(b, i)?,
                };
                rows = rows.saturating_add(1);
                i = ws(b, i);
                match b.get(i) {
                    Some(b',') => i = ws(b, i + 1),
                    Some(b']') => break,
                    None => return Err(err(i, E_EOF)),
                    Some(_) => return Err(err(i, E_ARR)),
                }
            }
        }
        self.copy_to(i + 1);
        Ok((i + 1, rows))
    }
}

/// The body as text positioned at its top-level `{`: UTF-8 checked once here, so every later
/// slice of it is a `&str` without re-checking. A UTF-8 BOM is tolerated, as RFC 8259 allows.
fn open_body(body: &[u8]) -> Result<(&str, usize), DecodeError> {
    let s = core::str::from_utf8(body).map_err(|_| DecodeError::Invalid(E_NOT_UTF8))?;
    let start = if s.starts_with('\u{FEFF}') { 3 } else { 0 };
    let i = ws(s.as_bytes(), start);
    if at(s.as_bytes(), i) != b'{' {
        return Err(DecodeError::Invalid(E_NOT_OBJECT));
    }
    Ok((s, i))
}

fn close_body(b: &[u8], end: usize) -> Result<(), DecodeError> {
    if ws(b, end) != b.len() {
        return Err(DecodeError::Invalid(E_BODY_TRAILING));
    }
    Ok(())
}

/// Normalises an envelope `{count, next, results:[...]}` in one pass over the bytes.
///
/// The output is `{"count":<rows in results>,"next":<string|null>,"results":[...]}` followed by
/// any other top-level members verbatim. Object rows are normalised with `shape`; other rows are
/// copied. `"success": false` (or `"false"`) anywhere at the top level is a `Failure`, which
/// takes precedence over any other complaint about a well-formed body.
pub fn normalize_page(body: &[u8], shape: &[(&str, Kind)]) -> Result<Page, DecodeError> {
    let (s, mut i) = open_body(body)?;
    let mut n = Norm::new(s);
    let b = n.b;
    let mut verdict = Verdict::default();
    let mut rows: Option<usize> = None;
    let mut results_bad = false;
    let mut next: Option<String> = None;
    let mut next_bad = false;
    // Other members, as spans of the body (key through value), copied after the results.
    let mut others: Vec<(usize, usize)> = Vec::new();

    i = ws(b, i + 1);
    if at(b, i) == b'}' {
        i += 1;
    } else {
        loop {
            if at(b, i) != b'"' {
                return Err(err(i, E_KEY).into());
            }
            let key_start = i;
            let (key_end, escaped) = scan_string(b, i)?;
            let key = content(s, key_start, key_end, escaped, &mut n.key_buf);
            let top = top_key(key);
            let which = match key {
                "results" => 1,
                "next" => 2,
                "count" => 3,
                _ => 0,
            };
            i = ws(b, key_end);
            if at(b, i) != b':' {
                return Err(err(i, E_COLON).into());
            }
            i = ws(b, i + 1);
            let end = match (which, b.get(i)) {
                (1, Some(b'[')) => {
                    let (end, count) = n.results(i, shape)?;
                    rows = Some(count);
                    results_bad = false;
                    end
                }
                (1, _) => {
                    results_bad = true;
                    skip_value(b, i)?
                }
                (2, Some(b'"')) => {
                    let (end, esc) = scan_string(b, i)?;
                    let url = content(s, i, end, esc, &mut n.val_buf);
                    next = if url.is_empty() {
                        None
                    } else {
                        Some(url.to_owned())
                    };
                    next_bad = false;
                    end
                }
                (2, _) => {
                    let end = skip_value(b, i)?;
                    next = None;
                    next_bad = b.get(i..end) != Some(b"null");
                    end
                }
                (3, _) => skip_value(b, i)?,
                _ => {
                    let end = skip_value(b, i)?;
                    match (top, b.get(i)) {
                        (TopKey::Other, _) => {}
                        (_, Some(b'"')) => {
                            let (_, esc) = scan_string(b, i)?;
                            verdict.note_str(top, content(s, i, end, esc, &mut n.val_buf));
                        }
                        (TopKey::Success, _) if b.get(i..end) == Some(b"false") => {
                            verdict.failed = true
                        }
                        _ => {}
                    }
                    others.push((key_start, end));
                    end
                }
            };
            i = ws(b, end);
            match b.get(i) {
                Some(b',') => i = ws(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                None => return Err(err(i, E_EOF).into()),
                Some(_) => return Err(err(i, E_OBJ).into()),
            }
        }
    }
    close_body(b, i)?;
    verdict.into_result()?;
    if results_bad {
        return Err(DecodeError::Invalid(E_RESULTS_TYPE));
    }
    let Some(count) = rows else {
        return Err(DecodeError::Invalid(E_NO_RESULTS));
    };
    if next_bad {
        return Err(DecodeError::Invalid(E_NEXT_TYPE));
    }

    let mut head = String::with_capacity(48 + next.as_ref().map_or(0, String::len));
    head.push_str("{\"count\":");
    push_usize(&mut head, count);
    head.push_str(",\"next\":");
    match &next {
        Some(url) => write_str(&mut head, url),
        None => head.push_str("null"),
    }
    head.push_str(",\"results\":");
    // One move of the results to make room for the head: the row count and `next` are only
    // known once the whole body has been read, and they must come first.
    let mut json = n.out;
    json.insert_str(0, &head);
    for &(from, to) in &others {
        json.push(',');
        json.push_str(s.get(from..to).unwrap_or("null"));
    }
    json.push('}');
    Ok(Page { json, next, count })
}

/// Normalises a single record object (the whole body) with `shape`. A top-level
/// `"success": false` is a `Failure`.
pub fn normalize_object(body: &[u8], shape: &[(&str, Kind)]) -> Result<String, DecodeError> {
    let (s, i) = open_body(body)?;
    let mut n = Norm::new(s);
    let mut verdict = Verdict::default();
    n.copied = i;
    let end = n.record(i, shape, Some(&mut verdict))?;
    n.copy_to(end);
    close_body(n.b, end)?;
    verdict.into_result()?;
    Ok(n.out)
}

/// The message of an error body such as `{"success":false,"error_message":"..."}`, falling back
/// to a `message` or `error` string (or `error.message`); None when the body is not such JSON or
/// the message is blank.
pub fn error_message(body: &[u8]) -> Option<String> {
    let s = core::str::from_utf8(body).ok()?;
    let v = parse(s.strip_prefix('\u{FEFF}').unwrap_or(s)).ok()?;
    let nested = v.get("error").and_then(|e| e.get("message"));
    let found = [
        v.get("error_message"),
        v.get("message"),
        v.get("error"),
        nested,
    ]
    .into_iter()
    .flatten()
    .filter_map(Value::as_str)
    .find(|m| !m.trim_ascii().is_empty())
    .map(str::to_owned);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENT: Shape = &[
        ("is_admin", Kind::Bool),
        ("created_at", Kind::Time),
        ("last_update", Kind::Time),
        ("last_connection", Kind::Time),
    ];
    const CDR: Shape = &[
        ("id", Kind::Id),
        ("duration", Kind::Num),
        ("disposition_code", Kind::Num),
        ("web_call", Kind::Bool),
        ("init_dt", Kind::Time),
        ("start_time", Kind::Time),
        ("end_time", Kind::Time),
    ];
    const ALL: Shape = &[
        ("b", Kind::Bool),
        ("n", Kind::Num),
        ("t", Kind::Time),
        ("i", Kind::Id),
    ];

    const AGENTS_BODY: &str = r#"{"count":11,"next":null,"results":[{"email":"agent@mail.com","fullname":"Agent Name","created_at":"2017-06-27 19:24:10","last_update":"2017-06-27 19:26:52","last_connection":null,"is_admin":"false","phone_number":"+15553456789","phone_country":"ES"}]}"#;
    const CDR_RECORD: &str = r#"{"id":"12903","callid":"3482582a-dc6e-1235-798c-0401336adf01","from":"+551234567","to_number":null,"country":"US","caller_id_used":"+12018155555","init_dt":"2017-07-05 21:46:44","start_time":"2017-07-05 21:46:22","end_time":"2017-07-05 21:46:44","duration":"22","agent_id":"carlos__myagent.com","direction":"inbound","web_call":"no","disposition_code":"200","ivr_option_pressed":"8"}"#;

    fn page(body: &str, shape: Shape) -> Page {
        let p = normalize_page(body.as_bytes(), shape).expect(body);
        assert!(is_valid(p.json.as_bytes()), "{}", p.json);
        p
    }

    fn object(body: &str, shape: Shape) -> String {
        let o = normalize_object(body.as_bytes(), shape).expect(body);
        assert!(is_valid(o.as_bytes()), "{o}");
        o
    }

    /// The normalised value of field `f` of a one-field record, as JSON text.
    fn field(kind: Kind, raw: &str) -> String {
        let name = match kind {
            Kind::Bool => "b",
            Kind::Num => "n",
            Kind::Time => "t",
            Kind::Id => "i",
        };
        let body = String::from("{\"") + name + "\":" + raw + "}";
        let o = object(&body, ALL);
        let prefix = String::from("{\"") + name + "\":";
        o.strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix('}'))
            .expect(&o)
            .to_owned()
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    fn num(v: &str) -> Value {
        Value::Num(v.into())
    }

    // ---- parse / write ------------------------------------------------------------------------

    #[test]
    fn parses_every_type() {
        let v = parse(r#" {"a": [1, -2.5e+3, true, false, null, "x\"y\u00e9\ud83d\ude00"], "b": {}, "c": []} "#).unwrap();
        assert_eq!(
            v,
            Value::Obj(vec![
                (
                    "a".into(),
                    Value::Arr(vec![
                        num("1"),
                        num("-2.5e+3"),
                        Value::Bool(true),
                        Value::Bool(false),
                        Value::Null,
                        s("x\"yé😀")
                    ])
                ),
                ("b".into(), Value::Obj(vec![])),
                ("c".into(), Value::Arr(vec![])),
            ])
        );
        assert_eq!(v.get("b"), Some(&Value::Obj(vec![])));
        assert_eq!(v.get("zz"), None);
        assert_eq!(parse(r#"{"k":1,"k":2}"#).unwrap().get("k"), Some(&num("2")));
        assert_eq!(
            parse("\"\\b\\f\\n\\r\\t\\/\\\\\"").unwrap(),
            s("\x08\x0C\n\r\t/\\")
        );
    }

    #[test]
    fn surrogates() {
        assert_eq!(parse(r#""\ud83d\ude00""#).unwrap(), s("😀"));
        assert_eq!(parse(r#""\ud83d""#).unwrap(), s("\u{FFFD}"));
        assert_eq!(parse(r#""\ude00x""#).unwrap(), s("\u{FFFD}x"));
        assert_eq!(parse(r#""\ud83d\u0041""#).unwrap(), s("\u{FFFD}A"));
        assert_eq!(parse(r#""\ud83d\ud83d\ude00""#).unwrap(), s("\u{FFFD}😀"));
        assert_eq!(parse(r#""\ud83d\n""#).unwrap(), s("\u{FFFD}\n"));
    }

    /// The word-at-a-time scan against a byte-at-a-time reference, for strings built from the
    /// bytes that matter at every alignment.
    #[test]
    fn scan_string_matches_a_bytewise_scan() {
        fn reference(b: &[u8], i: usize) -> Result<(usize, bool), usize> {
            let (mut j, mut escaped) = (i + 1, false);
            loop {
                match b.get(j) {
                    None => return Err(j),
                    Some(b'"') => break,
                    Some(b'\\') => {
                        escaped = true;
                        match b.get(j + 1) {
                            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
                            Some(b'u') if hex4(b, j + 2).is_some() => j += 6,
                            None => return Err(j + 1),
                            Some(_) => return Err(j),
                        }
                    }
                    Some(&c) if c < 0x20 => return Err(j),
                    Some(_) => j += 1,
                }
            }
            match core::str::from_utf8(&b[i + 1..j]) {
                Ok(_) => Ok((j + 1, escaped)),
                Err(_) => Err(i + 1),
            }
        }
        let alphabet: &[&[u8]] = &[b"a", b"Z", b" ", b"\"", b"\\", b"\\n", b"\\u00e9", b"\x1f", b"\x7f", b"\x00", "é".as_bytes(), "€".as_bytes(), &[0xff], &[0xc3], b"!", b"#", b"~", b"\x20", b"\x21"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut s = b"\"".to_vec();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let pick = alphabet[(seed % alphabet.len() as u64) as usize];
                s.extend_from_slice(if seed % 5 == 0 { pick } else { b"abcdefgh" });
            }
            if seed % 3 != 0 {
                s.push(b'"');
            }
            s.extend_from_slice(b" tail");
            let got = scan_string(&s, 0).map_err(|e| e.pos);
            assert_eq!(got, reference(&s, 0), "{:?}", String::from_utf8_lossy(&s));
        }
    }

    #[test]
    fn rejects_invalid_json() {
        for bad in [
            "",
            " ",
            "{",
            "[",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\u12G4\"",
            "\"a\nb\"",
            "[1 2]",
            "{\"a\":1 \"b\":2}",
            "1 2",
            "NaN",
            "'a'",
            "[1]]",
            "{}}",
            "\u{FEFF}{}",
            "\"\\ud83d\\u\"",
            "[\"\\",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
            assert!(!is_valid(bad.as_bytes()), "{bad:?}");
        }
        assert_eq!(parse("[1,]").unwrap_err().pos, 3);
        assert_eq!(
            parse("{} x").unwrap_err(),
            JsonError {
                pos: 3,
                msg: E_TRAILING
            }
        );
        assert!(!is_valid(b"\"\xff\""));
        assert!(!is_valid(b"\"\xc3\""));
        assert!(is_valid("\"é\"".as_bytes()));
        assert!(!is_valid(b"\xef\xbb\xbf{}"));
    }

    #[test]
    fn depth_limit() {
        let ok = "[".repeat(64) + &"]".repeat(64);
        assert!(parse(&ok).is_ok());
        assert!(is_valid(ok.as_bytes()));
        let deep = "[".repeat(65) + &"]".repeat(65);
        assert_eq!(parse(&deep).unwrap_err().msg, E_DEEP);
        assert!(!is_valid(deep.as_bytes()));
        let huge = "[".repeat(10_000);
        assert!(parse(&huge).is_err());
        assert!(!is_valid(huge.as_bytes()));
        let objs = "{\"a\":".repeat(10_000);
        assert!(parse(&objs).is_err());
        assert!(!is_valid(objs.as_bytes()));
        let body = String::from("{\"results\":") + &huge;
        assert!(matches!(
            normalize_page(body.as_bytes(), CDR),
            Err(DecodeError::Invalid(_))
        ));
        let body = String::from("{\"results\":[{\"id\":") + &huge;
        assert!(matches!(
            normalize_page(body.as_bytes(), CDR),
            Err(DecodeError::Invalid(_))
        ));
        assert!(matches!(
            normalize_object(objs.as_bytes(), CDR),
            Err(DecodeError::Invalid(_))
        ));
        assert_eq!(error_message(huge.as_bytes()), None);
    }

    #[test]
    fn skip_value_reports_the_end() {
        let b = br#"  {"a":[1,{"b":null}]} , 5"#;
        assert_eq!(skip_value(b, 0), Ok(22));
        assert_eq!(skip_value(b, 24), Ok(26));
        assert_eq!(skip_value(b"  ", 0).unwrap_err().msg, E_EOF);
        assert_eq!(skip_value(b"[1,2", 0).unwrap_err().msg, E_EOF);
        assert!(skip_value(b"x", 99).is_err());
    }

    #[test]
    fn writes_strings_like_json_stringify() {
        let mut o = String::new();
        write_str(&mut o, "a\"b\\c\nd\re\tf\x08g\x0Ch\x01i\x1fjé😀\u{7f}/");
        assert_eq!(
            o,
            "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fjé😀\u{7f}/\""
        );
        assert_eq!(
            parse(&o).unwrap(),
            s("a\"b\\c\nd\re\tf\x08g\x0Ch\x01i\x1fjé😀\u{7f}/")
        );
        let mut all = String::new();
        for c in 0u8..0x80 {
            all.push(c as char);
        }
        let mut o = String::new();
        write_str(&mut o, &all);
        assert_eq!(parse(&o).unwrap(), Value::Str(all));
    }

    #[test]
    fn parse_write_round_trip() {
        let src = r#"{"a":[1,-0.5,2E-3,true,false,null,{"x":"y\u0000\""}],"é":"😀","":{"nested":[[[]]]}}"#;
        let v = parse(src).unwrap();
        let mut out = String::new();
        write_value(&mut out, &v);
        assert!(is_valid(out.as_bytes()));
        assert_eq!(parse(&out).unwrap(), v);
        let mut again = String::new();
        write_value(&mut again, &parse(&out).unwrap());
        assert_eq!(out, again);
    }

    #[test]
    fn type_names() {
        assert_eq!(Value::Null.type_name(), "null");
        assert_eq!(Value::Bool(true).type_name(), "a boolean");
        assert_eq!(num("1").type_name(), "a number");
        assert_eq!(s("x").type_name(), "a string");
        assert_eq!(Value::Arr(vec![]).type_name(), "an array");
        assert_eq!(Value::Obj(vec![]).type_name(), "an object");
        for (t, name) in [
            ("function", "a function"),
            ("symbol", "a symbol"),
            ("bigint", "a bigint"),
            ("undefined", "undefined"),
            ("date", "an object"),
        ] {
            let v = parse(&(String::from("{\"__jsType\":\"") + t + "\"}")).unwrap();
            assert_eq!(v.type_name(), name);
        }
        assert_eq!(
            parse(r#"{"__jsType":"function","x":1}"#)
                .unwrap()
                .type_name(),
            "an object"
        );
        assert_eq!(parse(r#"{"__jsType":1}"#).unwrap().type_name(), "an object");
        assert_eq!(s("x").as_str(), Some("x"));
        assert_eq!(num("1").as_str(), None);
    }

    // ---- normaliser: the contract's examples -------------------------------------------------

    #[test]
    fn agents_envelope_example() {
        let p = page(AGENTS_BODY, AGENT);
        assert_eq!(p.count, 1);
        assert_eq!(p.next, None);
        assert_eq!(
            p.json,
            r#"{"count":1,"next":null,"results":[{"email":"agent@mail.com","fullname":"Agent Name","created_at":"2017-06-27T19:24:10Z","last_update":"2017-06-27T19:26:52Z","last_connection":null,"is_admin":false,"phone_number":"+15553456789","phone_country":"ES"}]}"#
        );
    }

    #[test]
    fn cdr_example() {
        let o = object(CDR_RECORD, CDR);
        assert_eq!(
            o,
            r#"{"id":"12903","callid":"3482582a-dc6e-1235-798c-0401336adf01","from":"+551234567","to_number":null,"country":"US","caller_id_used":"+12018155555","init_dt":"2017-07-05T21:46:44Z","start_time":"2017-07-05T21:46:22Z","end_time":"2017-07-05T21:46:44Z","duration":22,"agent_id":"carlos__myagent.com","direction":"inbound","web_call":false,"disposition_code":200,"ivr_option_pressed":"8"}"#
        );
        // Already-typed values are accepted and come out the same.
        let typed = object(
            r#"{"id":12903,"duration":22,"web_call":true,"init_dt":"2017-07-05T21:46:44Z"}"#,
            CDR,
        );
        assert_eq!(
            typed,
            r#"{"id":"12903","duration":22,"web_call":true,"init_dt":"2017-07-05T21:46:44Z"}"#
        );
        assert_eq!(object(&typed, CDR), typed);
        let body = String::from(
            r#"{"count":"1","next":"https://api.toky.co/v1/cdrs?offset=20&limit=20","results":["#,
        ) + CDR_RECORD
            + "]}";
        let p = page(&body, CDR);
        assert_eq!(
            p.next.as_deref(),
            Some("https://api.toky.co/v1/cdrs?offset=20&limit=20")
        );
        assert_eq!(
            p.json,
            String::from(
                r#"{"count":1,"next":"https://api.toky.co/v1/cdrs?offset=20&limit=20","results":["#
            ) + &o
                + "]}"
        );
    }

    // ---- normaliser: value rules --------------------------------------------------------------

    #[test]
    fn bool_rule() {
        for (raw, want) in [
            ("\"true\"", "true"),
            ("\"false\"", "false"),
            ("\"yes\"", "true"),
            ("\"no\"", "false"),
            ("\"1\"", "true"),
            ("\"0\"", "false"),
            ("\" TRUE \"", "true"),
            ("\"No\"", "false"),
            ("\"YeS\"", "true"),
            ("1", "true"),
            ("0", "false"),
            ("true", "true"),
            ("false", "false"),
            ("null", "null"),
            ("\"\"", "null"),
            ("\"  \"", "null"),
            ("\"maybe\"", "\"maybe\""),
            ("2", "2"),
            ("1.0", "1.0"),
            ("-0", "-0"),
            ("[1]", "[1]"),
            ("{\"a\":\"yes\"}", "{\"a\":\"yes\"}"),
            ("\"\\u0074rue\"", "true"),
            ("\"n\\u006f\"", "false"),
            ("\"t\\\"rue\"", "\"t\\\"rue\""),
        ] {
            assert_eq!(field(Kind::Bool, raw), want, "{raw}");
        }
    }

    #[test]
    fn num_rule() {
        for (raw, want) in [
            ("\"22\"", "22"),
            ("\"-1.5\"", "-1.5"),
            ("\"007\"", "7"),
            ("\"1e3\"", "1e3"),
            ("\"+5\"", "5"),
            ("\" 42 \"", "42"),
            ("\"0\"", "0"),
            ("\"000\"", "0"),
            ("\"-007.50\"", "-7.50"),
            ("\"00.5\"", "0.5"),
            ("\"1E+05\"", "1E+05"),
            ("\"-0\"", "-0"),
            ("\"\"", "null"),
            ("\"abc\"", "\"abc\""),
            ("\"12abc\"", "\"12abc\""),
            ("\".5\"", "\".5\""),
            ("\"5.\"", "\"5.\""),
            ("\"1e\"", "\"1e\""),
            ("\"--1\"", "\"--1\""),
            ("\"+\"", "\"+\""),
            ("\"1 2\"", "\"1 2\""),
            ("\"0x10\"", "\"0x10\""),
            ("\"NaN\"", "\"NaN\""),
            ("\"Infinity\"", "\"Infinity\""),
            ("12", "12"),
            ("-3.5e-2", "-3.5e-2"),
            ("null", "null"),
            ("true", "true"),
            ("\"\\u0032\\u0032\"", "22"),
            ("\"１\"", "\"１\""),
            (
                "\"123456789012345678901234567890\"",
                "123456789012345678901234567890",
            ),
        ] {
            assert_eq!(field(Kind::Num, raw), want, "{raw}");
        }
    }

    #[test]
    fn time_rule() {
        for (raw, want) in [
            ("\"2017-06-27 19:24:10\"", "\"2017-06-27T19:24:10Z\""),
            ("\"2017-06-27T19:24:10Z\"", "\"2017-06-27T19:24:10Z\""),
            (
                "\"2017-06-27T21:24:10.25+02:00\"",
                "\"2017-06-27T19:24:10.25Z\"",
            ),
            ("\"2017-06-27\"", "\"2017-06-27\""),
            ("\"\"", "null"),
            ("null", "null"),
            ("\"soon\"", "\"soon\""),
            ("\"2017-02-30 00:00:00\"", "\"2017-02-30 00:00:00\""),
            ("1498591450", "1498591450"),
            ("\"2017-06-27\\u002019:24:10\"", "\"2017-06-27T19:24:10Z\""),
        ] {
            assert_eq!(field(Kind::Time, raw), want, "{raw}");
        }
    }

    #[test]
    fn id_rule() {
        for (raw, want) in [
            ("12903", "\"12903\""),
            ("-1", "\"-1\""),
            ("1.5e3", "\"1.5e3\""),
            ("\"12903\"", "\"12903\""),
            ("\"\"", "\"\""),
            ("null", "null"),
            ("true", "true"),
            ("[1]", "[1]"),
        ] {
            assert_eq!(field(Kind::Id, raw), want, "{raw}");
        }
    }

    #[test]
    fn unknown_and_nested_fields_pass_through_byte_identical() {
        let body = r#"{ "id" : 7 , "extra" : { "is_admin" : "false", "a" : [1, 2.50, {"b" : "x\u00e9\"" }] }, "list": [ "yes" , "22" ], "weird\u0041": "\u00e9\n", "duration": "0022" }"#;
        let o = object(body, CDR);
        assert_eq!(
            o,
            r#"{ "id" : "7" , "extra" : { "is_admin" : "false", "a" : [1, 2.50, {"b" : "x\u00e9\"" }] }, "list": [ "yes" , "22" ], "weird\u0041": "\u00e9\n", "duration": 22 }"#
        );
        // Nested records inside a page are not normalised either: only a row's top level is.
        let p = page(
            r#"{"results":[{"is_admin":"true","sub":{"is_admin":"true"}}]}"#,
            AGENT,
        );
        assert_eq!(
            p.json,
            r#"{"count":1,"next":null,"results":[{"is_admin":true,"sub":{"is_admin":"true"}}]}"#
        );
    }

    #[test]
    fn escaped_keys_and_values_are_understood() {
        // "\u0069s_admin" is "is_admin": the key matches after decoding, and the key is copied as sent.
        let o = object(
            r#"{"\u0069s_admin":"\u0066alse","created_at":"2017-06-27\u0020 19:24:10"}"#,
            AGENT,
        );
        assert_eq!(
            o,
            r#"{"\u0069s_admin":false,"created_at":"2017-06-27\u0020 19:24:10"}"#
        );
        let o = object(
            r#"{"fullname":"A \"quoted\" name\\","is_admin":"yes"}"#,
            AGENT,
        );
        assert_eq!(o, r#"{"fullname":"A \"quoted\" name\\","is_admin":true}"#);
        assert_eq!(
            parse(&o).unwrap().get("fullname"),
            Some(&s("A \"quoted\" name\\"))
        );
    }

    #[test]
    fn duplicate_keys_are_all_kept_in_order() {
        let o = object(r#"{"is_admin":"yes","is_admin":"no"}"#, AGENT);
        assert_eq!(o, r#"{"is_admin":true,"is_admin":false}"#);
        assert_eq!(
            parse(&o).unwrap().get("is_admin"),
            Some(&Value::Bool(false))
        );
    }

    // ---- normaliser: envelope ----------------------------------------------------------------

    #[test]
    fn envelope_keys_in_any_order_and_extras_kept() {
        let p = page(
            r#"{"results":[{"is_admin":"1"},[1, 2],"x",null,7],"meta":{"a": 1},"next":"https://n/2","count":99,"success":true}"#,
            AGENT,
        );
        assert_eq!(p.count, 5);
        assert_eq!(p.next.as_deref(), Some("https://n/2"));
        assert_eq!(
            p.json,
            r#"{"count":5,"next":"https://n/2","results":[{"is_admin":true},[1, 2],"x",null,7],"meta":{"a": 1},"success":true}"#
        );
    }

    #[test]
    fn missing_count_next_and_empty_next() {
        let p = page(r#"{"results":[]}"#, AGENT);
        assert_eq!(
            (p.count, p.next.as_deref(), p.json.as_str()),
            (0, None, r#"{"count":0,"next":null,"results":[]}"#)
        );
        let p = page(r#"{"next":"","results":[ ]}"#, AGENT);
        assert_eq!(p.json, r#"{"count":0,"next":null,"results":[ ]}"#);
        assert_eq!(p.next, None);
        let p = page(r#"{"next":"https:\/\/x\/?a=\"1\"","results":[]}"#, AGENT);
        assert_eq!(p.next.as_deref(), Some("https://x/?a=\"1\""));
        assert_eq!(
            p.json,
            r#"{"count":0,"next":"https://x/?a=\"1\"","results":[]}"#
        );
        let p = page("\u{FEFF}{\"results\":[]}", AGENT);
        assert_eq!(p.count, 0);
        // A repeated "results" replaces the earlier one, as JSON.parse would.
        let p = page(
            r#"{"results":[1,2,3],"results":[{"is_admin":"no"}]}"#,
            AGENT,
        );
        assert_eq!(
            p.json,
            r#"{"count":1,"next":null,"results":[{"is_admin":false}]}"#
        );
    }

    #[test]
    fn invalid_envelopes() {
        use DecodeError::Invalid;
        assert_eq!(normalize_page(b"{}", AGENT), Err(Invalid(E_NO_RESULTS)));
        assert_eq!(
            normalize_page(br#"{"count":1,"next":null}"#, AGENT),
            Err(Invalid(E_NO_RESULTS))
        );
        assert_eq!(
            normalize_page(br#"{"results":{}}"#, AGENT),
            Err(Invalid(E_RESULTS_TYPE))
        );
        assert_eq!(
            normalize_page(br#"{"results":null}"#, AGENT),
            Err(Invalid(E_RESULTS_TYPE))
        );
        assert_eq!(
            normalize_page(br#"{"results":[],"results":null}"#, AGENT),
            Err(Invalid(E_RESULTS_TYPE))
        );
        assert_eq!(
            normalize_page(br#"{"results":[],"next":5}"#, AGENT),
            Err(Invalid(E_NEXT_TYPE))
        );
        assert_eq!(normalize_page(b"[]", AGENT), Err(Invalid(E_NOT_OBJECT)));
        assert_eq!(normalize_page(b"", AGENT), Err(Invalid(E_NOT_OBJECT)));
        assert_eq!(normalize_page(b"<html>", AGENT), Err(Invalid(E_NOT_OBJECT)));
        assert_eq!(
            normalize_page(b"{\"results\":[\xff]}", AGENT),
            Err(Invalid(E_NOT_UTF8))
        );
        assert_eq!(
            normalize_page(br#"{"results":[]} x"#, AGENT),
            Err(Invalid(E_BODY_TRAILING))
        );
        assert_eq!(
            normalize_page(br#"{"results":[]}{}"#, AGENT),
            Err(Invalid(E_BODY_TRAILING))
        );
        assert_eq!(
            normalize_page(br#"{"results":[1,]}"#, AGENT),
            Err(Invalid(E_VALUE))
        );
        assert_eq!(
            normalize_page(br#"{"results":[{"is_admin":}]}"#, AGENT),
            Err(Invalid(E_VALUE))
        );
        assert_eq!(
            normalize_page(br#"{"results":[{"is_admin":"x}]}"#, AGENT),
            Err(Invalid(E_STRING_END))
        );
        assert_eq!(normalize_object(b"[]", AGENT), Err(Invalid(E_NOT_OBJECT)));
        assert_eq!(
            normalize_object(b"{} {}", AGENT),
            Err(Invalid(E_BODY_TRAILING))
        );
        assert_eq!(normalize_object(b"{\"a\":1", AGENT), Err(Invalid(E_EOF)));
    }

    #[test]
    fn success_false_is_a_failure() {
        use DecodeError::Failure;
        let m = Some(String::from("Invalid number"));
        assert_eq!(
            normalize_page(
                br#"{"success":false,"error_message":"Invalid number"}"#,
                AGENT
            ),
            Err(Failure(m.clone()))
        );
        assert_eq!(
            normalize_page(
                br#"{"error_message":"Invalid number","success":"false"}"#,
                AGENT
            ),
            Err(Failure(m.clone()))
        );
        assert_eq!(
            normalize_page(br#"{"success":false}"#, AGENT),
            Err(Failure(None))
        );
        assert_eq!(
            normalize_page(br#"{"success":"FALSE","results":[]}"#, AGENT),
            Err(Failure(None))
        );
        assert_eq!(
            normalize_page(br#"{"results":null,"success":false,"message":"m"}"#, AGENT),
            Err(Failure(Some("m".into())))
        );
        assert_eq!(
            normalize_object(
                br#"{"success":false,"error_message":"Invalid number"}"#,
                AGENT
            ),
            Err(Failure(m.clone()))
        );
        assert_eq!(
            normalize_object(
                br#"{"error":"e","success":"false","error_message":"Invalid number"}"#,
                AGENT
            ),
            Err(Failure(m))
        );
        assert_eq!(
            normalize_object(br#"{"success":false,"error_message":""}"#, AGENT),
            Err(Failure(None))
        );
        assert_eq!(
            normalize_object(
                br#"{"success":false,"error_message":"a \"b\" \u00e9"}"#,
                AGENT
            ),
            Err(Failure(Some("a \"b\" é".into())))
        );
        // success true, or a nested success false, is not a failure.
        assert_eq!(
            object(
                r#"{"success":true,"id":"1","segments":"2"}"#,
                &[("segments", Kind::Num)]
            ),
            r#"{"success":true,"id":"1","segments":2}"#
        );
        assert_eq!(
            object(r#"{"success":"true"}"#, AGENT),
            r#"{"success":"true"}"#
        );
        assert_eq!(
            object(r#"{"data":{"success":false}}"#, AGENT),
            r#"{"data":{"success":false}}"#
        );
        let p = page(r#"{"results":[{"success":false}]}"#, AGENT);
        assert_eq!(p.count, 1);
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            error_message(br#"{"success":false,"error_message":"Bad key"}"#).as_deref(),
            Some("Bad key")
        );
        assert_eq!(
            error_message(br#"{"message":"m","error":"e"}"#).as_deref(),
            Some("m")
        );
        assert_eq!(error_message(br#"{"error":"e"}"#).as_deref(), Some("e"));
        assert_eq!(
            error_message(br#"{"error":{"message":"nested"}}"#).as_deref(),
            Some("nested")
        );
        assert_eq!(
            error_message(br#"{"error_message":"  ","message":"m"}"#).as_deref(),
            Some("m")
        );
        assert_eq!(error_message(br#"{"error_message":5}"#), None);
        assert_eq!(error_message(br#"{"success":false}"#), None);
        assert_eq!(error_message(b"<html>502</html>"), None);
        assert_eq!(error_message(b"\xff"), None);
        assert_eq!(error_message(b"[\"error_message\"]"), None);
        assert_eq!(
            error_message("\u{FEFF}{\"error\":\"bom\"}".as_bytes()).as_deref(),
            Some("bom")
        );
    }

    // ---- normaliser: robustness and scale ----------------------------------------------------

    fn cdr_page(rows: usize) -> String {
        let mut body = String::from("{\"count\":\"");
        push_usize(&mut body, rows);
        body.push_str(
            "\",\"next\":\"https://api.toky.co/v1/cdrs?offset=500&limit=500\",\"results\":[",
        );
        for r in 0..rows {
            if r > 0 {
                body.push(',');
            }
            let mut id = String::new();
            push_usize(&mut id, 10_000 + r);
            body.push_str(&CDR_RECORD.replacen("\"12903\"", &(String::from("\"") + &id + "\""), 1));
        }
        body.push_str("]}");
        body
    }

    #[test]
    fn five_hundred_rows_round_trip() {
        let body = cdr_page(500);
        let p = page(&body, CDR);
        assert_eq!(p.count, 500);
        let v = parse(&p.json).unwrap();
        assert_eq!(v.get("count"), Some(&num("500")));
        let Some(Value::Arr(rows)) = v.get("results") else {
            panic!("no results")
        };
        assert_eq!(rows.len(), 500);
        for (r, row) in rows.iter().enumerate() {
            let mut id = String::new();
            push_usize(&mut id, 10_000 + r);
            assert_eq!(row.get("id"), Some(&Value::Str(id)));
            assert_eq!(row.get("duration"), Some(&num("22")));
            assert_eq!(row.get("disposition_code"), Some(&num("200")));
            assert_eq!(row.get("web_call"), Some(&Value::Bool(false)));
            assert_eq!(row.get("init_dt"), Some(&s("2017-07-05T21:46:44Z")));
            assert_eq!(row.get("to_number"), Some(&Value::Null));
            assert_eq!(row.get("ivr_option_pressed"), Some(&s("8")));
        }
        // Normalising normalised output changes nothing.
        assert_eq!(page(&p.json, CDR).json, p.json);
    }

    #[test]
    fn every_prefix_fails_cleanly() {
        let body = String::from(
            r#"{"count":2,"next":null,"results":[{"is_admin":"tr\u0075e","x":[1,{"y":"\ud83d\ude00"}],"created_at":"2017-06-27 19:24:10"},"é"],"success":true} "#,
        );
        assert!(normalize_page(body.as_bytes(), AGENT).is_ok());
        let b = body.as_bytes();
        for end in 0..b.len() - 1 {
            let prefix = b.get(..end).unwrap();
            assert!(normalize_page(prefix, AGENT).is_err(), "{end}");
            assert!(!is_valid(prefix), "{end}");
            let _ = normalize_object(prefix, AGENT);
            let _ = error_message(prefix);
            if let Ok(t) = core::str::from_utf8(prefix) {
                let _ = parse(t);
            }
        }
    }

    /// xorshift64*: enough randomness to hit odd corners, no dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn check_everything(bytes: &[u8]) {
        let shapes: [Shape; 3] = [CDR, AGENT, ALL];
        for shape in shapes {
            if let Ok(p) = normalize_page(bytes, shape) {
                assert!(is_valid(p.json.as_bytes()), "{}", p.json);
                assert!(parse(&p.json).is_ok());
            }
            if let Ok(o) = normalize_object(bytes, shape) {
                assert!(is_valid(o.as_bytes()), "{o}");
            }
        }
        let _ = error_message(bytes);
        let valid = is_valid(bytes);
        if let Ok(t) = core::str::from_utf8(bytes) {
            // The tree parser and the validator agree on what is JSON.
            assert_eq!(parse(t).is_ok(), valid, "{t:?}");
            if let Ok(v) = parse(t) {
                let mut out = String::new();
                write_value(&mut out, &v);
                assert_eq!(parse(&out).as_ref(), Ok(&v));
            }
        } else {
            assert!(!valid);
        }
    }

    #[test]
    fn random_mutations_never_panic() {
        let seeds = [
            cdr_page(3),
            String::from(AGENTS_BODY),
            String::from(
                r#"{"success":false,"error_message":"x\"y","results":[{"b":"yes","n":"007","t":"2017-06-27 19:24:10","i":12}]}"#,
            ),
            String::from(
                r#"{"results":[{"b":" No ","n":"-1.5e3","t":"2017-06-27T21:24:10+02:00","i":"x","z":[[{"a":"\u00e9\ud83d\ude00"}]]}],"next":"u"}"#,
            ),
        ];
        let alphabet = b"{}[]\",:\\u0123456789eE+-.tfnrlsaxyz \t\n\xff\xc3\xa9\x00";
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut valid_outputs = 0;
        for round in 0..6000 {
            let seed = seeds.get(round % seeds.len()).unwrap();
            let mut b = seed.as_bytes().to_vec();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(b.len() + 1);
                match rng.below(4) {
                    0 if at < b.len() => {
                        b.remove(at);
                    }
                    1 => b.insert(at, *alphabet.get(rng.below(alphabet.len())).unwrap()),
                    2 if at < b.len() => b[at] = rng.next() as u8,
                    _ if at < b.len() => b[at] = *alphabet.get(rng.below(alphabet.len())).unwrap(),
                    _ => b.push(b'}'),
                }
            }
            check_everything(&b);
            if normalize_page(&b, ALL).is_ok() {
                valid_outputs += 1;
            }
        }
        // The mutations must not all be rejected, or the test only exercises error paths.
        assert!(valid_outputs > 100, "{valid_outputs}");
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = Rng(12345);
        for _ in 0..3000 {
            let len = rng.below(40);
            let alphabet = b"{}[]\":,0a\\ \xe9";
            let b: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            check_everything(&b);
        }
    }
}
