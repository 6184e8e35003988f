/**
 * The `/visitor` namespace: widget connections. A visitor only ever touches their own conversation.
 * Every event a stranger can send is rate-limited per visitor; handlers call the hub's services only.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import type { VisitorClientToServer, VisitorServerToClient } from '../../protocol/events.js';
import type { UserData } from '../../protocol/types.js';
import { LIMITS } from '../../protocol/limits.js';
import { HubError } from '../errors.js';
import { ReadSchema, SinceSchema, UserUpdateSchema, VisitorAuthSchema, VisitorSendSchema, VisitorTypingSchema, parse } from '../schemas.js';
import { rooms } from '../services/broadcaster.js';
import { SessionGone } from '../services/messaging.js';
import type { HubServices } from '../services/hub-services.js';
import type { VisitorIdentity } from '../services/visitor-sessions.js';
import { handleOn } from './ack.js';
import { releaseUpgradeRequest } from './upgrade-requests.js';
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

  const limited = (limiter: RateLimiter, visitorId: string, what: string) => {
    if (!limiter.take(`v:${visitorId}`)) throw new HubError('rate_limited', `Too many ${what}; wait a moment`);
  };
  // Profile updates are coalesced per socket: while one is applied, only the newest of those that arrive waits.
  // The coalescer is made on a socket's first update, so an idle connection holds none.
  const profileUpdates = new WeakMap<VisitorSocket, (userData: UserData) => Promise<{ verified: boolean }>>();
  const updateProfile = (socket: VisitorSocket, userData: UserData) => {
    let update = profileUpdates.get(socket);
    if (!update) {
      const identity = socket.data;
      update = latestWins((data: UserData) => visitorSessions.updateUserData(identity, data));
      profileUpdates.set(socket, update);
    }
    return update(userData);
  };

  // One listener per event for every socket, each reading its socket from `this` (handleOn): 50,000 idle
  // connections would otherwise hold a dozen closures each (#16, capacity).
  const onSend = handleOn(log, async (socket: VisitorSocket, payload) => {
    const { clientId, text, attachmentIds } = parse(VisitorSendSchema, payload);
    const identity = socket.data;
    limited(limits.messages, identity.visitorId, 'messages');
    const send = async (gone: boolean) => messaging.visitorSend(await visitorSessions.writer(identity, gone), clientId, text, socket.id, attachmentIds);
    const { message, conversation } = await send(false).catch((error: unknown) => {
      if (error instanceof SessionGone) return send(true);
      throw error;
    });
    return { message, conversation };
  });

  const onSince = handleOn(log, async (socket: VisitorSocket, payload) => {
    const { afterId } = parse(SinceSchema, payload);
    const { visitorId } = socket.data;
    limited(limits.events, visitorId, 'requests');
    const page = await messaging.visitorHistory(visitorId, afterId, LIMITS.historyPage + 1);
    return { ...page, messages: page.messages.slice(0, LIMITS.historyPage), more: page.messages.length > LIMITS.historyPage };
  });

  const onUserUpdate = handleOn(log, async (socket: VisitorSocket, payload) => {
    const { userData } = parse(UserUpdateSchema, payload);
    limited(limits.events, socket.data.visitorId, 'requests');
    return updateProfile(socket, userData);
  });

  const onRead = handleOn(log, async (socket: VisitorSocket, payload) => {
    const { upToId } = parse(ReadSchema, payload);
    const { visitorId } = socket.data;
    limited(limits.events, visitorId, 'requests');
    await messaging.visitorRead(visitorId, upToId);
    return { ok: true as const };
  });

  function onTyping(this: VisitorSocket, payload: unknown) {
    const { visitorId } = this.data;
    void (async () => {
      const { typing } = parse(VisitorTypingSchema, payload);
      limited(limits.events, visitorId, 'requests');
      await messaging.visitorTyping(visitorId, typing);
    })().catch(() => undefined);
  }

  function onDisconnect(this: VisitorSocket) {
    void visitorSessions.disconnected(this.data.visitorId).catch(() => undefined);
  }

  nsp.on('connection', (socket: VisitorSocket) => {
    const identity = socket.data;
    const { visitorId } = identity;
    // Asked before this socket joins (the local rooms are read synchronously). Listeners are added
    // synchronously too: an event the client sends right after connecting is never dropped.
    const otherTabOpen = broadcaster.visitorOnline(visitorId);
    // The session's tabs, and the person's room (conversation news) once the session has a contact.
    void socket.join(identity.contactId ? [rooms.visitor(visitorId), rooms.contact(identity.contactId)] : rooms.visitor(visitorId));
    socket.on('message:send', onSend);
    socket.on('messages:since', onSince);
    socket.on('user:update', onUserUpdate);
    socket.on('messages:read', onRead);
    socket.on('typing', onTyping);
    socket.on('disconnect', onDisconnect);
    // The handshake keeps the headers the origin check read; the request itself is not read again.
    releaseUpgradeRequest(socket.conn as unknown as { request: IncomingMessage | null });
    // The first HTTP request of the connection (its raw headers, parser state) is not read again: the handshake
    // keeps the headers the origin check used. Dropping it is Socket.IO's memory tip, about 1 kB an idle
    // connection (#16, capacity). A second namespace opened over this connection would see no headers, so a second
    // visitor socket there fails the origin check; the widget opens one namespace per connection.
    (socket.conn as { request: unknown }).request = null;

    void (async () => {
      const firstTab = !(await otherTabOpen);
      socket.emit('session', await visitorSessions.welcome(identity, firstTab));
    })().catch((error: unknown) => {
      log.error({ err: error }, 'visitor session failed');
      socket.disconnect(true);
    });
  });
}
