import { css } from 'lit';

export const listStyles = css`
  :host { display: flex; flex-direction: column; min-height: 0; height: 100%; }
  /* All ten views stay in sight: they wrap (two or three short lines in a 360 px list), so every count shows at once. */
  .views { display: flex; flex-wrap: wrap; gap: 4px; padding: 8px 8px 6px; flex: none; }
  .views button { flex: none; white-space: nowrap; padding: 2px 7px; font-size: 13px; }
  .views button[aria-pressed='true'] { background: var(--sb-accent); color: var(--sb-accent-text); border-color: var(--sb-accent); }
  .views button[aria-pressed='true'] .n { color: inherit; }
  .n { color: var(--sb-muted); font-variant-numeric: tabular-nums; }
  /* A view's count is its unreplied visitor messages, drawn as the rows' unreplied badge is, so the two read alike
     next to the tiles, which count conversations. Zero stays plain text, and so do Closed's: nothing there
     waits for a reply. */
  .n.waiting { background: var(--sb-accent); color: var(--sb-accent-text); border-radius: 10px; padding: 0 6px; }
  .views button[aria-pressed='true'] .n.waiting { background: var(--sb-accent-text); color: var(--sb-accent); }
  .search { padding: 0 8px 6px; display: flex; gap: 6px; }
  .search input { flex: 1; min-width: 0; }
  .filters { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; padding: 0 8px 8px; }
  .filters[hidden] { display: none; }
  .filters label { display: grid; font-size: 12px; color: var(--sb-muted); gap: 2px; }
  .filters .language { grid-column: 1 / -1; display: grid; gap: 2px; }
  .hint { margin: 0; font-size: 12px; color: var(--sb-muted); }
  .filters input, .filters select { min-width: 0; width: 100%; }
  .summary { padding: 0 8px 6px; font-size: 12px; color: var(--sb-muted); display: flex; justify-content: space-between; gap: 6px; }
  /* The list and its "Show more" scroll together: the button comes into view only at the end of the list. */
  .scroller { overflow-y: auto; flex: 1; min-height: 0; border-top: 1px solid var(--sb-border); }
  ul[role='listbox'] { list-style: none; margin: 0; padding: 0; outline-offset: -3px; }
  li[role='option'] { padding: 8px 10px; border-bottom: 1px solid var(--sb-border); cursor: pointer; display: grid; gap: 2px; }
  /* A long list lays out and paints only the rows near the view (they stay in the accessibility tree). */
  li[role='option'] { content-visibility: auto; contain-intrinsic-size: auto 80px; }
  li[role='option']:hover { background: var(--sb-surface-alt); }
  li[aria-selected='true'] { background: var(--sb-selected); }
  li.active { box-shadow: inset 3px 0 0 var(--sb-accent); }
  .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  li.unread .name, li.unread .preview { font-weight: 700; color: var(--sb-text); }
  .row { display: flex; gap: 6px; align-items: center; justify-content: space-between; min-width: 0; }
  .row.chips { justify-content: flex-start; flex-wrap: wrap; }
  .row time { flex: none; white-space: nowrap; }
  .preview { color: var(--sb-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .badge { background: var(--sb-accent); color: var(--sb-accent-text); border-radius: 10px; padding: 0 7px; font-size: 12px; flex: none; }
  .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--sb-border); display: inline-block; flex: none; }
  .dot.online { background: var(--sb-ok); }
  .load-more { display: block; margin: 8px auto 12px; }
  .empty { padding: 24px; text-align: center; color: var(--sb-muted); border-top: 1px solid var(--sb-border); }
  .empty p { margin: 0 0 8px; overflow-wrap: anywhere; }
  .chip.where { color: var(--sb-muted); }
  time { font-size: 12px; color: var(--sb-muted); }
`;
