import * as z from "zod";
import type { MessageKey } from "~/i18n/i18n";

/**
 * The e-mail address field of a form (invitations, forgotten password): trimmed, lower-cased,
 * at most 320 characters. Messages are catalogue keys (see ./form.tsx).
 */
export function emailAddress(errors: { required: MessageKey; invalid: MessageKey }) {
  return z
    .string({ error: errors.required })
    .trim()
    .toLowerCase()
    .min(1, { error: errors.required })
    .max(320, { error: errors.invalid })
    .pipe(z.email({ error: errors.invalid }));
}
