// Messages of the insights pages; merged into the one catalogue in ../messages.ts.

export const nb = {
} as const;

export const en: Record<keyof typeof nb, string> = {
};
