import type { UnitsTable } from "../../db/schema.ts";

/** What the tree needs of a unit; callers may pass whole rows. Without parent_id, the parent is read
 *  from the materialised path ("/<root>/…/<parent>/<own>/"). */
export type UnitLike = Pick<UnitsTable, "id" | "name" | "path"> & { parent_id?: string | null };
const parentOf = (u: UnitLike) => (u.parent_id !== undefined ? u.parent_id : u.path.split("/").filter(Boolean).at(-2) ?? null);
export type TreeNode<U extends UnitLike = UnitsTable> = { unit: U; children: TreeNode<U>[] };

const byName = (a: TreeNode<UnitLike>, b: TreeNode<UnitLike>) => a.unit.name.localeCompare(b.unit.name, "nl");

/** The flat unit list as a tree (clusters → departments → teams), siblings by name. A unit whose
 *  parent is not in the list (outside a manager's scope) is a root. */
export function buildTree<U extends UnitLike>(units: U[]): TreeNode<U>[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as TreeNode<U>[] }]));
  const roots: TreeNode<U>[] = [];
  for (const n of nodes.values()) {
    const parentId = parentOf(n.unit);
    const parent = parentId ? nodes.get(parentId) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  const sort = (list: TreeNode<U>[]) => { list.sort(byName); for (const n of list) sort(n.children); };
  sort(roots);
  return roots;
}

/** Options for a unit select, in tree order (siblings by name) and indented; for a "part of" select,
 *  a unit's own subtree is left out. */
export function unitOptions(units: UnitLike[], exclude?: Pick<UnitsTable, "path">): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (list: TreeNode<UnitLike>[], depth: number) => {
    for (const n of list) {
      if (exclude && n.unit.path.startsWith(exclude.path)) continue;
      out.push({ value: n.unit.id, label: `${"— ".repeat(depth)}${n.unit.name}` });
      walk(n.children, depth + 1);
    }
  };
  walk(buildTree(units), 0);
  return out;
}
