// Signing in over HTTP as a browser does: the sign-in page for the CSRF cookie and token, the password form, and the
// session cookie that comes back. The workloads then send that cookie with every page request.
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!).filter((c) => !c.endsWith("="));

export type Browser = { cookie: string; csrf: string };

/** The CSRF cookie and a token for it, from any page with a form (public pages give one to anyone). */
export async function formToken(base: string, pagePath: string, cookie = ""): Promise<Browser> {
  const res = await fetch(`${base}${pagePath}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error(`No CSRF token on ${pagePath} (${res.status})`);
  return { cookie: [cookie, ...cookiesOf(res)].filter(Boolean).join("; "), csrf };
}

/** Signs in with e-mail and password (the bench accounts' organisations do not require a second factor). */
export async function signIn(base: string, email: string, password: string): Promise<Browser> {
  const form = await formToken(base, "/inloggen");
  const res = await fetch(`${base}/inloggen`, {
    method: "POST", redirect: "manual",
    headers: { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: form.csrf, email, password, return: "/" }).toString(),
  });
  const session = cookiesOf(res).find((c) => c.startsWith("intact_session="));
  if (res.status !== 303 || !session) throw new Error(`Sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  if (res.headers.get("location")?.startsWith("/inloggen") || res.headers.get("location")?.startsWith("/account")) {
    throw new Error(`Sign-in of ${email} stopped at ${res.headers.get("location")}: the bench accounts should need no second factor`);
  }
  return formToken(base, "/", `${form.cookie.split("; ").filter((c) => !c.startsWith("intact_session=")).join("; ")}; ${session}`);
}
