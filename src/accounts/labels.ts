import type { Grant } from "../access/actor.ts";
import type { Role } from "../access/permissions.ts";
import type { Db } from "../db/database.ts";
import type { MessageKey, Translate } from "../ui/messages.ts";
import * as orgRepo from "../organisations/repository.ts";

export const roleLabel = (t: Translate, role: Role | string) => t(`role.${role}` as MessageKey);

/** Human names of grant scopes: "Gemeente Duinrand", "Team Vergunningen (Gemeente Duinrand)", "Regio Groenhart". */
export async function scopeLabels(db: Db, grants: Pick<Grant, "scopeType" | "scopeId">[], t: Translate): Promise<string[]> {
  const ids = (type: string) => [...new Set(grants.filter((g) => g.scopeType === type).map((g) => g.scopeId))];
  const [orgs, units, groups] = await Promise.all([
    orgRepo.listOrganisations(db, ids("organisation")), orgRepo.unitNames(db, ids("unit")), orgRepo.listGroups(db, ids("group")),
  ]);
  return grants.map((g) => {
    if (g.scopeType === "organisation") return orgs.find((o) => o.id === g.scopeId)?.name ?? "?";
    if (g.scopeType === "unit") { const u = units.find((x) => x.id === g.scopeId); return u ? `${u.name} (${u.org})` : "?"; }
    return `${groups.find((x) => x.id === g.scopeId)?.name ?? "?"} (${t("scope.group").toLowerCase()})`;
  });
}
