import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Role } from "../../src/access/permissions.ts";
import { startSession } from "../../src/auth/service.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { buildScene, WHO, type Scene, type Who } from "../helpers/scene.ts";

// Every registered route × every role (plus nobody, and an administrator of another organisation),
// compared with the checked-in matrix. A new route, or a changed outcome, shows up as a diff here.
// Regenerate after a deliberate change with: UPDATE_MATRIX=1 npm test -- matrix

const MATRIX_FILE = path.join(import.meta.dirname, "matrix.json");
type Outcome = "allow" | "401" | "403" | "404";

/** One line per route, so a changed outcome is a one-line diff. */
function serialise(m: Record<string, Record<string, Outcome>>): string {
  const lines = Object.entries(m).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}

function classify(status: number): Outcome | "5xx" {
  if (status >= 500) return "5xx";
  if (status === 401 || status === 403 || status === 404) return String(status) as Outcome;
  return "allow";
}

for (const { kind, skip } of DB_KINDS) {
  describe(`route × role matrix (${kind})`, { skip }, () => {
    let scene: Scene;
    before(async () => { scene = await buildScene(kind); });
    after(async () => { await scene?.close(); });

    /** Each call starts from the same scene, with a fresh session for its person (a call may have signed out). */
    async function call(method: string, url: string, who: Who) {
      await scene.heal({ sessions: false, mailbox: false });
      const isApi = url.startsWith("/api/");
      const headers: Record<string, string> = {};
      let cookie = scene.csrf.cookie;
      if (who !== "anonymous") {
        if (isApi) headers.authorization = `Bearer ${scene.apiTokens.get(who)}`;
        else cookie += `; intact_session=${await startSession(scene.ctx, scene.accounts.get(who)!, "full", { type: "system", id: "matrix" })}`;
      }
      if (!isApi) headers.cookie = cookie;
      const write = method !== "GET";
      if (write && isApi) headers["content-type"] = "application/json";
      if (write && !isApi) headers["content-type"] = "application/x-www-form-urlencoded";
      const payload = write ? (isApi ? "{}" : `_csrf=${encodeURIComponent(scene.csrf.token)}`) : undefined;
      return scene.app.inject({ method: method as "GET", url: scene.fill(url), headers, payload });
    }

    test("every route answers every role as the checked-in matrix says", async () => {
      const routes = [...scene.app.registeredRoutes].sort((a, b) => `${a.method} ${a.url}`.localeCompare(`${b.method} ${b.url}`));
      const actual: Record<string, Record<string, Outcome>> = {};
      const failures: string[] = [];
      for (const r of routes) {
        const key = `${r.method} ${r.url}`;
        actual[key] = {};
        for (const who of WHO) {
          const res = await call(r.method, r.url, who);
          const outcome = classify(res.statusCode);
          if (outcome === "5xx") { failures.push(`${key} as ${who}: ${res.statusCode} ${res.body.slice(0, 200)}`); continue; }
          actual[key][who] = outcome;
          if (r.access !== "public" && who === "anonymous" && outcome === "allow") failures.push(`${key} is open to anonymous users`);
        }
      }
      assert.deepEqual(failures, []);
      if (process.env.UPDATE_MATRIX === "1" && kind === "sqlite") fs.writeFileSync(MATRIX_FILE, serialise(actual));
      const expected = JSON.parse(fs.readFileSync(MATRIX_FILE, "utf8"));
      const missing = Object.keys(actual).filter((k) => !(k in expected));
      assert.deepEqual(missing, [], `routes not in ${MATRIX_FILE} (run UPDATE_MATRIX=1 npm test -- matrix and review the diff)`);
      assert.deepEqual(Object.keys(expected).filter((k) => !(k in actual)), [], "routes in the matrix that no longer exist");
      assert.deepEqual(actual, expected);
    });

    test("administrators and HR reach no route that needs a sealed permission", () => {
      const sealedRoutes = scene.app.registeredRoutes.filter((r) => typeof r.access === "object" && /^(report\.(list|readContent|readIdentity|handle|investigate)|advisorContact\.read)/.test(r.access.permission));
      const expected = JSON.parse(fs.readFileSync(MATRIX_FILE, "utf8")) as Record<string, Record<Role, Outcome>>;
      for (const r of sealedRoutes) for (const role of ["admin", "hr"] as const) assert.notEqual(expected[`${r.method} ${r.url}`]?.[role], "allow", `${role} on ${r.url}`);
    });
  });
}
