import { z } from "zod";
import { ROLES } from "../access/permissions.ts";

const optionalText = (max: number) =>
  z.string().trim().max(max, "field.tooLong").optional().transform((v) => (v ? v : undefined));

export const createAccountSchema = z.object({
  displayName: z.string({ error: "field.required" }).trim().min(1, "field.required").max(200, "field.tooLong"),
  email: z.string({ error: "field.email" }).trim().toLowerCase().pipe(z.email("field.email").max(254, "field.tooLong")),
  employeeNumber: optionalText(50),
  role: z.enum(ROLES, { error: "field.choose" }),
});
export type CreateAccountInput = z.infer<typeof createAccountSchema>;

/** A grant on an organisation or one of its units. Group grants are made where groups are managed. */
export const grantSchema = z.object({
  role: z.enum(ROLES, { error: "field.choose" }),
  scopeType: z.enum(["organisation", "unit"], { error: "field.choose" }),
  scopeId: z.string({ error: "field.choose" }).trim().min(1, "field.choose").max(100, "field.invalid"),
});
export type GrantInput = z.infer<typeof grantSchema>;
