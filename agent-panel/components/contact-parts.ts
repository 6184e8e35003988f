/** Pieces shared by the contacts list and the contact page (text only: nothing here renders user text as HTML). */
import { html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { TagCatalogue } from '../../protocol/contacts.js';
import type { Agent } from '../../protocol/types.js';

const HEX = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i;

/** Background and a readable text colour for a catalogue tag; nothing for a tag outside the catalogue. */
export function tagColours(name: string, catalogue: TagCatalogue): Record<string, string> {
  const color = catalogue.tags.find((t) => t.name === name)?.color ?? '';
  const rgb = HEX.exec(color);
  if (!rgb) return {};
  const [r, g, b] = rgb.slice(1).map((x) => Number.parseInt(x, 16) / 255) as [number, number, number];
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  // Whichever of white and the dark text colour (luminance ≈ 0.013) contrasts more with the background.
  const dark = (luminance + 0.05) / (0.013 + 0.05) > 1.05 / (luminance + 0.05);
  return { background: color, 'border-color': color, color: dark ? '#1b1f24' : '#fff' };
}

/** A tag chip coloured from the catalogue, with a remove button when `remove` is given. */
export function tagChip(name: string, catalogue: TagCatalogue, remove?: () => void) {
  return html`<span class="chip tag" data-tag=${name} style=${styleMap(tagColours(name, catalogue))}><bdi>${name}</bdi>${
    remove ? html`<button type="button" class="remove-tag" aria-label="Remove tag ${name}" @click=${remove}>×</button>` : nothing
  }</span>`;
}

/** An agent's name by id ('' when unknown or none). */
export function agentName(agents: Agent[], id: string | null): string {
  return (id && agents.find((a) => a.id === id)?.name) || '';
}
