import type { Permission } from "../access/permissions.ts";

// The life of a case, as one table. Every status change goes through `transitionFor`; anything not in
// TRANSITIONS is refused. The test walks every (status, action) pair against this table.

export const STATUSES = [
  "received", "acknowledged", "assessment", "awaiting_approval", "line_handling", "investigation", "measures", "concluding", "closed",
] as const;
export type Status = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter((s) => s !== "closed");

export const ACTIONS = [
  "acknowledge", "startAssessment", "decideNoAction", "decideLine", "decideInvestigation", "approveInvestigation",
  "recordApproval", "rejectInvestigation", "completeLineHandling", "concludeInvestigation", "decideMeasures", "close", "reopen",
] as const;
export type Action = (typeof ACTIONS)[number];

export type Transition = { from: Status; action: Action; to: Status; permission: Permission };

export const TRANSITIONS: readonly Transition[] = [
  { from: "received", action: "acknowledge", to: "acknowledged", permission: "report.handle" },
  { from: "acknowledged", action: "startAssessment", to: "assessment", permission: "report.handle" },
  // The decision after the preliminary assessment.
  { from: "assessment", action: "decideNoAction", to: "concluding", permission: "report.handle" },
  { from: "assessment", action: "decideLine", to: "line_handling", permission: "report.handle" },
  { from: "assessment", action: "decideInvestigation", to: "awaiting_approval", permission: "report.handle" },
  // A formal investigation needs the municipal secretary's approval: given in Intact, or given on paper and recorded.
  { from: "awaiting_approval", action: "approveInvestigation", to: "investigation", permission: "report.approveInvestigation" },
  { from: "awaiting_approval", action: "rejectInvestigation", to: "assessment", permission: "report.approveInvestigation" },
  { from: "awaiting_approval", action: "recordApproval", to: "investigation", permission: "report.handle" },
  { from: "line_handling", action: "completeLineHandling", to: "concluding", permission: "report.handle" },
  { from: "investigation", action: "concludeInvestigation", to: "measures", permission: "report.handle" },
  { from: "measures", action: "decideMeasures", to: "concluding", permission: "report.handle" },
  { from: "concluding", action: "close", to: "closed", permission: "report.handle" },
  { from: "closed", action: "reopen", to: "assessment", permission: "report.handle" },
];

export function transitionFor(from: Status, action: Action): Transition | null {
  return TRANSITIONS.find((t) => t.from === from && t.action === action) ?? null;
}

/** The actions a status offers (the case page shows those the user's role allows). */
export function actionsFrom(from: Status): Transition[] {
  return TRANSITIONS.filter((t) => t.from === from);
}

export const isStatus = (v: string): v is Status => (STATUSES as readonly string[]).includes(v);
export const isAction = (v: string): v is Action => (ACTIONS as readonly string[]).includes(v);

// ---- the vocabularies a case records -----------------------------------------------------------

export const KINDS = ["integrity", "unwanted_behaviour", "wrongdoing", "other"] as const;
export type Kind = (typeof KINDS)[number];

export const MODES = ["open", "confidential", "anonymous"] as const;
export type Mode = (typeof MODES)[number];

export const CHANNELS = ["web", "phone", "email", "letter", "in_person", "manager", "advisor", "own_signal", "external_body"] as const;
export type Channel = (typeof CHANNELS)[number];

export const INVESTIGATION_BY = ["line", "internal", "external"] as const;
export const FINDINGS = ["substantiated", "unsubstantiated", "not_determinable", "not_integrity"] as const;
export type Finding = (typeof FINDINGS)[number];
// Measures are a list per organisation (report_measures, kept on the settings page), not a constant here.
export const REFERRAL_BODIES = ["huis_klokkenluiders", "lkog", "ombudsman", "police_prosecutor", "rijksrecherche", "other"] as const;
export const HOW_KNOWN = ["saw", "heard_from_others", "documents", "affected", "other"] as const;
