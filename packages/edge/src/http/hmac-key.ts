// Keys derived from a secret for one purpose each (HMAC-SHA-256 of a label, as HKDF-Expand's first block):
// a signature made for one use can never pass as another's, and the secret itself never signs anything.
const enc = (s: string) => new TextEncoder().encode(s);

export const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** An HMAC-SHA-256 key for `label` only, derived from `secret`. */
export async function derivedKey(secret: string, label: string): Promise<CryptoKey> {
  const master = await crypto.subtle.importKey('raw', enc(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const bytes = await crypto.subtle.sign('HMAC', master, enc(label));
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export const sign = async (key: CryptoKey, text: string) => b64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc(text))));

/** Constant-time (crypto.subtle.verify); a signature that is not base64url is simply wrong. */
export async function verify(key: CryptoKey, text: string, signature: string): Promise<boolean> {
  try {
    return await crypto.subtle.verify('HMAC', key, fromB64url(signature), enc(text));
  } catch {
    return false;
  }
}

/** 128 random bits, base64url: the id of a session or a preview link. */
export const randomId = () => b64url(crypto.getRandomValues(new Uint8Array(16)));
