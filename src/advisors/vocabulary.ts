// The fixed vocabularies of a contact with a confidential advisor (issue 4). The natures are a list per
// organisation (advisor_natures, Rotterdam preset in presets.ts); these are the same everywhere, so
// figures of different organisations add up.

/** Who came: the visitor's relation to the organisation. */
export const RELATIONS = ["employee", "manager", "hired", "intern", "former_employee", "other"] as const;
/** How the contact took place. */
export const FORMS = ["in_person", "phone", "video", "email"] as const;
/** What came of it. A formal complaint or report may be linked to a case, only with the visitor's consent. */
export const FOLLOW_UPS = [
  "listening_advice", "informal_solution", "mediation", "referral_company_doctor", "referral_hr", "referral_social_work",
  "referral_other_helpline", "formal_complaint_or_report", "none",
] as const;
/** What an advisor does besides contacts. */
export const ACTIVITY_KINDS = ["team_presentation", "workshop", "intake_talk", "intervision", "training"] as const;

export type Relation = (typeof RELATIONS)[number];
export type Form = (typeof FORMS)[number];
export type FollowUp = (typeof FOLLOW_UPS)[number];
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const CONTACT_STATUSES = ["open", "closed"] as const;
