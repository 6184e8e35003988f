/** REST and agent-socket helpers for tests that talk to hub processes over the network (test/cluster/). */
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import type { AgentSocket } from './hub.js';

export async function api<T>(hubUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${hubUrl}${path}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export async function login(hubUrl: string, email: string, password: string): Promise<string> {
  const res = await api<{ token: string }>(hubUrl, 'POST', '/api/auth/login', undefined, { email, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.token;
}

/** An agent's socket on `hubUrl`, connected (it is added to `opened`, for the caller to disconnect). */
export function agentSocket(hubUrl: string, token: string, opened: { disconnect(): void }[]): Promise<AgentSocket> {
  const socket: AgentSocket = io(`${hubUrl}/agent`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('hello', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
