// The conversation view against the real hub: handoff, composer lock, notes, side-panel actions, downloads, delete.
import { expect, waitUntil } from '@open-wc/testing';
import type { ConversationDetail, ConversationSummary, Message, Visitor, VisitorConversation } from '../protocol/types.js';
import type { ApiError } from './api.js';
import { api, listedIds, login, newAgent, open, panel, root, sideRoot, testHub, unique, view, viewRoot, visitor } from './test-helpers.js';

describe('<switchboard-agent-panel> conversation view', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('take over mutes the bot and the visitor sees the agent; a second agent sees the composer disabled; hand back unmutes', async () => {
    const { token: aliceToken } = await newAgent(admin, 'Alice');
    const { token: bobToken } = await newAgent(admin, 'Bob');
    const v = await visitor('hello');
    const handlers: VisitorConversation['handler'][] = [];
    v.socket.on('conversation:updated', (c: VisitorConversation) => handlers.push(c.handler));

    const alice = await panel(aliceToken);
    await open(alice, v.conversationId);
    viewRoot(alice).querySelector<HTMLButtonElement>('button.claim')?.click();
    await waitUntil(() => viewRoot(alice).querySelector('button.release'), 'take over failed');
    await waitUntil(() => viewRoot(alice).querySelector('.unmute-at time'), 'auto-unmute time not shown');
    const c = (await api<ConversationDetail>(admin, 'GET', `/api/conversations/${v.conversationId}`)).conversation;
    expect(c.muted).to.equal(true);
    expect(viewRoot(alice).querySelector('.unmute-at time')?.getAttribute('datetime')).to.equal(c.unmuteAt);
    await waitUntil(() => handlers.some((h) => h.kind === 'agent' && h.name === 'Alice'), 'visitor did not see the agent');

    const bob = await panel(bobToken);
    await open(bob, v.conversationId);
    const composer = viewRoot(bob).querySelector<HTMLTextAreaElement>('#reply') as HTMLTextAreaElement;
    expect(composer.disabled).to.equal(true);
    expect(viewRoot(bob).querySelector('.held')?.textContent).to.contain('Alice is handling this conversation');
    expect(viewRoot(bob).querySelector<HTMLButtonElement>('button.claim')?.disabled).to.equal(true);
    expect(viewRoot(bob).querySelector<HTMLButtonElement>('button.send')?.disabled).to.equal(true);
    // The hub refuses too.
    const refused = await bob.live.send(v.conversationId, 'let me in').catch((e: ApiError) => e);
    expect((refused as ApiError).code).to.equal('already_claimed');

    // An admin may take it over by force.
    const boss = await panel(admin);
    await open(boss, v.conversationId);
    expect(viewRoot(boss).querySelector<HTMLButtonElement>('button.claim')?.disabled).to.equal(false);
    expect(viewRoot(boss).querySelector('button.claim')?.textContent).to.contain('Alice');

    // Alice hands back: the bot is unmuted, Bob's composer unlocks live.
    viewRoot(alice).querySelector<HTMLButtonElement>('button.release')?.click();
    await waitUntil(() => viewRoot(alice).querySelector('button.claim') && viewRoot(alice).querySelector('button.mute'), 'hand back failed');
    await waitUntil(() => !(viewRoot(bob).querySelector('#reply') as HTMLTextAreaElement).disabled, 'composer did not unlock live');
    await waitUntil(() => handlers.at(-1)?.kind === 'bot');
    v.socket.disconnect();
  });

  it('replying takes an unheld conversation over; notes reach the team live but never the visitor', async () => {
    const { token: aliceToken } = await newAgent(admin, 'Ann');
    const { token: bobToken } = await newAgent(admin, 'Ben');
    const v = await visitor('hi, anyone?');
    const alice = await panel(aliceToken);
    const bob = await panel(bobToken);
    await open(alice, v.conversationId);
    await open(bob, v.conversationId);

    const reply = viewRoot(alice).querySelector<HTMLTextAreaElement>('#reply') as HTMLTextAreaElement;
    reply.value = 'Hi, Ann here';
    reply.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await waitUntil(() => v.received.some((m) => m.text === 'Hi, Ann here' && m.author === 'agent'), 'reply not delivered');
    await waitUntil(() => viewRoot(alice).querySelector('button.release'), 'sending did not take over');
    await waitUntil(() => (viewRoot(bob).querySelector('#reply') as HTMLTextAreaElement).disabled, 'other agent not locked out');
    await waitUntil(() => [...viewRoot(bob).querySelectorAll('.msg.agent .text')].some((n) => n.textContent === 'Hi, Ann here'), 'transcript not live');

    // The visitor's typing shows live in the open conversation.
    v.socket.emit('typing', { typing: true });
    await waitUntil(() => viewRoot(alice).querySelector('.typing')?.textContent?.includes('is typing'), 'visitor typing not shown');
    v.socket.emit('typing', { typing: false });
    await waitUntil(() => !viewRoot(alice).querySelector('.typing')?.textContent?.includes('is typing'), 'typing did not stop');

    const noteForm = sideRoot(alice).querySelector<HTMLFormElement>('form.add-note') as HTMLFormElement;
    (noteForm.querySelector('textarea') as HTMLTextAreaElement).value = 'secret note: VIP customer';
    noteForm.requestSubmit();
    await waitUntil(() => sideRoot(bob)?.querySelector('.note .text')?.textContent === 'secret note: VIP customer', 'note not shown live to the team');
    const history = (await v.socket.emitWithAck('messages:since', { afterId: 0 })) as { data: { messages: Message[] } };
    expect(history.data.messages.length).to.be.greaterThan(1);
    expect(JSON.stringify(history)).not.to.contain('secret note');
    expect(JSON.stringify(v.received)).not.to.contain('secret note');
    v.socket.disconnect();
  });

  it('ticket status, tags, assignees, visibility, mute and close/reopen go through the hub', async () => {
    const v = await visitor('change my things');
    const el = await panel(admin);
    await open(el, v.conversationId);
    const get = async () => (await api<ConversationDetail>(admin, 'GET', `/api/conversations/${v.conversationId}`)).conversation;
    const until = async (check: (c: ConversationSummary) => boolean, why: string) => {
      let last: ConversationSummary | null = null;
      await waitUntil(
        async () => {
          last = await get();
          return check(last);
        },
        `${why}: ${JSON.stringify(last)}`,
      );
    };
    const s = () => sideRoot(el);

    const select = s().querySelector('select.ticket-status') as HTMLSelectElement;
    select.value = 'pending';
    select.dispatchEvent(new Event('change'));
    await until((c) => c.ticketStatus === 'pending', 'ticket status');

    const tagForm = s().querySelector('form.add-tag') as HTMLFormElement;
    (tagForm.querySelector('input') as HTMLInputElement).value = 'refund';
    tagForm.requestSubmit();
    await until((c) => c.tags.join() === 'refund', 'tag added');
    await waitUntil(() => s().querySelector('.tags .chip button'));
    s().querySelector<HTMLButtonElement>('.tags .chip button')?.click();
    await until((c) => c.tags.length === 0, 'tag removed');

    const me = el.me?.id as string;
    s().querySelector<HTMLInputElement>(`.assignees input[value="${me}"]`)?.click();
    await until((c) => c.assignees.join() === me, 'assignee');
    s().querySelector<HTMLInputElement>(`.visibility input[value="${me}"]`)?.click();
    await until((c) => c.visibleTo.join() === me, 'visibility');
    await waitUntil(() => !s().querySelector<HTMLInputElement>('.visibility input.everyone')?.checked);
    s().querySelector<HTMLInputElement>('.visibility input.everyone')?.click();
    await until((c) => c.visibleTo.length === 0, 'visibility back to the team');

    viewRoot(el).querySelector<HTMLButtonElement>('button.mute')?.click();
    await until((c) => c.muted, 'mute');
    await waitUntil(() => viewRoot(el).querySelector('button.unmute'));
    viewRoot(el).querySelector<HTMLButtonElement>('button.unmute')?.click();
    await until((c) => !c.muted, 'unmute');

    await waitUntil(() => viewRoot(el).querySelector('button.close'));
    viewRoot(el).querySelector<HTMLButtonElement>('button.close')?.click();
    await until((c) => c.state === 'closed', 'close');
    await waitUntil(() => (viewRoot(el).querySelector('#reply') as HTMLTextAreaElement).disabled && viewRoot(el).querySelector('button.reopen'));
    viewRoot(el).querySelector<HTMLButtonElement>('button.reopen')?.click();
    await until((c) => c.state === 'open', 'reopen');
    v.socket.disconnect();
  });

  it('downloads contain the whole transcript; delete (after confirmation) removes the visitor everywhere', async () => {
    const email = `${unique()}@example.com`;
    const v = await visitor('please export me', { first_name: 'Dana', email });
    await waitUntil(() => v.received.some((m) => m.author === 'bot'), 'no bot answer');
    await v.say('second line');
    const el = await panel(admin);
    await open(el, v.conversationId);
    await waitUntil(() => viewRoot(el).querySelectorAll('.msg').length >= 3);

    const fetchLink = async (button: string, label: string): Promise<{ name: string; text: string }> => {
      sideRoot(el).querySelector<HTMLButtonElement>(`button.${button}`)?.click();
      await waitUntil(
        () => [...sideRoot(el).querySelectorAll<HTMLAnchorElement>('a[download]')].some((a) => a.textContent?.startsWith(label)),
        `${label} link missing`,
      );
      const link = [...sideRoot(el).querySelectorAll<HTMLAnchorElement>('a[download]')].find((a) => a.textContent?.startsWith(label)) as HTMLAnchorElement;
      return { name: link.download, text: await (await fetch(link.href)).text() };
    };
    const text = await fetchLink('download-text', 'Conversation (text)');
    expect(text.text).to.contain('Dana: please export me');
    expect(text.text).to.contain('second line');
    const json = JSON.parse((await fetchLink('download-json', 'Conversation (JSON)')).text) as ConversationDetail;
    expect(json.messages.map((m) => m.text)).to.include.members(['please export me', 'second line']);
    expect(json.messages.length).to.equal(view(el)?.detail.messages.length);
    const user = JSON.parse((await fetchLink('download-user', 'User data (JSON)')).text) as { visitor: Visitor; conversations: unknown[] };
    expect(user.visitor.userData.email).to.equal(email);
    expect(user.conversations.length).to.equal(1);

    const reset = new Promise((resolve) => v.socket.once('session:reset', resolve));
    const original = window.confirm;
    const asked: string[] = [];
    try {
      window.confirm = (message?: string) => {
        asked.push(String(message));
        return false;
      };
      sideRoot(el).querySelector<HTMLButtonElement>('button.delete-user')?.click();
      expect(asked[0]).to.contain('Dana');
      expect((await fetch(`${testHub.url}/api/visitors/${v.visitorId}`, { headers: { authorization: `Bearer ${admin}` } })).status).to.equal(200);
      window.confirm = () => true;
      sideRoot(el).querySelector<HTMLButtonElement>('button.delete-user')?.click();
    } finally {
      window.confirm = original;
    }
    await reset;
    await waitUntil(() => !listedIds(el).includes(v.conversationId) && view(el) === null, 'still shown');
    expect((await fetch(`${testHub.url}/api/visitors/${v.visitorId}`, { headers: { authorization: `Bearer ${admin}` } })).status).to.equal(404);
    expect(root(el).querySelector('.alert')).to.equal(null);
    v.socket.disconnect();
  });

  it('an agent gets no delete button and the hub refuses the deletion', async () => {
    const { token } = await newAgent(admin, 'Ray');
    const v = await visitor('keep me');
    const el = await panel(token);
    await open(el, v.conversationId);
    expect(sideRoot(el).querySelector('button.delete-user')).to.equal(null);
    const res = await fetch(`${testHub.url}/api/visitors/${v.visitorId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).to.equal(403);
    v.socket.disconnect();
  });
});
