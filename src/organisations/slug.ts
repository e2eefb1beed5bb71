/** "Gemeente Den Haag" → "gemeente-den-haag": the stable part of public addresses such as /melden/<slug>. */
export function slugify(name: string): string {
  const s = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return s || "organisatie";
}
