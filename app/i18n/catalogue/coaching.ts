// Messages of the company's coaching pages (exports, bookings); merged into ../messages.ts.

export const nb = {
  "companyCoaching.placeholder.unused": "",
};

export const en: Record<keyof typeof nb, string> = {
  "companyCoaching.placeholder.unused": "",
};
