// A validated config made ready for serving: indexes and precomputed facts, computed once per version
// so that a decision is lookups and rule evaluation only.
import type { AttuneConfig, Experiment, Slot, Variant } from '../contract/config.js';
import type { SiteWithId } from '../contract/sites.js';
import type { Rule } from '../contract/rules.js';
import { versionOf } from '../experiments/hash.js';
import { isContextual } from '../segments/evaluate.js';
import { experimentSchedule, windowsOf, type Windows } from './schedule.js';

export interface CompiledVariant extends Variant {
  /** Usable without personalization consent */
  contextual: boolean;
  /** Segments the audience names, for the decision's reason */
  segmentRefs: string[];
  /** The schedule as instants, per time zone of the config's sites (absent: always live) */
  windows?: Windows;
}

export interface CompiledExperiment extends Experiment {
  /** `schedule` (or `start`/`end`) as instants, per time zone of the config's sites */
  windows?: Windows;
}

export interface CompiledSlot extends Omit<Slot, 'variants'> {
  /** Highest priority first; ties keep the config's order */
  variants: CompiledVariant[];
  experiments: CompiledExperiment[];
}

export interface CompiledConfig {
  config: AttuneConfig;
  version: string;
  sites: SiteWithId[];
  /** The first site's time zone: where decisions without a site read local schedule times */
  timeZone: string;
  segmentRules: ReadonlyMap<string, Rule>;
  slots: ReadonlyMap<string, CompiledSlot>;
  /** The request facts contextual audiences read (`context: "device"` → "device"): what a cache must key on */
  contextualFacts: ReadonlySet<string>;
}

function contextOf(r: Rule | undefined, into: Set<string>): Set<string> {
  if (!r) return into;
  r.all?.forEach((x) => contextOf(x, into));
  r.any?.forEach((x) => contextOf(x, into));
  contextOf(r.not, into);
  if (r.context) into.add(r.context);
  return into;
}

/** Every `segment` a rule refers to, with the JSON path of the reference. */
export function segmentRefs(rule: Rule | undefined, path = ''): { id: string; path: string }[] {
  if (!rule) return [];
  if (rule.all) return rule.all.flatMap((r, i) => segmentRefs(r, `${path}.all[${i}]`));
  if (rule.any) return rule.any.flatMap((r, i) => segmentRefs(r, `${path}.any[${i}]`));
  if (rule.not) return segmentRefs(rule.not, `${path}.not`);
  return rule.segment !== undefined ? [{ id: rule.segment, path: `${path}.segment` }] : [];
}

export function compileConfig(config: AttuneConfig): CompiledConfig {
  const sites = Object.entries(config.sites).map(([id, s]) => ({ ...s, id }));
  const zones = [...new Set(sites.map((s) => s.timeZone ?? 'UTC'))];
  const slots = new Map<string, CompiledSlot>();
  for (const slot of config.slots) {
    const variants = slot.variants
      .map((v, i) => ({ v, i }))
      .sort((a, b) => b.v.priority - a.v.priority || a.i - b.i)
      .map(({ v }) => {
        const windows = windowsOf(v.schedule, zones);
        return { ...v, contextual: !v.audience || isContextual(v.audience), segmentRefs: segmentRefs(v.audience).map((r) => r.id), ...(windows && { windows }) };
      });
    const experiments = config.experiments
      .filter((e) => e.slot === slot.id)
      .map((e) => {
        const windows = windowsOf(experimentSchedule(e), zones);
        return windows ? { ...e, windows } : e;
      });
    slots.set(slot.id, { ...slot, variants, experiments });
  }
  const contextualFacts = new Set<string>();
  for (const slot of slots.values()) for (const v of slot.variants) if (v.contextual) contextOf(v.audience, contextualFacts);
  return {
    config,
    contextualFacts,
    version: versionOf(config),
    sites,
    timeZone: zones[0] ?? 'UTC',
    segmentRules: new Map(config.segments.map((s) => [s.id, s.rule])),
    slots,
  };
}
