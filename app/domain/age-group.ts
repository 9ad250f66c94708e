// Shopper age groups: the only form in which a shopper's age reaches a company
// (pages, exports, the read API). Shoppers are 18..99 (db check on shoppers.age).

export const AGE_GROUPS = ["18-29", "30-39", "40-49", "50-59", "60-69", "70+"] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** Inclusive bounds; `max` null for the open top group. */
export const AGE_GROUP_BOUNDS: Record<AgeGroup, { min: number; max: number | null }> = {
  "18-29": { min: 18, max: 29 },
  "30-39": { min: 30, max: 39 },
  "40-49": { min: 40, max: 49 },
  "50-59": { min: 50, max: 59 },
  "60-69": { min: 60, max: 69 },
  "70+": { min: 70, max: null },
};

export function ageGroupOf(age: number): AgeGroup {
  if (!Number.isInteger(age) || age < 18) throw new RangeError(`A shopper is a whole number of years, at least 18; got ${age}.`);
  for (const group of AGE_GROUPS) {
    const { max } = AGE_GROUP_BOUNDS[group];
    if (max === null || age <= max) return group;
  }
  return "70+";
}
