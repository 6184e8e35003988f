/**
 * Widget sessions: who a connecting widget is (site, origin, token, identity), the session it is
 * handed, profile updates, presence, and erasure. A visitor row is written only once the visitor
 * sends something or the page identifies them: an idle page view leaves nothing in the database.
 */
import { randomUUID } from 'node:crypto';
import type { VisitorSession } from '../../protocol/events.js';
import type { UserData } from '../../protocol/types.js';
import type { VisitorTokens } from '../auth.js';
import type { Clock } from '../clock.js';
import { forbidden, HubError, notFound } from '../errors.js';
import type { SitesTable, VisitorsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Broadcaster } from './broadcaster.js';
import { ContactIdentity } from './contact-identity.js';
import type { Views } from './views.js';
import type { Publisher } from './publisher.js';
import type { Webhooks } from './webhooks.js';

/** Who a widget socket speaks for, settled at connect time. */
export interface VisitorIdentity {
  visitorId: string;
  site: SitesTable;
  language: string;
  /**
   * The person's id once the session has a row: at connect (its tabs join that contact's room) or from its first
   * message. As last known: a merge elsewhere may change it without this socket hearing (see `writer`).
   */
  contactId: string | null;
}

export interface ConnectRequest {
  site: string;
  token?: string;
  userData?: UserData;
  language?: string;
  origin: string | undefined;
}

export function allowedOrigin(site: SitesTable, origin: string | undefined): boolean {
  const allowed = JSON.parse(site.allowed_origins) as string[];
  return allowed.includes('*') || (origin !== undefined && allowed.includes(origin));
}

export class VisitorSessions {
  constructor(
    private readonly store: Store,
    private readonly views: Views,
    private readonly publisher: Publisher,
    private readonly broadcaster: Broadcaster,
    private readonly tokens: VisitorTokens,
    private readonly clock: Clock,
    webhooks?: Webhooks,
  ) {
    this.#contacts = new ContactIdentity(store, webhooks);
  }

  readonly #contacts: ContactIdentity;
  /**
   * The last row read of each site. Every connection reads its site's row (so a change of allowed origins counts
   * at once) but keeps this shared object while the row is unchanged: an idle connection holds no copy (#16).
   */
  readonly #sites = new Map<string, SitesTable>();

