import { css } from 'lit';

/** Colours and sizes come only from `--sb-*` custom properties so a site can theme the widget. */
export const webchatStyles = css`
  :host {
    --sb-accent: #1f5eff;
    --sb-accent-text: #ffffff;
    --sb-surface: #ffffff;
    --sb-text: #1b1f24;
    --sb-muted: #5b6470;
    --sb-bubble-visitor: var(--sb-accent);
    --sb-bubble-visitor-text: var(--sb-accent-text);
    --sb-bubble-other: #eef1f5;
    --sb-bubble-other-text: #1b1f24;
    --sb-radius: 14px;
    --sb-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --sb-z-index: 2147483000;
    --sb-width: 370px;
    --sb-height: 560px;
    --sb-thumb-size: 220px;
    --sb-danger: #b42318;
    position: fixed;
    right: 20px;
    bottom: 20px;
    z-index: var(--sb-z-index);
    font: 15px/1.4 var(--sb-font);
    color: var(--sb-text);
  }
  button { font: inherit; cursor: pointer; }
  :focus-visible { outline: 3px solid var(--sb-accent); outline-offset: 2px; }
  .launcher {
    width: 60px; height: 60px; border-radius: 50%; border: 0;
    background: var(--sb-accent); color: var(--sb-accent-text);
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.25); position: relative; display: grid; place-items: center;
  }
  .launcher svg { width: 28px; height: 28px; }
  .badge {
    position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px; box-sizing: border-box;
    border-radius: 11px; background: #d92d20; color: #fff; font-size: 12px; font-weight: 700; display: grid; place-items: center;
  }
  .panel {
    width: var(--sb-width); height: var(--sb-height); max-height: calc(100vh - 40px);
    background: var(--sb-surface); border-radius: var(--sb-radius); box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
    display: flex; flex-direction: column; overflow: hidden; position: relative;
  }
  header { background: var(--sb-accent); color: var(--sb-accent-text); padding: 12px 14px; display: flex; align-items: center; gap: 10px; }
  header h2 { margin: 0; font-size: 16px; flex: 1; }
  header .presence { font-size: 13px; opacity: 0.95; display: block; font-weight: 400; }
  header button { background: transparent; border: 0; color: inherit; font-size: 22px; line-height: 1; padding: 4px 8px; border-radius: 6px; }
  .banner { font-size: 13px; padding: 6px 14px; background: #fff4d6; color: #5c4300; }
  .log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
  .greeting { margin: auto 0; text-align: center; color: var(--sb-muted); padding: 0 12px; overflow-wrap: anywhere; }
  .greeting p { margin: 0 0 6px; }
  .greeting-title { font-size: 17px; font-weight: 600; color: var(--sb-text); }
  .msg { max-width: 82%; display: flex; flex-direction: column; gap: 2px; }
  .msg.visitor { align-self: flex-end; align-items: flex-end; }
  .msg.system { align-self: center; max-width: 100%; font-size: 13px; color: var(--sb-muted); font-style: italic; }
  .bubble { padding: 8px 12px; border-radius: var(--sb-radius); white-space: pre-wrap; overflow-wrap: anywhere; background: var(--sb-bubble-other); color: var(--sb-bubble-other-text); }
  .visitor .bubble { background: var(--sb-bubble-visitor); color: var(--sb-bubble-visitor-text); }
  .visitor .bubble a { color: inherit; }
  .meta { font-size: 11px; color: var(--sb-muted); }
  .meta .via { font-style: italic; }
  .failed .meta, .error { color: var(--sb-danger); }
  .files { display: flex; flex-direction: column; gap: 4px; align-items: inherit; max-width: 100%; }
  .thumb img { display: block; max-width: min(var(--sb-thumb-size), 100%); max-height: var(--sb-thumb-size); border-radius: 10px; background: var(--sb-bubble-other); }
  .chip {
    display: inline-flex; align-items: center; gap: 6px; padding: 6px 10px; border-radius: 10px; font-size: 13px;
    background: var(--sb-bubble-other); color: var(--sb-bubble-other-text); overflow-wrap: anywhere;
  }
  .chip progress { width: 64px; }
  .voice { display: flex; align-items: center; gap: 6px; font-size: 12px; color: var(--sb-muted); }
  .voice audio { max-width: 230px; height: 40px; }
  .error { font-size: 12px; display: flex; gap: 8px; align-items: center; }
  .error button { border: 0; background: none; color: inherit; text-decoration: underline; padding: 0; font-size: 12px; }
  .notice { font-size: 13px; padding: 6px 14px; color: var(--sb-danger); background: #fdecea; }
  .drop {
    position: absolute; inset: 0; display: grid; place-items: center; pointer-events: none; font-weight: 600;
    background: rgb(255 255 255 / 0.88); color: var(--sb-accent); border: 3px dashed var(--sb-accent); border-radius: var(--sb-radius);
  }
  .choices { display: flex; flex-wrap: wrap; gap: 6px; }
  .choices button { border: 1px solid var(--sb-accent); color: var(--sb-accent); background: var(--sb-surface); border-radius: 16px; padding: 4px 12px; font-size: 14px; }
  .typing { font-size: 13px; color: var(--sb-muted); padding: 0 14px 4px; min-height: 18px; }
  form { display: flex; flex-direction: column; gap: 6px; padding: 10px; border-top: 1px solid #e3e7ed; }
  .row { display: flex; gap: 6px; }
  .tray { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 13px; }
  .tray button { background: none; color: inherit; padding: 0 4px; font-size: 18px; line-height: 1; }
  .recording .dot { width: 10px; height: 10px; border-radius: 50%; background: var(--sb-danger); }
  .recording .time { font-variant-numeric: tabular-nums; }
  .tray .stop { margin-left: auto; background: var(--sb-accent); color: var(--sb-accent-text); padding: 6px 12px; font-size: 14px; }
  form .icon { background: transparent; color: var(--sb-muted); padding: 0; width: 36px; min-height: 36px; display: grid; place-items: center; }
  form .icon svg { width: 22px; height: 22px; }
  form .icon:disabled { opacity: 0.4; }
  textarea { flex: 1; resize: none; border: 1px solid #c9d0d9; border-radius: 10px; padding: 8px 10px; font: inherit; color: var(--sb-text); background: var(--sb-surface); max-height: 120px; }
  form button { border: 0; border-radius: 10px; background: var(--sb-accent); color: var(--sb-accent-text); padding: 0 14px; font-weight: 600; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media (max-width: 480px) {
    :host([open]) { inset: 0; }
    :host([open]) .panel { width: 100vw; height: 100dvh; max-height: none; border-radius: 0; }
  }
`;
