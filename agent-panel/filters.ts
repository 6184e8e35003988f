/**
 * The customers view's filter in the URL hash. What a filter means (cleaning, matching live updates,
 * order) is protocol/inbox.ts, shared with the hub.
 */
import { cleanFilter, FILTER_KEYS, type FilterKey } from '../protocol/inbox.js';
import type { LanguageCount } from '../protocol/api.js';
import type { ConversationFilter } from '../protocol/types.js';

export { cleanFilter, matchesFilter, upsert } from '../protocol/inbox.js';

export function filterToParams(filter: ConversationFilter, forHash = false): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value === undefined || value === '') continue;
    if (forHash && key === 'inbox' && value === 'all') continue;
    params.set(key, String(value));
  }
  return params;
}

export function filterFromHash(hash: string): ConversationFilter {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return cleanFilter(Object.fromEntries(params) as Partial<Record<FilterKey, string>>);
}

/** Same tags in the same order (a hub without contacts sends none). */
export const sameTags = (a: string[] | undefined, b: string[] | undefined): boolean => (a ?? []).join('\n') === (b ?? []).join('\n');

/** The language filter's choices after one more conversation in `language` (offered if it was not yet). */
export function countLanguage(languages: LanguageCount[], language: string): LanguageCount[] {
  return languages.some((l) => l.language === language)
    ? languages.map((l) => (l.language === language ? { ...l, count: l.count + 1 } : l))
    : [...languages, { language, count: 1 }];
}
