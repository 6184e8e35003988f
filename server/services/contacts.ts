/**
 * Contacts for agents: the list and the contact page, what the team keeps about a person (fields,
 * tags, notes, routing rules), admin merge and GDPR export/erase, and New chat. Visibility: an agent
 * sees a contact that is team-wide or lists them (its default visibility); admins see all.
 */
import type {
  Contact,
  ContactExport,
  ContactFieldDefinition,
  ContactFieldValue,
  ContactList,
  ContactNote,
  ContactPatch,
  ContactSummary,
  IdentityField,
  NewChatResponse,
  TagCatalogue,
} from '../../protocol/contacts.js';
import { LIMITS } from '../../protocol/limits.js';
import type { UserData } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import { badRequest, forbidden, HubError, notFound } from '../errors.js';
import { applyFieldValues, checkCatalogue, checkDefinitions, checkTags } from '../rules/contact-fields.js';
import type { Actor } from '../rules/handoff.js';
import { canSee } from '../rules/visibility.js';
import { json } from '../store/mappers.js';
import type { ContactsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Attachments } from './attachments.js';
import type { Broadcaster } from './broadcaster.js';
import type { Messaging } from './messaging.js';
import type { Publisher } from './publisher.js';
import { contactName, inboxFields, type Views } from './views.js';
import { conversationEvent } from './webhook-payloads.js';
import type { Webhooks } from './webhooks.js';

const FIELDS_KEY = 'contact_fields';
const TAGS_KEY = 'tag_catalogue';
const DEFAULT_CATALOGUE: TagCatalogue = { tags: [], freeTags: true };

/** The tag catalogue (free tags allowed until an admin says otherwise). */
export async function tagCatalogue(store: Store): Promise<TagCatalogue> {
  return (await store.settings.get<TagCatalogue>(TAGS_KEY)) ?? DEFAULT_CATALOGUE;
}

const visibleTo = (row: ContactsTable): string[] => json<string[]>(row.default_visible_to, []);

export class Contacts {
  constructor(
    private readonly store: Store,
    private readonly views: Views,
    private readonly publisher: Publisher,
    private readonly broadcaster: Broadcaster,
    private readonly messaging: Messaging,
    private readonly clock: Clock,
    private readonly webhooks: Webhooks,
    private readonly attachments: Attachments,
  ) {}

  // ------------------------------------------------------------ definitions and catalogue

  async fieldDefinitions(): Promise<ContactFieldDefinition[]> {
    return (await this.store.settings.get<ContactFieldDefinition[]>(FIELDS_KEY)) ?? [];
  }

