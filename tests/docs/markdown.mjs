// Reads Markdown as GitHub and npm show it, with markdown-it: the links and images of a
// document, the anchors its headings get, and its fenced code blocks with the HTML comment
// just before each.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: true });

const text = (inline) => (inline.children ?? []).filter((t) => t.type === "text" || t.type === "code_inline").map((t) => t.content).join("");

// GitHub's heading ids (github-slugger): lower case, punctuation dropped, spaces to hyphens,
// a repeated id suffixed -1, -2, ...
export function anchors(source) {
  const tokens = md.parse(source, {});
  const seen = new Map();
  const ids = new Set();
  tokens.forEach((t, i) => {
    if (t.type !== "heading_open") return;
    const base = text(tokens[i + 1]).toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n ? `${base}-${n}` : base);
  });
  return ids;
}

// Every link target and image source, with the line it is on.
export function links(source) {
  const out = [];
  const walk = (tokens, line) => {
    for (const t of tokens) {
      const l = t.map ? t.map[0] + 1 : line;
      if (t.type === "link_open") out.push({ href: t.attrGet("href"), line: l });
      if (t.type === "image") out.push({ href: t.attrGet("src"), line: l });
      if (t.children) walk(t.children, l);
    }
  };
  walk(md.parse(source, {}), 0);
  return out;
}

// Fenced code blocks: { info, code, line, comment } where comment is an HTML comment block
// right before the fence (e.g. "<!-- tests/docs runs this example against toky-mock -->").
export function fences(source) {
  const tokens = md.parse(source, {});
  return tokens.flatMap((t, i) => {
    if (t.type !== "fence") return [];
    const prev = tokens[i - 1];
    const comment = prev?.type === "html_block" ? prev.content.trim() : "";
    return [{ info: t.info.trim(), code: t.content, line: t.map[0] + 1, comment }];
  });
}

// A link's target relative to the document, or null for an absolute URL (scheme or //host).
export function relative(href) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return null;
  const hash = href.indexOf("#");
  return { path: decodeURIComponent(hash < 0 ? href : href.slice(0, hash)), anchor: hash < 0 ? null : decodeURIComponent(href.slice(hash + 1)) };
}
