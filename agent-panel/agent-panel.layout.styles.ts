import { css } from 'lit';

/** Layout of the outer element: top bar, tiles, and list + conversation side by side (one column when narrow). */
export const layoutStyles = css`
  :host { height: 100%; min-height: 520px; }
  .base { display: grid; grid-template-rows: auto auto minmax(0, 1fr); height: 100%; min-height: inherit; border: 1px solid var(--sb-border); border-radius: var(--sb-radius); overflow: hidden; }
  .top { display: flex; gap: 8px; align-items: center; padding: 8px 12px; border-bottom: 1px solid var(--sb-border); flex-wrap: wrap; }
  .top h1 { font-size: 16px; margin: 0; flex: 1; white-space: nowrap; }
  .top nav { display: flex; gap: 4px; }
  .top nav button[aria-current='page'] { background: var(--sb-accent); color: var(--sb-accent-text); border-color: var(--sb-accent); }
  .status { font-size: 12px; color: var(--sb-muted); }
  .status.offline { color: var(--sb-danger); }
  .email-me { font-size: 12px; color: var(--sb-muted); display: flex; flex-wrap: wrap; gap: 0 4px; align-items: center; }
  .mail-off { white-space: nowrap; }
  /* Who is signed in and their email setting: in the bar's row when wide, one block beside Sign out when narrow. */
  .account { display: contents; }
  .tiles { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 16px; padding: 8px 12px; }
  .tile-group h2 { font-size: 11px; margin: 0 0 4px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--sb-muted); }
  .tile-row { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .tile { background: var(--sb-surface-alt); border-radius: var(--sb-radius); padding: 6px 10px; border: 1px solid var(--sb-border); text-align: left; }
  .tile[aria-current='true'] { border-color: var(--sb-accent); box-shadow: inset 0 -3px 0 var(--sb-accent); }
  .tile b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
  .tile span { font-size: 12px; color: var(--sb-muted); }
  .alert { display: flex; gap: 8px; align-items: center; justify-content: space-between; padding: 6px 12px; background: var(--sb-danger-bg); color: var(--sb-danger); }
  .main { display: grid; grid-template-columns: minmax(300px, 360px) minmax(0, 1fr); min-height: 0; border-top: 1px solid var(--sb-border); }
  .list-pane { border-right: 1px solid var(--sb-border); min-height: 0; }
  .detail-pane { min-height: 0; min-width: 0; }
  .placeholder { padding: 40px 24px; text-align: center; color: var(--sb-muted); }
  .admin-pane, .contacts-pane { min-height: 0; overflow-y: auto; border-top: 1px solid var(--sb-border); }
  form.login { max-width: 340px; margin: 60px auto; display: grid; gap: 10px; padding: 16px; }
  form.login label { display: grid; gap: 4px; }
  form.login h1 { font-size: 18px; margin: 0 0 8px; }
  @container (max-width: 760px) {
    .main { grid-template-columns: minmax(0, 1fr); }
    .main.has-selection .list-pane { display: none; }
    .main:not(.has-selection) .detail-pane { display: none; }
    .list-pane { border-right: none; }
    .tiles { grid-template-columns: minmax(0, 1fr); gap: 4px; padding: 6px 8px; }
    .tile-group { display: grid; grid-template-columns: 64px minmax(0, 1fr); align-items: center; gap: 6px; }
    .tile-group h2 { margin: 0; }
    .tile-row { gap: 4px; }
    .tile { display: flex; align-items: baseline; gap: 6px; padding: 4px 8px; }
    .tile b { display: inline; font-size: 16px; }
    .top h1 { display: none; }
    /* On a phone the bar takes two rows, not four: the screens, then the account beside Sign out. */
    .account { display: grid; gap: 2px; flex: 1 1 180px; min-width: 0; }
    .base.has-selection .tiles { display: none; }
    /* With a conversation open on a phone, the account's settings give way to the transcript (back in the list, they return). */
    .base.has-selection .top .email-me, .base.has-selection .top .logout { display: none; }
  }
`;
