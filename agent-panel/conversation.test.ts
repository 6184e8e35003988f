// The conversation view against the real hub: handoff, composer lock, notes, side-panel actions, downloads, delete.
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Agent, ConversationDetail, ConversationSummary, Message, Visitor, VisitorConversation } from '../protocol/types.js';
import type { ApiError } from './api.js';
import { api, listRoot, listedIds, login, newAgent, open, panel, root, sideRoot, testHub, unique, view, viewRoot, visitor } from './test-helpers.js';

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
      try {
        await waitUntil(async () => {
          last = await get();
          return check(last);
        });
      } catch {
        // waitUntil's message is fixed when it is called: report the state it last saw.
        throw new Error(`${why}: ${JSON.stringify(last)}`);
      }
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
    // Nobody handles it, so it leaves Unassigned: its row says who it is assigned to.
    const chip = () => listRoot(el).querySelector(`li[data-id="${v.conversationId}"] .chip.assignee`)?.textContent ?? '';
    await waitUntil(() => chip() === `Assigned: ${el.me?.name}`, `the list row does not show the assignee: "${chip()}"`);
    s().querySelector<HTMLInputElement>(`.visibility input[value="${me}"]`)?.click();
    await until((c) => c.visibleTo.join() === me, 'visibility');
    await waitUntil(() => !s().querySelector<HTMLInputElement>('.visibility input.everyone')?.checked);
    s().querySelector<HTMLInputElement>('.visibility input.everyone')?.click();
    await until((c) => c.visibleTo.length === 0, 'visibility back to the team');

    viewRoot(el).querySelector<HTMLButtonElement>('button.mute')?.click();
    await until((c) => c.muted, 'mute');
    // A pushed change can render the next button while the previous request is still in flight
    // (disabled until its reply): click only what a user could click.
    const enabled = (selector: string) => viewRoot(el).querySelector<HTMLButtonElement>(`${selector}:not([disabled])`);
    await waitUntil(() => enabled('button.unmute'));
    viewRoot(el).querySelector<HTMLButtonElement>('button.unmute')?.click();
    await until((c) => !c.muted, 'unmute');

    await waitUntil(() => enabled('button.close'));
    viewRoot(el).querySelector<HTMLButtonElement>('button.close')?.click();
    await waitUntil(() => viewRoot(el).querySelector<HTMLDialogElement>('dialog.close-dialog')?.open, 'close dialog did not open');
    viewRoot(el).querySelector<HTMLButtonElement>('dialog.close-dialog button.confirm-close')?.click();
    await until((c) => c.state === 'closed' && c.ticketStatus === 'resolved', 'close');
    await waitUntil(() => (viewRoot(el).querySelector('#reply') as HTMLTextAreaElement).disabled && enabled('button.reopen'));
    viewRoot(el).querySelector<HTMLButtonElement>('button.reopen')?.click();
    await until((c) => c.state === 'open', 'reopen');
    v.socket.disconnect();
  });

  it('the status line tells the truth: the bot is answering / the bot is muted until … / waiting for a person / X is handling it / closed', async () => {
    const v = await visitor('what is going on?');
    const el = await panel(admin);
    await open(el, v.conversationId);
    const header = () => (viewRoot(el).querySelector('header')?.textContent ?? '').replace(/\s+/g, ' ');
    const line = () => (viewRoot(el).querySelector('.status-line')?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const get = async () => (await api<ConversationDetail>(admin, 'GET', `/api/conversations/${v.conversationId}`)).conversation;
    viewRoot(el).querySelector<HTMLButtonElement>('button.mute')?.click();
    await waitUntil(() => viewRoot(el).querySelector('button.unmute'), 'mute failed');
    expect(header(), 'a muted conversation').not.to.contain('The bot is answering');
    await waitUntil(() => line().startsWith('The bot is muted until'), `muted: ${line()}`);
    expect(viewRoot(el).querySelector('.status-line time')?.getAttribute('datetime')).to.equal((await get()).unmuteAt);

    viewRoot(el).querySelector<HTMLButtonElement>('button.unmute')?.click();
    await waitUntil(() => line() === 'The bot is answering', `unmuted: ${line()}`);
    expect(header()).not.to.contain('muted until');

    // The visitor asks for a person: the line says they wait, and that the bot answers only what it knows meanwhile.
    await v.say('Can I talk to a human?');
    await waitUntil(() => line() === 'The visitor is waiting for a person; the bot answers only what it knows', `waiting: ${line()}`);

    // Taken over: the agent is handling it (the bot is muted meanwhile); another agent reads the holder's name.
    viewRoot(el).querySelector<HTMLButtonElement>('button.claim')?.click();
    await waitUntil(() => line().startsWith('You are handling it'), `held: ${line()}`);
    expect(header()).not.to.contain('The bot is answering');
    expect(line()).to.contain('the bot is muted until');
    const { token } = await newAgent(admin, 'Olga');
    const other = await panel(token);
    await open(other, v.conversationId);
    const otherLine = (viewRoot(other).querySelector('.status-line')?.textContent ?? '').replace(/\s+/g, ' ').trim();
    expect(otherLine).to.match(new RegExp(`^${el.me?.name} is handling it`));

    await api(admin, 'POST', `/api/conversations/${v.conversationId}/close`, {});
    await waitUntil(() => line() === 'Closed', `closed: ${line()}`);
    expect(header()).not.to.contain('answering');
    expect(header()).not.to.contain('handling');
    v.socket.disconnect();
  });

  it('holding and assignment are two things on screen: “Handling” (who writes to the visitor) apart from “Assigned to”', async () => {
    const v = await visitor('who is on this?');
    const el = await panel(admin);
    await open(el, v.conversationId);
    const me = el.me as Agent;
    const handling = () => (sideRoot(el).querySelector('.handling') as HTMLElement | null)?.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(handling()).to.contain('Nobody');
    expect(sideRoot(el).querySelector('.handling .hint')?.textContent).to.contain('writes to the visitor');
    expect(sideRoot(el).querySelector('.assignees-hint')?.textContent).to.contain('Mine');

    viewRoot(el).querySelector<HTMLButtonElement>('button.claim')?.click();
    await waitUntil(() => handling().includes(`${me.name} (you)`), `handling after take over: ${handling()}`);
    // Taking over does not assign: the assignee box stays unticked, and nothing on screen says otherwise.
    expect(sideRoot(el).querySelector<HTMLInputElement>(`.assignees input[value="${me.id}"]`)?.checked).to.equal(false);
    expect(viewRoot(el).querySelector('header')?.textContent).not.to.contain('Handled by');
    expect(sideRoot(el).querySelector(`.assignees label[data-agent="${me.id}"]`)?.textContent).to.contain('handling');
    v.socket.disconnect();
  });

  it('the assignee picker offers only agents who can see the conversation', async () => {
    const { agent: bob } = await newAgent(admin, `Bob${unique()}`);
    const { agent: cara } = await newAgent(admin, `Cara${unique()}`);
    const v = await visitor('restricted');
    await api(admin, 'PUT', `/api/conversations/${v.conversationId}/visibility`, { agentIds: [bob.id] });
    const el = await panel(admin);
    await open(el, v.conversationId);
    const offered = () => [...sideRoot(el).querySelectorAll<HTMLInputElement>('.assignees input[value]')].map((i) => i.value);
    await waitUntil(() => offered().includes(bob.id), 'Bob not offered');
    expect(offered()).not.to.include(cara.id);
    expect(offered()).to.include(el.me?.id);
    // Cara is offered again once the conversation is team-wide.
    sideRoot(el).querySelector<HTMLInputElement>('.visibility input.everyone')?.click();
    await waitUntil(() => offered().includes(cara.id), 'Cara not offered once team-wide');
    v.socket.disconnect();
  });

  it('Close asks for the outcome in a modal dialog (Resolved by default), traps and returns focus, and shows the hub’s refusal', async () => {
    const { token: aliceToken } = await newAgent(admin, 'Alice');
    const { token: bobToken } = await newAgent(admin, 'Bob');
    const v = await visitor('please close me');
    const get = async () => (await api<ConversationDetail>(admin, 'GET', `/api/conversations/${v.conversationId}`)).conversation;
    const bob = await panel(bobToken);
    await open(bob, v.conversationId);
    const r = viewRoot(bob);
    const closeButton = r.querySelector('button.close') as HTMLButtonElement;
    const dialog = r.querySelector('dialog.close-dialog') as HTMLDialogElement;
    expect(dialog.open).to.equal(false);

    closeButton.focus();
    closeButton.click();
    await waitUntil(() => dialog.open, 'dialog did not open');
    expect(dialog.matches(':modal')).to.equal(true);
    expect(dialog.getAttribute('aria-labelledby') && r.getElementById(dialog.getAttribute('aria-labelledby') as string)?.textContent).to.contain('Close');
    const select = dialog.querySelector('select[name="ticketStatus"]') as HTMLSelectElement;
    expect(select.value).to.equal('resolved');
    expect([...select.options].map((o) => o.value)).to.include.members(['resolved', 'pending', 'inactive']);
    expect(r.activeElement).to.equal(select);
    // Focus stays in the dialog: Tab past the last button comes back to the first control, and the page behind is inert.
    const confirm = dialog.querySelector('button.confirm-close') as HTMLButtonElement;
    confirm.focus();
    await sendKeys({ press: 'Tab' });
    expect(r.activeElement).to.equal(select);
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(r.activeElement).to.equal(confirm);
    (r.querySelector('button.mute') as HTMLButtonElement).focus();
    expect(r.activeElement).not.to.equal(r.querySelector('button.mute'));
    // Escape cancels; focus returns to Close; nothing was sent.
    select.focus();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'Escape did not close the dialog');
    await waitUntil(() => r.activeElement === closeButton, 'focus did not return to Close');
    expect((await get()).state).to.equal('open');

    // Alice takes it over: Bob may not close it, and the dialog says why (the hub's 403 message).
    await api(aliceToken, 'POST', `/api/conversations/${v.conversationId}/claim`, {});
    closeButton.click();
    await waitUntil(() => dialog.open);
    confirm.click();
    await waitUntil(
      () => dialog.querySelector('.error')?.textContent?.includes('Only the agent handling the conversation, an assignee or an admin can close it'),
      'refusal not shown',
    );
    expect(dialog.open).to.equal(true);
    expect((await get()).state).to.equal('open');
    dialog.querySelector<HTMLButtonElement>('button.cancel')?.click();
    await waitUntil(() => !dialog.open && r.activeElement === closeButton);

    // Alice closes it with another outcome.
    const alice = await panel(aliceToken);
    await open(alice, v.conversationId);
    viewRoot(alice).querySelector<HTMLButtonElement>('button.close')?.click();
    const aliceDialog = viewRoot(alice).querySelector('dialog.close-dialog') as HTMLDialogElement;
    await waitUntil(() => aliceDialog.open);
    expect(aliceDialog.querySelector('.error')).to.equal(null);
    const outcome = aliceDialog.querySelector('select[name="ticketStatus"]') as HTMLSelectElement;
    outcome.value = 'pending';
    outcome.dispatchEvent(new Event('change', { bubbles: true }));
    aliceDialog.querySelector<HTMLButtonElement>('button.confirm-close')?.click();
    await waitUntil(async () => {
      const c = await get();
      return c.state === 'closed' && c.ticketStatus === 'pending';
    }, 'not closed as pending');
    await waitUntil(() => !aliceDialog.open && viewRoot(alice).querySelector('button.reopen'), 'dialog still open after closing');
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
