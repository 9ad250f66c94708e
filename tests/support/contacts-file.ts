// A study's contacts file (docs/contacts-format.md) of 170 people for the onboarding tests:
// about three people per company (a manager, a team lead, a viewer), each a different address,
// semicolon-separated as Norwegian spreadsheet exports are. The broken version has exactly
// three wrong rows, one per kind of problem.

export const CONTACT_ROWS = 170;

export interface Contact {
  code: string;
  email: string;
  name: string;
  role: string;
}

/** The file's rows; row r of the file (the header is row 1) is contacts[r - 2]. */
export function contactsFor(codes: string[], tag: string): Contact[] {
  const roles = ["leder", "teamleder", "leser"];
  return Array.from({ length: CONTACT_ROWS }, (_, i) => ({
    code: codes[i % codes.length]!,
    email: `person${i + 2}-${tag}@example.no`,
    name: `Person ${i + 2}`,
    role: roles[Math.floor(i / codes.length) % 3]!,
  }));
}

/** The three broken rows: the file's row, the column named, and the value written there. */
export const BROKEN = [
  { row: 10, column: "participant_code", value: "finnes-ikke" },
  { row: 50, column: "email", value: "ikke-en-adresse" },
  { row: 120, column: "role", value: "sjef" },
] as const;

export function contactsCsv(contacts: Contact[], options: { broken?: boolean } = {}): string {
  const rows = contacts.map((c) => ({ ...c }));
  if (options.broken) {
    rows[BROKEN[0].row - 2]!.code = BROKEN[0].value;
    rows[BROKEN[1].row - 2]!.email = BROKEN[1].value;
    rows[BROKEN[2].row - 2]!.role = BROKEN[2].value;
  }
  const lines = ["participant_code;email;name;role;# notat", ...rows.map((c) => `${c.code};${c.email};${c.name};${c.role};`)];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
