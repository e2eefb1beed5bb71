import type { MessageKey } from "../ui/messages.ts";

/** Field errors carry a message key and the field name, so pages can link the error summary to fields. */
export type FieldErrors = Record<string, MessageKey>;

export class DomainError extends Error {
  /** Values for placeholders in the field messages, e.g. { columns: "voornaam" } for "import.missingColumns". */
  params: Record<string, string | number> = {};
  constructor(readonly status: number, readonly code: string, readonly messageKey: MessageKey, readonly fields: FieldErrors = {}) {
    super(code);
  }
}
export class NotFound extends DomainError { constructor(code = "not_found") { super(404, code, "error.notFound"); } }
export class Forbidden extends DomainError { constructor(code = "forbidden") { super(403, code, "error.forbidden"); } }
export class Conflict extends DomainError {
  constructor(code: string, messageKey: MessageKey, fields: FieldErrors = {}) { super(409, code, messageKey, fields); }
}
export class Invalid extends DomainError {
  constructor(fields: FieldErrors, code = "invalid") { super(422, code, "error.invalid", fields); }
}
