/**
 * The `/visitor` namespace: widget connections. A visitor only ever touches their own conversation.
 * Every event a stranger can send is rate-limited per visitor; handlers call the hub's services only.
 */
import type { Socket } from 'socket.io';
import type { VisitorClientToServer, VisitorServerToClient } from '../../protocol/events.js';
import { LIMITS } from '../../protocol/limits.js';
import { HubError } from '../errors.js';
import { ReadSchema, SinceSchema, UserUpdateSchema, VisitorAuthSchema, VisitorSendSchema, VisitorTypingSchema, parse } from '../schemas.js';
import { rooms } from '../services/broadcaster.js';
import { SessionGone } from '../services/messaging.js';
import type { HubServices } from '../services/hub-services.js';
import type { VisitorIdentity } from '../services/visitor-sessions.js';
import { handle } from './ack.js';
import { latestWins } from './coalesce.js';
import type { RateLimiter } from './rate-limit.js';

type VisitorSocket = Socket<VisitorClientToServer, VisitorServerToClient, Record<string, never>, VisitorIdentity>;

export interface VisitorLimits {
  messages: RateLimiter;
  /** Every other event (history, profile, read marks, typing): a stranger must not be able to flood any of them. */
  events: RateLimiter;
  connections: RateLimiter;
}

export interface SocketLog {
  error: (obj: unknown, msg: string) => void;
}

export function registerVisitorNamespace(services: HubServices, limits: VisitorLimits, log: SocketLog): void {
  const { visitorSessions, messaging, broadcaster } = services;
  const nsp = broadcaster.visitors;

  nsp.use((socket: VisitorSocket, next) => {
    const refuse = (code: string) => next(new Error(code));
    if (!limits.connections.take(socket.handshake.address)) return refuse('rate_limited');
    let auth: ReturnType<typeof parse<typeof VisitorAuthSchema>>;
    try {
      auth = parse(VisitorAuthSchema, socket.handshake.auth);
    } catch {
      return refuse('bad_request');
    }
    visitorSessions.connect({ ...auth, origin: socket.handshake.headers.origin }).then(
      (identity) => {
        socket.data = identity;
        next();
      },
      (error: unknown) => {
        if (error instanceof HubError) return refuse(error.code);
        log.error({ err: error }, 'visitor connect failed');
        refuse('internal');
      },
    );
  });

  nsp.on('connection', (socket: VisitorSocket) => {
    const identity = socket.data;
    const { visitorId } = identity;
    // Asked before this socket joins (the local rooms are read synchronously). Handlers below are
    // registered synchronously too: an event the client sends right after connecting is never dropped.
    const otherTabOpen = broadcaster.visitorOnline(visitorId);
    // The session's tabs, and the person's room (conversation news) once the session has a contact.
    void socket.join(identity.contactId ? [rooms.visitor(visitorId), rooms.contact(identity.contactId)] : rooms.visitor(visitorId));
    const limited = (limiter: RateLimiter, what: string) => {
      if (!limiter.take(`v:${visitorId}`)) throw new HubError('rate_limited', `Too many ${what}; wait a moment`);
    };
    // Profile updates are coalesced: while one is applied, only the newest of those that arrive waits.
    const updateProfile = latestWins((userData: Parameters<typeof visitorSessions.updateUserData>[1]) => visitorSessions.updateUserData(identity, userData));

    socket.on(
      'message:send',
      handle(log, async (payload) => {
        const { clientId, text, attachmentIds } = parse(VisitorSendSchema, payload);
        limited(limits.messages, 'messages');
        const send = async (gone: boolean) => messaging.visitorSend(await visitorSessions.writer(identity, gone), clientId, text, socket.id, attachmentIds);
        const { message, conversation } = await send(false).catch((error: unknown) => {
          if (error instanceof SessionGone) return send(true);
          throw error;
        });
        return { message, conversation };
      }),
    );

    socket.on(
      'messages:since',
      handle(log, async (payload) => {
        const { afterId } = parse(SinceSchema, payload);
        limited(limits.events, 'requests');
        const page = await messaging.visitorHistory(visitorId, afterId, LIMITS.historyPage + 1);
        return { ...page, messages: page.messages.slice(0, LIMITS.historyPage), more: page.messages.length > LIMITS.historyPage };
      }),
    );

    socket.on(
      'user:update',
      handle(log, async (payload) => {
        const { userData } = parse(UserUpdateSchema, payload);
        limited(limits.events, 'requests');
        return updateProfile(userData);
      }),
    );

    socket.on(
      'messages:read',
      handle(log, async (payload) => {
        const { upToId } = parse(ReadSchema, payload);
        limited(limits.events, 'requests');
        await messaging.visitorRead(visitorId, upToId);
        return { ok: true as const };
      }),
    );

    socket.on('typing', (payload) => {
      void (async () => {
        const { typing } = parse(VisitorTypingSchema, payload);
        limited(limits.events, 'requests');
        await messaging.visitorTyping(visitorId, typing);
      })().catch(() => undefined);
    });

    socket.on('disconnect', () => {
      void visitorSessions.disconnected(visitorId).catch(() => undefined);
    });

    void (async () => {
      const firstTab = !(await otherTabOpen);
      socket.emit('session', await visitorSessions.welcome(identity, firstTab));
    })().catch((error: unknown) => {
      log.error({ err: error }, 'visitor session failed');
      socket.disconnect(true);
    });
  });
}
