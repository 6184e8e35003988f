import { css } from 'lit';

/** Shared by the panel's elements. Colours and sizes only from `--sb-*` custom properties. */
export const panelStyles = css`
  :host {
    --sb-accent: #1f5eff;
    --sb-accent-text: #fff;
    --sb-surface: #fff;
    --sb-surface-alt: #f5f7fa;
    --sb-border: #dde2e8;
    --sb-text: #1b1f24;
    --sb-muted: #5b6470;
    --sb-danger: #b42318;
    --sb-ok: #067647;
    --sb-warn: #93370d;
    --sb-radius: 8px;
    --sb-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    display: block;
    font: 14px/1.4 var(--sb-font);
    color: var(--sb-text);
    background: var(--sb-surface);
    container-type: inline-size;
  }
  * { box-sizing: border-box; }
  button, input, select, textarea { font: inherit; color: inherit; }
  button { cursor: pointer; border: 1px solid var(--sb-border); background: var(--sb-surface); border-radius: var(--sb-radius); padding: 5px 10px; }
  button.primary { background: var(--sb-accent); border-color: var(--sb-accent); color: var(--sb-accent-text); }
  button.danger { color: var(--sb-danger); border-color: var(--sb-danger); }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  input, select, textarea { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 5px 8px; background: var(--sb-surface); }
  :focus-visible { outline: 3px solid var(--sb-accent); outline-offset: 1px; }
  .muted { color: var(--sb-muted); }
  .error { color: var(--sb-danger); }
  .chip { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; background: var(--sb-surface-alt); border: 1px solid var(--sb-border); }
  .chip.need_help { background: #fee4e2; border-color: #fda29b; color: var(--sb-danger); }
  .chip.not_understood { background: #fef0c7; border-color: #fec84b; color: var(--sb-warn); }
  .chip.ok { color: var(--sb-ok); }
  .chip.verified { color: var(--sb-ok); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
