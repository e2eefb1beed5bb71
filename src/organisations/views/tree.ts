import type { UnitsTable } from "../../db/schema.ts";

export type TreeNode = { unit: UnitsTable; children: TreeNode[] };

const byName = (a: TreeNode, b: TreeNode) => a.unit.name.localeCompare(b.unit.name, "nl");

/** The flat unit list as a tree (clusters → departments → teams), siblings by name. */
export function buildTree(units: UnitsTable[]): TreeNode[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.unit.parent_id ? nodes.get(n.unit.parent_id) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  const sort = (list: TreeNode[]) => { list.sort(byName); for (const n of list) sort(n.children); };
  sort(roots);
  return roots;
}

/** Options for a "part of" select, in tree order and indented; a unit's own subtree is left out. */
export function unitOptions(units: UnitsTable[], exclude?: UnitsTable): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (list: TreeNode[], depth: number) => {
    for (const n of list) {
      if (exclude && n.unit.path.startsWith(exclude.path)) continue;
      out.push({ value: n.unit.id, label: `${"— ".repeat(depth)}${n.unit.name}` });
      walk(n.children, depth + 1);
    }
  };
  walk(buildTree(units), 0);
  return out;
}
