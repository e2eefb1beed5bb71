import type { GeneratedAlways } from "kysely";

// Table types for Kysely. Timestamps are ISO-8601 UTC strings and booleans are 0/1 integers
// on both dialects, so the same rows and the same queries work on SQLite and PostgreSQL.
export type Flag = 0 | 1;

export interface OrganisationGroupsTable { id: string; name: string; kind: string; created_at: string }
export interface OrganisationGroupMembersTable { group_id: string; organisation_id: string }
export interface OrganisationsTable {
  id: string; name: string; slug: string; kind: string; totp_required: Flag; created_at: string; updated_at: string;
}
export interface UnitsTable {
  id: string; organisation_id: string; parent_id: string | null; name: string; kind: string;
  /** Materialised path "/<root id>/…/<own id>/": a subtree is a prefix match, on both dialects. */
  path: string; created_at: string;
}
export interface PositionsTable { id: string; organisation_id: string; title: string; code: string | null; created_at: string }
export interface PeopleTable {
  id: string; organisation_id: string; employee_number: string; given_name: string; family_name: string;
  email: string | null; unit_id: string | null; position_id: string | null; manager_id: string | null;
  employment_type: string; start_date: string | null; end_date: string | null; created_at: string; updated_at: string;
}
/** The stored person: its columns plus search_key, a copy of name and number folded for search
 *  (people/search-key.ts). Every write sets it; null only on a row written outside the code. */
export interface PeopleRowTable extends PeopleTable { search_key: string | null }
/** A signed CSV preview that was committed: a nonce is used once. */
export interface ImportCommitsTable { nonce: string; organisation_id: string; account_id: string; committed_at: string }
export interface AccountsTable {
  id: string; email: string; display_name: string; password_hash: string | null;
  /** The TOTP secret, sealed with the instance key (never stored in the clear). */
  totp_secret_sealed: string | null; totp_enabled: Flag;
  /** The last TOTP time step accepted, so a code cannot be used twice. */
  totp_last_step: number | null;
  /** Set for a temporary password chosen by an administrator: the first sign-in asks for a new one. */
  password_change_required: Flag; locale: string; person_id: string | null;
  disabled: Flag; created_at: string; last_login_at: string | null;
}
export interface RoleAssignmentsTable {
  id: string; account_id: string; role: string; scope_type: string; scope_id: string;
  /** The organisation of an organisation or unit scope; null for a group scope. */
  organisation_id: string | null; created_at: string;
}
export interface SessionsTable {
  id: string; token_hash: string; account_id: string; stage: string; active_organisation_id: string | null;
  created_at: string; last_seen_at: string; expires_at: string;
}
export interface ApiTokensTable {
  id: string; account_id: string; name: string; token_hash: string; created_at: string; expires_at: string;
  last_used_at: string | null; revoked_at: string | null;
}
export interface LoginThrottleTable { key_hash: string; failures: number; locked_until: string | null; updated_at: string }
export interface InstanceSettingsTable { key: string; value: string }
export interface AuditEventsTable {
  seq: number; id: string; occurred_at: string; actor_type: string; actor_id: string | null; action: string;
  object_type: string; object_id: string | null; organisation_id: string | null; details: string;
  prev_hash: string; hash: string;
}

