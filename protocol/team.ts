/**
 * Team chat: agents talking among themselves. Never visible to visitors (the hub sends these events on
 * the `/agent` namespace only, and only to the agents of the thread).
 *
 * Threads are named by a key from the caller's point of view:
 * - `team` — the team room, one per hub, every agent;
 * - `self` — the caller's notes to self, one per agent, only them;
 * - `direct:<agentId>` — the caller and that agent, one per pair (created by the first message).
 * The same direct thread is `direct:<bob>` for Alice and `direct:<alice>` for Bob; the hub maps both to
 * one stable thread id (`TeamThread.id`, `TeamMessage.threadId`).
 */
import type { IsoDate } from './types.js';

export const TEAM_THREAD_KINDS = ['team', 'direct', 'self'] as const;
export type TeamThreadKind = (typeof TEAM_THREAD_KINDS)[number];

/** `team`, `self` or `direct:<agentId>`. */
export type TeamThreadKey = 'team' | 'self' | `direct:${string}`;

/** Messages per `GET /api/team/threads/:key/messages` page. */
export const TEAM_PAGE = 100;

export interface TeamMessage {
  /** Increases with every stored team message. */
  id: number;
  threadId: string;
  /** The thread as the receiving agent names it (differs per agent for a direct thread). */
  threadKey: TeamThreadKey;
  /** The sender's id for de-duplication: a resend with the same one answers with the stored message. */
  clientId: string;
  agentId: string;
  /** The author's name when the message was sent. */
  authorName: string;
  text: string;
  createdAt: IsoDate;
}

export interface TeamThread {
  key: TeamThreadKey;
  kind: TeamThreadKind;
  /** Null until the thread's first message created it. */
  id: string | null;
  /** The other agent of a direct thread; null for the team room and notes to self. */
  agentId: string | null;
  lastMessage: TeamMessage | null;
  /** Messages by others after this agent's read position (messages from before the agent existed don't count). */
  unreadCount: number;
}

export interface TeamSendPayload {
  threadKey: TeamThreadKey;
  /** Unique per message, chosen by the panel; resends reuse it. */
  clientId: string;
  text: string;
}

export interface TeamReadPayload {
  threadKey: TeamThreadKey;
  /** The newest message id the agent has seen. Read positions never move back. */
  upToId: number;
}

export interface TeamTypingPayload {
  threadKey: TeamThreadKey;
  typing: boolean;
}

/** Pushed to the other agents of the thread. */
export interface TeamTypingEvent {
  threadKey: TeamThreadKey;
  agentId: string;
  name: string;
  typing: boolean;
}

export interface TeamUnreadEvent {
  threadKey: TeamThreadKey;
  count: number;
}

/** `GET /api/team/threads/:key/messages`: one page, oldest first; `more` = there are older ones (ask with `before` = the first id). */
export interface TeamMessagePage {
  messages: TeamMessage[];
  more: boolean;
}

/** The key of a direct thread with `agentId`. */
export const directKey = (agentId: string): TeamThreadKey => `direct:${agentId}`;
