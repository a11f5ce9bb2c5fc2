// Segment membership kept on the profile: recomputed on every merge, with the time each was entered,
// and the entries and exits that happened, which the caller logs as events.
import { dict, own } from '../contract/dict.js';
import type { Profile } from '../contract/profile.js';
import type { Rule } from '../contract/rules.js';
import { segmentLookup, type RequestContext } from './evaluate.js';

export interface MembershipChange {
  segments: Profile['segments'];
  entered: string[];
  exited: string[];
}

export function recomputeSegments(
  profile: Profile,
  rules: ReadonlyMap<string, Rule>,
  now: number,
  context: RequestContext = {},
): MembershipChange {
  const consent = profile.consent ?? { analytics: false, personalization: false };
  const facts = segmentLookup(rules, { profile, context, now, consent });
  const at = new Date(now).toISOString();
  const segments: Profile['segments'] = dict();
  const entered: string[] = [];
  for (const id of rules.keys()) {
    if (!facts.segment(id)) continue;
    const was = own(profile.segments, id);
    segments[id] = was ?? { since: at };
    if (!was) entered.push(id);
  }
  const exited = Object.keys(profile.segments).filter((id) => !own(segments, id));
  return { segments, entered, exited };
}
