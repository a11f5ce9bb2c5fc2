// SHA-256 by WebCrypto (crypto.subtle): the Worker's, and Node's since 20 (globalThis.crypto), so the Worker and
// the CLI hash with the same code. Text is hashed as UTF-8 (a lone surrogate as U+FFFD, as node:crypto does).

/** Lower-case hex of bytes. */
export const toHex = (bytes: ArrayBuffer | Uint8Array): string =>
  [...(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** SHA-256 of the text's UTF-8 bytes, 64 hex digits. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}
