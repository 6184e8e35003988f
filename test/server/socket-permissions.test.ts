/**
 * Who may do what on the sockets, enforced by the hub (the routes: permissions.test.ts): agents act only on the
 * conversations they may see, a visitor reaches only their own conversation, and neither token opens the other's
 * namespace.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { clientId, request, startHub } from '../helpers/hub.js';

test('socket events: agents act only on conversations they may see; visitors reach only their own conversation', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent('agent');
  const hidden = await h.agent('agent');
  const alice = await h.visitor({ userData: { first_name: 'Alice' } });
  const sent = await request<{ conversation: { id: string } }>(alice.socket, 'message:send', { clientId: clientId(), text: 'private question' });
  const conversationId = sent.data?.conversation.id ?? '';
  await h.api('PUT', `/api/conversations/${conversationId}/visibility`, { token: admin, body: { agentIds: [agent.id] } });

  const hiddenSocket = await h.agentSocket(hidden.token);
  const agentSocket = await h.agentSocket(agent.token);
  const checks: [string, Promise<{ error?: { code: string } }>, string | null][] = [
    ['hidden agent watches', request(hiddenSocket, 'conversation:watch', { conversationId }), 'not_found'],
    ['hidden agent sends', request(hiddenSocket, 'message:send', { conversationId, clientId: clientId(), text: 'let me in' }), 'not_found'],
    ['hidden agent marks read', request(hiddenSocket, 'conversation:read', { conversationId }), 'not_found'],
    ['agent watches', request(agentSocket, 'conversation:watch', { conversationId }), null],
    ['agent marks read', request(agentSocket, 'conversation:read', { conversationId }), null],
    ['agent on an unknown conversation', request(agentSocket, 'message:send', { conversationId: randomUUID(), clientId: clientId(), text: 'x' }), 'not_found'],
  ];
  for (const [label, pending, code] of checks) {
    const ack = await pending;
    assert.equal(ack.error?.code ?? null, code, label);
  }

  // Another visitor can't reach Alice's conversation: agent events on the visitor namespace are not handled,
  // and their own messages open their own conversation.
  const eve = await h.visitor({ userData: { first_name: 'Eve' } });
  const ignored = await Promise.race([
    request(eve.socket, 'conversation:watch', { conversationId }).then(() => 'answered'),
    request(eve.socket, 'messages:since', { afterId: 0 }).then(() => 'since answered first'),
  ]);
  assert.equal(ignored, 'since answered first', 'the visitor namespace has no conversation:watch');
  const eveSince = await request<{ messages: { text: string }[] }>(eve.socket, 'messages:since', { afterId: 0, conversationId } as never);
  assert.deepEqual(eveSince.data?.messages ?? [], [], "a conversationId in the payload doesn't select someone else's conversation");
  const eveSent = await request<{ conversation: { id: string } }>(eve.socket, 'message:send', { clientId: clientId(), text: 'hi', conversationId } as never);
  assert.ok(eveSent.error || eveSent.data?.conversation.id !== conversationId, "a visitor can't write into someone else's conversation");

  // An agent token is not a visitor token and vice versa.
  const asVisitor = await new Promise<string>((resolve) => {
    const s = h.visitor({ token: agent.token }).then(
      ({ session }) => resolve(session.visitor.id === alice.session.visitor.id ? 'became alice' : 'new visitor'),
      (error: Error) => resolve(error.message),
    );
    void s;
  });
  assert.notEqual(asVisitor, 'became alice');
  await assert.rejects(h.agentSocket(alice.session.token), /unauthorized/);
  console.log('socket events: 6 agent checks, 4 visitor checks, 2 token swaps');
});
