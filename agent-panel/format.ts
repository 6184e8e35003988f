/** Labels and date formatting shared by the panel's views (text only: nothing here produces HTML). */
import type { BotStatus, Channel, Inbox, TicketStatus } from '../protocol/types.js';

export const BOT_LABELS: Record<BotStatus, string> = { ok: 'OK', not_understood: 'Not understood', need_help: 'Need help' };
export const TICKET_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  active: 'Active',
  pending: 'Pending',
  resolved: 'Resolved',
  inactive: 'Inactive',
};

export const CHANNEL_LABELS: Record<Channel, string> = { webchat: 'Webchat' };

export const INBOX_LABELS: Record<Inbox, string> = {
  new: 'New',
  active: 'Active',
  pending: 'Pending',
  expired: 'Expired',
  outgoing: 'Outgoing',
  inactive: 'Inactive',
  closed: 'Closed',
  mine: 'Mine',
  unassigned: 'Unassigned',
  all: 'All',
};

/** A count of conversations, "+" when it is only a lower bound: `1,000+`. */
export function countText(total: number, lowerBound: boolean): string {
  return `${total.toLocaleString('en-US')}${lowerBound ? '+' : ''}`;
}

/** "1 conversation", "12 conversations", "1,000+ conversations". */
export function conversationCount(total: number, lowerBound: boolean): string {
  return `${countText(total, lowerBound)} conversation${total === 1 && !lowerBound ? '' : 's'}`;
}

let languageNames: Intl.DisplayNames | null | undefined;

/** A language tag's name in the agent's language (`fr-CA` → “Canadian French”), or the tag itself. */
export function languageName(tag: string): string {
  if (languageNames === undefined) {
    try {
      languageNames = new Intl.DisplayNames(undefined, { type: 'language' });
    } catch {
      languageNames = null;
    }
  }
  try {
    return languageNames?.of(tag) ?? tag;
  } catch {
    return tag; // not a well-formed tag: show it as sent
  }
}

/**
 * Formatters made once: `toLocaleTimeString(…, options)` builds a new ICU formatter on every call (about 140 µs),
 * and a list re-rendered for each live update formats every listed conversation's time.
 */
const formatters: { time?: Intl.DateTimeFormat; dayTime?: Intl.DateTimeFormat; full?: Intl.DateTimeFormat } = {};
/** Times already formatted today (what "today" means changes at midnight, so the memo is per day). */
const formatted = new Map<string, string>();
let formattedOn = '';

/** A time for lists and transcripts, in the agent's locale: time only today ("14:05"), else date and time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const today = new Date().toDateString();
  if (today !== formattedOn || formatted.size > 5000) {
    formatted.clear();
    formattedOn = today;
  }
  const known = formatted.get(iso);
  if (known !== undefined) return known;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  formatters.time ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  formatters.dayTime ??= new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const text = (today === date.toDateString() ? formatters.time : formatters.dayTime).format(date);
  formatted.set(iso, text);
  return text;
}

/**
 * A full date and time, for details and tooltips, in the agent's locale: "Nov 29, 2026, 2:15 AM". The month is named,
 * so that 11/12 and 12/11 can't be mistaken, and seconds are left out, as in the lists.
 */
export function formatFull(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  formatters.full ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return formatters.full.format(date);
}

/** Short message for an error of any kind. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A `#rrggbb` colour (the hub stores tag colours that way); anything else is refused. */
const HEX_COLOR = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;

/** WCAG relative luminance of a `#rrggbb` colour (0 black … 1 white), or null if it is not one. */
export function luminance(color: string): number | null {
  const match = HEX_COLOR.exec(color.trim());
  if (!match) return null;
  const [r, g, b] = match.slice(1).map((hex) => {
    const c = Number.parseInt(hex, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Black or white text on a background colour: whichever has the higher WCAG contrast ratio with it.
 * A value that is not `#rrggbb` gets black (it is not used as a background then, see `tagStyle`).
 */
export function readableTextColor(background: string): '#000000' | '#ffffff' {
  const l = luminance(background);
  if (l === null) return '#000000';
  const onBlack = (l + 0.05) / 0.05;
  const onWhite = 1.05 / (l + 0.05);
  return onBlack >= onWhite ? '#000000' : '#ffffff';
}

/** Inline style of a coloured tag chip (for lit's styleMap); empty when the colour is unknown or invalid. */
export function tagStyle(color: string | undefined): Record<string, string> {
  if (!color || !HEX_COLOR.test(color)) return {};
  return { background: color, color: readableTextColor(color), 'border-color': color };
}
