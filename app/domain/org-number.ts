// Norwegian organisation numbers (Brønnøysundregistrene): 8 digits and a MOD11 control digit.

const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * The MOD11 control digit for the first 8 digits of an organisation number, or null
 * when `base` is not 8 digits or has no control digit (remainder 1: such a base is never issued).
 */
export function orgNumberControlDigit(base: string): number | null {
  if (!/^\d{8}$/.test(base)) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(base[i]) * WEIGHTS[i]!;
  const control = 11 - (sum % 11);
  if (control === 10) return null;
  return control === 11 ? 0 : control;
}

/** True for exactly 9 digits whose last digit is the MOD11 control digit of the first 8. */
export function isValidOrgNumber(s: string): boolean {
  if (!/^\d{9}$/.test(s)) return false;
  return orgNumberControlDigit(s.slice(0, 8)) === Number(s[8]);
}
