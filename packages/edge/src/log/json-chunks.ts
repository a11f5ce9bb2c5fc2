// D1 caps the size of a bound value (SQLITE_TOOBIG past it), so rows travel as JSON arrays cut to a size it takes:
// the event log, the archive index, the recommendation rows and their KV marks all bind their lists through this.

/** The largest JSON array, in characters, bound as one value: well inside D1's cap on a string or row. */
export const CHUNK_CHARS = 400_000;

/** `items` as JSON arrays of at most `max` characters each (an item larger than that goes alone). */
export function jsonChunks(items: readonly unknown[], max = CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let part: string[] = [];
  let size = 2;
  for (const item of items) {
    const s = JSON.stringify(item);
    if (part.length && size + s.length + 1 > max) {
      chunks.push(`[${part.join(',')}]`);
      [part, size] = [[], 2];
    }
    part.push(s);
    size += s.length + 1;
  }
  if (part.length) chunks.push(`[${part.join(',')}]`);
  return chunks;
}
