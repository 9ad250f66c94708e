// The password rules the browser checks too (a form schema runs on both sides), so they may
// not live in a .server module: the browser build empties those.

export const MIN_PASSWORD_LENGTH = 12;
