// Raw, gzip and brotli (quality 11) sizes of a file: the figures the size report and budget tests use.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const sizesOf = (file) => sizesOfBytes(readFileSync(file));

export function sizesOfBytes(raw) {
  return {
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }).length,
  };
}
