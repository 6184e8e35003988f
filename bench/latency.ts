/**
 * Delivery latency: visitors send, one agent receives and answers; both ways measured in this process, on the hub
 * and on two baselines (a bare Socket.IO relay, and a durable relay that stores each message before acking it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Socket, io } from 'socket.io-client';
import { type Stats, inBatches, percentiles, processCpuMs, quick, root } from './common.js';
import { INSPECT, inspectorUrl } from '../test/helpers/inspector.js';

export const VISITORS = quick ? 300 : 1000;
export const MESSAGES = quick ? 3 : 5;

export interface Target {
  visitor(i: number): Promise<{ socket: Socket; send(text: string): Promise<string> }>;
  /** `onVisitorText`: called with each visitor message's text as it reaches the agent. */
  agent(onVisitorText: (text: string) => void): Promise<{ socket: Socket; send(to: string, text: string): Promise<void>; open?(to: string): Promise<void> }>;
  /** The server's full (mark-compact) collections so far, where it reports them: the hub's /metrics. */
  majorCollections?(): Promise<number>;
}

export interface Latency {
  visitorToAgent: Stats;
  agentToVisitor: Stats;
  /**
   * The server process's CPU time (all its threads, from /proc) over the timed rounds, per message either way, when
   * its pid was given. Tail latency follows it: the busier the event loop, the longer arrivals queue in a burst.
   */
  serverCpuUsPerMessage?: number;
  /**
   * The server's full collections during the timed rounds, when the target counts them. Each stops the loop for
   * milliseconds and slows it for tens around it: the slowest 1% of messages are mostly those caught in one.
   */
  serverMajorCollections?: number;
}

