#!/usr/bin/env node
// toky: the command-line tool of toky-wasm, over the package's public client (Toky, TokyError,
// smsSegments) and nothing else. Node >= 18 (`npx toky-wasm ...`, `toky ...` once installed) and
// Deno 2 (`deno run -A npm:toky-wasm/cli ...`). Arguments are parsed with node:util's parseArgs;
// no runtime dependency. `toky --help` lists the commands; every command has its own --help.
//
// Configuration: TOKY_API_KEY (or --api-key-file FILE), TOKY_BASE_URL (or --base-url). The key is
// never printed: every line this tool writes to stderr, and every non-export output, passes through
// redact(). Exit codes: 0 ok, 1 other API errors, 2 usage, 3 validation, 4 auth/permission,
// 5 not_found, 6 network/timeout, 130/143 interrupted by SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { once } from "node:events";
import { closeSync, createWriteStream, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { Toky, TokyError, smsSegments } from "./node.js";

// ---------------------------------------------------------------------------------------------
// Errors and exit codes

const EXIT = { usage: 2, validation: 3, auth: 4, permission: 4, not_found: 5, network: 6, timeout: 6 };
const exitFor = (kind) => EXIT[kind] ?? 1;

/** A bad command line: exit 2, with a hint to the command's --help. */
class UsageError extends Error {
  constructor(message, command) {
    super(message);
    this.command = command;
  }
}
/** A failure of this tool itself that maps to an exit code (e.g. no API key: 4). */
class CliError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

// The key in use, for redact(): the core's rule. A key of 8 characters or more is masked wherever
// it appears; a shorter one only where it stands as a whole token (no ASCII letter, digit, "_" or
// "-" on either side), so that a key like "e" leaves the words of a message alone.
let secretPattern = null;
const setSecret = (key) => {
  const k = String(key ?? "").trim();
  if (!k) return void (secretPattern = null);
  const escaped = k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  secretPattern = new RegExp(k.length >= 8 ? escaped : `(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`, "g");
};
setSecret(process.env.TOKY_API_KEY);
/** Replaces the API key wherever it would be printed. */
const redact = (s) => (secretPattern ? String(s).replace(secretPattern, "***") : String(s));
/** "1 segment", "2 segments", "1,000 contacts". */
const count = (n, noun) => `${n.toLocaleString("en-US")} ${noun}${n == 1 ? "" : "s"}`;
const oneLine = (s) => String(s).replace(/\s*[\r\n]+\s*/g, " ").trim();
const say = (s) => process.stderr.write(redact(s) + "\n");

/** One line naming the problem: kind, HTTP status, field, message. */
function describe(e) {
  if (e instanceof TokyError) {
    let head = e.kind;
    if (e.status != null) head += " " + e.status;
    if (e.field) head += " (field " + e.field + ")";
    return head + ": " + oneLine(e.message);
  }
  return oneLine(e && e.message ? e.message : e);
}

// ---------------------------------------------------------------------------------------------
// Output: a table on a terminal, --json (one document), --ndjson (one record per line)

const stdoutTTY = !!process.stdout.isTTY;

/** Buffered writes that honour back-pressure (a slow pipe or disk holds the producer). */
class Sink {
  constructor(stream, { redacting = true } = {}) {
    this.stream = stream;
    this.buf = "";
    this.redacting = redacting;
    // A write error (disk full, ...) surfaces at the next write or flush, not as a crash that
    // would skip the caller's clean-up.
    stream.on("error", (e) => (this.error ??= e));
  }
  async write(s) {
    if (this.error) throw this.error;
    this.buf += s;
    if (this.buf.length >= 1 << 16) await this.flush();
  }
  async flush() {
    if (this.error) throw this.error;
    if (!this.buf) return;
    const b = this.redacting ? redact(this.buf) : this.buf;
    this.buf = "";
    if (!this.stream.write(b)) await once(this.stream, "drain");
  }
}

const COLUMNS = {
  agents: ["email", "fullname", "is_admin", "phone_number", "last_connection"],
  contacts: ["phone", "contact_name", "email", "company", "city", "country_code", "created_at"],
  sms: ["id", "created_at", "direction", "from", "to", "agent", "text"],
  voicemails: ["id", "created_at", "from", "to", "agent", "duration"],
  calls: ["callid", "init_dt", "direction", "from", "to_number", "duration", "disposition_code", "agent_id"],
  webhooks: ["id", "event", "hook_url", "created_at"],
};

/** What every table, key/value list and watch line shows for a missing value (null, absent or ""),
 * on a terminal or not: visible, and one word, so that every row has all its columns. */
const EMPTY = "—";

function cell(v, width = 60) {
  let s = v == null ? "" : typeof v == "object" ? JSON.stringify(v) : String(v);
  s = s.replace(/[\r\n\t]+/g, " ");
  if (!s.trim()) return EMPTY;
  return stdoutTTY && s.length > width ? s.slice(0, width - 1) + "…" : s;
}

function table(rows, columns) {
  const cells = [columns, ...rows.map((r) => columns.map((c) => cell(r[c])))];
  const widths = columns.map((_, i) => cells.reduce((w, row) => Math.max(w, row[i].length), 0));
  return cells.map((row) => row.map((v, i) => (i == row.length - 1 ? v : v.padEnd(widths[i]))).join("  ").trimEnd()).join("\n") + "\n";
}

function detail(record) {
  const keys = Object.keys(record);
  const w = keys.reduce((m, k) => Math.max(m, k.length), 0);
  return keys.map((k) => `${k.padEnd(w)}  ${cell(record[k], 200)}`).join("\n") + "\n";
}

/** Prints one record (or result object) in the chosen mode. */
async function emitOne(ctx, record) {
  const out = new Sink(process.stdout);
  if (ctx.mode == "json") await out.write(JSON.stringify(record, null, 2) + "\n");
  else if (ctx.mode == "ndjson") await out.write(JSON.stringify(record) + "\n");
  else await out.write(detail(record));
  await out.flush();
}

/** Prints records from an async iterable: streamed for --json/--ndjson, a table otherwise. */
async function emitList(ctx, records, columns) {
  const out = new Sink(process.stdout);
  if (ctx.mode == "table") {
    const rows = [];
    for await (const r of records) rows.push(r);
    if (rows.length) await out.write(table(rows, columns));
    else if (process.stderr.isTTY) say("(none)");
  } else if (ctx.mode == "ndjson") {
    for await (const r of records) await out.write(JSON.stringify(r) + "\n");
  } else {
    let n = 0;
    await out.write("[");
    for await (const r of records) await out.write((n++ ? ",\n  " : "\n  ") + JSON.stringify(r));
    await out.write(n ? "\n]\n" : "]\n");
  }
  await out.flush();
}

// ---------------------------------------------------------------------------------------------
// "Did you mean": the known name nearest to a mistyped one, by edit distance

/** Optimal string alignment distance: Levenshtein plus the swap of two neighbours ("sned"). */
function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** The candidate nearest to `word` (case aside) within a third of its length (at least 1 edit),
 * or one whose `aliases` name the word (`--message` for --text); undefined when none is close. */
function nearest(word, candidates, aliases = {}) {
  const w = String(word).toLowerCase();
  if (Object.hasOwn(aliases, w)) return aliases[w];
  let best, bestD = Infinity;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestD && d <= Math.max(1, Math.floor(c.length / 3))) [best, bestD] = [c, d];
  }
  return best;
}

