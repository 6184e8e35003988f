import { css } from 'lit';

/**
 * Shared by all of the panel's elements. Colours and sizes come only from `--sb-*` custom properties,
 * which inherit through the shadow roots, so a CRM themes the whole panel by setting them on the host.
 */
export const panelStyles = css`
  :host {
    display: block;
    font: var(--sb-font-size, 14px) / 1.4 var(--sb-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--sb-text, #1b1f24);
  }
  * { box-sizing: border-box; }
  /* The drawn icons (components/icons.ts): as tall as the text beside them, on its baseline. */
  .icon { width: 1.1em; height: 1.1em; flex: none; vertical-align: -0.2em; }
  [hidden] { display: none !important; }
  button, input, select, textarea { font: inherit; color: inherit; }
  button { cursor: pointer; border: 1px solid var(--sb-border); background: var(--sb-surface); border-radius: var(--sb-radius); padding: 5px 10px; }
  button:hover:not(:disabled) { border-color: var(--sb-accent); }
  button.primary { background: var(--sb-accent); border-color: var(--sb-accent); color: var(--sb-accent-text); }
  button.danger { color: var(--sb-danger); border-color: var(--sb-danger); }
  button.link { border: none; background: none; color: var(--sb-accent); padding: 0; text-decoration: underline; }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  input, select, textarea { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 5px 8px; background: var(--sb-surface); }
  :focus-visible { outline: 3px solid var(--sb-accent); outline-offset: 1px; }
  a { color: var(--sb-accent); }
  .muted { color: var(--sb-muted); }
  .error { color: var(--sb-danger); }
  .chip { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; background: var(--sb-surface-alt); border: 1px solid var(--sb-border); white-space: nowrap; }
  .chip.need_help { background: var(--sb-danger-bg); border-color: var(--sb-danger); color: var(--sb-danger); }
  .chip.not_understood { background: var(--sb-warn-bg); border-color: var(--sb-warn); color: var(--sb-warn); }
  .chip.ok, .chip.verified { color: var(--sb-ok); border-color: var(--sb-ok); }
  .chip.unverified { color: var(--sb-warn); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/** The defaults, set once on the outer element (inner elements inherit them). */
export const themeDefaults = css`
  :host {
    --sb-accent: #1f5eff;
    --sb-accent-text: #fff;
    --sb-surface: #fff;
    --sb-surface-alt: #f5f7fa;
    --sb-selected: #e8efff;
    --sb-border: #d0d6de;
    --sb-text: #1b1f24;
    --sb-muted: #5b6470;
    --sb-danger: #b42318;
    --sb-danger-bg: #fee4e2;
    --sb-warn: #93370d;
    --sb-warn-bg: #fef0c7;
    --sb-ok: #067647;
    --sb-note-bg: #fffbe6;
    --sb-radius: 8px;
    container-type: inline-size;
    background: var(--sb-surface);
  }
`;
