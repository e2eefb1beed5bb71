// Writes the generated demo region in one transaction, with one audit event. Portable: text ids,
// ISO timestamps, 0/1 flags and multi-row inserts in batches, on SQLite and PostgreSQL alike.
import crypto from "node:crypto";
import type { Role } from "../access/permissions.ts";
import { systemActor } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import { hasher, sealTotp } from "../auth/service.ts";
import { newTotpSecret } from "../auth/totp.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import { newId, now } from "../crypto/tokens.ts";
import type { Db, Trx } from "../db/database.ts";
import type { AccountsTable, DB, RoleAssignmentsTable } from "../db/schema.ts";
import { searchKey } from "../people/search-key.ts";
import { ALL_DEMO_EMAILS, DEMO_GROUP_NAME, DEMO_SEED, DEMO_SLUGS, generateDemo } from "./generate.ts";

/** Rows per insert statement: well under SQLite's limit on bound variables (14 columns × 200). */
export const BATCH = 200;

export class DemoAlreadyLoaded extends Error {
  constructor(what: string) {
    super(`The demo is already loaded in this database (${what}). Nothing was written. Use a fresh database to load it again.`);
    this.name = "DemoAlreadyLoaded";
  }
}

export type DemoCredential = {
  email: string;
  password: string;
  roles: Role[];
  /** The organisation name, or the group name for a group grant. */
  organisation: string;
  totpSecret: string;
  displayName: string;
};

export type DemoCounts = {
  organisations: number; units: number; positions: number; people: number; accounts: number; roleAssignments: number;
};

export type DemoResult = { credentials: DemoCredential[]; counts: DemoCounts; groupId: string; ms: number };

/** What is already there that the demo would collide with; null when the database is clear. */
export async function demoConflict(db: Db | Trx): Promise<string | null> {
  const group = await db.selectFrom("organisation_groups").select("id").where("name", "=", DEMO_GROUP_NAME).executeTakeFirst();
  if (group) return `group "${DEMO_GROUP_NAME}" exists`;
  const org = await db.selectFrom("organisations").select("slug").where("slug", "in", DEMO_SLUGS).executeTakeFirst();
  if (org) return `organisation "${org.slug}" exists`;
  const account = await db.selectFrom("accounts").select("email").where("email", "in", ALL_DEMO_EMAILS).executeTakeFirst();
  if (account) return `account ${account.email} exists`;
  return null;
}

async function insertBatches<T extends keyof DB & string>(trx: Trx, table: T, rows: readonly DB[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    // Kysely's generic insert types do not narrow over a table-name parameter; the rows are typed by the caller.
    await trx.insertInto(table).values(rows.slice(i, i + BATCH) as never).execute();
  }
}

/** Loads the demo region; throws DemoAlreadyLoaded (writing nothing) when it, or part of it, is there. */
export async function loadDemo(ctx: Context, opts: { seed?: number; today?: string } = {}): Promise<DemoResult> {
  const started = performance.now();
  const early = await demoConflict(ctx.db);
  if (early) throw new DemoAlreadyLoaded(early);

  const at = now();
  const data = generateDemo({ seed: opts.seed ?? DEMO_SEED, newId, at, today: opts.today ?? at.slice(0, 10) });

  // Secrets: a random password (16 characters) and a TOTP secret per account. Hash before the
  // transaction, so the database is not held while argon2 works.
  const secrets = await Promise.all(data.accounts.map(async (a) => {
    const password = crypto.randomBytes(12).toString("base64url");
    const totpSecret = newTotpSecret();
    return { password, totpSecret, hash: await hasher(ctx).hash(password) };
  }));
  const accountRows: AccountsTable[] = data.accounts.map((a, i) => ({
    id: a.id, email: a.email.toLowerCase(), display_name: a.displayName, password_hash: secrets[i]!.hash,
    totp_secret_sealed: sealTotp(ctx, a.id, secrets[i]!.totpSecret), totp_enabled: 1, totp_last_step: null, password_change_required: 0, locale: "nl", person_id: a.personId,
    disabled: 0, created_at: at, last_login_at: null,
  }));
  const grantRows: RoleAssignmentsTable[] = data.accounts.flatMap((a) => a.grants.map((g) => ({
    id: newId(), account_id: a.id, role: g.role, scope_type: g.scopeType, scope_id: g.scopeId, organisation_id: g.organisationId, created_at: at,
  })));
  const counts: DemoCounts = {
    organisations: data.organisations.length, units: data.units.length, positions: data.positions.length,
    people: data.people.length, accounts: accountRows.length, roleAssignments: grantRows.length,
  };

  await inTransaction(ctx, async (trx) => {
    const conflict = await demoConflict(trx); // again inside the transaction: another run may have won meanwhile
    if (conflict) throw new DemoAlreadyLoaded(conflict);
    await trx.insertInto("organisation_groups").values(data.group).execute();
    await insertBatches(trx, "organisations", data.organisations);
    await insertBatches(trx, "organisation_group_members", data.groupMembers);
    await insertBatches(trx, "units", data.units); // parents come before children
    await insertBatches(trx, "positions", data.positions);
    await insertBatches(trx, "people", data.people.map((p) => ({ ...p, search_key: searchKey(p) }))); // managers come before their reports
    await insertBatches(trx, "accounts", accountRows);
    await insertBatches(trx, "role_assignments", grantRows);
    await audit.record(ctx, trx, {
      actor: systemActor("demo"), action: "demo.load", objectType: "organisationGroup", objectId: data.group.id,
      details: { ...counts },
    });
  });

  const credentials: DemoCredential[] = data.accounts.map((a, i) => ({
    email: a.email, password: secrets[i]!.password, roles: [...new Set(a.grants.map((g) => g.role))],
    organisation: a.organisationName, totpSecret: secrets[i]!.totpSecret, displayName: a.displayName,
  }));
  return { credentials, counts, groupId: data.group.id, ms: Math.round(performance.now() - started) };
}
