import { css } from 'lit';

export const viewStyles = css`
  :host { display: grid; grid-template-columns: minmax(0, 1fr) 280px; height: 100%; min-height: 0; container-type: inline-size; }
  .chat { display: flex; flex-direction: column; min-height: 0; border-right: 1px solid var(--sb-border); }
  .chat-body { display: flex; flex-direction: column; flex: 1; min-height: 0; position: relative; }
  .chat-body.dropping { outline: 3px dashed var(--sb-accent); outline-offset: -6px; }
  .drop-hint { position: absolute; inset: 0; z-index: 1; display: flex; align-items: center; justify-content: center; pointer-events: none;
    background: color-mix(in srgb, var(--sb-surface) 85%, transparent); color: var(--sb-accent); font-weight: 600; }
  header { padding: 8px 12px; border-bottom: 1px solid var(--sb-border); display: grid; gap: 6px; }
  .title { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  .title h2 { font-size: 16px; margin: 0; overflow-wrap: anywhere; }
  .presence { font-size: 12px; color: var(--sb-muted); }
  .presence.online { color: var(--sb-ok); }
  .actions { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
  .status-line { margin: 0; font-size: 13px; color: var(--sb-muted); }
  .collision { margin: 0; font-size: 13px; color: var(--sb-warn); }
  .collision .agents-typing { font-style: italic; }
  .handler { font-size: 12px; color: var(--sb-muted); }
  .panes { display: none; gap: 0; border: 1px solid var(--sb-border); border-radius: var(--sb-radius); overflow: hidden; justify-self: start; }
  .panes [role='tab'] { border: none; border-radius: 0; padding: 6px 16px; }
  .panes [role='tab'][aria-selected='true'] { background: var(--sb-accent); color: var(--sb-accent-text); }
  .panes [role='tab']:focus-visible { outline-offset: -4px; outline-color: var(--sb-text); }
  .transcript { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; min-height: 120px; }
  .msg { max-width: 80%; display: grid; gap: 2px; }
  .msg .text { white-space: pre-wrap; overflow-wrap: anywhere; padding: 6px 10px; border-radius: var(--sb-radius); background: var(--sb-surface-alt); }
  .msg.agent, .msg.bot { align-self: flex-end; }
  .msg.agent .text { background: var(--sb-selected); }
  .msg.bot .text { border: 1px dashed var(--sb-border); background: var(--sb-surface); }
  .msg.system { align-self: center; font-style: italic; color: var(--sb-muted); font-size: 12px; }
  .choices { display: flex; gap: 4px; flex-wrap: wrap; }
  .meta { font-size: 11px; color: var(--sb-muted); }
  .meta .via { font-style: italic; }
  .typing { font-size: 12px; color: var(--sb-muted); padding: 0 12px 4px; min-height: 18px; }
  sb-assist-suggestions { padding: 0 8px; border-top: 1px solid var(--sb-border); }
  .composer { display: grid; gap: 4px; padding: 8px; border-top: 1px solid var(--sb-border); }
  .composer .row { display: flex; gap: 6px; }
  .composer textarea { flex: 1; min-height: 44px; resize: vertical; }
  .held { font-size: 13px; color: var(--sb-warn); }
  .back { display: none; }
  .side { overflow-y: auto; min-height: 0; }
  dialog.close-dialog { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 16px; width: min(420px, calc(100vw - 32px)); color: var(--sb-text); background: var(--sb-surface); }
  dialog.close-dialog::backdrop { background: rgb(0 0 0 / 0.35); }
  dialog.close-dialog form { display: grid; gap: 8px; }
  dialog.close-dialog h2 { font-size: 16px; margin: 0 0 4px; overflow-wrap: anywhere; }
  dialog.close-dialog .hint { margin: 0; font-size: 12px; color: var(--sb-muted); }
  dialog.close-dialog .error { margin: 0; }
  .dialog-buttons { display: flex; gap: 8px; justify-content: flex-end; flex-wrap: wrap; }
  /* Narrow (a phone, a CRM sidebar): one column, and the side panel is the Details tab. */
  @container (max-width: 640px) {
    :host { display: flex; flex-direction: column; }
    .chat { border-right: none; flex: 1 1 auto; }
    .chat.details { flex: none; }
    .chat.details .chat-body { display: none; }
    .panes { display: inline-flex; }
    .back { display: inline-block; }
    .side { flex: 1 1 auto; border-top: 1px solid var(--sb-border); }
    .side.hidden-narrow { display: none; }
  }
`;

export const sideStyles = css`
  /* One column no wider than the panel: a section that needs more wraps (or scrolls in itself) rather than widening them all. */
  :host { display: grid; grid-template-columns: minmax(0, 1fr); gap: 14px; padding: 10px; align-content: start; }
  h3 { font-size: 12px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--sb-muted); }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 8px; margin: 0; }
  dt { color: var(--sb-muted); }
  dd { margin: 0; overflow-wrap: anywhere; }
  .tags { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 6px; }
  .tags .chip button { border: none; background: none; padding: 0 0 0 4px; color: inherit; }
  form.inline { display: flex; gap: 4px; }
  form.inline input { flex: 1; min-width: 0; }
  fieldset { border: none; padding: 0; margin: 0; display: grid; gap: 2px; }
  fieldset label { display: flex; gap: 6px; align-items: center; }
  .note { background: var(--sb-note-bg); border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 6px 8px; margin-bottom: 6px; }
  .note .text { white-space: pre-wrap; overflow-wrap: anywhere; }
  .add-note { display: grid; gap: 4px; }
  .downloads { display: grid; gap: 4px; justify-items: start; }
  .ready { font-size: 12px; }
  .identity.provided { font-size: 12px; font-style: italic; }
  .identity-warning { margin-top: 2px; padding: 2px 6px; font-size: 12px; border-radius: var(--sb-radius); background: var(--sb-warn-bg); color: var(--sb-warn); }
  .feedback { font-size: 12px; margin-top: 4px; }
  .hint { margin: 0 0 6px; font-size: 12px; color: var(--sb-muted); }
  .handling .holder { margin: 0 0 2px; }
  .feedback.error { color: var(--sb-danger); }
`;
