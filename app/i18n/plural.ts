// Messages that depend on a number: a `one` and an `other` form, chosen by the `count`
// parameter through Intl.PluralRules (nb and en both have exactly these two forms).

export interface Plural {
  readonly one: string;
  readonly other: string;
}

/** A catalogue value: text, or text by number. */
export type Message = string | Plural;

export const plural = (one: string, other: string): Plural => ({ one, other });
