/**
 * State and hub calls of the contacts screen and the contact page, as a Lit reactive controller: the list
 * (search, tag filter, cursor paging), the tag catalogue and custom field definitions, the open contact and
 * what an agent does on its page (fields, tags, routing, notes, a new chat) or an admin (export, merge, delete).
 * The components are presentational: they render `state` and fire `sb-contact-action` intents (events.ts);
 * this runs them against the hub and sets the status line. Why: one place for the contacts' REST calls and
 * their errors, like controllers/admin.ts for the admin screens.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Contact, ContactFieldDefinition, ContactSummary, TagCatalogue } from '../../protocol/contacts.js';
import { type HubApi, saveBlob } from '../api.js';
import type { ContactIntent } from '../events.js';
import { errorText } from '../format.js';

export type Status = { message: string; error: boolean } | null;

export interface ContactsState {
  /** The search (name, email, phone, user id) and tag filter of the list. */
  query: string;
  tag: string;
  items: ContactSummary[];
  /** Cursor of the next page; null on the last page. */
  next: string | null;
  /** A list request under way: a new search, or the next page. */
  loading: 'list' | 'more' | null;
  /** Why the list could not be loaded ('' when it could). */
  listError: string;
  /** The list answered at least once for the current search. */
  loaded: boolean;
  catalogue: TagCatalogue;
  fields: ContactFieldDefinition[];
  /** The open contact (its page says “Loading…” until `contact` arrives). */
  openId: string | null;
  contact: Contact | null;
  /** Admin merge: contacts found for the merge search (never the open one). */
  mergeResults: ContactSummary[];
  /** The outcome of the last action on a contact. */
  status: Status;
  /** An action on the open contact is under way. */
  busy: boolean;
}

export const EMPTY_CONTACTS: ContactsState = {
  query: '',
  tag: '',
  items: [],
  next: null,
  loading: null,
  listError: '',
  loaded: false,
  catalogue: { tags: [], freeTags: true },
  fields: [],
  openId: null,
  contact: null,
  mergeResults: [],
  status: null,
  busy: false,
};

export interface ContactsOptions {
  /** Switches the panel to the inbox and opens this conversation; resolves false if the hub refuses. */
  openConversation: (conversationId: string) => Promise<boolean>;
}

const SUMMARY_KEYS = [
  'id',
  'siteId',
  'name',
  'email',
  'phone',
  'userId',
  'verified',
  'conversationCount',
  'firstSeenAt',
  'lastSeenAt',
  'tags',
  'ownerId',
  'online',
] as const satisfies readonly (keyof ContactSummary)[];

/** The list row of a contact. */
export function summaryOf(contact: Contact): ContactSummary {
  return Object.fromEntries(SUMMARY_KEYS.map((key) => [key, contact[key]])) as unknown as ContactSummary;
}

