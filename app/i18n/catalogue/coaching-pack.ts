// Messages of the coaching pack documents (PDF, XLSX, CSV); merged into ../messages.ts.

export const nb = {
  "pack.placeholder.unused": "",
};

export const en: Record<keyof typeof nb, string> = {
  "pack.placeholder.unused": "",
};
