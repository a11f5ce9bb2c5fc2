// Replenishment periods of the products a batch orders (catalog `attributes.replenishDays`), looked up at
// ingest for repurchase-due triggers only: the writer has no catalog of its own.
import type { CompiledCatalog } from '../catalog/compile.js';
import { currentCatalog } from '../catalog/store.js';
import type { Trigger } from '../contract/triggers.js';
import type { AcceptedEvent } from '../contract/events.js';

export function orderedProductIds(events: AcceptedEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.type !== 'track' || e.event !== 'Order Completed' || !Array.isArray(e.properties?.products)) continue;
    for (const item of e.properties.products as Record<string, unknown>[]) {
      const id = item?.product_id ?? item?.sku ?? item?.id;
      if (typeof id === 'string' || typeof id === 'number') ids.add(String(id));
    }
  }
  return [...ids];
}

/**
 * productId → days, for the ordered products whose catalog entry names a positive `replenishDays`. Built with
 * Object.fromEntries so a product id like `__proto__` is an own key (it travels to the writer by RPC).
 */
export function replenishDaysOf(catalog: CompiledCatalog | null, productIds: string[]): Record<string, number> {
  const out: [string, number][] = [];
  for (const id of productIds) {
    const days = Number(catalog?.byId.get(id)?.product.attributes.replenishDays);
    if (Number.isFinite(days) && days > 0) out.push([id, days]);
  }
  return Object.fromEntries(out);
}

/** The replenishment periods a batch needs: none unless a repurchase-due trigger exists and something was ordered. */
export async function replenishFor(kv: KVNamespace, site: string, bundled: unknown, triggers: readonly Trigger[], events: AcceptedEvent[]): Promise<Record<string, number> | undefined> {
  if (!triggers.some((t) => t.on === 'repurchase-due')) return undefined;
  const ids = orderedProductIds(events);
  if (!ids.length) return undefined;
  return replenishDaysOf(await currentCatalog(kv, site, bundled), ids);
}
