/**
 * Widget sessions: who a connecting widget is (site, origin, token, identity), the session it is
 * handed, profile updates, presence, and erasure. A visitor row is written only once the visitor
 * sends something or the page identifies them: an idle page view leaves nothing in the database.
 */
import { randomUUID } from 'node:crypto';
import type { VisitorSession } from '../../protocol/events.js';
import type { UserData } from '../../protocol/types.js';
import { type VisitorTokens, verifyUserHash } from '../auth.js';
import type { Clock } from '../clock.js';
import { forbidden, HubError, notFound } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import type { SitesTable, VisitorsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Broadcaster } from './broadcaster.js';
import { inboxFields, type Views } from './views.js';
import type { Publisher } from './publisher.js';

/** Who a widget socket speaks for, settled at connect time. */
export interface VisitorIdentity {
  visitorId: string;
  site: SitesTable;
  language: string;
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

const hasIdentity = (userData: UserData | undefined): userData is UserData =>
  userData !== undefined && Object.entries(userData).some(([key, value]) => key !== 'user_hash' && typeof value === 'string' && value.trim() !== '');

export class VisitorSessions {
  constructor(
    private readonly store: Store,
    private readonly views: Views,
    private readonly publisher: Publisher,
    private readonly broadcaster: Broadcaster,
    private readonly tokens: VisitorTokens,
    private readonly clock: Clock,
  ) {}

  #now(): string {
    return this.clock.now().toISOString();
  }

  #verified(site: SitesTable, userData: UserData | undefined): boolean {
    return userData ? verifyUserHash(userData.user_id, userData.user_hash, site.identity_secret) : false;
  }

  /** Checks site, origin and token; returns the identity. Refusals are HubErrors whose code the widget switches on. */
  async connect(request: ConnectRequest): Promise<VisitorIdentity> {
    const site = await this.store.settings.getSite(request.site);
    if (!site) throw new HubError('unknown_site', 'Unknown site');
    if (!allowedOrigin(site, request.origin)) throw forbidden('This site does not allow this origin');
    let visitorId: string = randomUUID();
    if (request.token) {
      const claims = this.tokens.verify(request.token);
      if (!claims || claims.site !== site.id) throw new HubError('unauthorized', 'The visitor token is invalid');
      // The token's visitor may have no row yet (nothing sent) or any more (erased): either way the id
      // carries no data, so the session keeps it and its tabs stay together.
      visitorId = claims.sub;
    }
    const identity = { visitorId, site, language: request.language ?? 'en' };
    const row = await this.store.visitors.get(visitorId);
    if (row) {
      if (request.userData) await this.store.visitors.updateData(row.id, request.userData, this.#verified(site, request.userData));
      await this.store.visitors.touch(row.id, this.#now(), request.language);
    } else if (hasIdentity(request.userData)) {
      await this.#create(identity, request.userData);
    }
    return identity;
  }

  async #create(identity: VisitorIdentity, userData: UserData | undefined): Promise<VisitorsTable> {
    return this.store.visitors.create({
      id: identity.visitorId,
      siteId: identity.site.id,
      userData: userData ?? {},
      verified: this.#verified(identity.site, userData),
      language: identity.language,
      now: this.#now(),
    });
  }

  /** The visitor's row, written now if this is the first thing they send. */
  async ensureVisitor(identity: VisitorIdentity): Promise<VisitorsTable> {
    const row = await this.store.visitors.get(identity.visitorId);
    if (row) return row;
    try {
      return await this.#create(identity, undefined);
    } catch (error) {
      // Two tabs sent their first message at once: the other one created it.
      const created = await this.store.visitors.get(identity.visitorId);
      if (created) return created;
      throw error;
    }
  }

  /** What a freshly connected widget is told; `firstTab` also announces the visitor online to agents. */
  async welcome(identity: VisitorIdentity, firstTab: boolean): Promise<VisitorSession> {
    const [row, record, agentsOnline] = await Promise.all([
      this.store.visitors.get(identity.visitorId),
      this.store.conversations.latest(identity.visitorId),
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

  /** SMARTLY_USER_DATA changed on the page. */
  async updateUserData(identity: VisitorIdentity, userData: UserData): Promise<{ verified: boolean }> {
    const verified = this.#verified(identity.site, userData);
    const row = await this.store.visitors.get(identity.visitorId);
    if (row) await this.store.visitors.updateData(row.id, userData, verified);
    else if (hasIdentity(userData)) await this.#create(identity, userData);
    const record = await this.store.conversations.latest(identity.visitorId);
    if (record) await this.publisher.refresh(record);
    return { verified };
  }

  /** The last tab closed: agents see the visitor offline. */
  async disconnected(visitorId: string): Promise<void> {
    if (await this.broadcaster.visitorOnline(visitorId)) return; // another tab is still open
    const row = await this.store.visitors.get(visitorId);
    if (!row) return;
    this.broadcaster.visitorPresence(visitorId, false);
    await this.store.visitors.touch(visitorId, this.#now());
  }

  /** Erase a visitor: their data, conversations and sessions. Admin only. */
  async erase(actor: Actor, visitorId: string): Promise<number> {
    if (actor.role !== 'admin') throw forbidden('Only an admin can delete visitors');
    if (!(await this.store.visitors.get(visitorId))) throw notFound('Visitor');
    const conversations = await this.store.conversations.ofVisitor(visitorId);
    await this.store.visitors.delete(visitorId);
    for (const record of conversations) this.broadcaster.deleted(record, inboxFields(record));
    this.broadcaster.resetVisitor(visitorId);
    return conversations.length;
  }
}
