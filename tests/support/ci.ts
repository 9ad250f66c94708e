/**
 * Whether this run is CI (`CI` set and not "0"/"false", as CI services and `.ci/run` set it).
 * In CI a missing dependency (Chromium, PostgreSQL) fails the run instead of skipping tests.
 */
export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean => Boolean(env.CI) && !/^(0|false)$/i.test(env.CI ?? "");
