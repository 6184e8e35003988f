/**
 * Collision: agents who have the same conversation open see each other, and see who is typing a reply,
 * so two people don't answer the same visitor at once. (Across hubs: test/cluster/two-hubs.test.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '../../protocol/types.js';
import { clientId, next, request, startHub } from '../helpers/hub.js';

type Viewers = { conversationId: string; viewers: { agentId: string; name: string }[] };
type AgentTyping = { conversationId: string; agentId: string; name: string; typing: boolean };

test('agents with a conversation open see each other and each other typing; leaving updates the others', async (t) => {
  const h = await startHub(t);
  const ana = await h.agent('agent', 'Ana');
  const bo = await h.agent('agent', 'Bo');
  const outsider = await h.agent('agent', 'Cy');
  const { socket: visitor } = await h.visitor();
  const sent = await request<{ message: Message }>(visitor, 'message:send', { clientId: clientId(), text: 'hello' });
  const conversationId = sent.data?.message.conversationId as string;

  const anaSocket = await h.agentSocket(ana.token);
  const boSocket = await h.agentSocket(bo.token);
  const cySocket = await h.agentSocket(outsider.token);
  const cyHeard: string[] = [];
  cySocket.on('conversation:viewers', () => cyHeard.push('viewers'));
  cySocket.on('conversation:agent-typing', () => cyHeard.push('typing'));

  assert.ok((await request(anaSocket, 'conversation:watch', { conversationId })).data);
  const bothSeen = next<Viewers>(anaSocket, 'conversation:viewers', (v) => v.viewers.length === 2);
  assert.ok((await request(boSocket, 'conversation:watch', { conversationId })).data);
  assert.deepEqual((await bothSeen).viewers, [
    { agentId: ana.id, name: 'Ana' },
    { agentId: bo.id, name: 'Bo' },
  ]);

  // Bo types a reply: Ana sees it; Bo's own socket does not get it back.
  const boHeardOwn: boolean[] = [];
  boSocket.on('conversation:agent-typing', (p: AgentTyping) => boHeardOwn.push(p.typing));
  const typing = next<AgentTyping>(anaSocket, 'conversation:agent-typing');
  boSocket.emit('typing', { conversationId, typing: true });
  assert.deepEqual(await typing, { conversationId, agentId: bo.id, name: 'Bo', typing: true });

  // Bo closes the conversation: Ana is alone again. Then Bo's panel disconnects after opening it again.
  const alone = next<Viewers>(anaSocket, 'conversation:viewers', (v) => v.viewers.length === 1);
  boSocket.emit('conversation:unwatch', { conversationId });
  assert.deepEqual((await alone).viewers, [{ agentId: ana.id, name: 'Ana' }]);
  const back = next<Viewers>(anaSocket, 'conversation:viewers', (v) => v.viewers.length === 2);
  await request(boSocket, 'conversation:watch', { conversationId });
  await back;
  const gone = next<Viewers>(anaSocket, 'conversation:viewers', (v) => v.viewers.length === 1);
  boSocket.disconnect();
  await gone;

  assert.deepEqual(boHeardOwn, [], 'an agent does not hear their own typing');
  assert.deepEqual(cyHeard, [], 'an agent without the conversation open hears nothing of it');
});
