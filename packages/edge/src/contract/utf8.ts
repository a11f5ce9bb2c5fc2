// The byte limits of the contract (an event's 32 KB, the Queue's message sizes) are UTF-8 bytes of JSON text.
// Counted here without encoding: on the ingest path a TextEncoder copy per event and per message was 7% of a
// request's isolate time (BENCH_PROFILE, 2026-12-03).

/** UTF-8 bytes of a string, as TextEncoder would encode it (a lone surrogate becomes U+FFFD, 3 bytes). */
export function utf8Bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 4 bytes for its 2 units
      i++;
    } else n += 2;
  }
  return n;
}
