import { z } from "zod";

export const EMPLOYMENT_TYPES = ["employee", "hired", "intern"] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

/** A plain calendar date YYYY-MM-DD that exists (no 2024-02-30): a regex plus a round trip through Date.UTC. */
export function isoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export const emailSchema = z.string().email("field.email").max(254, "field.tooLong");

const optionalText = (max: number) =>
  z.string().trim().max(max, "field.tooLong").optional().transform((v) => (v ? v : null));
const optionalDate = z.string().trim().optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isoDate(v), "field.date");

/** The person form and the API body: ids for unit and position, the manager by employee number. */
export const personSchema = z.object({
  employeeNumber: z.string().trim().min(1, "field.required").max(50, "field.tooLong"),
  givenName: z.string().trim().min(1, "field.required").max(200, "field.tooLong"),
  familyName: z.string().trim().min(1, "field.required").max(200, "field.tooLong"),
  email: z.string().trim().toLowerCase().optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || emailSchema.safeParse(v).success, "field.email"),
  unitId: optionalText(100),
  positionId: optionalText(100),
  managerNumber: optionalText(50),
  employmentType: z.enum(EMPLOYMENT_TYPES, "field.choose"),
  startDate: optionalDate,
  endDate: optionalDate,
});
export type PersonInput = z.infer<typeof personSchema>;
export type PersonForm = z.input<typeof personSchema>;

export const listQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  eenheid: z.string().trim().max(100).optional().catch(undefined),
  pagina: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});