/** `serverPid`: the process serving `target`, whose CPU time over the rounds is reported (`serverCpuUsPerMessage`). */
export async function latency(target: Target, serverPid?: number, visitorsCount = VISITORS, rounds = MESSAGES): Promise<Latency> {
  const sentAt = new Map<string, number>();
  const v2a: number[] = [];
  const a2v: number[] = [];
  const agent = await target.agent((text) => {
    const t = sentAt.get(text);
    if (t !== undefined && text.startsWith('v')) v2a.push(performance.now() - t);
  });
  const visitors = await inBatches(visitorsCount, 100, (i) => target.visitor(i));
  const targets = await Promise.all(visitors.map((v, i) => v.send(`warm-up ${i}`)));
  // Warm-up: the agent's first message to each visitor takes the conversation over, and the agent opens it (the hub
  // sends a conversation's messages to the agents who have it open).
  await inBatches(visitorsCount, 100, (i) => agent.send(targets[i] ?? '', `hello ${i}`));
  const open = agent.open;
  if (open) await inBatches(visitorsCount, 100, (i) => open(targets[i] ?? ''));
  for (const v of visitors)
    v.socket.on('message:new', (m: { text: string }) => {
      const t = sentAt.get(m.text);
      if (t !== undefined && m.text.startsWith('a')) a2v.push(performance.now() - t);
    });
  // Each visitor says something and the agent answers, spread over one second as real visitors would type. Only the
  // texts given a send time are timed (the agent's and the visitors' handlers ignore the others).
  const exchange = (label: string, timed: boolean) =>
    Promise.all(
      visitors.map(async (v, i) => {
        await new Promise((r) => setTimeout(r, Math.random() * 1000));
        const text = `v${label}:${i}`;
        if (timed) sentAt.set(text, performance.now());
        await v.send(text);
        const reply = `a${label}:${i}`;
        if (timed) sentAt.set(reply, performance.now());
        await agent.send(targets[i] ?? '', reply);
      }),
    );
  // One untimed exchange first: the rounds measure a server that has run this path before, as one that has been up
  // for a while has. Two hubs' first exchange after the takeover queued up to 60–90 ms (decisions.md, session 36).
  await exchange('warm', false);
  const collectionsBefore = await target.majorCollections?.();
  const cpuBefore = serverPid ? processCpuMs(serverPid) : 0;
  for (let round = 0; round < rounds; round++) await exchange(String(round), true);
  const deadline = Date.now() + 10_000;
  while ((v2a.length < visitorsCount * rounds || a2v.length < visitorsCount * rounds) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const serverCpuUsPerMessage = serverPid ? Math.round(((processCpuMs(serverPid) - cpuBefore) * 1000) / (2 * visitorsCount * rounds)) : undefined;
  const collectionsAfter = await target.majorCollections?.();
  const serverMajorCollections = collectionsBefore === undefined || collectionsAfter === undefined ? undefined : collectionsAfter - collectionsBefore;
  for (const v of visitors) v.socket.disconnect();
  agent.socket.disconnect();
  return { visitorToAgent: percentiles(v2a), agentToVisitor: percentiles(a2v), serverCpuUsPerMessage, serverMajorCollections };
}

export function hubTarget(url: string, token: string): Target {
  return {
    async visitor() {
      const socket = io(`${url}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], forceNew: true });
      await new Promise((r) => socket.once('session', r));
      return {
        socket,
        async send(text) {
          const ack = (await socket.emitWithAck('message:send', { clientId: crypto.randomUUID(), text })) as {
            data?: { conversation: { id: string } };
            error?: unknown;
          };
          if (!ack.data) throw new Error(`send failed: ${JSON.stringify(ack.error)}`);
          return ack.data.conversation.id;
        },
      };
    },
    async agent(onVisitorText) {
      const socket = io(`${url}/agent`, { auth: { token }, transports: ['websocket'], forceNew: true });
      await new Promise((r) => socket.once('hello', r));
      socket.on('message:new', (m: { author: string; text: string }) => {
        if (m.author === 'visitor') onVisitorText(m.text);
      });
      return {
        socket,
        async send(to, text) {
          const ack = (await socket.emitWithAck('message:send', { conversationId: to, clientId: crypto.randomUUID(), text })) as { error?: unknown };
          if (ack.error) throw new Error(`agent send failed: ${JSON.stringify(ack.error)}`);
        },
        async open(to) {
          const ack = (await socket.emitWithAck('conversation:watch', { conversationId: to })) as { error?: unknown };
          if (ack.error) throw new Error(`agent watch failed: ${JSON.stringify(ack.error)}`);
        },
      };
    },
    // prom-client's GC histogram, which the hub serves to loopback clients (server/plugins/metrics.ts).
    async majorCollections() {
      const text = await (await fetch(`${url}/metrics`)).text();
      return Number(/^switchboard_nodejs_gc_duration_seconds_count\{kind="major"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    },
  };
}

export function relayTarget(url: string): Target {
  return {
    async visitor(i) {
      const socket = io(url, { auth: { role: 'visitor', id: String(i) }, transports: ['websocket'], forceNew: true });
      await new Promise<void>((r) => socket.once('connect', () => r()));
      return {
        socket,
        send: async (text) => {
          await socket.emitWithAck('message:send', { text });
          return String(i);
        },
      };
    },
    async agent(onVisitorText) {
      const socket = io(url, { auth: { role: 'agent' }, transports: ['websocket'], forceNew: true });
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.on('message:new', (m: { text: string }) => onVisitorText(m.text));
      return { socket, send: async (to, text) => void (await socket.emitWithAck('message:send', { to, text })) };
    },
  };
}

/**
 * A baseline relay in its own process (bench/echo-server.ts); `durable` stores each message in SQLite first. With
 * `inspect`, the process's inspector listens too (test/helpers/inspector.ts) and `inspectorUrl` says where.
 */
export async function startRelay(durable: boolean, inspect = false): Promise<{ url: string; pid: number; inspectorUrl?: string; stop(): void }> {
  const dir = durable ? mkdtempSync(join(tmpdir(), 'switchboard-relay-')) : null;
  const args = [...(inspect ? [INSPECT] : []), '--import', 'tsx', 'bench/echo-server.ts', ...(dir ? ['--durable', join(dir, 'relay.db')] : [])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', inspect ? 'pipe' : 'inherit'] });
  const { stdout } = child;
  if (!stdout) throw new Error('the relay has no stdout');
  let stderr = '';
  const listening = inspect
    ? new Promise<string | undefined>((resolve) =>
        child.stderr?.on('data', (d: Buffer) => {
          stderr += String(d);
          const found = inspectorUrl(stderr);
          if (found) resolve(found);
        }),
      )
    : undefined;
  const url = await new Promise<string>((resolve) =>
    stdout.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m?.[1]) resolve(m[1]);
    }),
  );
  const inspector = await listening;
  return {
    url,
    pid: child.pid ?? 0,
    ...(inspector ? { inspectorUrl: inspector } : {}),
    stop() {
      child.kill('SIGKILL');
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