export class ContactsController implements ReactiveController {
  state: ContactsState = EMPTY_CONTACTS;
  api: HubApi | null = null;
  #listSeq = 0;
  #openSeq = 0;
  #mergeSeq = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ContactsOptions,
  ) {
    host.addController(this);
  }

  /** Nothing to set up: the screen asks for its data when it opens (intent `load`). */
  hostConnected(): void {}

  /** Forgets everything (sign-out). */
  reset(): void {
    this.#listSeq++;
    this.#openSeq++;
    this.#mergeSeq++;
    this.state = EMPTY_CONTACTS;
  }

  /** Runs an intent; resolves whether the hub accepted it. A failure becomes the status line. */
  async act(intent: ContactIntent): Promise<boolean> {
    const api = this.api;
    if (!api) return false;
    try {
      return await this.#run(api, intent);
    } catch (error) {
      this.#set({ status: { message: errorText(error), error: true }, busy: false });
      return false;
    }
  }

  async #run(api: HubApi, intent: ContactIntent): Promise<boolean> {
    switch (intent.action) {
      case 'load': {
        const openId = this.state.openId;
        const [catalogue, fields] = await Promise.all([api.call('GET /api/tags'), api.call('GET /api/contact-fields'), this.#list(api, false)]);
        this.#set({ catalogue, fields: fields.items });
        if (openId && openId === this.state.openId) await this.#open(api, openId, false);
        return true;
      }
      case 'search':
        this.#set({ query: intent.query, tag: intent.tag });
        return this.#list(api, false);
      case 'more':
        return this.state.next ? this.#list(api, true) : false;
      case 'open':
        return this.#open(api, intent.contactId, true);
      case 'close':
        this.#openSeq++;
        this.#mergeSeq++;
        this.#set({ openId: null, contact: null, mergeResults: [], status: null, busy: false });
        return true;
      case 'patch':
        return this.#change(async () => {
          this.#show(await api.call('PATCH /api/contacts/:id', { params: { id: intent.contactId }, body: intent.patch }));
          return intent.success;
        });
      case 'note':
        return this.#change(async () => {
          const note = await api.call('POST /api/contacts/:id/notes', { params: { id: intent.contactId }, body: { text: intent.text } });
          const c = this.state.contact;
          if (c?.id === note.contactId) this.#set({ contact: { ...c, notes: [...c.notes.filter((n) => n.id !== note.id), note] } });
          return 'Note added';
        });
      case 'new-chat': {
        let conversationId = '';
        const ok = await this.#change(async () => {
          const { conversation } = await api.call('POST /api/contacts/:id/conversations', { params: { id: intent.contactId }, body: { text: intent.text } });
          conversationId = conversation.id;
          const c = this.state.contact;
          if (c?.id === intent.contactId) {
            const conversations = [conversation, ...c.conversations.filter((x) => x.id !== conversation.id)];
            this.#set({ contact: { ...c, conversations, conversationCount: Math.max(c.conversationCount, conversations.length) } });
          }
          return 'Chat started';
        });
        return ok && this.options.openConversation(conversationId);
      }
      case 'open-conversation':
        return this.options.openConversation(intent.conversationId);
      case 'export':
        return this.#change(async () => {
          const { blob, name } = await api.fetchFile('GET /api/contacts/:id/export', { params: { id: intent.contactId } }, `contact-${intent.contactId}.json`);
          const url = saveBlob(blob, name);
          setTimeout(() => URL.revokeObjectURL(url), 60_000);
          return `Exported ${name}`;
        });
      case 'merge-search': {
        const seq = ++this.#mergeSeq;
        const query = intent.query.trim();
        const found = query ? (await api.call('GET /api/contacts', { query: { query, limit: 10 } })).items : [];
        if (seq === this.#mergeSeq) this.#set({ mergeResults: found.filter((c) => c.id !== this.state.openId) });
        return true;
      }
      case 'merge':
        return this.#change(async () => {
          const merged = await api.call('POST /api/contacts/:id/merge', { params: { id: intent.contactId }, body: { otherId: intent.otherId } });
          this.#set({ items: this.state.items.filter((c) => c.id !== intent.otherId), mergeResults: [] });
          this.#show(merged);
          return 'Contacts merged';
        });
      case 'delete':
        return this.#change(async () => {
          await api.call('DELETE /api/contacts/:id', { params: { id: intent.contactId } });
          this.#openSeq++;
          this.#set({ items: this.state.items.filter((c) => c.id !== intent.contactId), openId: null, contact: null, mergeResults: [] });
          return 'Contact deleted';
        });
    }
  }

  /** Loads the first page for the current search, or (`more`) the next page. */
  async #list(api: HubApi, more: boolean): Promise<boolean> {
    const seq = ++this.#listSeq;
    const { query, tag, next } = this.state;
    this.#set({ loading: more ? 'more' : 'list', listError: '' });
    try {
      const page = await api.call('GET /api/contacts', { query: { query: query.trim(), tag, cursor: more ? (next ?? undefined) : undefined } });
      if (seq !== this.#listSeq) return false;
      const items = more ? [...this.state.items, ...page.items.filter((c) => !this.state.items.some((x) => x.id === c.id))] : page.items;
      this.#set({ items, next: page.next ?? null, loading: null, loaded: true });
      return true;
    } catch (error) {
      if (seq === this.#listSeq) this.#set({ loading: null, listError: errorText(error) });
      return false;
    }
  }

  async #open(api: HubApi, id: string, fresh: boolean): Promise<boolean> {
    const seq = ++this.#openSeq;
    if (fresh) this.#set({ openId: id, contact: null, mergeResults: [], status: null, busy: false });
    try {
      const contact = await api.call('GET /api/contacts/:id', { params: { id } });
      if (seq !== this.#openSeq) return false;
      this.#show(contact);
      return true;
    } catch (error) {
      if (seq === this.#openSeq) this.#set({ status: { message: errorText(error), error: true } });
      return false;
    }
  }

  /** An action on the open contact: busy meanwhile, then its success message as the status line. */
  async #change(run: () => Promise<string>): Promise<boolean> {
    this.#set({ busy: true, status: null });
    const message = await run();
    this.#set({ busy: false, status: { message, error: false } });
    return true;
  }

  /** The hub's latest copy of a contact: the page (if it is the open one) and its list row. */
  #show(contact: Contact): void {
    const row = summaryOf(contact);
    const items = this.state.items.map((c) => (c.id === contact.id ? row : c));
    this.#set(this.state.openId === contact.id ? { contact, items } : { items });
  }

  #set(patch: Partial<ContactsState>): void {
    this.state = { ...this.state, ...patch };
    this.host.requestUpdate();
  }
}
