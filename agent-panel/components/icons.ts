import { html } from 'lit';

/**
 * The panel's few icons, drawn inline (the widget's own shapes) rather than as emoji: an emoji needs a colour font the
 * agent's system may not have, and shows as an empty box without one. Each is decorative (`aria-hidden`) next to
 * text that says the same, and sized to that text by the `.icon` rule of `panelStyles`, which every panel component
 * includes.
 */
export const paperclipIcon = html`<svg class="icon" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z" /></svg>`;

export const microphoneIcon = html`<svg class="icon" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11z" /></svg>`;
