// Every permission is a named verb, and every role's permissions are listed here and nowhere else.
// Separation of duties is checked when this module loads: a role listed in NEVER_SEALED that gains a
// sealed permission stops the process before it can serve a request.

export const ROLES = ["employee", "manager", "advisor", "coordinator", "investigator", "secretary", "hr", "admin", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "organisation.view",
  "organisation.manage",
  "group.manage",
  "person.view",
  "person.manage",
  "account.manage",
  "audit.view",
  // Declared now for the modules that follow, so the separation-of-duties rule covers them from the start.
  "report.create",
  "report.list",
  "report.readContent",
  "report.readIdentity",
  "report.handle",
  "report.investigate",
  "report.approveInvestigation",
  "advisorContact.create",
  "advisorContact.read",
  "advisorContact.readNotes",
  "advisorStats.view",
  "yearlyReport.view",
  "yearlyReport.publish",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Permissions that reveal sealed content: reports, reporter identity, advisor contacts and notes. */
export const SEALED: ReadonlySet<Permission> = new Set<Permission>([
  "report.list", "report.readContent", "report.readIdentity", "report.handle", "report.investigate",
  "advisorContact.read", "advisorContact.readNotes",
]);

/** Roles that must never hold a sealed permission, now or later. */
export const NEVER_SEALED: ReadonlySet<Role> = new Set<Role>(["admin", "hr", "auditor", "secretary", "manager"]);

/** Advisor data is the advisor's alone: no other role may read contacts or notes, nor register contacts — which
 *  also makes a role the scope's advisor for the yearly report (the live draft, the texts, publication). */
const ADVISOR_ONLY: ReadonlySet<Permission> = new Set<Permission>(["advisorContact.create", "advisorContact.read", "advisorContact.readNotes"]);

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  employee: ["report.create"],
  manager: ["report.create", "person.view"],
  advisor: ["advisorContact.create", "advisorContact.read", "advisorContact.readNotes", "advisorStats.view"],
  coordinator: ["organisation.view", "person.view", "report.list", "report.readContent", "report.readIdentity",
    "report.handle", "advisorStats.view", "yearlyReport.view"],
  investigator: ["report.investigate", "report.readContent"],
  secretary: ["organisation.view", "report.approveInvestigation", "advisorStats.view", "yearlyReport.view", "yearlyReport.publish"],
  hr: ["organisation.view", "person.view", "person.manage"],
  admin: ["organisation.view", "organisation.manage", "group.manage", "person.view", "person.manage", "account.manage", "audit.view"],
  auditor: ["organisation.view", "audit.view", "advisorStats.view", "yearlyReport.view"],
};

export function separationOfDutiesViolations(map: Record<Role, readonly Permission[]> = ROLE_PERMISSIONS): string[] {
  const out: string[] = [];
  for (const role of ROLES) {
    for (const p of map[role]) {
      if (NEVER_SEALED.has(role) && SEALED.has(p)) out.push(`${role} may not hold ${p}`);
      if (ADVISOR_ONLY.has(p) && role !== "advisor") out.push(`${role} may not hold ${p} (advisor only)`);
    }
  }
  return out;
}

const violations = separationOfDutiesViolations();
if (violations.length) throw new Error(`Separation of duties broken: ${violations.join("; ")}`);

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
