/** Labels and date formatting shared by the panel's views (text only: nothing here produces HTML). */
import type { BotStatus, TicketStatus } from '../protocol/types.js';

export const BOT_LABELS: Record<BotStatus, string> = { ok: 'OK', not_understood: 'Not understood', need_help: 'Need help' };
export const TICKET_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  active: 'Active',
  pending: 'Pending',
  resolved: 'Resolved',
  inactive: 'Inactive',
};

/** Today: time only; otherwise date and time, in the agent's locale. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function formatFull(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

/** Short message for an error of any kind. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
