import { css } from 'lit';

/** `<sb-team-chat>`: the thread list and the open thread side by side; one column with a Back button when narrow. */
export const teamChatStyles = css`
  :host { display: grid; grid-template-columns: minmax(220px, 300px) minmax(0, 1fr); height: 100%; min-height: 0; container-type: inline-size; }
  .threads { border-right: 1px solid var(--sb-border); min-height: 0; overflow-y: auto; }
  .threads h2, .thread-head h2 { font-size: 14px; margin: 0; }
  .threads h2 { padding: 10px 12px 6px; font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--sb-muted); }
  .threads ul { list-style: none; margin: 0; padding: 0; }
  .threads li + li.direct-first { border-top: 1px solid var(--sb-border); margin-top: 4px; padding-top: 4px; }
  .entry { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 2px 8px; width: 100%; text-align: left; border: none; border-radius: 0; padding: 8px 12px; background: none; }
  .entry:hover:not(:disabled) { background: var(--sb-surface-alt); }
  .entry[aria-current='true'] { background: var(--sb-selected); box-shadow: inset 3px 0 0 var(--sb-accent); }
  .entry:focus-visible { outline-offset: -3px; }
  .entry .name { display: flex; gap: 6px; align-items: center; min-width: 0; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
  .entry.unread .name, .entry.unread .preview { font-weight: 700; color: var(--sb-text); }
  .entry .preview { grid-column: 1 / -1; color: var(--sb-muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .badge { background: var(--sb-accent); color: var(--sb-accent-text); border-radius: 10px; padding: 0 7px; font-size: 12px; font-variant-numeric: tabular-nums; align-self: center; }
  .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--sb-border); flex: none; }
  .dot.online { background: var(--sb-ok); }
  .thread { display: flex; flex-direction: column; min-height: 0; min-width: 0; }
  .thread-head { display: flex; gap: 8px; align-items: center; padding: 10px 12px; border-bottom: 1px solid var(--sb-border); }
  .thread-head .hint { font-size: 12px; color: var(--sb-muted); }
  .log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; min-height: 120px; }
  .older { align-self: center; }
  .msg { max-width: 80%; display: grid; gap: 2px; align-self: flex-start; }
  .msg.mine { align-self: flex-end; }
  .msg .text { white-space: pre-wrap; overflow-wrap: anywhere; padding: 6px 10px; border-radius: var(--sb-radius); background: var(--sb-surface-alt); }
  .msg.mine .text { background: var(--sb-selected); }
  .meta { font-size: 11px; color: var(--sb-muted); }
  .typing { font-size: 12px; color: var(--sb-muted); padding: 0 12px 4px; min-height: 18px; }
  .composer { display: flex; gap: 6px; padding: 8px; border-top: 1px solid var(--sb-border); }
  .composer textarea { flex: 1; min-height: 44px; resize: vertical; }
  .placeholder, .empty { padding: 40px 24px; text-align: center; color: var(--sb-muted); }
  .error { padding: 6px 12px; background: var(--sb-danger-bg); color: var(--sb-danger); display: flex; justify-content: space-between; gap: 8px; align-items: center; }
  .back { display: none; }
  @container (max-width: 640px) {
    :host { grid-template-columns: minmax(0, 1fr); }
    .threads { border-right: none; }
    :host([open]) .threads, :host(:not([open])) .thread { display: none; }
    .back { display: inline-block; }
  }
`;

/** In the panel's own shadow root: the Team nav button's unread badge and the Team view's pane. */
export const teamPaneStyles = css`
  .team-tab .badge { display: inline-block; margin-left: 4px; min-width: 18px; padding: 0 6px; border-radius: 10px; font-size: 12px; background: var(--sb-danger); color: #fff; font-variant-numeric: tabular-nums; }
  .team-pane { min-height: 0; border-top: 1px solid var(--sb-border); }
`;
