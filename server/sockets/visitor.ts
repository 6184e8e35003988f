/** The `/visitor` namespace: widget connections. A visitor only ever touches their own conversation. */
import type { Socket } from 'socket.io';
import type { VisitorClientToServer, VisitorServerToClient } from '../../protocol/events.js';
import type { UserData } from '../../protocol/types.js';
import { type VisitorTokens, verifyUserHash } from '../auth.js';
import type { Clock } from '../clock.js';
import { HubError } from '../errors.js';
import { ReadSchema, SinceSchema, UserUpdateSchema, VisitorAuthSchema, VisitorSendSchema, VisitorTypingSchema, parse } from '../schemas.js';
import { type ChatService, rooms } from '../services/chat.js';
import type { SitesTable, VisitorsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { handle } from './ack.js';
import type { RateLimiter } from './rate-limit.js';

interface VisitorSocketData {
  visitorId: string;
  site: SitesTable;
}

type VisitorSocket = Socket<VisitorClientToServer, VisitorServerToClient, Record<string, never>, VisitorSocketData>;

export interface VisitorDeps {
  store: Store;
  chat: ChatService;
  tokens: VisitorTokens;
  clock: Clock;
  messageLimiter: RateLimiter;
  connectionLimiter: RateLimiter;
  log: { error: (obj: unknown, msg: string) => void };
}

/** Connect errors carry a code the widget switches on: unauthorized → forget the token and retry. */
class Refused extends Error {}
const refuse = (code: string): Error => new Refused(code);

export function allowedOrigin(site: SitesTable, origin: string | undefined): boolean {
  const allowed = JSON.parse(site.allowed_origins) as string[];
  return allowed.includes('*') || (origin !== undefined && allowed.includes(origin));
}

function verified(site: SitesTable, userData: UserData | undefined): boolean {
  return userData ? verifyUserHash(userData.user_id, userData.user_hash, site.identity_secret) : false;
}

export function registerVisitorNamespace(deps: VisitorDeps): void {
  const { store, chat, tokens, clock } = deps;
  const nsp = chat.visitors;

  nsp.use((socket: VisitorSocket, next) => {
    authenticate(socket).then(
      () => next(),
      (error: unknown) => {
        if (error instanceof Refused) return next(error);
        if (error instanceof HubError) return next(refuse(error.code));
        deps.log.error({ err: error }, 'visitor connect failed');
        next(refuse('internal'));
      },
    );
  });

  async function authenticate(socket: VisitorSocket): Promise<void> {
    if (!deps.connectionLimiter.take(socket.handshake.address)) throw refuse('rate_limited');
    const auth = parse(VisitorAuthSchema, socket.handshake.auth);
    const site = await store.getSite(auth.site);
    if (!site) throw refuse('unknown_site');
    if (!allowedOrigin(site, socket.handshake.headers.origin)) throw refuse('forbidden');
    const now = clock.now().toISOString();
    let visitor: VisitorsTable | undefined;
    if (auth.token) {
      const claims = tokens.verify(auth.token);
      if (!claims || claims.site !== site.id) throw refuse('unauthorized');
      visitor = await store.getVisitor(claims.sub);
    }
    if (visitor) {
      if (auth.userData) await store.updateVisitorData(visitor.id, auth.userData, verified(site, auth.userData));
      await store.touchVisitor(visitor.id, now, auth.language);
    } else {
      // No token, or the visitor was deleted: a fresh identity.
      visitor = await store.createVisitor({
        siteId: site.id,
        userData: auth.userData ?? {},
        verified: verified(site, auth.userData),
        language: auth.language ?? 'en',
        now,
      });
    }
    socket.data = { visitorId: visitor.id, site };
  }

  nsp.on('connection', (socket: VisitorSocket) => {
    const { visitorId, site } = socket.data;
    const room = rooms.visitor(visitorId);
    // Asked before this socket joins (the local rooms are read synchronously). Handlers below are
    // registered synchronously too: an event the client sends right after connecting is never dropped.
    const otherTabOpen = chat.visitorOnline(visitorId);
    void socket.join(room);
    const visitorRow = async (): Promise<VisitorsTable> => {
      const row = await store.getVisitor(visitorId);
      if (!row) throw new HubError('unauthorized', 'This visitor no longer exists');
      return row;
    };

    socket.on(
      'message:send',
      handle(deps.log, async (payload) => {
        const { clientId, text } = parse(VisitorSendSchema, payload);
        if (!deps.messageLimiter.take(`v:${visitorId}`)) throw new HubError('rate_limited', 'Too many messages; wait a moment');
        return chat.visitorSend(await visitorRow(), clientId, text, socket.id);
      }),
    );

    socket.on(
      'messages:since',
      handle(deps.log, async (payload) => {
        const { afterId } = parse(SinceSchema, payload);
        const record = await store.latestConversation(visitorId);
        if (!record) return { messages: [], conversation: null };
        return { messages: await store.messagesAfter(record.id, afterId), conversation: await chat.visitorView(record) };
      }),
    );

    socket.on(
      'user:update',
      handle(deps.log, async (payload) => {
        const { userData } = parse(UserUpdateSchema, payload);
        const isVerified = verified(site, userData);
        await store.updateVisitorData(visitorId, userData, isVerified);
        const record = await store.latestConversation(visitorId);
        if (record) await chat.publish(record, {});
        return { verified: isVerified };
      }),
    );

    socket.on(
      'messages:read',
      handle(deps.log, async (payload) => {
        const { upToId } = parse(ReadSchema, payload);
        const record = await store.latestConversation(visitorId);
        if (record) await store.markReadByVisitor(record.id, upToId, clock.now().toISOString());
        return { ok: true as const };
      }),
    );

    socket.on('typing', (payload) => {
      void (async () => {
        const { typing } = parse(VisitorTypingSchema, payload);
        const record = await store.latestConversation(visitorId);
        if (record) chat.agents.to(rooms.watch(record.id)).emit('visitor:typing', { conversationId: record.id, typing });
      })().catch(() => undefined);
    });

    socket.on('disconnect', () => {
      void (async () => {
        if (await chat.visitorOnline(visitorId)) return; // another tab is still open
        chat.agents.to(rooms.allAgents).emit('visitor:presence', { visitorId, online: false });
        await store.touchVisitor(visitorId, clock.now().toISOString());
      })().catch(() => undefined);
    });

    void (async () => {
      const firstTab = !(await otherTabOpen);
      const visitor = await visitorRow();
      const record = await store.latestConversation(visitorId);
      socket.emit('session', {
        token: tokens.sign({ sub: visitorId, site: site.id }),
        visitor: { id: visitorId, verified: visitor.verified === 1 },
        conversation: record ? await chat.visitorView(record) : null,
        agentsOnline: await chat.agentsOnline(),
      });
      if (firstTab) chat.agents.to(rooms.allAgents).emit('visitor:presence', { visitorId, online: true });
      if (record) await chat.publish(record, {});
    })().catch((error: unknown) => {
      deps.log.error({ err: error }, 'visitor session failed');
      socket.disconnect(true);
    });
  });
}