const didYouMean = (word, candidates, show = (c) => c, aliases) => {
  const n = nearest(word, candidates, aliases);
  return n === undefined ? "" : `; did you mean ${show(n)}?`;
};

// ---------------------------------------------------------------------------------------------
// Option helpers

/** --NAME, one of `allowed` (or undefined when not given); a near miss gets a suggestion. */
function choice(ctx, name, allowed, value = ctx.values[name]) {
  if (value === undefined || allowed.includes(value)) return value;
  const list = allowed.slice(0, -1).join(", ") + " or " + allowed.at(-1);
  throw new UsageError(`--${name}: expected ${list}, got '${value}'` + didYouMean(value, allowed, (c) => `'${c}'`), ctx.name);
}

function integer(ctx, name, min, max) {
  const v = ctx.values[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got '${v}'`, ctx.name);
  return Number(v);
}

/** --NAME ("10s", "500ms", "2m" or plain milliseconds) as milliseconds, or undefined when it is
 * not given; `dayAtMost`: 24h is the limit; `atLeast`: the smallest value, in milliseconds. */
function duration(ctx, name, dayAtMost = false, atLeast = 0) {
  const v = ctx.values[name];
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new UsageError(`--${name}: expected a duration like 500ms, 10s or 2m, got '${v}'`, ctx.name);
  const ms = Math.round(Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 36e5 }[m[2] ?? "ms"]);
  if (dayAtMost && ms > 864e5) throw new UsageError(`--${name}: at most 24h`, ctx.name);
  if (ms < atLeast) throw new UsageError(`--${name}: at least ${atLeast}ms, got '${v}'`, ctx.name);
  return ms;
}

const TIMES_ACCEPTED =
  "a time ago (30m, 2h, 7d, 2w), today or yesterday (midnight on this computer's clock), a date (YYYY-MM-DD, UTC), " +
  "YYYY-MM-DD HH:MM:SS (UTC) or an ISO-8601 timestamp (2026-11-27T09:30:00Z, 2026-11-27T10:30:00+01:00)";
const YEAR_0 = new Date(0).setUTCFullYear(0, 0, 1);
const YEAR_10000 = new Date(0).setUTCFullYear(10000, 0, 1);
/** A moment as the client's ISO-8601 UTC form, to the second. */
const utc = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/**
 * --since/--until (the command line only): relative forms become timestamps here; dates and
 * timestamps are checked here, so a bad value gets this tool's message (what a command line can
 * give) and never reaches the client. `end`: the value is an upper bound, so today and yesterday
 * stand for the last second of that day, as a bare date does. A bare date is passed on as it is
 * (UTC, whole day for --until).
 */
function when(ctx, name, end = name == "until") {
  const v = ctx.values[name];
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  const bad = () => new UsageError(`--${name}: expected ${TIMES_ACCEPTED}; got '${v}'`, ctx.name);
  // The client takes years 0000 to 9999 (and a Date outside JavaScript's range has no text).
  const inRange = (ms) => {
    if (!(ms >= YEAR_0 && ms < YEAR_10000)) throw bad();
    return utc(ms);
  };
  let m = /^(\d+)(m|h|d|w)$/.exec(t);
  if (m) return inRange(Date.now() - Number(m[1]) * { m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[m[2]]);
  if (t == "today" || t == "yesterday") {
    const now = new Date();
    const day = now.getDate() - (t == "yesterday" ? 1 : 0);
    // Local midnight through the Date constructor, which knows the zone's offset on that day.
    return utc(end ? new Date(now.getFullYear(), now.getMonth(), day + 1).getTime() - 1000 : new Date(now.getFullYear(), now.getMonth(), day).getTime());
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(t);
  if (!m) throw bad();
  const [, y, mo, d, h = "0", mi = "0", sec = "0", zone] = m;
  // setUTCFullYear, not Date.UTC, which reads years 0 to 99 as 1900 to 1999.
  const back = new Date(0);
  back.setUTCFullYear(+y, +mo - 1, +d);
  const ms = back.getTime() + ((+h * 60 + +mi) * 60 + +sec) * 1000;
  // 2026-02-30 rolls over to March; a real date reads back the same.
  if (back.getUTCFullYear() != +y || back.getUTCMonth() != +mo - 1 || back.getUTCDate() != +d || +h > 23 || +mi > 59 || +sec > 59) throw bad();
  if (m[4] === undefined) return `${y}-${mo}-${d}`;
  let offset = 0;
  if (zone && zone != "z") {
    const [, sign, oh, om = "0"] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (+oh > 23 || +om > 59) throw bad();
    offset = (sign == "-" ? -1 : 1) * (+oh * 60 + +om) * 6e4;
  }
  return inRange(ms - offset);
}

function readStdin() {
  return readFileSync(0, "utf8");
}

/** --limit/--offset/--all for list commands, turned into an iterate() query. */
function paging(ctx) {
  const limit = integer(ctx, "limit", 1, 1e9);
  const offset = integer(ctx, "offset", 0, 1e9);
  if (ctx.values.all && limit !== undefined) throw new UsageError("--all and --limit cannot be used together", ctx.name);
  const max = ctx.values.all ? Infinity : limit ?? 50;
  const q = { pageSize: Math.min(max, 500), signal: ctx.signal };
  if (max !== Infinity) q.max = max;
  if (offset) q.offset = offset;
  return q;
}

const PAGING = {
  limit: { type: "string", help: ["--limit N", "at most N records (default 50), fetched in pages of up to 500"] },
  offset: { type: "string", help: ["--offset N", "skip the first N records"] },
  all: { type: "boolean", help: ["--all", "every record, page by page"] },
};
const DATES = {
  since: { type: "string", help: ["--since TIME", "created at or after TIME: 30m, 2h, 7d, 2w (ago), today, yesterday (local midnight), YYYY-MM-DD (UTC), YYYY-MM-DD HH:MM:SS (UTC) or ISO-8601"] },
  until: { type: "string", help: ["--until TIME", "created at or before TIME, the same forms (a date, today or yesterday includes that whole day)"] },
};

// ---------------------------------------------------------------------------------------------
// contacts export: streamed page by page to --out (via a temporary file renamed at the end) or
// stdout, in CSV, a JSON array or NDJSON. Memory holds one page.

const CONTACT_FIELDS = ["phone", "contact_name", "first_name", "last_name", "email", "company", "city", "country_code", "created_by", "created_at"];

/** RFC 4180: fields with a comma, quote, CR or LF (or edge spaces) are quoted, quotes doubled. */
function csvField(v) {
  const s = v == null ? "" : typeof v == "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

class Progress {
  constructor(enabled, what) {
    this.enabled = enabled;
    this.what = what;
    this.tty = !!process.stderr.isTTY;
    this.t0 = Date.now();
    this.last = 0;
  }
  line(rows, pages) {
    const s = (Date.now() - this.t0) / 1000;
    const rate = s > 0 ? Math.round(rows / s) : 0;
    return `${count(rows, this.what)}, ${count(pages, "page")}, ${rate.toLocaleString("en-US")}/s`;
  }
  /** After each page: on a terminal one line rewritten at most 10 times a second, else a line. */
  page(rows, pages) {
    if (!this.enabled) return;
    if (!this.tty) return void process.stderr.write(this.line(rows, pages) + "\n");
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    process.stderr.write("\r\x1b[K" + this.line(rows, pages));
  }
  end(rows, pages, where) {
    if (!this.enabled) return;
    const s = ((Date.now() - this.t0) / 1000).toFixed(1);
    process.stderr.write((this.tty ? "\r\x1b[K" : "") + `${this.line(rows, pages)}: done in ${s}s${where ? ", written to " + where : ""}\n`);
  }
  stop() {
    if (this.enabled && this.tty && this.last) process.stderr.write("\n");
  }
}

async function exportContacts(ctx) {
  const { values } = ctx;
  const format = values.format ?? (ctx.mode == "table" ? "csv" : ctx.mode);
  choice(ctx, "format", ["csv", "json", "ndjson"], format);
  const max = integer(ctx, "max", 1, 1e12);
  const pageSize = integer(ctx, "page-size", 1, 500) ?? Math.min(500, max ?? 500);
  if (values.progress && values["no-progress"]) throw new UsageError("--progress and --no-progress cannot be used together", ctx.name);
  const progress = new Progress(values.progress || (!values["no-progress"] && !!process.stderr.isTTY), "contact");
  const toky = ctx.client();

  // --out FILE: written to a temporary name beside FILE (same file system, so the rename is
  // atomic) and renamed only once complete; FILE is never half-written.
  const target = values.out && values.out != "-" ? values.out : null;
  const temp = target && join(dirname(target), `.${basename(target)}.${process.pid}.toky-tmp`);
  let stream = process.stdout;
  if (temp) {
    stream = createWriteStream(temp, { flags: "wx" });
    try {
      await once(stream, "open");
    } catch (e) {
      throw new CliError(`cannot write ${target}: ${e.code ?? e.message}`, 1);
    }
  }
  const out = new Sink(stream, { redacting: false });
  let rows = 0, pages = 0, columns = null;
  const header = (first) => {
    const extra = Object.keys(first).filter((k) => !CONTACT_FIELDS.includes(k));
    columns = [...CONTACT_FIELDS, ...extra];
    return columns.join(",") + "\r\n";
  };
  try {
    const q = { pageSize, signal: ctx.signal };
    if (max) q.max = max;
    if (format == "json") await out.write("[");
    // pages() fetches the next page only when asked for it: flush what this page produced
    // first, so memory holds one page.
    for await (const page of toky.contacts.pages(q)) {
      for (const c of page.results) {
        if (format == "csv") {
          let line = rows ? "" : header(c);
          for (let i = 0; i < columns.length; i++) line += (i ? "," : "") + csvField(c[columns[i]]);
          await out.write(line + "\r\n");
        } else if (format == "json") await out.write((rows ? ",\n" : "\n") + JSON.stringify(c));
        else await out.write(JSON.stringify(c) + "\n");
        rows++;
      }
      await out.flush();
      progress.page(page.offset + page.results.length, ++pages);
    }
    if (format == "csv" && !rows) await out.write(CONTACT_FIELDS.join(",") + "\r\n");
    if (format == "json") await out.write(rows ? "\n]\n" : "]\n");
    await out.flush();
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (temp) {
      stream.end();
      await once(stream, "finish");
      // Durable before it takes FILE's place.
      const fd = openSync(temp, "r");
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, target);
    }
  } catch (e) {
    progress.stop();
    if (temp) {
      stream.destroy();
      try {
        unlinkSync(temp);
      } catch {}
    }
    throw e;
  }
  progress.end(rows, pages, target);
}

// ---------------------------------------------------------------------------------------------
// sms send: the segment count, a confirmation on a terminal, one attempt only.

function ask(question, signal) {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let settled = false;
    // Settles once: closing the interface emits "close" synchronously, which calls done again.
    const done = (answer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
      signal.removeEventListener("abort", onAbort);
      rl.close();
    };
    const onAbort = () => done(null);
    signal.addEventListener("abort", onAbort);
    // In raw mode Ctrl-C reaches readline as a key, not as a signal to the process.
    rl.on("SIGINT", () => done("\x03"));
    rl.on("close", () => done(null));
    rl.question(question, (a) => done(a));
  });
}

async function smsSend(ctx) {
  const { values } = ctx;
  for (const k of ["from", "to", "text"]) if (values[k] === undefined) throw new UsageError(`--${k} is required`, ctx.name);
  const text = values.text == "-" ? readStdin().replace(/\r?\n$/, "") : values.text;
  const input = { from: values.from, to: values.to, text };
  if (values.agent !== undefined) input.agent = values.agent;
  const toky = ctx.client(); // a missing key is reported before anything is printed
  // Every argument is checked before the segment line and the question: the client validates
  // an input when the call is made, before anything is sent, so a call made with an already
  // aborted signal is a dry run that sends nothing. It ends "aborted" when the input is valid,
  // with the validation error (exit 3, naming the field) when not. No hooks: --verbose would
  // report an attempt that never was.
  const dry = await ctx
    .client({ hooks: false })
    .sms.send(input, { signal: AbortSignal.abort() })
    .then((sent) => ({ sent }), (error) => ({ error }));
  // Resolved: the abort was not honoured and the text went out (once); say so rather than send again.
  if (dry.sent) return void (await emitOne(ctx, dry.sent));
  if (!(dry.error instanceof TokyError && dry.error.kind == "aborted")) throw dry.error;
  const s = smsSegments(text);
  say(`${count(s.segments, "segment")} (${s.encoding}, ${count(s.characters, "character")}, ${s.remaining} left in the last segment)`);
  if (!values.yes && process.stdin.isTTY && process.stderr.isTTY) {
    const answer = await ask(`Send ${s.segments == 1 ? "this text" : `these ${s.segments} segments`} to ${values.to} from ${values.from}? [y/N] `, ctx.signal);
    if (answer == "\x03") throw new CliError("interrupted: not sent", 130);
    if (answer == null) throw ctx.signal.reason ?? new CliError("not sent", 1);
    if (!/^\s*y(es)?\s*$/i.test(answer)) throw new CliError("not sent", 1);
  }
  // Neither the client nor this tool ever sends a text again. When the answer is lost, the
  // client reads the SMS history: found, it resolves (reconciled); otherwise its error says
  // whether the text went out (sent: false, or null when nobody can tell).
  const sent = await toky.sms.send(input, { signal: ctx.signal });
  if (sent.reconciled) say("the answer was lost; the text was found in the SMS history, so it was sent (once)");
  await emitOne(ctx, sent);
}

// ---------------------------------------------------------------------------------------------
// watch: each new record once, oldest first; the cursor kept in --cursor-file.

// Each field through cell(), so a missing one is EMPTY here as in the tables.
const route = (from, to) => `${cell(from, 40)} -> ${cell(to, 40)}`;
const seconds = (d) => (d == null || d === "" ? null : `${d}s`);
const WATCH_LINE = {
  sms: (r) => [r.created_at, r.direction, route(r.from, r.to), r.text],
  calls: (r) => [r.init_dt, r.direction, route(r.from, r.to_number), seconds(r.duration), r.disposition_code, r.callid],
  voicemails: (r) => [r.created_at, route(r.from, r.to), seconds(r.duration), r.id, r.transcription],
};

/** Replaces FILE atomically: a crash leaves the old cursor or the new one, never a torn one. */
function writeAtomic(file, text) {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.toky-tmp`);
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

async function watch(ctx, resource) {
  const { values } = ctx;
  if (ctx.mode == "json") throw new UsageError("watch never ends, so it has no single JSON document: use --ndjson", ctx.name);
  // 0 would poll again as soon as an answer arrives: a loop against the API, not a watch.
  const intervalMs = duration(ctx, "interval", true, MIN_INTERVAL_MS);
  const lookbackMs = duration(ctx, "lookback", true);
  const since = when(ctx, "since");
  const file = values["cursor-file"];
  let cursor;
  if (file) {
    try {
      cursor = readFileSync(file, "utf8").trim() || undefined;
    } catch (e) {
      if (e.code != "ENOENT") throw e;
    }
  }
  // Unset options are left to the client's defaults (README, "Values we decided").
  const opts = { signal: ctx.signal };
  if (intervalMs !== undefined) opts.intervalMs = intervalMs;
  if (lookbackMs !== undefined) opts.lookbackMs = lookbackMs;
  if (cursor) opts.cursor = cursor;
  else if (since !== undefined) opts.since = since;
  const w = ctx.client()[resource].watch(opts);
  let saved = cursor;
  const save = () => {
    const c = w.cursor;
    if (file && c && c != saved) {
      writeAtomic(file, c + "\n");
      saved = c;
    }
  };
  // The starting point is known after the watcher's first poll, before any record: saving it
  // then means a restart misses nothing that arrived in between. Only until the first record:
  // from then on the cursor is saved once each record is out, never while it is being written.
  let timer = file ? setInterval(save, 200) : null;
  const out = new Sink(process.stdout);
  try {
    for await (const r of w) {
      if (timer) timer = clearInterval(timer);
      await out.write(ctx.mode == "ndjson" ? JSON.stringify(r) + "\n" : WATCH_LINE[resource](r).map((v) => cell(v, 80)).join("  ") + "\n");
      await out.flush();
      save(); // after the record is out: a crash in between repeats it rather than losing it
    }
  } finally {
    if (timer) clearInterval(timer);
  }
  save();
}

// ---------------------------------------------------------------------------------------------
// request: the raw "Make an API call".

async function rawRequest(ctx) {
  const [method, path] = ctx.args;
  const query = {};
  for (const q of ctx.values.query ?? []) {
    const i = q.indexOf("=");
    if (i < 1) throw new UsageError(`--query: expected KEY=VALUE, got '${q}'`, ctx.name);
    const k = q.slice(0, i), v = q.slice(i + 1);
    query[k] = k in query ? [].concat(query[k], v) : v;
  }
  const headers = {};
  for (const h of ctx.values.header ?? []) {
    const i = h.indexOf(":");
    if (i < 1) throw new UsageError(`--header: expected NAME:VALUE, got '${h}'`, ctx.name);
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const input = { method: method.toUpperCase(), path };
  if (Object.keys(query).length) input.query = query;
  if (Object.keys(headers).length) input.headers = headers;
  const data = ctx.values.data;
  if (data !== undefined) {
    const text = data == "-" ? readStdin() : data.startsWith("@") ? readFileSync(data.slice(1), "utf8") : data;
    try {
      input.body = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--data: not valid JSON (${oneLine(e.message)})`, ctx.name);
    }
  }
  const res = await ctx.client().request(input, { signal: ctx.signal });
  if (ctx.mode == "table") {
    const out = new Sink(process.stdout);
    await out.write(typeof res.body == "string" ? res.body + (res.body.endsWith("\n") ? "" : "\n") : JSON.stringify(res.body, null, 2) + "\n");
    await out.flush();
  } else await emitOne(ctx, res);
}

// ---------------------------------------------------------------------------------------------
// The commands

const list = (resource, what, extra = {}) => ({
  summary: `list ${what}`,
  options: { ...PAGING, ...extra },
  async run(ctx) {
    const q = paging(ctx);
    for (const k of Object.keys(extra)) if (ctx.values[k] !== undefined) q[k] = when(ctx, k);
    await emitList(ctx, ctx.client()[resource].iterate(q), COLUMNS[resource]);
  },
});

const CONTACT_OPTIONS = {
  "first-name": { type: "string", help: ["--first-name TEXT", ""] },
  "last-name": { type: "string", help: ["--last-name TEXT", ""] },
  email: { type: "string", help: ["--email EMAIL", ""] },
  company: { type: "string", help: ["--company TEXT", ""] },
  city: { type: "string", help: ["--city TEXT", ""] },
};
const CLEARABLE = Object.keys(CONTACT_OPTIONS).map((k) => k.replace(/-/g, "_"));
const fieldsOf = (values, names) => {
  const o = {};
  for (const n of names) if (values[n] !== undefined) o[n.replace(/-/g, "_")] = values[n];
  return o;
};

const MIN_INTERVAL_MS = 100;
const WATCH = (resource, what) => ({
  summary: `print new ${what} as they arrive`,
  description: `Polls for new ${what} and prints each one once, oldest first, until Ctrl-C (exit 0). With
--cursor-file, the position is saved after each record (and as soon as the watch starts), and a
restart resumes from it without gaps or repeats.`,
  options: {
    interval: { type: "string", help: ["--interval TIME", `time between polls: 500ms, 10s, 2m (default 10s; at least ${MIN_INTERVAL_MS}ms, at most 24h)`] },
    since: { type: "string", help: ["--since TIME", `also print the ${what} already there from TIME on (first run only): 30m, 2h, 7d, 2w (ago), today, yesterday (local midnight), a date or a timestamp as for list`] },
    ...(resource == "calls" && {
      lookback: { type: "string", help: ["--lookback TIME", "re-read calls started up to TIME before the newest one printed, as a long call is listed when it ends: 0 to 24h (default 1h)"] },
    }),
    "cursor-file": { type: "string", help: ["--cursor-file FILE", "read the position from FILE at start, keep it there"] },
  },
  example: `toky watch ${resource} --ndjson --cursor-file ${resource}.cursor >> ${resource}.log`,
  stopsOnSignal: true, // Ctrl-C is how a watch ends: exit 0
  run: (ctx) => watch(ctx, resource),
});

/** The events a webhook can subscribe to (WebhookEventName): for --event's help and suggestions. */
const WEBHOOK_EVENTS = ["new_sms", "new_call", "new_voicemail", "inbound_call_answered", "inbound_call_ended", "outbound_call", "outbound_call_ended"];

const COMMANDS = {
  agents: {
    summary: "the account's agents",
    sub: { list: { ...list("agents", "agents"), example: "toky agents list --json" } },
  },
  contacts: {
    summary: "the contact directory",
    sub: {
      list: { ...list("contacts", "contacts"), example: "toky contacts list --limit 20" },
      get: {
        summary: "one contact by phone",
        args: ["PHONE"],
        example: "toky contacts get +15551234567",
        run: async (ctx) => emitOne(ctx, await ctx.client().contacts.get(ctx.args[0], { signal: ctx.signal })),
      },
      create: {
        summary: "add a contact",
        args: ["PHONE"],
        options: {
          ...CONTACT_OPTIONS,
          "country-code": { type: "string", help: ["--country-code CC", "ISO 3166 alpha-2, e.g. US (default: from the dialling code)"] },
          "created-by": { type: "string", help: ["--created-by EMAIL", "the agent creating it"] },
        },
        example: 'toky contacts create +15557654321 --first-name Ada --last-name Lovelace',
        async run(ctx) {
          const input = { phone: ctx.args[0], ...fieldsOf(ctx.values, [...Object.keys(CONTACT_OPTIONS), "country-code", "created-by"]) };
          await emitOne(ctx, await ctx.client().contacts.create(input, { signal: ctx.signal }));
        },
      },
      update: {
        summary: "change a contact's fields",
        args: ["PHONE"],
        options: {
          ...CONTACT_OPTIONS,
          clear: { type: "string", multiple: true, help: ["--clear FIELD", `empty a field (${CLEARABLE.join(", ")}); repeatable`] },
        },
        example: 'toky contacts update +15557654321 --company "Analytical Engines" --clear city',
        async run(ctx) {
          const patch = fieldsOf(ctx.values, Object.keys(CONTACT_OPTIONS));
          for (const f of ctx.values.clear ?? []) patch[choice(ctx, "clear", CLEARABLE, f.replace(/-/g, "_"))] = null;
          if (!Object.keys(patch).length) throw new UsageError("nothing to change: give at least one field option or --clear", ctx.name);
          await emitOne(ctx, await ctx.client().contacts.update(ctx.args[0], patch, { signal: ctx.signal }));
        },
      },
      export: {
        summary: "every contact as CSV, JSON or NDJSON",
        description: `Streams every contact page by page (memory holds one page) to --out FILE or stdout. FILE
is written under a temporary name beside it and renamed when complete, so an interrupted or
failed export never leaves a half-written FILE. Progress (rows, pages, rate) goes to stderr
when stderr is a terminal. CSV is RFC 4180 (CRLF, quoted fields); its columns are the contact
fields, then any other field the first contact has.`,
        options: {
          format: { type: "string", help: ["--format FORMAT", "csv (default), json (one array) or ndjson (--json, --ndjson also work)"] },
          out: { type: "string", short: "o", help: ["--out FILE, -o FILE", "write to FILE (default: stdout)"] },
          "page-size": { type: "string", help: ["--page-size N", "contacts per request, 1 to 500 (default 500)"] },
          max: { type: "string", help: ["--max N", "stop after N contacts"] },
          progress: { type: "boolean", help: ["--progress", "show progress even when stderr is not a terminal (one line per page)"] },
          "no-progress": { type: "boolean", help: ["--no-progress", "never show progress"] },
        },
        example: "toky contacts export --format csv --out contacts.csv",
        run: exportContacts,
      },
    },
  },
  sms: {
    summary: "text messages",
    sub: {
      send: {
        summary: "send a text (never re-sent automatically)",
        description: `Prints the segment count (what the text is billed as) on stderr and, when stdin and stderr are
a terminal, asks before sending; --yes skips the question. The request is made once: when its
answer is lost (a cut connection, a timeout), the SMS history is read instead. Found, the send
succeeded; absent on two reads, the error says it was NOT sent (safe to send again); otherwise
it says nobody can tell. The text is never sent twice.`,
        options: {
          from: { type: "string", help: ["--from PHONE", "one of the account's SMS-enabled numbers"] },
          to: { type: "string", help: ["--to PHONE", "E.164, e.g. +15557654321"] },
          text: { type: "string", help: ["--text TEXT", "the message (- reads it from stdin)"] },
          agent: { type: "string", help: ["--agent EMAIL", "the sending agent"] },
          yes: { type: "boolean", short: "y", help: ["--yes, -y", "send without asking"] },
        },
        example: 'toky sms send --from +13055550100 --to +15557654321 --text "Build finished" --yes',
        // Names other tools give these options, for "did you mean".
        aliases: { message: "text", body: "text", msg: "text", phone: "to", number: "to", sender: "from" },
        run: smsSend,
      },
      list: { ...list("sms", "text messages, newest first", DATES), example: "toky sms list --since 7d --ndjson" },
    },
  },
  voicemails: {
    summary: "voicemails",
    sub: {
      list: { ...list("voicemails", "voicemails, newest first"), example: "toky voicemails list --limit 10" },
      get: {
        summary: "one voicemail, with its recording URL",
        args: ["ID"],
        example: "toky voicemails get 12903",
        run: async (ctx) => emitOne(ctx, await ctx.client().voicemails.get(ctx.args[0], { signal: ctx.signal })),
      },
    },
  },
  calls: {
    summary: "call records and recordings",
    sub: {
      list: { ...list("calls", "call records, newest first", DATES), example: 'toky calls list --since "2026-11-27 00:00:00" --json' },
      recording: {
        summary: "the recording URL of a call",
        args: ["CALLID"],
        example: "toky calls recording 3482582a-dc6e",
        run: async (ctx) => emitOne(ctx, await ctx.client().calls.recording(ctx.args[0], { signal: ctx.signal })),
      },
    },
  },
  webhooks: {
    summary: "webhook subscriptions",
    sub: {
      list: { ...list("webhooks", "webhook subscriptions"), example: "toky webhooks list" },
      create: {
        summary: "subscribe a URL to an event",
        options: {
          event: { type: "string", help: ["--event EVENT", WEBHOOK_EVENTS.slice(0, -1).join(", ") + " or " + WEBHOOK_EVENTS.at(-1)] },
          url: { type: "string", help: ["--url URL", "absolute http(s) URL Toky will POST to (put a secret token in it)"] },
        },
        example: 'toky webhooks create --event new_sms --url "https://hooks.example.com/hook?token=s3cret"',
        async run(ctx) {
          for (const k of ["event", "url"]) if (ctx.values[k] === undefined) throw new UsageError(`--${k} is required`, ctx.name);
          choice(ctx, "event", WEBHOOK_EVENTS);
          await emitOne(ctx, await ctx.client().webhooks.create({ event: ctx.values.event, url: ctx.values.url }, { signal: ctx.signal }));
        },
      },
      delete: {
        summary: "delete a webhook",
        args: ["ID"],
        example: "toky webhooks delete 42",
        run: async (ctx) => emitOne(ctx, await ctx.client().webhooks.delete(ctx.args[0], { signal: ctx.signal })),
      },
    },
  },
  watch: {
    summary: "print new texts, calls or voicemails as they arrive",
    sub: { sms: WATCH("sms", "texts"), calls: WATCH("calls", "call records"), voicemails: WATCH("voicemails", "voicemails") },
  },
  request: {
    summary: "any API call (method, path under the base URL)",
    description: `The raw "Make an API call": the key is added, the path must stay under the base URL. Prints
the response body (--json/--ndjson: {status, headers, body}). A non-2xx answer is an error.`,
    args: ["METHOD", "PATH"],
    options: {
      query: { type: "string", multiple: true, help: ["--query KEY=VALUE", "a query parameter; repeatable"] },
      header: { type: "string", multiple: true, help: ["--header NAME:VALUE", "a request header; repeatable"] },
      data: { type: "string", help: ["--data JSON", "the JSON body; @FILE reads a file, - reads stdin"] },
    },
    example: "toky request GET /agents --query limit=1",
    run: rawRequest,
  },
  segments: {
    summary: "how a text is billed (no API call, no key needed)",
    args: ["TEXT"],
    noKey: true,
    example: 'toky segments "Hello 👋"',
    run: (ctx) => emitOne(ctx, smsSegments(ctx.args[0] == "-" ? readStdin().replace(/\r?\n$/, "") : ctx.args[0])),
  },
};

const GLOBAL = {
  "base-url": { type: "string", help: ["--base-url URL", "API base URL (default: $TOKY_BASE_URL, else https://api.toky.co/v1)"] },
  "api-key-file": { type: "string", help: ["--api-key-file FILE", "read the key from FILE (- for stdin) instead of $TOKY_API_KEY"] },
  "api-key": { type: "string", help: null }, // accepted with a warning, not advertised
  timeout: { type: "string", help: ["--timeout TIME", "deadline of each API call, retries included (default 30s)"] },
  verbose: { type: "boolean", help: ["--verbose", "each HTTP attempt on stderr: method, URL, status, time, request id"] },
  json: { type: "boolean", help: ["--json", "one JSON document"] },
  ndjson: { type: "boolean", help: ["--ndjson", "one JSON record per line"] },
  help: { type: "boolean", short: "h", help: ["--help, -h", "this help"] },
  version: { type: "boolean", help: null },
};
const TAKES_VALUE = new Set(Object.entries(GLOBAL).filter(([, o]) => o.type == "string").map(([k]) => "--" + k));

// ---------------------------------------------------------------------------------------------
// Help

const version = () => JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).version;

function optionLines(options) {
  const rows = Object.values(options).filter((o) => o.help).map((o) => o.help);
  const w = rows.reduce((m, [f]) => Math.max(m, f.length), 0);
  return rows.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`.trimEnd()).join("\n");
}

function topHelp() {
  const lines = [];
  for (const [name, c] of Object.entries(COMMANDS)) {
    if (c.sub) for (const [s, sc] of Object.entries(c.sub)) lines.push([`${name} ${s}${sc.args ? " " + sc.args.join(" ") : ""}`, sc.summary]);
    else lines.push([`${name}${c.args ? " " + c.args.join(" ") : ""}`, c.summary]);
  }
  const w = lines.reduce((m, [a]) => Math.max(m, a.length), 0);
  return `toky ${version()}: the Toky API from a terminal (agents, contacts, texts, voicemails, calls, webhooks)

Usage: toky COMMAND [options]        toky COMMAND --help (or toky help COMMAND): its options and an example

Commands:
${lines.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join("\n")}

Options (every command):
${optionLines(GLOBAL)}

Environment:
  TOKY_API_KEY   your Toky API key (never printed; prefer it to any flag)
  TOKY_BASE_URL  the API base URL, e.g. a toky-mock at http://127.0.0.1:8787/v1

Output: a table (or key/value lines) by default, --json or --ndjson for pipes.
Exit codes: 0 ok, 1 other API error, 2 usage, 3 validation, 4 auth/permission, 5 not found,
6 network/timeout, 130 interrupted (Ctrl-C).

Example:
  TOKY_API_KEY=... toky contacts export --format csv --out contacts.csv
`;
}

function groupHelp(name) {
  const c = COMMANDS[name];
  const subs = Object.entries(c.sub);
  const w = subs.reduce((m, [s, sc]) => Math.max(m, (s + (sc.args ? " " + sc.args.join(" ") : "")).length), 0);
  return `Usage: toky ${name} ${Object.keys(c.sub).join("|")} [options]

${c.summary[0].toUpperCase() + c.summary.slice(1)}:
${subs.map(([s, sc]) => `  ${(s + (sc.args ? " " + sc.args.join(" ") : "")).padEnd(w)}  ${sc.summary}`).join("\n")}

Example:
  ${subs[0][1].example}
`;
}

function commandHelp(name, c) {
  const own = c.options ? optionLines(c.options) : "";
  return `Usage: toky ${name}${c.args ? " " + c.args.join(" ") : ""}${own ? " [options]" : ""}

${c.description ?? c.summary[0].toUpperCase() + c.summary.slice(1) + "."}
${own ? "\nOptions:\n" + own + "\n" : ""}
Global options:
${optionLines(GLOBAL)}

Example:
  ${c.example}
`;
}

// ---------------------------------------------------------------------------------------------
// Main

/** The command words (one, or a group and a sub-command), then everything else for parseArgs. */
function splitCommand(argv) {
  const words = [], rest = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a == "--") break;
    if (a.startsWith("-") && a != "-") {
      rest.push(a);
      if (TAKES_VALUE.has(a) && i + 1 < argv.length) rest.push(argv[++i]);
      continue;
    }
    if (words.length == 0 || (words.length == 1 && COMMANDS[words[0]]?.sub)) words.push(a);
    else break;
  }
  return { words, rest: rest.concat(argv.slice(i)) };
}

function readKey(values) {
  if (values["api-key"] !== undefined) {
    setSecret(values["api-key"]);
    say("toky: warning: --api-key puts the key in your shell history and the process list; use TOKY_API_KEY or --api-key-file");
    return values["api-key"];
  }
  if (values["api-key-file"] !== undefined) {
    const f = values["api-key-file"];
    return readFileSync(f == "-" ? 0 : f, "utf8").trim();
  }
  return process.env.TOKY_API_KEY;
}

async function main(argv, signal) {
  const { words, rest } = splitCommand(argv);
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  if (!words.length) {
    if (rest.includes("--version")) return void process.stdout.write(version() + "\n");
    if (wantsHelp) return void process.stdout.write(topHelp());
    process.stderr.write(topHelp());
    const globals = Object.keys(GLOBAL).filter((k) => GLOBAL[k].help);
    const known = (a) => (a.startsWith("--") ? Object.hasOwn(GLOBAL, a.slice(2).split("=")[0]) : Object.values(GLOBAL).some((o) => o.short && "-" + o.short == a));
    const unknown = rest.find((a) => a.startsWith("-") && a != "-" && !known(a));
    if (unknown) {
      const hint = unknown.startsWith("--") ? didYouMean(unknown.slice(2).split("=")[0], globals, (c) => "--" + c) : "";
      throw new UsageError(`unknown option '${unknown}'` + hint);
    }
    throw new UsageError("missing command");
  }
  // `toky help contacts export` is `toky contacts export --help`.
  if (words[0] == "help") return main([...argv.filter((a) => a != "help"), "--help"], signal);
  // Own names only: "constructor" or "toString" is an unknown command, not Object's.
  const group = Object.hasOwn(COMMANDS, words[0]) ? COMMANDS[words[0]] : undefined;
  if (!group) throw new UsageError(`unknown command '${words[0]}'` + didYouMean(words[0], Object.keys(COMMANDS), (c) => `'toky ${c}'`));
  let name = words[0], command = group;
  if (group.sub) {
    if (words.length < 2) {
      if (wantsHelp) return void process.stdout.write(groupHelp(words[0]));
      throw new UsageError(`'toky ${words[0]}' needs a sub-command: ${Object.keys(group.sub).join(", ")}`, words[0]);
    }
    command = Object.hasOwn(group.sub, words[1]) ? group.sub[words[1]] : undefined;
    if (!command)
      throw new UsageError(
        `unknown command 'toky ${words[0]} ${words[1]}' (expected ${Object.keys(group.sub).join(", ")})` +
          didYouMean(words[1], Object.keys(group.sub), (c) => `'toky ${words[0]} ${c}'`),
        words[0],
      );
    name += " " + words[1];
  }
  const known = { ...GLOBAL, ...command.options };
  const options = {};
  for (const [k, o] of Object.entries(known)) {
    options[k] = { type: o.type };
    if (o.short) options[k].short = o.short;
    if (o.multiple) options[k].multiple = true;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    // parseArgs' messages name the flag; the first sentence is the useful part. An unknown long
    // option (its tokens, read again without strict) gets the nearest advertised one.
    let hint = "";
    if (e.code == "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const { tokens } = parseArgs({ args: rest, options, allowPositionals: true, strict: false, tokens: true });
      const unknown = tokens.find((t) => t.kind == "option" && !known[t.name] && t.rawName.startsWith("--"));
      const advertised = Object.keys(known).filter((k) => known[k].help);
      if (unknown) hint = didYouMean(unknown.name, advertised, (c) => "--" + c, command.aliases);
    }
    throw new UsageError(String(e.message).split(/\.\s/)[0].replace(/\.$/, "") + hint, name);
  }
  const { values, positionals, tokens } = parsed;
  // A single-value option given twice is a mistake to point out, not a last-one-wins guess.
  const seen = new Set();
  for (const t of tokens)
    if (t.kind == "option" && known[t.name].type == "string" && !known[t.name].multiple) {
      if (seen.has(t.name)) throw new UsageError(`--${t.name} is given more than once; give it once`, name);
      seen.add(t.name);
    }
  if (values["api-key"]) setSecret(values["api-key"]);
  if (values.help) return void process.stdout.write(command.sub ? groupHelp(name) : commandHelp(name, command));
  const want = command.args ?? [];
  if (positionals.length < want.length) throw new UsageError(`missing ${want.slice(positionals.length).join(" ")}`, name);
  if (positionals.length > want.length) throw new UsageError(`unexpected argument '${positionals[want.length]}'`, name);
  if (values.json && values.ndjson) throw new UsageError("--json and --ndjson cannot be used together", name);

  const ctx = {
    name,
    values,
    args: positionals,
    signal,
    mode: values.json ? "json" : values.ndjson ? "ndjson" : "table",
    /** The client; `hooks: false` leaves --verbose's attempt lines out. */
    client({ hooks = true } = {}) {
      const apiKey = readKey(values);
      if (!apiKey) throw new CliError("no API key: set TOKY_API_KEY (or use --api-key-file FILE)", EXIT.auth);
      setSecret(apiKey);
      const opts = { apiKey };
      const baseUrl = values["base-url"] ?? process.env.TOKY_BASE_URL;
      if (baseUrl) opts.baseUrl = baseUrl;
      const timeoutMs = duration(ctx, "timeout");
      if (timeoutMs !== undefined) opts.timeoutMs = timeoutMs;
      // One line per attempt (retries and sms.send's history reads included), on stderr so the
      // output stays parseable; the URL carries no key and `say` redacts it all the same.
      if (values.verbose && hooks)
        opts.onResponse = ({ method, url, attempt, status, durationMs, requestId, error }) =>
          say(`toky: ${method} ${url} attempt ${attempt}: ${status ?? error} in ${Math.round(durationMs)} ms` + (requestId ? ` (request id ${requestId})` : ""));
      return new Toky(opts);
    },
  };
  await command.run(ctx);
  return command;
}

const controller = new AbortController();
let interrupted = 0;
const onSignal = (sig) => {
  if (interrupted) process.exit(interrupted); // a second Ctrl-C: stop now
  interrupted = sig == "SIGTERM" ? 143 : 130;
  controller.abort(new CliError("interrupted", interrupted));
};
const handlers = { SIGINT: () => onSignal("SIGINT"), SIGTERM: () => onSignal("SIGTERM") };
for (const [s, h] of Object.entries(handlers)) process.on(s, h);
// `toky ... | head`: the reader left; stop quietly.
process.stdout.on("error", (e) => {
  if (e.code == "EPIPE") process.exit(0);
});

let code = 0;
try {
  const command = await main(process.argv.slice(2), controller.signal);
  if (interrupted && !command?.stopsOnSignal) code = interrupted;
} catch (e) {
  if (interrupted) {
    code = interrupted;
    say("toky: interrupted");
  } else if (e instanceof UsageError) {
    code = EXIT.usage;
    say(`toky: ${oneLine(e.message)}` + (e.command ? ` (see 'toky ${e.command} --help')` : " (see 'toky --help')"));
  } else if (e instanceof CliError) {
    code = e.code;
    say("toky: " + oneLine(e.message));
  } else if (e instanceof TokyError) {
    code = exitFor(e.kind);
    say("toky: " + describe(e));
  } else {
    code = 1;
    say("toky: " + describe(e));
  }
}
for (const [s, h] of Object.entries(handlers)) process.off(s, h);
process.exitCode = code;
