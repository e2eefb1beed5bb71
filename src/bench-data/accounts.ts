// The accounts of the data set. Two can sign in (a password and an API token, shown once in the fixture): the
// pool's coordinator and the pool's confidential advisor, both with a group grant on the pool. The others —
// a coordinator and an advisor per region, a second advisor in the pool — exist so that every case has a desk and
// every contact an advisor; they have no password and cannot sign in.
import crypto from "node:crypto";
import { hasher } from "../auth/service.ts";
import type { Context } from "../context.ts";
import { hashToken, randomToken } from "../crypto/tokens.ts";
import type { Trx } from "../db/database.ts";
import type { AccountsTable, RoleAssignmentsTable } from "../db/schema.ts";
import { insertRows } from "./bulk.ts";
import type { BenchAccount } from "./fixture.ts";
import type { Country } from "./organisations.ts";
import { idStream } from "./random.ts";

type Made = { row: AccountsTable; grants: RoleAssignmentsTable[]; credentials: BenchAccount; tokenHash: string | null };
export type Accounts = {
  coordinator: Made; advisor: Made; poolAdvisor2: Made;
  regionAdvisors: Made[]; regionCoordinators: Made[];
  /** Who registers the contacts of an organisation: the pool's advisors in the pool, the region's advisor elsewhere. */
  advisorsOf(organisationIndex: number): string[];
  all(): Made[];
};

/** Builds the accounts and hashes the two passwords (Argon2id, slow: before the transaction). */
export async function prepareAccounts(ctx: Context, country: Country, seed: number): Promise<Accounts> {
  const newId = idStream(seed, "accounts");
  const at = new Date().toISOString();
  const domain = `bench-${seed}.example`;
  const make = async (email: string, name: string, role: string, groupId: string, signIn: boolean): Promise<Made> => {
    const id = newId(), grantId = newId(); // both before the hash, so ids do not depend on which hash finishes first
    const password = signIn ? randomToken("pw-") : "";
    const apiToken = signIn ? randomToken("intact_") : "";
    const row: AccountsTable = {
      id, email, display_name: name, password_hash: signIn ? await hasher(ctx).hash(password) : null, totp_secret_sealed: null,
      totp_enabled: 0, totp_last_step: null, password_change_required: 0, locale: "nl", person_id: null, disabled: 0,
      created_at: at, last_login_at: null,
    };
    const grants: RoleAssignmentsTable[] = [{ id: grantId, account_id: id, role, scope_type: "group", scope_id: groupId, organisation_id: null, created_at: at }];
    return { row, grants, credentials: { accountId: id, email, password, apiToken }, tokenHash: signIn ? hashToken(apiToken) : null };
  };
  const [coordinator, advisor] = await Promise.all([
    make(`integriteit@${domain}`, "Coördinator integriteit (pool)", "coordinator", country.pool.id, true),
    make(`vertrouwenspersoon@${domain}`, "Vertrouwenspersoon (pool)", "advisor", country.pool.id, true),
  ]);
  const poolAdvisor2 = await make(`vertrouwenspersoon2@${domain}`, "Tweede vertrouwenspersoon (pool)", "advisor", country.pool.id, false);
  const regionAdvisors: Made[] = [];
  const regionCoordinators: Made[] = [];
  for (const [i, g] of country.regions.entries()) {
    regionAdvisors.push(await make(`vp.regio${i + 1}@${domain}`, `Vertrouwenspersoon ${g.name}`, "advisor", g.id, false));
    regionCoordinators.push(await make(`integriteit.regio${i + 1}@${domain}`, `Coördinator ${g.name}`, "coordinator", g.id, false));
  }
  const orgs = country.organisations;
  return {
    coordinator, advisor, poolAdvisor2, regionAdvisors, regionCoordinators,
    advisorsOf: (index) => orgs[index]!.inPool ? [advisor.row.id, advisor.row.id, poolAdvisor2.row.id] : [regionAdvisors[orgs[index]!.regionIndex]!.row.id],
    all: () => [coordinator, advisor, poolAdvisor2, ...regionAdvisors, ...regionCoordinators],
  };
}

export async function writeAccounts(trx: Trx, _country: Country, accounts: Accounts): Promise<number> {
  const all = accounts.all();
  await insertRows(trx, "accounts", all.map((a) => a.row));
  await insertRows(trx, "role_assignments", all.flatMap((a) => a.grants));
  const at = new Date();
  const expires = new Date(at.getTime() + 366 * 86_400_000).toISOString();
  await insertRows(trx, "api_tokens", all.filter((a) => a.tokenHash).map((a) => ({
    id: crypto.randomUUID(), account_id: a.row.id, name: "bench-data", token_hash: a.tokenHash!, created_at: at.toISOString(), expires_at: expires,
    last_used_at: null, revoked_at: null,
  })));
  return all.length;
}
