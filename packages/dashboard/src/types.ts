// The answers of the reports API, as the dashboard reads them (the routes live in packages/edge/src/reports).
import type { Unit } from './format.js';

export type Period = { from: string; to: string; days: number };
export type Kpi = { value: number | null; previous: number | null; change: number | null; relative: number | null; label: string; better: 'up' | 'down'; unit: Unit; definition: string };
export type Overview = {
  period: Period;
  previous: { from: string; to: string };
  kpis: Record<string, Kpi>;
  series: { day: string; visitors: number; buyers: number; orders: number; revenue: number; conversion_rate: number | null }[];
};
export type Funnel = { steps: { step: string; visitors: number; conversion: number | null; dropOff: number | null; dropped: number }[] };
export type Segments = { segments: { segment: string; size: number; sizeAtStart: number; change: number; entered: number; exited: number; configured: boolean; series: { day: string; size: number }[] }[] };
export type Quality = { checked: { identifies: number; orders: number }; flags: { issue: string; path: string; events: number; visitors: number }[]; bots: { events: number; days: { day: string; count: number }[]; families: { family: string; count: number }[] } };
export type Recs = { windowDays: number; strategies: { strategy: string; views: number; viewers: number; clicks: number; clickers: number; ctr: number | null; orders: number; revenue: number }[] };
export type BeforeAfter = { metric: string; label: string; unit: Unit; better: 'up' | 'down'; days: number; before: { from: string; to: string; value: number | null }; after: { from: string; to: string; value: number | null }; change: number | null; relative: number | null; partial: boolean };
export type Delivery = { key: string; trigger: string; kind: string; profileId: string; url: string; outcome: string; attempts: number; status: number | null; error: string | null; firstAt: string; lastAt: string; nextRetryAt: string | null };
export type TriggerLog = { triggers: string[]; deliveries: Delivery[] };
export type { DiscoveryReport, ExperimentsReport } from '@attune/edge/contract';
