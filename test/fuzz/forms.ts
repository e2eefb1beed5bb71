// What the app's own pages offer a browser: the forms (action, enctype, fields with their values and options) and
// the query parameters of its links. The fuzzer posts these forms with their fields changed, so a request gets
// past the CSRF check and the sealed draft and reaches the code behind it.

export type Field = { name: string; kind: string; values: string[] };
export type FormSpec = { action: string; multipart: boolean; fields: Field[] };

const ENTITIES: Record<string, string> = { "&quot;": '"', "&#x27;": "'", "&#39;": "'", "&lt;": "<", "&gt;": ">", "&amp;": "&" };
export const unescapeHtml = (s: string) => s.replace(/&(?:quot|#x27|#39|lt|gt|amp);/g, (m) => ENTITIES[m]!);

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z][\w:-]*)(?:="([^"]*)")?/g)) out[m[1]!.toLowerCase()] = unescapeHtml(m[2] ?? "");
  return out;
}

/** The forms of a page (only method="post" ones: a GET form is a link with a query). */
export function parseForms(html: string): FormSpec[] {
  const forms: FormSpec[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const a = attrs(m[1]!);
    if ((a.method ?? "get").toLowerCase() !== "post" || !a.action) continue;
    const body = m[2]!;
    const fields = new Map<string, Field>();
    const add = (name: string | undefined, kind: string, value: string | undefined) => {
      if (!name) return;
      const f = fields.get(name) ?? { name, kind, values: [] };
      if (value !== undefined && !f.values.includes(value)) f.values.push(value);
      fields.set(name, f);
    };
    for (const s of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const sa = attrs(s[1]!);
      for (const o of s[2]!.matchAll(/<option\b([^>]*)>/g)) add(sa.name, "select", attrs(o[1]!).value ?? "");
      if (!fields.has(sa.name ?? "")) add(sa.name, "select", "");
    }
    for (const s of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) add(attrs(s[1]!).name, "textarea", unescapeHtml(s[2]!));
    for (const s of body.matchAll(/<input\b([^>]*)>/g)) {
      const ia = attrs(s[1]!);
      const kind = (ia.type ?? "text").toLowerCase();
      add(ia.name, kind, kind === "checkbox" ? ia.value ?? "on" : kind === "file" ? undefined : ia.value ?? "");
    }
    for (const s of body.matchAll(/<button\b([^>]*)>/g)) {
      const ba = attrs(s[1]!);
      if (ba.name) add(ba.name, "button", ba.value ?? "");
    }
    forms.push({ action: a.action, multipart: (a.enctype ?? "").toLowerCase() === "multipart/form-data", fields: [...fields.values()] });
  }
  return forms;
}

/** The names of the query parameters in a page's links (and GET forms' fields), with the values seen. */
export function parseQueryNames(html: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (k: string, v: string) => { const s = out.get(k) ?? new Set<string>(); s.add(v); out.set(k, s); };
  for (const m of html.matchAll(/href="([^"]*\?[^"]*)"/g)) {
    const q = unescapeHtml(m[1]!).split("?")[1]!.split("#")[0]!;
    for (const [k, v] of new URLSearchParams(q)) add(k, v);
  }
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if ((attrs(m[1]!).method ?? "get").toLowerCase() !== "get") continue;
    for (const f of parseForms(m[0].replace(/<form\b/, '<form method="post" action="x"').replace(/method="get"/i, ""))[0]?.fields ?? []) {
      for (const v of f.values.length ? f.values : [""]) add(f.name, v);
    }
  }
  return out;
}

/** Turns registered route patterns into a lookup from a concrete path to its pattern (static segments first, as the router). */
export function routeMatcher(routes: { method: string; url: string }[]) {
  const compiled = routes.map((r) => ({
    ...r,
    params: (r.url.match(/:|\*/g) ?? []).length,
    re: new RegExp(`^${r.url.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z]+/g, "[^/]+").replace(/\*/g, ".*")}$`),
  })).sort((a, b) => a.params - b.params);
  return (method: string, path: string) => compiled.find((r) => r.method === method && r.re.test(path.split("?")[0]!));
}
