import { css } from 'lit';

export const contactPageStyles = css`
  :host { display: grid; gap: 12px; padding: 12px; align-content: start; container-type: inline-size; }
  header { display: grid; gap: 6px; }
  .title { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  h2 { font-size: 18px; margin: 0; overflow-wrap: anywhere; }
  h2:focus { outline: none; }
  h2:focus-visible { outline: 3px solid var(--sb-accent); }
  h3 { font-size: 12px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--sb-muted); }
  h3 .muted { text-transform: none; letter-spacing: 0; font-weight: normal; }
  .meta { font-size: 12px; color: var(--sb-muted); display: flex; gap: 12px; flex-wrap: wrap; }
  .online { color: var(--sb-ok); }
  .actions { display: flex; gap: 6px; flex-wrap: wrap; }
  .status { margin: 0; padding: 6px 10px; border-radius: var(--sb-radius); background: var(--sb-surface-alt); }
  .status.error { background: var(--sb-danger-bg); color: var(--sb-danger); }
  .columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; align-items: start; }
  .column { display: grid; gap: 12px; min-width: 0; }
  section, .confirm, .merge { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 10px; display: grid; gap: 8px; min-width: 0; }
  .confirm { border-color: var(--sb-danger); background: var(--sb-danger-bg); }
  .confirm p { margin: 0; }
  .buttons { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
  dl { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 4px 10px; margin: 0; }
  dt { color: var(--sb-muted); }
  dd { margin: 0; overflow-wrap: anywhere; }
  .user-data dd bdi { white-space: pre-wrap; }
  .provided { font-size: 12px; color: var(--sb-warn); margin-left: 4px; }
  .chip.verified { margin-left: 4px; }
  .warning { margin: 4px 0 0; padding: 4px 8px; border-radius: var(--sb-radius); background: var(--sb-warn-bg); color: var(--sb-warn); font-size: 13px; white-space: normal; }
  form { display: grid; gap: 8px; }
  .field { display: grid; gap: 2px; }
  .field label { font-size: 12px; color: var(--sb-muted); }
  .field.checkbox { display: flex; gap: 6px; align-items: center; }
  .field.checkbox label { font-size: inherit; color: inherit; }
  .required { color: var(--sb-danger); text-decoration: none; }
  .tags { display: flex; flex-wrap: wrap; gap: 4px; }
  .chip.tag .remove-tag { border: none; background: none; color: inherit; padding: 0 0 0 4px; }
  form.add-tag { display: flex; gap: 6px; flex-wrap: wrap; align-items: flex-end; }
  form.add-tag label, form.routing label.owner { display: grid; gap: 2px; font-size: 12px; color: var(--sb-muted); }
  label > input, label > select { font-size: var(--sb-font-size, 14px); color: var(--sb-text); }
  fieldset { border: none; padding: 0; margin: 0; display: grid; gap: 2px; }
  legend { font-size: 12px; color: var(--sb-muted); padding: 0; margin-bottom: 2px; }
  fieldset label { display: flex; gap: 6px; align-items: center; }
  .note { background: var(--sb-note-bg); border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 6px 8px; }
  .note .text { white-space: pre-wrap; overflow-wrap: anywhere; }
  .note .meta { margin-top: 2px; }
  textarea { min-height: 64px; resize: vertical; width: 100%; }
  .conversation-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
  button.conversation { width: 100%; text-align: left; display: grid; gap: 2px; }
  button.conversation .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; font-size: 12px; }
  button.conversation .preview { color: var(--sb-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .merge ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 4px; }
  .merge form { display: flex; gap: 6px; align-items: flex-end; flex-wrap: wrap; }
  .merge label { display: grid; gap: 2px; font-size: 12px; color: var(--sb-muted); flex: 1 1 200px; }
  dialog { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 16px; width: min(480px, 92vw); background: var(--sb-surface); color: var(--sb-text); }
  dialog::backdrop { background: rgb(0 0 0 / 30%); }
  dialog h3 { font-size: 15px; text-transform: none; letter-spacing: 0; color: var(--sb-text); }
  @container (max-width: 600px) {
    .columns { grid-template-columns: minmax(0, 1fr); }
  }
`;
