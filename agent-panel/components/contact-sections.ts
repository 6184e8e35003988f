/**
 * Read-only sections and form pieces of the contact page (templates rendered in `<sb-contact-page>`'s shadow
 * root). Everything the visitor or an agent typed is bound as text.
 */
import { html, nothing } from 'lit';
import type { Contact, ContactFieldDefinition, ContactFieldValue, ContactNote } from '../../protocol/contacts.js';
import { LIMITS } from '../../protocol/limits.js';
import type { Agent, ConversationSummary } from '../../protocol/types.js';
import { BOT_LABELS, formatFull, formatTime } from '../format.js';
import { readFieldInput } from './contact-card.js';

type IdentityKey = keyof Contact['identity'];
const IDENTITY: [IdentityKey, string][] = [
  ['userId', 'User id'],
  ['email', 'Email'],
  ['name', 'Name'],
];

/**
 * User id, email and name with who vouches for each: “Verified” only when the site signed it, otherwise
 * “provided by the visitor”; a visitor's change after verification is a warning.
 */
export function identityTemplate(identity: Contact['identity']) {
  return html`<section class="identity" aria-labelledby="identity-h">
    <h3 id="identity-h">Identity</h3>
    <dl>
      ${IDENTITY.map(([key, label]) => {
        const f = identity[key];
        return html`<dt>${label}</dt>
          <dd data-identity=${key}>
            <bdi class="value">${f.value ?? '—'}</bdi>
            ${f.value === null ? nothing : f.verified ? html`<span class="chip verified">Verified</span>` : html`<span class="provided">provided by the visitor</span>`}
            ${f.visitorValue !== null ? html`<p class="warning changed">Changed by the visitor after verification: “<bdi>${f.visitorValue}</bdi>”</p>` : nothing}
          </dd>`;
      })}
    </dl>
  </section>`;
}

const USER_DATA: [keyof Contact['userData'], string][] = [
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['email', 'Email'],
  ['phone_number', 'Phone'],
  ['comments', 'Comments'],
];

/** SMARTLY_USER_DATA as the visitor's page last sent it: read-only, vouched for by nobody. */
export function userDataTemplate(userData: Contact['userData']) {
  return html`<section class="user-data" aria-labelledby="user-data-h">
    <h3 id="user-data-h">Sent by the visitor's page <span class="muted">(read-only, not verified)</span></h3>
    <dl>
      ${USER_DATA.map(([key, label]) => html`<dt>${label}</dt><dd data-user-data=${key}><bdi>${userData[key] || '—'}</bdi></dd>`)}
    </dl>
  </section>`;
}

/**
 * The input of one custom field, labelled, with the required ones marked — marked, not enforced by the browser: a
 * contact saved before the field existed may lack it and the other fields must still save. The hub refuses
 * clearing a required value.
 */
export function fieldInput(def: ContactFieldDefinition, value: ContactFieldValue | undefined) {
  const id = `field-${def.key}`;
  const label = html`<label for=${id}>${def.label}${def.required ? html`<abbr class="required" title="required"> *</abbr>` : nothing}</label>`;
  switch (def.type) {
    case 'checkbox':
      return html`<div class="field checkbox">
        <input type="checkbox" id=${id} name=${def.key} .checked=${value === true} />${label}
      </div>`;
    case 'select':
      return html`<div class="field">${label}
        <select id=${id} name=${def.key} aria-required=${def.required ? 'true' : 'false'}>
          <option value="">—</option>
          ${def.options.map((o) => html`<option value=${o} ?selected=${value === o}>${o}</option>`)}
          ${typeof value === 'string' && value && !def.options.includes(value) ? html`<option value=${value} selected>${value}</option>` : nothing}
        </select>
      </div>`;
    default: {
      const type = def.type === 'number' ? 'number' : def.type === 'date' ? 'date' : 'text';
      const text = value === null || value === undefined || typeof value === 'boolean' ? '' : String(value);
      return html`<div class="field">${label}
        <input type=${type} id=${id} name=${def.key} step=${def.type === 'number' ? 'any' : nothing} aria-required=${def.required ? 'true' : 'false'} .value=${text} />
      </div>`;
    }
  }
}

/**
 * The fields the agent changed in the form, typed for the hub (empty → null). Only those: another agent may have
 * saved other fields meanwhile, and an empty required field nobody touched is not a “clear”.
 */
