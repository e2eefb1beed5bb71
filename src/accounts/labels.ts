import type { Grant } from "../access/actor.ts";
import type { Role } from "../access/permissions.ts";
import type { Db } from "../db/database.ts";
import type { MessageKey, Translate } from "../ui/messages.ts";

export const roleLabel = (t: Translate, role: Role | string) => t(`role.${role}` as MessageKey);

/** Human names of grant scopes: "Gemeente Duinrand", "Team Vergunningen (Gemeente Duinrand)", "Regio Groenhart". */
export async function scopeLabels(db: Db, grants: Pick<Grant, "scopeType" | "scopeId">[], t: Translate): Promise<string[]> {
  const ids = (type: string) => [...new Set(grants.filter((g) => g.scopeType === type).map((g) => g.scopeId))];
  const [orgs, units, groups] = await Promise.all([
    ids("organisation").length ? db.selectFrom("organisations").select(["id", "name"]).where("id", "in", ids("organisation")).execute() : [],
    ids("unit").length ? db.selectFrom("units").innerJoin("organisations", "organisations.id", "units.organisation_id")
      .select(["units.id", "units.name", "organisations.name as org"]).where("units.id", "in", ids("unit")).execute() : [],
    ids("group").length ? db.selectFrom("organisation_groups").select(["id", "name"]).where("id", "in", ids("group")).execute() : [],
  ]);
  return grants.map((g) => {
    if (g.scopeType === "organisation") return orgs.find((o) => o.id === g.scopeId)?.name ?? "?";
    if (g.scopeType === "unit") { const u = units.find((x) => x.id === g.scopeId); return u ? `${u.name} (${u.org})` : "?"; }
    return `${groups.find((x) => x.id === g.scopeId)?.name ?? "?"} (${t("scope.group").toLowerCase()})`;
  });
}
