/**
 * What the inbox knows about contacts, for the conversation side panel and the list's filters: the custom
 * field definitions and the tag catalogue (loaded once per session; the admin screens hand over what they
 * saved), and the open conversation's contact (`GET /api/contacts/:id`, fetched when the conversation opens
 * and again when its `contactId` changes). Owned by controllers/inbox.ts, which runs the side panel's
 * contact intents through `patch`.
 *
 * Why apart from the inbox: the contact is a second, independent load next to the conversation (a hub
 * refusing it must not hide the conversation), with its own request ordering.
 */
import type { Contact, ContactFieldDefinition, ContactPatch, TagCatalogue } from '../../protocol/contacts.js';
import type { HubApi } from '../api.js';
import type { ContactScope } from '../events.js';
import { errorText } from '../format.js';

/** The side panel's inline outcome of a contact or tag change. */
export interface ContactFeedback {
  scope: ContactScope;
  message: string;
  error: boolean;
}

const NO_CATALOGUE: TagCatalogue = { tags: [], freeTags: true };

/** What the side panel and the list show about contacts; replaced (never changed in place) on every change. */
export interface ContactState {
  definitions: ContactFieldDefinition[];
  catalogue: TagCatalogue;
  /** The open conversation's contact, once loaded. */
  contact: Contact | null;
  /** The contact that is shown or being loaded (null: no conversation open, or it has none). */
  contactId: string | null;
  loading: boolean;
  /** Why the contact could not be loaded. */
  loadError: string;
  feedback: ContactFeedback | null;
}

export const NO_CONTACT_STATE: ContactState = {
  definitions: [],
  catalogue: NO_CATALOGUE,
  contact: null,
  contactId: null,
  loading: false,
  loadError: '',
  feedback: null,
};

export class ContactContext {
  state: ContactState = NO_CONTACT_STATE;

  #api: HubApi | null = null;
  #seq = 0;

  /** `changed` is called after every change of `state` (the host re-renders). */
  constructor(private readonly changed: () => void) {}

  /** Loads the definitions and the catalogue. A hub without them (or refusing them) leaves them empty. */
  async start(api: HubApi): Promise<void> {
    this.#api = api;
    const [fields, catalogue] = await Promise.all([api.call('GET /api/contact-fields').catch(() => null), api.call('GET /api/tags').catch(() => null)]);
    if (this.#api !== api) return;
    this.#set({ definitions: fields?.items ?? this.state.definitions, catalogue: catalogue ?? this.state.catalogue });
  }

  stop(): void {
    this.#api = null;
    this.#seq++;
    this.#set(NO_CONTACT_STATE);
  }

  setDefinitions(definitions: ContactFieldDefinition[]): void {
    this.#set({ definitions });
  }

  setCatalogue(catalogue: TagCatalogue): void {
    this.#set({ catalogue });
  }

  /** Shows the contact of the open conversation: fetches it when the id differs from the one shown. */
  follow(contactId: string | null | undefined): void {
    const id = contactId || null;
    if (id === this.state.contactId) return;
    this.#set({ contactId: id, contact: null, feedback: null, loadError: '' });
    void this.reload();
  }

  /** Fetches the followed contact again (another agent may have changed it). */
  async reload(): Promise<void> {
    const api = this.#api;
    const id = this.state.contactId;
    const seq = ++this.#seq;
    if (!api || !id) {
      this.#set({ loading: false });
      return;
    }
    this.#set({ loading: true });
    try {
      const contact = await api.call('GET /api/contacts/:id', { params: { id } });
      if (seq === this.#seq) this.#set({ contact, loading: false, loadError: '' });
    } catch (error) {
      if (seq === this.#seq) this.#set({ loading: false, loadError: errorText(error) });
    }
  }

  /** Sends a change of the contact; resolves the hub's new contact (throws its refusal). */
  async patch(contactId: string, patch: ContactPatch): Promise<Contact> {
    const api = this.#api;
    if (!api) throw new Error('Not signed in');
    const contact = await api.call('PATCH /api/contacts/:id', { params: { id: contactId }, body: patch });
    if (contact.id === this.state.contactId) {
      // Whatever was loading is older than this answer.
      this.#seq++;
      this.#set({ contact, loading: false, loadError: '' });
    }
    return contact;
  }

  report(scope: ContactScope, message: string, error: boolean): void {
    this.#set({ feedback: { scope, message, error } });
  }

  clearFeedback(): void {
    if (this.state.feedback) this.#set({ feedback: null });
  }

  #set(patch: Partial<ContactState>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }
}