export function changedFields(
  form: HTMLFormElement,
  defs: ContactFieldDefinition[],
  current: Record<string, ContactFieldValue>,
): Record<string, ContactFieldValue> {
  const changed: Record<string, ContactFieldValue> = {};
  for (const def of defs) {
    const input = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${def.key}"]`);
    if (!input) continue;
    const value = readFieldInput(def.type, input);
    if (value !== (current[def.key] ?? (def.type === 'checkbox' ? false : null))) changed[def.key] = value;
  }
  return changed;
}

/** The person's conversations, newest first; activating one opens it in the inbox. */
export function conversationsTemplate(conversations: ConversationSummary[], open: (id: string) => void) {
  return html`<section class="conversations" aria-labelledby="conversations-h">
    <h3 id="conversations-h">Conversations (${conversations.length})</h3>
    ${
      conversations.length === 0
        ? html`<p class="muted">No conversations you can see.</p>`
        : html`<ul class="conversation-list">
          ${conversations.map(
            (c) => html`<li><button type="button" class="conversation" data-id=${c.id} @click=${() => open(c.id)}>
              <span class="row">
                <time datetime=${c.lastActivityAt} title=${formatFull(c.lastActivityAt)}>${formatTime(c.lastActivityAt)}</time>
                <span class="chip state">${c.state === 'closed' ? 'Closed' : 'Open'}</span>
                ${c.outgoing ? html`<span class="chip outgoing">Outgoing</span>` : nothing}
                <span class="chip bot ${c.botStatus}">${BOT_LABELS[c.botStatus]}</span>
                ${c.holderName ? html`<bdi class="muted">${c.holderName}</bdi>` : nothing}
              </span>
              <span class="preview">${c.lastMessage ? c.lastMessage.text : 'No messages yet'}</span>
            </button></li>`,
          )}
        </ul>`
    }
  </section>`;
}

type Submit = (event: SubmitEvent) => void;

/** Owner (default assignee) and default visibility of the contact's new conversations. The hub decides who may change them. */
export function routingTemplate(c: Contact, agents: Agent[], busy: boolean, onSubmit: Submit) {
  const team = agents.filter((a) => !a.disabled || a.id === c.defaultAssigneeId || c.defaultVisibleTo.includes(a.id));
  return html`<section class="routing-section" aria-labelledby="routing-h">
    <h3 id="routing-h">New conversations</h3>
    <form class="routing" @submit=${onSubmit}>
      <label class="owner">Owner (assigned to new conversations)
        <select name="owner">
          <option value="">No owner</option>
          ${team.map((a) => html`<option value=${a.id} ?selected=${a.id === c.defaultAssigneeId}>${a.name}</option>`)}
        </select>
      </label>
      <fieldset class="visible-to">
        <legend>Visible to (none checked: the whole team)</legend>
        ${team.map((a) => html`<label><input type="checkbox" name="visibleTo" value=${a.id} .checked=${c.defaultVisibleTo.includes(a.id)} />${a.name}</label>`)}
      </fieldset>
      <div class="buttons"><button type="submit" class="save-routing" ?disabled=${busy}>Save owner and visibility</button></div>
    </form>
  </section>`;
}

/** The team's notes about the person, and the form for a new one. */
export function notesTemplate(notes: ContactNote[], busy: boolean, onSubmit: Submit) {
  return html`<section class="notes" aria-labelledby="notes-h">
    <h3 id="notes-h">Notes about this person <span class="muted">(team only)</span></h3>
    ${
      notes.length === 0
        ? html`<p class="muted">No notes yet.</p>`
        : notes.map(
            (n) => html`<div class="note" data-id=${n.id}><div class="text">${n.text}</div>
              <div class="meta"><bdi>${n.agentName}</bdi> · <time datetime=${n.createdAt}>${formatFull(n.createdAt)}</time></div></div>`,
          )
    }
    <form class="add-note" @submit=${onSubmit}>
      <label for="contact-note" class="sr-only">New note about this person</label>
      <textarea id="contact-note" name="note" maxlength=${LIMITS.noteText} required placeholder="New note about this person"></textarea>
      <div class="buttons"><button type="submit" ?disabled=${busy}>Add note</button></div>
    </form>
  </section>`;
}
