// The contacts file of a study's invitations (docs/contacts-format.md): one row per person to
// invite, read with the import files' reader and checked with their rules (import-format.md:
// header names, # columns, every problem by row and column, all or nothing).

import { checkedRows, mapColumns, msg, Problems, rowsText, type ImportProblem, type Sheet } from "./import-validate";
import type { TenantRole } from "./types";

export const CONTACT_COLUMNS = ["participant_code", "email", "name", "role"] as const;
const CONTACT_REQUIRED = ["participant_code", "email", "role"] as const;

/** Role names a contacts file may use: the English ones of the spec and the interface's bokmål words. */
const ROLE_NAMES: Record<string, TenantRole> = {
  manager: "manager",
  leder: "manager",
  teamlead: "teamlead",
  teamleder: "teamlead",
  viewer: "viewer",
  leser: "viewer",
};

export function parseRole(s: string): TenantRole | null {
  return ROLE_NAMES[s.trim().toLowerCase()] ?? null;
}

/** Deliberately plain: one @, something on both sides, a dot in the domain, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
export const MAX_EMAIL_CHARS = 254;
export const MAX_CONTACT_NAME_CHARS = 200;

export function isEmailAddress(s: string): boolean {
  return s.length <= MAX_EMAIL_CHARS && EMAIL.test(s);
}

/** A company as the file's participant_code finds it. */
export interface ContactCompany {
  id: string;
  name: string;
  /** takes part in the study the file is for */
  inStudy: boolean;
}

export interface ContactRow {
  rowNumber: number;
  participantCode: string;
  tenantId: string;
  companyName: string;
  /** lower case */
  email: string;
  name: string | null;
  role: TenantRole;
}

export function validateContacts(
  sheet: Sheet,
  companies: ReadonlyMap<string, ContactCompany>,
  studyYear: number,
): { ok: true; contacts: ContactRow[] } | { ok: false; problems: ImportProblem[] } {
  const problems = new Problems();
  const cols = mapColumns(sheet, CONTACT_COLUMNS, CONTACT_REQUIRED, problems);
  const out: ContactRow[] = [];
  const seen = new Map<string, number>();

  for (const { row, check } of checkedRows(sheet, cols, problems)) {
    const { get, bad } = check;

    const code = check.required("participant_code");
    let company: ContactCompany | undefined;
    if (code !== "") {
      company = companies.get(code);
      if (!company) {
        bad("participant_code", code, msg(
          "Ingen deltaker har denne koden. Deltakere opprettes ved å importere deltakerfilen.",
          "no participant has this code; participants are created by the participants import",
        ));
      } else if (!company.inStudy) {
        bad("participant_code", code, msg(
          `Deltakeren er ikke med i undersøkelsen ${studyYear}.`,
          `the participant takes no part in study ${studyYear}`,
        ));
        company = undefined;
      }
    }

    const email = check.required("email").toLowerCase();
    if (email !== "" && !isEmailAddress(email)) {
      bad("email", email, msg("Ikke en gyldig e-postadresse.", "not a valid e-mail address"));
    }

    const roleText = check.required("role");
    const role = roleText === "" ? null : parseRole(roleText);
    if (roleText !== "" && !role) {
      bad("role", roleText, msg(
        "Ukjent rolle. Bruk leder, teamleder eller leser (eller manager, teamlead, viewer).",
        "unknown role; use manager, teamlead or viewer (or leder, teamleder, leser)",
      ));
    }

    const name = get("name") ?? "";
    if (name.length > MAX_CONTACT_NAME_CHARS) {
      bad("name", name, msg(`Navnet er lengre enn ${MAX_CONTACT_NAME_CHARS} tegn.`, `the name is longer than ${MAX_CONTACT_NAME_CHARS} characters`));
    }

    if (code !== "" && email !== "") {
      const key = `${code}\u0000${email}`;
      const first = seen.get(key);
      if (first !== undefined) {
        bad("email", email, msg(
          `Samme person i samme selskap står allerede på ${rowsText(first).nb}; hver person skal stå én gang.`,
          `the same person of the same company is already on ${rowsText(first).en}; list each person once`,
        ));
      } else seen.set(key, row.rowNumber);
    }

    if (check.ok && company && role) {
      out.push({ rowNumber: row.rowNumber, participantCode: code, tenantId: company.id, companyName: company.name, email, name: name === "" ? null : name, role });
    }
  }

  if (problems.count === 0 && out.length === 0) {
    problems.add(1, "email", "", msg("Filen har ingen kontakter.", "the file holds no contacts"));
  }
  if (problems.count > 0) return { ok: false, problems: problems.list };
  return { ok: true, contacts: out };
}
