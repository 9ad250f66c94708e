// The client secret of a company's OpenID provider, encrypted at rest with AES-256-GCM under
// SSO_SECRET_KEY (app/env.server.ts). The company's id is the additional authenticated data,
// so a ciphertext copied into another company's row does not decrypt. Format: "v1:" and the
// base64 of a 12-byte IV, the 16-byte tag and the ciphertext.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "~/env.server";

const VERSION = "v1:";

export class SsoKeyMissingError extends Error {
  override name = "SsoKeyMissingError";
}

function key(): Buffer {
  const k = env().ssoSecretKey;
  if (!k) throw new SsoKeyMissingError("SSO_SECRET_KEY is not set.");
  return k;
}

export function encryptSsoSecret(plaintext: string, tenantId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(tenantId));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

/** The secret, or null when it does not decrypt (another key, another company's row, tampered). */
export function decryptSsoSecret(stored: string, tenantId: string): string | null {
  if (!stored.startsWith(VERSION)) return null;
  const raw = Buffer.from(stored.slice(VERSION.length), "base64");
  if (raw.length < 28) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(tenantId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch (error) {
    if (error instanceof SsoKeyMissingError) throw error;
    return null;
  }
}
