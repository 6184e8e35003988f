/**
 * Deleting one conversation (admins only; the hub refuses anyone else): the conversation view's Delete button and
 * its confirmation `<dialog>`. Kept here so the view only places them. The deletion reaches every panel as
 * `conversation:deleted`, which drops it from their lists and closes it where it is open.
 */
import { css, html } from 'lit';

export const deleteDialogStyles = css`
  dialog.delete-conversation { border: 1px solid var(--sb-border); border-radius: var(--sb-radius); padding: 16px; width: min(420px, 92vw); background: var(--sb-surface); color: var(--sb-text); }
  dialog.delete-conversation::backdrop { background: rgb(0 0 0 / 30%); }
  dialog.delete-conversation h3 { font-size: 15px; margin: 0 0 8px; }
  dialog.delete-conversation .buttons { display: flex; gap: 6px; justify-content: flex-end; margin-top: 12px; }
`;

const dialogOf = (button: EventTarget | null): HTMLDialogElement | null =>
  (button as HTMLElement | null)?.closest('header')?.querySelector('dialog.delete-conversation') ?? null;

/** The header's Delete button and its dialog; `confirmed` runs when the admin confirms. */
export function deleteConversationControls(visitorName: string, busy: boolean, confirmed: () => void) {
  return html`<button type="button" class="danger delete-conversation" ?disabled=${busy} aria-haspopup="dialog"
      @click=${(e: Event) => dialogOf(e.currentTarget)?.showModal()}>Delete</button>
    <dialog class="delete-conversation" aria-labelledby="delete-conversation-title" aria-describedby="delete-conversation-text">
      <h3 id="delete-conversation-title">Delete this conversation?</h3>
      <p id="delete-conversation-text">The conversation with <bdi>${visitorName}</bdi>, its messages and notes are deleted for the whole team. This cannot be undone.</p>
      <div class="buttons">
        <button type="button" class="cancel" autofocus @click=${(e: Event) => dialogOf(e.currentTarget)?.close()}>Cancel</button>
        <button type="button" class="danger confirm-delete" @click=${(e: Event) => {
          dialogOf(e.currentTarget)?.close();
          confirmed();
        }}>Delete conversation</button>
      </div>
    </dialog>`;
}
