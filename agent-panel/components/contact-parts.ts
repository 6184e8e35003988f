/** Pieces shared by the contacts list and the contact page (text only: nothing here renders user text as HTML). */
import { html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { TagCatalogue } from '../../protocol/contacts.js';
import type { Agent } from '../../protocol/types.js';
import { tagStyle } from '../format.js';

/** A tag chip coloured from the catalogue (readable text, see format.ts), with a remove button when `remove` is given. */
export function tagChip(name: string, catalogue: TagCatalogue, remove?: () => void) {
  const color = catalogue.tags.find((t) => t.name === name)?.color;
  return html`<span class="chip tag" data-tag=${name} style=${styleMap(tagStyle(color))}><bdi>${name}</bdi>${
    remove ? html`<button type="button" class="remove-tag" aria-label="Remove tag ${name}" @click=${remove}>×</button>` : nothing
  }</span>`;
}

/** An agent's name by id ('' when unknown or none). */
export function agentName(agents: Agent[], id: string | null): string {
  return (id && agents.find((a) => a.id === id)?.name) || '';
}
