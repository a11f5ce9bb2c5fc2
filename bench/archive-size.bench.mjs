// Bytes per event in the R2 archive (Parquet) as the consumer writes it and after compaction: bench/archive-size.ts.
// Pure CPU in Node, no local stack. Alone: `npm run bench -- archive-size`.
import { loadavg } from 'node:os';
import { importTs } from './ts.mjs';

export const name = 'archive size';

export async function run() {
  const { archiveSizes } = await importTs('bench/archive-size.ts');
  const load = loadavg()[0];
  const rows = await archiveSizes();
  // The machine is shared: its 1-minute load average (uptime) when the bench began and ended.
  const during = `${load.toFixed(1)}–${loadavg()[0].toFixed(1)}`;
  return rows.map((r) => ({ bench: name, ...r, 'load avg (1 min)': during }));
}
