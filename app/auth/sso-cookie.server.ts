import { SSO_LOGIN_TTL_MS } from "~/models/accounts/sso.server";

/** Binds a started SSO sign-in to the browser that started it; only the callback path sees it. */
export const SSO_COOKIE = "innsikt_sso";

export const ssoCookie = (token: string) => `${SSO_COOKIE}=${token}; Path=/sso; HttpOnly; Secure; SameSite=Lax; Max-Age=${Math.floor(SSO_LOGIN_TTL_MS / 1000)}`;

export const clearSsoCookie = () => `${SSO_COOKIE}=; Path=/sso; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
