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
}