  #shared(site: SitesTable): SitesTable {
    const known = this.#sites.get(site.id);
    if (known && (Object.keys(site) as (keyof SitesTable)[]).every((column) => known[column] === site[column])) return known;
    this.#sites.set(site.id, site);
    return site;
  }

  #now(): string {
    return this.clock.now().toISOString();
  }

  /** Checks site, origin and token; returns the identity. Refusals are HubErrors whose code the widget switches on. */
  async connect(request: ConnectRequest): Promise<VisitorIdentity> {
    const row = await this.store.settings.getSite(request.site);
    if (!row) throw new HubError('unknown_site', 'Unknown site');
    const site = this.#shared(row);
    if (!allowedOrigin(site, request.origin)) throw forbidden('This site does not allow this origin');
    let visitorId: string = randomUUID();
    if (request.token) {
      const claims = this.tokens.verify(request.token);
      if (!claims || claims.site !== site.id) throw new HubError('unauthorized', 'The visitor token is invalid');
      // The token's visitor may have no row yet (nothing sent) or any more (erased): either way the id
      // carries no data, so the session keeps it and its tabs stay together.
      visitorId = claims.sub;
    }
    const identity: VisitorIdentity = { visitorId, site, language: request.language ?? 'en', contactId: null };
    const settled = await this.#settle(identity, request.userData, false);
    if (settled) {
      identity.contactId = settled.contact_id;
      await this.store.visitors.touch(settled.id, this.#now(), request.language);
      if (identity.contactId) await this.store.contacts.touch(identity.contactId, this.#now());
    }
    return identity;
  }

  /**
   * Settles the session's person (contact-identity.ts), then makes the live side follow: the session's
   * tabs hear their (new) contact's news, and agents see the conversations that changed person.
   */
  async #settle(identity: VisitorIdentity, userData: UserData | undefined, create: boolean): Promise<VisitorsTable | null> {
    const settled = await this.#contacts.settle(identity.site, identity.visitorId, userData, { create, language: identity.language, now: this.#now() });
    if (!settled) return null;
    if (settled.moved) {
      this.broadcaster.moveSession(identity.visitorId, settled.moved.from, settled.moved.to);
      if (settled.merged) this.broadcaster.moveContact(settled.merged, settled.moved.to);
    }
    const contactId = settled.visitor.contact_id;
    if (contactId && (userData || settled.moved)) {
      // Every conversation of the person shows the new name (and those that changed person, their new contact).
      for (const record of await this.store.conversations.ofContact(contactId)) await this.publisher.refresh(record);
    }
    return settled.visitor;
  }

  /**
   * A widget session token presented to a REST route (the widget's upload, a file): the session it speaks for, or
   * null when the token is not a genuine one of a known site. The call's Origin must be one the site allows, as for
   * the socket (403 otherwise).
   */
  async restIdentity(token: string, origin: string | undefined): Promise<VisitorIdentity | null> {
    const claims = this.tokens.verify(token);
    if (!claims) return null;
    const site = await this.store.settings.getSite(claims.site);
    if (!site) return null;
    if (!allowedOrigin(site, origin)) throw forbidden('This site does not allow this origin');
    const row = await this.store.visitors.get(claims.sub);
    return { visitorId: claims.sub, site, language: row?.language ?? 'en', contactId: row?.contact_id ?? null };
  }

  /** The session's row, if it was written (it is once the visitor sends something). */
  row(visitorId: string): Promise<VisitorsTable | undefined> {
    return this.store.visitors.get(visitorId);
  }

  /** The visitor's row (and contact), written now if this is the first thing they send. */
  async ensureVisitor(identity: VisitorIdentity): Promise<VisitorsTable> {
    const row = await this.store.visitors.get(identity.visitorId);
    if (row?.contact_id) return row;
    const created = await this.#settle(identity, undefined, true);
    if (!created) throw new Error('a session to write to');
    return created;
  }

  /**
   * Whom a socket's messages are written for: the session and its person as last known. Once the session has a row,
   * no read: the write reads the current person under its lock (store/message-writes.ts), so a merge since is safe.
   * `gone`: the write found no row (services/messaging.ts SessionGone): read, or write, it again.
   */
  async writer(identity: VisitorIdentity, gone = false): Promise<Pick<VisitorsTable, 'id' | 'contact_id'>> {
    if (identity.contactId && !gone) return { id: identity.visitorId, contact_id: identity.contactId };
    const row = await this.ensureVisitor(identity);
    identity.contactId = row.contact_id;
    return row;
  }

  /** What a freshly connected widget is told; `firstTab` also announces the visitor online to agents. */
  async welcome(identity: VisitorIdentity, firstTab: boolean): Promise<VisitorSession> {
    const [row, record, agentsOnline] = await Promise.all([
      this.store.visitors.get(identity.visitorId),
      this.store.conversations.latestOfSession(identity.visitorId),
      this.broadcaster.agentsOnline(),
    ]);
    const session: VisitorSession = {
      token: this.tokens.sign({ sub: identity.visitorId, site: identity.site.id }),
      visitor: { id: identity.visitorId, verified: row?.verified === 1 },
      conversation: record ? await this.views.visitorView(record) : null,
      agentsOnline,
    };
    if (firstTab && row) this.broadcaster.visitorPresence(identity.visitorId, true);
    if (record) await this.publisher.refresh(record);
    return session;
  }

  /**
   * The widget's loader asks before the chat has loaded (`GET /api/widget/unread`): the bot and agent messages of the
   * session's conversation the visitor has not read, with the same checks as a connect (a genuine token of a site
   * that allows the page's origin). Reads only: the session's person is not settled, nothing is touched.
   */
  async unread(token: string, origin: string | undefined): Promise<{ count: number; lastId: number }> {
    const claims = this.tokens.verify(token);
    const site = claims ? await this.store.settings.getSite(claims.site) : undefined;
    if (!claims || !site) throw new HubError('unauthorized', 'The visitor token is invalid');
    if (!allowedOrigin(site, origin)) throw forbidden('This site does not allow this origin');
    const record = await this.store.conversations.latestOfSession(claims.sub);
    return record ? this.store.messages.unreadByVisitor(record.id) : { count: 0, lastId: 0 };
  }

  /** SMARTLY_USER_DATA changed on the page (`SwitchboardWebchat.update`): the session may join its person. */
  async updateUserData(identity: VisitorIdentity, userData: UserData): Promise<{ verified: boolean }> {
    const row = await this.#settle(identity, userData, false);
    return { verified: row?.verified === 1 };
  }

  /** The last tab closed: agents see the visitor offline. */
  async disconnected(visitorId: string): Promise<void> {
    if (await this.broadcaster.visitorOnline(visitorId)) return; // another tab is still open
    const row = await this.store.visitors.get(visitorId);
    if (!row) return;
    this.broadcaster.visitorPresence(visitorId, false);
    await this.store.visitors.touch(visitorId, this.#now());
  }

  /**
   * Erase a visitor (admin): since contacts, that is the person behind the session, with every session,
   * conversation, message and note (`Contacts.erase`); the session alone would leave their email behind.
   */
  async contactOf(visitorId: string): Promise<string> {
    const row = await this.store.visitors.get(visitorId);
    if (!row?.contact_id) throw notFound('Visitor');
    return row.contact_id;
  }
}
