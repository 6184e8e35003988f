/**
 * Custom contact fields and the tag catalogue: what an admin may define, and what values and tags
 * agents may store. Pure functions; a refusal is a 400 that names the field or tag.
 */
import { CONTACT_FIELD_TYPES, type ContactFieldDefinition, type ContactFieldValue, type Tag, type TagCatalogue } from '../../protocol/contacts.js';
import { LIMITS } from '../../protocol/limits.js';
import { badRequest } from '../errors.js';

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const COLOR = /^#[0-9a-f]{6}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_VALUE_MAX = 1000;

export function checkDefinitions(items: ContactFieldDefinition[]): ContactFieldDefinition[] {
  if (items.length > LIMITS.contactFields) throw badRequest(`At most ${LIMITS.contactFields} contact fields`);
  const keys = new Set<string>();
  return items.map((item) => {
    if (!KEY.test(item.key)) throw badRequest(`Field key "${item.key}" must be lower-case letters, digits or _ and start with a letter`);
    if (keys.has(item.key)) throw badRequest(`Field key "${item.key}" is used twice`);
    keys.add(item.key);
    const label = item.label.trim();
    if (!label) throw badRequest(`Field "${item.key}" needs a label`);
    if (!(CONTACT_FIELD_TYPES as readonly string[]).includes(item.type)) throw badRequest(`Field "${item.key}" has an unknown type`);
    const options = item.type === 'select' ? [...new Set(item.options.map((o) => o.trim()).filter(Boolean))] : [];
    if (item.type === 'select' && options.length === 0) throw badRequest(`Select field "${label}" needs at least one option`);
    if (options.length > LIMITS.contactFieldOptions) throw badRequest(`Select field "${label}" has more than ${LIMITS.contactFieldOptions} options`);
    return { key: item.key, label, type: item.type, options, required: item.required === true };
  });
}

/** A real calendar day, `YYYY-MM-DD`. */
const isDay = (value: string): boolean => DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/**
 * The stored values after applying `changes` (by key) to `current`. Unknown keys, wrong types,
 * options outside the list and clearing a required field are refused.
 */
export function applyFieldValues(
  definitions: ContactFieldDefinition[],
  current: Record<string, ContactFieldValue>,
  changes: Record<string, ContactFieldValue>,
): Record<string, ContactFieldValue> {
  const next = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    const field = definitions.find((d) => d.key === key);
    if (!field) throw badRequest(`There is no contact field "${key}"`);
    const empty = value === null || value === '';
    if (empty) {
      if (field.required) throw badRequest(`"${field.label}" is required`);
      delete next[key];
      continue;
    }
    next[key] = checkValue(field, value);
  }
  return next;
}

function checkValue(field: ContactFieldDefinition, value: ContactFieldValue): ContactFieldValue {
  const wrong = (expected: string) => badRequest(`"${field.label}" must be ${expected}`);
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') throw wrong('text');
      if (value.length > TEXT_VALUE_MAX) throw wrong(`at most ${TEXT_VALUE_MAX} characters`);
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a number');
      return value;
    case 'date':
      if (typeof value !== 'string' || !isDay(value)) throw wrong('a date (YYYY-MM-DD)');
      return value;
    case 'select':
      if (typeof value !== 'string' || !field.options.includes(value)) throw wrong(`one of: ${field.options.join(', ')}`);
      return value;
    case 'checkbox':
      if (typeof value !== 'boolean') throw wrong('true or false');
      return value;
  }
}

export function checkCatalogue(catalogue: TagCatalogue): TagCatalogue {
  if (catalogue.tags.length > LIMITS.catalogueTags) throw badRequest(`At most ${LIMITS.catalogueTags} tags`);
  const seen = new Set<string>();
  const tags: Tag[] = catalogue.tags.map((tag) => {
    const name = tag.name.trim();
    if (!name || name.length > LIMITS.tag) throw badRequest(`A tag name must be 1–${LIMITS.tag} characters`);
    if (seen.has(name.toLowerCase())) throw badRequest(`Tag "${name}" is listed twice`);
    seen.add(name.toLowerCase());
    if (!COLOR.test(tag.color)) throw badRequest(`Tag "${name}" needs a colour like #1a7f37`);
    return { name, color: tag.color.toLowerCase() };
  });
  return { tags, freeTags: catalogue.freeTags === true };
}

/** Trimmed, de-duplicated tags; outside the catalogue only when free tags are allowed. */
export function checkTags(tags: string[], catalogue: TagCatalogue, max: number): string[] {
  const clean = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  if (clean.length > max) throw badRequest(`At most ${max} tags`);
  for (const tag of clean) {
    if (tag.length > LIMITS.tag) throw badRequest(`Tag "${tag.slice(0, 20)}…" is longer than ${LIMITS.tag} characters`);
    if (!catalogue.freeTags && !catalogue.tags.some((t) => t.name === tag)) throw badRequest(`Tag "${tag}" is not in the tag catalogue`);
  }
  return clean;
}