export interface ReportSettingsTable {
  organisation_id: string; receipt_salt: string; alternative_account_id: string | null; retention_years: number;
  created_at: string; updated_at: string;
}
export interface ReportCategoriesTable {
  id: string; organisation_id: string; kind: string; code: string; label_nl: string; label_en: string; position: number;
  active: Flag; created_at: string;
}
/** A measure the desk can record after an investigation (0007); configurable per organisation, never deleted. */
export interface ReportMeasuresTable {
  id: string; organisation_id: string; code: string; label_nl: string; label_en: string; position: number;
  active: Flag; created_at: string;
}
/** A confidential advisor's contact (0008): counted, never named. Dates yyyy-mm-dd. */
export interface AdvisorContactsTable {
  id: string; organisation_id: string; unit_id: string | null; advisor_account_id: string; successor_account_id: string | null;
  contact_on: string; relation: string; form: string; people: number; conversations: number; minutes: number; follow_up: string;
  report_id: string | null; consent_on: string | null; status: string; closed_on: string | null;
  notes_destroy_on: string | null; notes_destroyed_at: string | null; version: number; created_at: string; updated_at: string;
}
export interface AdvisorNaturesTable {
  id: string; organisation_id: string; code: string; label_nl: string; label_en: string; position: number; active: Flag; created_at: string;
}
export interface AdvisorContactNaturesTable { contact_id: string; code: string }
export interface AdvisorContactKeysTable { contact_id: string; holder_type: string; holder_id: string; wrapped_key: string; created_at: string }
export interface AdvisorNotesTable { id: string; contact_id: string; author_account_id: string; sealed: string; created_at: string }
/** A file with an advisor's note (0010): the name sealed under the contact key, the bytes in advisor_note_file_chunks. */
export interface AdvisorNoteFilesTable {
  id: string; contact_id: string; note_id: string; position: number; sealed_meta: string; media_type: string; size: number; chunk_count: number; created_at: string;
}
/** One encrypted piece of a note's file (at most 1 MiB of it): 0x01 ‖ iv ‖ tag ‖ ciphertext, under the contact key. */
export interface AdvisorNoteFileChunksTable { file_id: string; idx: number; data: Buffer }
export interface AdvisorActivitiesTable {
  id: string; organisation_id: string; unit_id: string | null; advisor_account_id: string; activity_on: string; kind: string;
  people_reached: number; created_at: string;
}
export interface AdvisorSettingsTable {
  organisation_id: string; notes_retention_months: number; suppression_threshold: number; created_at: string; updated_at: string;
}
export interface AdvisorReportTextsTable {
  scope_type: string; scope_id: string; year: number; interpretation: string; recommendations: string; updated_by: string; updated_at: string;
}
/** The yearly advisors' report as published (0009): `data` is JSON with only the shown values, never a hidden count. */
export interface AdvisorReportSnapshotsTable {
  scope_type: string; scope_id: string; year: number; data: string; published_by: string; published_at: string;
}
export interface ReportCountersTable { organisation_id: string; year: number; last: number }
/** A case's metadata. Dates ending in _on are Amsterdam calendar dates (yyyy-mm-dd); _at are instants. */
export interface ReportsTable {
  id: string; organisation_id: string; reference: string; channel: string; mode: string; kind: string;
  category_id: string | null; unit_id: string | null; status: string; routing: string; locale: string;
  received_at: string; ack_due_on: string; acknowledged_at: string | null; feedback_due_on: string | null;
  feedback_given_at: string | null; decision: string | null; investigation_by: string | null; closed_at: string | null;
  coordinator_account_id: string | null; investigator_account_id: string | null;
  reporter_tag: string | null; receipt_hash: string | null; retain_until: string | null; destroyed_at: string | null;
  /** For a report about a handler: the alternative recipient at the moment it came in (0006). */
  alternative_account_id: string | null;
  /** The public intake's one-time token (0006): a second "Versturen" with the same draft is refused. */
  intake_nonce: string | null;
  version: number; created_at: string; updated_at: string;
}
/** The stored case: its columns plus next_due_on (0011), the next statutory date, which the database derives from them. */
export interface ReportsRowTable extends ReportsTable {
  /** Acknowledgement due while unacknowledged, then feedback due while no feedback; null once both are met or when closed. */
  next_due_on: GeneratedAlways<string | null>;
}
export interface ReportKeysTable { report_id: string; holder_type: string; holder_id: string; wrapped_key: string; created_at: string }
export interface ReportEntriesTable {
  id: string; report_id: string; position: number; kind: string; author_type: string; author_account_id: string | null;
  visible_to_reporter: Flag; meta: string; sealed: string | null; created_at: string;
}
export interface ReportExclusionsTable { report_id: string; account_tag: string }
export interface MailboxSessionsTable { token_hash: string; report_id: string; expires_at: string; ends_at: string }

export type OutboxStatus = "pending" | "sending" | "sent" | "failed";
/** One e-mail to send. The address is sealed with the instance key; params hold no content. */
export interface OutboxTable {
  id: string; kind: string; organisation_id: string | null; recipient_sealed: string | null; locale: string; template: string;
  params: string; status: OutboxStatus; attempts: number; next_attempt_at: string; last_error: string | null;
  created_at: string; sent_at: string | null;
}
/** "One instance at a time" for a periodic job: whoever holds an unexpired row runs it. */
export interface JobLeasesTable { name: string; holder: string; expires_at: string }
/** A deadline reminder that went out: one per case, kind and due date. */
export interface RemindersSentTable { report_id: string; kind: string; due_on: string; sent_at: string }

/** A file attached to a report: metadata in columns, the name sealed, the bytes in attachment_chunks (ADR 0010). */
export interface ReportAttachmentsTable {
  id: string; organisation_id: string; report_id: string | null; entry_id: string | null; size: number; media_type: string;
  chunk_count: number; sealed_meta: string | null; wrapped_key: string | null; created_at: string; pending_until: string | null;
}
/** One encrypted piece of an attachment (at most 1 MiB of the file): 0x01 ‖ iv ‖ tag ‖ ciphertext. */
export interface AttachmentChunksTable { attachment_id: string; idx: number; data: Buffer }

export interface DB {
  organisation_groups: OrganisationGroupsTable;
  organisation_group_members: OrganisationGroupMembersTable;
  organisations: OrganisationsTable;
  units: UnitsTable;
  positions: PositionsTable;
  people: PeopleRowTable;
  accounts: AccountsTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  instance_settings: InstanceSettingsTable;
  audit_events: AuditEventsTable;
  import_commits: ImportCommitsTable;
  report_settings: ReportSettingsTable;
  report_categories: ReportCategoriesTable;
  report_measures: ReportMeasuresTable;
  advisor_natures: AdvisorNaturesTable;
  advisor_contacts: AdvisorContactsTable;
  advisor_contact_natures: AdvisorContactNaturesTable;
  advisor_contact_keys: AdvisorContactKeysTable;
  advisor_notes: AdvisorNotesTable;
  advisor_note_files: AdvisorNoteFilesTable;
  advisor_note_file_chunks: AdvisorNoteFileChunksTable;
  advisor_activities: AdvisorActivitiesTable;
  advisor_settings: AdvisorSettingsTable;
  advisor_report_texts: AdvisorReportTextsTable;
  advisor_report_snapshots: AdvisorReportSnapshotsTable;
  report_counters: ReportCountersTable;
  reports: ReportsRowTable;
  report_keys: ReportKeysTable;
  report_entries: ReportEntriesTable;
  report_exclusions: ReportExclusionsTable;
  mailbox_sessions: MailboxSessionsTable;
  outbox: OutboxTable;
  job_leases: JobLeasesTable;
  reminders_sent: RemindersSentTable;
  report_attachments: ReportAttachmentsTable;
  attachment_chunks: AttachmentChunksTable;
}
