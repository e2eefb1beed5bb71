import { createContext, useContext } from "react";
import type { Actor } from "../access/actor.ts";
import type { Locale, MessageKey, Translate } from "./messages.ts";

export type NavItem = { href: string; label: MessageKey };

/** What every page knows about the request: language, who is signed in, and the form token. */
export type PageContext = {
  t: Translate;
  locale: Locale;
  path: string;
  csrfToken: string;
  actor: Actor | null;
  organisations: { id: string; name: string }[];
  activeOrganisation: { id: string; name: string } | null;
  nav: NavItem[];
  flash: string | null;
};

export const PageCtx = createContext<PageContext | null>(null);

export function usePage(): PageContext {
  const c = useContext(PageCtx);
  if (!c) throw new Error("usePage outside a page render");
  return c;
}
