/** Look and intents shared by the admin screens. */
import { css } from 'lit';
import { type AdminIntent, request } from '../events.js';

/** Shared look of the admin screens. */
export const adminStyles = css`
  :host { display: grid; gap: 12px; align-content: start; }
  section { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 10px; display: grid; gap: 8px; }
  h2 { font-size: 15px; margin: 0; }
  /* position: relative keeps what is positioned inside (the visually hidden "Actions" header) in the scrolling box. */
  .table { overflow-x: auto; position: relative; }
  table { width: 100%; border-collapse: collapse; }
  td, th { text-align: left; border-bottom: 1px solid var(--sb-border); padding: 4px 6px; vertical-align: top; overflow-wrap: anywhere; }
  /* A header breaks between its words, never inside one: over a column of checkboxes "Escalation email" was
     squeezed to a few letters a line. */
  th { font-size: 12px; color: var(--sb-muted); overflow-wrap: normal; }
  tr.archived td { color: var(--sb-muted); text-decoration: line-through; }
  form { display: flex; gap: 6px; flex-wrap: wrap; align-items: flex-end; }
  form label { display: grid; gap: 2px; font-size: 12px; color: var(--sb-muted); }
  textarea { min-width: 200px; min-height: 56px; }
  .result { padding: 6px 8px; background: var(--sb-surface-alt); border-radius: var(--sb-radius); white-space: pre-wrap; overflow-wrap: anywhere; }
  td.buttons { white-space: nowrap; overflow-wrap: normal; }
  td.buttons button + button { margin-left: 4px; }
  td.nowrap { white-space: nowrap; overflow-wrap: normal; }
  /* A text column keeps room for a few words a line: on a phone the table then scrolls sideways in its .table box
     (overflow-wrap: anywhere alone let a FAQ's questions and answer shrink to a letter a line). */
  td:not(.nowrap, .buttons):not(:has(input, select, button)) { min-width: 8em; }
`;

/** Asks the panel to run an admin intent; resolves whether the hub accepted it (the status line tells the admin). */
export function adminAction(from: HTMLElement, intent: AdminIntent): Promise<boolean> {
  return request(from, 'sb-admin-action', intent);
}