  async setFieldDefinitions(actor: Actor, items: ContactFieldDefinition[]): Promise<ContactFieldDefinition[]> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can define contact fields');
    const clean = checkDefinitions(items);
    // Values of a removed field stay stored with the contact (and in exports); they just aren't shown.
    await this.store.settings.put(FIELDS_KEY, clean);
    return clean;
  }

  catalogue(): Promise<TagCatalogue> {
    return tagCatalogue(this.store);
  }

  async setCatalogue(actor: Actor, catalogue: TagCatalogue): Promise<TagCatalogue> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can change the tag catalogue');
    const clean = checkCatalogue(catalogue);
    await this.store.settings.put(TAGS_KEY, clean);
    return clean;
  }

  // ------------------------------------------------------------ reads

  async #visible(actor: Actor, id: string): Promise<ContactsTable> {
    const row = await this.store.contacts.get(id);
    if (!row || !canSee(actor, { visibleTo: visibleTo(row) })) throw notFound('Contact');
    return row;
  }

  async list(actor: Actor, options: { query?: string; tag?: string; cursor?: string; limit?: number }): Promise<ContactList> {
    const limit = Math.min(Math.max(options.limit ?? LIMITS.contactsPage, 1), LIMITS.contactsPage);
    const rows = await this.store.contacts.search(actor, {
      query: options.query?.trim() || undefined,
      tag: options.tag?.trim() || undefined,
      after: options.cursor ? decodeCursor(options.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const items = await this.#summaries(page);
    const last = page[page.length - 1];
    return rows.length > limit && last ? { items, next: encodeCursor(last) } : { items };
  }

  async #summaries(rows: ContactsTable[]): Promise<ContactSummary[]> {
    const ids = rows.map((r) => r.id);
    const [tags, counts, online] = await Promise.all([
      this.store.contacts.tagsOf(ids),
      this.store.contacts.conversationCounts(ids),
      Promise.all(ids.map((id) => this.broadcaster.contactOnline(id, 'shown'))),
    ]);
    return rows.map((row, i) => ({
      id: row.id,
      siteId: row.site_id,
      name: contactName(row),
      email: row.email,
      phone: row.phone,
      userId: row.user_id,
      verified: row.user_id !== null,
      conversationCount: counts.get(row.id) ?? 0,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
      tags: tags.get(row.id) ?? [],
      ownerId: row.default_assignee_id,
      online: online[i] ?? false,
    }));
  }

  async get(actor: Actor, id: string): Promise<Contact> {
    const row = await this.#visible(actor, id);
    const [[summary], notes, records, sessions] = await Promise.all([
      this.#summaries([row]),
      this.#notes(id),
      this.store.conversations.ofContact(id),
      this.store.contacts.sessions(id),
    ]);
    if (!summary) throw notFound('Contact');
    const userData = json<UserData>(row.user_data, {});
    return {
      ...summary,
      identity: identity(row, userData),
      userData,
      fields: json<Record<string, ContactFieldValue>>(row.fields, {}),
      defaultAssigneeId: row.default_assignee_id,
      defaultVisibleTo: visibleTo(row),
      notes,
      conversations: await this.views.summaries(records.filter((r) => canSee(actor, r))),
      sessionCount: sessions.length,
    };
  }

  async #notes(id: string): Promise<ContactNote[]> {
    return (await this.store.contacts.notes(id)).map((n) => ({
      id: Number(n.id),
      contactId: n.contact_id,
      agentId: n.agent_id,
      agentName: n.agent_name,
      text: n.text,
      createdAt: n.created_at,
    }));
  }

  // ------------------------------------------------------------ changes

  async patch(actor: Actor, id: string, patch: ContactPatch): Promise<Contact> {
    const row = await this.#visible(actor, id);
    const changes: Partial<ContactsTable> = {};
    if (patch.fields) {
      const values = applyFieldValues(await this.fieldDefinitions(), json(row.fields, {}), patch.fields);
      changes.fields = JSON.stringify(values);
    }
    if (patch.defaultAssigneeId !== undefined || patch.defaultVisibleTo !== undefined) {
      if (actor.role !== 'admin' && row.default_assignee_id !== actor.id) throw forbidden("Only an admin or the contact's owner can change its routing");
      const assignee = patch.defaultAssigneeId !== undefined ? patch.defaultAssigneeId : row.default_assignee_id;
      const audience = patch.defaultVisibleTo !== undefined ? [...new Set(patch.defaultVisibleTo)] : visibleTo(row);
      const agents = await this.store.agents.many([...audience, ...(assignee ? [assignee] : [])]);
      for (const agentId of [...audience, ...(assignee ? [assignee] : [])]) if (!agents.get(agentId)) throw badRequest(`Unknown agent ${agentId}`);
      const assigneeRow = assignee ? agents.get(assignee) : undefined;
      if (assigneeRow && audience.length > 0 && assigneeRow.role !== 'admin' && !audience.includes(assigneeRow.id)) {
        throw badRequest('The default assignee must be one of the agents who may see the contact');
      }
      changes.default_assignee_id = assignee;
      changes.default_visible_to = JSON.stringify(audience);
    }
    await this.store.contacts.update(id, changes);
    if (patch.tags) {
      await this.store.contacts.setTags(id, checkTags(patch.tags, await this.catalogue(), LIMITS.tagsPerContact));
      // Conversation rows show the contact's tags (and the contact-tag filter reads them live).
      for (const record of await this.store.conversations.ofContact(id)) await this.publisher.refresh(record);
    }
    if (patch.tags || Object.keys(changes).length > 0) await this.webhooks.contactChanged('contact.updated', [id]);
    return this.get(actor, id);
  }

  async addNote(actor: Actor, id: string, text: string): Promise<ContactNote> {
    await this.#visible(actor, id);
    const note = { contact_id: id, agent_id: actor.id, agent_name: actor.name, text, created_at: this.clock.now().toISOString() };
    const noteId = await this.store.contacts.addNote(note);
    return { id: noteId, contactId: id, agentId: actor.id, agentName: actor.name, text, createdAt: note.created_at };
  }

  /** Admin: `otherId` becomes part of `id`. Every session, conversation, message, note and tag is kept. */
  async merge(actor: Actor, id: string, otherId: string): Promise<Contact> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can merge contacts');
    if (id === otherId) throw badRequest('A contact cannot be merged into itself');
    const [target, other] = await Promise.all([this.store.contacts.get(id), this.store.contacts.get(otherId)]);
    if (!target || !other) throw notFound('Contact');
    if (target.site_id !== other.site_id) throw badRequest('Contacts of different sites cannot be merged');
    if (target.user_id && other.user_id && target.user_id !== other.user_id) {
      throw badRequest('Both contacts are signed in with different user ids; they are different accounts of the site');
    }
    const merged: Partial<ContactsTable> = {
      fields: JSON.stringify({ ...json(other.fields, {}), ...json(target.fields, {}) }),
      first_seen_at: [target.first_seen_at, other.first_seen_at].sort()[0] ?? target.first_seen_at,
      last_seen_at: [target.last_seen_at, other.last_seen_at].sort()[1] ?? target.last_seen_at,
      ...(target.user_id ? {} : { user_id: other.user_id, signed_email: other.signed_email, signed_name: other.signed_name }),
      ...(target.email ? {} : { email: other.email }),
      ...(target.phone ? {} : { phone: other.phone }),
      ...(target.default_assignee_id ? {} : { default_assignee_id: other.default_assignee_id }),
    };
    await this.store.contacts.merge(id, otherId, merged);
    await this.webhooks.contactDeleted([{ id: otherId, siteId: other.site_id }], 'merged', id);
    await this.webhooks.contactChanged('contact.updated', [id]);
    this.broadcaster.moveContact(otherId, id);
    for (const record of await this.store.conversations.ofContact(id)) await this.publisher.refresh(record);
    return this.get(actor, id);
  }

  async export(actor: Actor, id: string): Promise<ContactExport> {
    const { conversations: _summaries, ...contact } = await this.get(actor, id);
    const records = (await this.store.conversations.ofContact(id)).filter((r) => canSee(actor, r));
    const summaries = await this.views.summaries(records);
    const conversations = await Promise.all(
      records.map(async (record, i) => {
        const [messages, notes] = await Promise.all([
          this.store.messages.after(record.id, 0, 100_000).then((list) => this.views.withAttachments(list)),
          this.store.messages.notes(record.id),
        ]);
        return { conversation: summaries[i] ?? (await this.views.summary(record)), messages, notes };
      }),
    );
    return {
      exportedAt: this.clock.now().toISOString(),
      contact,
      conversations,
      attachments: conversations.flatMap((c) => c.messages.flatMap((m) => m.attachments)),
    };
  }

  /** Admin: the person and everything they own; every widget session of theirs resets. */
  async erase(actor: Actor, id: string): Promise<number> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can delete contacts');
    const row = await this.store.contacts.get(id);
    if (!row) throw notFound('Contact');
    const records = await this.store.conversations.ofContact(id);
    const { storageKeys } = await this.store.contacts.delete(id);
    // Their files: the rows went with the conversations, now the bytes.
    await this.attachments.removeFiles(storageKeys);
    await this.webhooks.contactDeleted([{ id, siteId: row.site_id }], 'erased');
    for (const record of records) this.broadcaster.deleted(record, inboxFields(record));
    this.broadcaster.resetContact(id);
    return records.length;
  }

  /** New chat: an outgoing conversation with the agent's first message, held by that agent. */
  async newChat(actor: Actor, id: string, text: string, clientId: string): Promise<NewChatResponse> {
    const contact = await this.#visible(actor, id);
    const [sessionId] = await this.store.contacts.sessions(id);
    const visitor = sessionId ? await this.store.visitors.get(sessionId) : undefined;
    if (!visitor) throw badRequest('This contact has no widget session to reach');
    this.messaging.checkLength(text);
    const now = this.clock.now().toISOString();
    const record = await this.webhooks.transaction(async (tx, events) => {
      await this.store.contacts.lock(id, tx);
      const latest = await this.store.conversations.latest(id, tx);
      // A person has one open conversation at a time: write in it instead.
      if (latest && latest.state === 'open') throw new HubError('conflict', 'This contact already has an open conversation; write in it instead');
      const created = await this.store.conversations.create(tx, {
        visitor,
        contactId: id,
        now,
        outgoing: true,
        assignees: [actor.id],
        visibleTo: visibleTo(contact),
      });
      await events([conversationEvent('conversation.created', created)]);
      return created;
    });
    // The new conversation shows in the widget (its room) and in the agents' lists; the message follows.
    await this.publisher.publish(record, null, { visitorUpdate: true });
    const sent = await this.messaging.agentSend(actor, record.id, clientId, text);
    return { conversation: sent.conversation, message: sent.message };
  }
}

/** Each identity value with who vouches for it, and what the visitor's page says if that differs. */
function identity(row: ContactsTable, userData: UserData): Contact['identity'] {
  const typedName = [userData.first_name, userData.last_name].filter(Boolean).join(' ').trim() || null;
  const field = (signed: string | null, typed: string | null, same: (a: string, b: string) => boolean): IdentityField => ({
    value: signed ?? typed,
    verified: signed !== null,
    visitorValue: signed !== null && typed !== null && !same(signed, typed) ? typed : null,
  });
  const exact = (a: string, b: string) => a === b;
  const caseless = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return {
    userId: field(row.user_id, userData.user_id ?? null, exact),
    email: field(row.signed_email, userData.email ?? null, caseless),
    name: field(row.signed_name, typedName, caseless),
  };
}

function encodeCursor(row: ContactsTable): string {
  return Buffer.from(JSON.stringify([row.last_seen_at, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { lastSeenAt: string; id: string } {
  try {
    const [lastSeenAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof lastSeenAt === 'string' && typeof id === 'string') return { lastSeenAt, id };
  } catch {
    // fall through
  }
  throw badRequest('Invalid cursor');
}
