import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { multipartBody } from "./attachments.ts";

/** A tiny browser over app.inject: keeps cookies, and fills in the CSRF token from the last page. */
export class Client {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly app: FastifyInstance, sessionToken?: string, sessionCookie = "intact_session") {
    if (sessionToken) this.cookies.set(sessionCookie, sessionToken);
  }
  private cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "); }
  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.value === "" || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
  }
  async get(url: string, headers: Record<string, string> = {}) {
    const res = await this.app.inject({ method: "GET", url, headers: { cookie: this.cookieHeader(), ...headers } });
    this.remember(res);
    return res;
  }
  /** Posts a form; a list posts the field once per value, as checkboxes do. Fetches "/inloggen" first when no CSRF token is known yet. */
  async post(url: string, form: Record<string, string | string[]>, opts: { csrf?: boolean } = {}) {
    if (opts.csrf !== false && !this.csrf) await this.get("/inloggen");
    const pairs = Object.entries({ ...(opts.csrf !== false ? { _csrf: this.csrf } : {}), ...form })
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]));
    const body = new URLSearchParams(pairs).toString();
    const res = await this.app.inject({ method: "POST", url, payload: body,
      headers: { cookie: this.cookieHeader(), "content-type": "application/x-www-form-urlencoded" } });
    this.remember(res);
    return res;
  }
  /** Posts a multipart form (enctype="multipart/form-data") with its files (a field with `multiple` sends several), as a browser does. */
  async postMultipart(url: string, fields: Record<string, string>, file?: Parameters<typeof multipartBody>[1], opts: { csrf?: boolean } = {}) {
    if (opts.csrf !== false && !this.csrf) await this.get("/inloggen");
    const { payload, contentType } = multipartBody({ ...(opts.csrf !== false ? { _csrf: this.csrf } : {}), ...fields }, file);
    const res = await this.app.inject({ method: "POST", url, payload, headers: { cookie: this.cookieHeader(), "content-type": contentType } });
    this.remember(res);
    return res;
  }
}
