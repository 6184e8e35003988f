// The Team view in headless Chromium against the real hub of the test run: an agent's panel DMs another agent
// (whose real socket, opened here, receives it), the reply arrives live with the unread badge, and the badge
// clears when the thread is opened.
import { expect, waitUntil } from '@open-wc/testing';
import { type Socket, io } from 'socket.io-client';
import type { TeamMessage, TeamUnreadEvent } from '../protocol/team.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import type { TeamChatView } from './components/team-chat.js';
import { login, newAgent, panel, root, testHub, unique } from './test-helpers.js';

const chat = (el: SwitchboardAgentPanel): TeamChatView | null => root(el).querySelector('sb-team-chat');
const chatRoot = (el: SwitchboardAgentPanel): ShadowRoot => chat(el)?.shadowRoot as ShadowRoot;
const entry = (el: SwitchboardAgentPanel, key: string): HTMLButtonElement | null => chatRoot(el)?.querySelector(`button.entry[data-key="${key}"]`) ?? null;
const teamTab = (el: SwitchboardAgentPanel): HTMLButtonElement => root(el).querySelector('button.team-tab') as HTMLButtonElement;
const texts = (el: SwitchboardAgentPanel): string[] => [...chatRoot(el).querySelectorAll('.log .msg .text')].map((n) => n.textContent ?? '');

/** A real `/agent` socket (what another agent's panel would hold), connected. */
async function agentSocket(token: string): Promise<Socket> {
  const socket = io(`${testHub.url}/agent`, { auth: { token }, transports: ['websocket'], forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once('hello', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Opens a thread by clicking its entry and waits until its messages are shown. */
async function openThread(el: SwitchboardAgentPanel, key: string): Promise<void> {
  entry(el, key)?.click();
  await waitUntil(() => chat(el)?.state.openKey === key && !chat(el)?.state.loading, `${key} did not open`, { timeout: 4000 });
}

describe('<switchboard-agent-panel> Team view', () => {
  it('DMs another agent live; the reply comes with an unread badge that clears when the thread is opened', async () => {
    const admin = await login();
    const alice = await newAgent(admin, `Alice ${unique()}`);
    const bob = await newAgent(admin, `Bob ${unique()}`);
    const bobSocket = await agentSocket(bob.token);
    const bobGot: TeamMessage[] = [];
    bobSocket.on('team:message', (m: TeamMessage) => bobGot.push(m));
    // Alice's panel in another tab: it hears her unread counts as the hub keeps them.
    const aliceOtherTab = await agentSocket(alice.token);
    const aliceCounts: TeamUnreadEvent[] = [];
    aliceOtherTab.on('team:unread', (u: TeamUnreadEvent) => aliceCounts.push(u));

    const el = await panel(alice.token);
    expect(teamTab(el).getAttribute('aria-label')).to.equal('Team');
    teamTab(el).click();
    await waitUntil(() => entry(el, `direct:${bob.agent.id}`), 'Bob not listed', { timeout: 4000 });
    expect(entry(el, 'team')?.textContent).to.contain('Team room');
    expect(entry(el, 'self')?.textContent).to.contain('Notes to self');

    // Opening a thread puts the focus in its composer; Enter sends, Shift+Enter doesn't.
    await openThread(el, `direct:${bob.agent.id}`);
    const textarea = chatRoot(el).querySelector('#team-text') as HTMLTextAreaElement;
    await waitUntil(() => chatRoot(el).activeElement === textarea, 'composer not focused');
    expect(chatRoot(el).querySelector('label[for="team-text"]')?.textContent).to.contain(`Message to Bob`);
    const text = 'Hi Bob, <b>can</b> you take the Kraków order?';
    textarea.value = text;
    textarea.dispatchEvent(new Event('input'));
    const shiftEnter = new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true, cancelable: true });
    textarea.dispatchEvent(shiftEnter);
    expect(shiftEnter.defaultPrevented, 'Shift+Enter is a new line').to.equal(false);
    textarea.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await waitUntil(() => bobGot.length === 1, 'Bob did not receive the DM', { timeout: 4000 });
    expect(bobGot[0]?.text).to.equal(text);
    expect(bobGot[0]?.threadKey).to.equal(`direct:${alice.agent.id}`);
    await waitUntil(() => texts(el).includes(text), 'the DM is not shown');
    expect(chatRoot(el).querySelector('.log b'), 'text, never HTML').to.equal(null);
    expect(textarea.value).to.equal('');
    const log = chatRoot(el).querySelector('.log') as HTMLElement;
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live')).to.equal('polite');

    // Bob's typing shows in the thread.
    bobSocket.emit('team:typing', { threadKey: `direct:${alice.agent.id}`, typing: true });
    await waitUntil(() => chatRoot(el).querySelector('.typing')?.textContent?.includes('is typing'), 'typing not shown', { timeout: 4000 });
    expect(chatRoot(el).querySelector('.typing')?.textContent).to.contain(bob.agent.name);
    await expect(el).to.be.accessible();

    // Alice is in the team room when Bob answers: the badges say 1 unread.
    await openThread(el, 'team');
    const sent = (await bobSocket.emitWithAck('team:send', { threadKey: `direct:${alice.agent.id}`, clientId: unique(), text: 'On it!' })) as {
      data?: { message: TeamMessage };
    };
    expect(sent.data?.message.text).to.equal('On it!');
    await waitUntil(() => teamTab(el).getAttribute('aria-label') === 'Team, 1 unread', 'nav badge not updated', { timeout: 4000 });
    expect(teamTab(el).querySelector('.badge')?.textContent).to.equal('1');
    const bobEntry = entry(el, `direct:${bob.agent.id}`) as HTMLButtonElement;
    expect(bobEntry.querySelector('.badge')?.textContent).to.equal('1');
    expect(bobEntry.textContent).to.contain('1 unread');
    expect(bobEntry.querySelector('.preview')?.textContent).to.equal('On it!');
    expect(bobEntry.classList.contains('unread')).to.equal(true);
    expect(Object.keys(chat(el)?.state.typing[`direct:${bob.agent.id}`] ?? {}), "Bob's message ends his typing").to.deep.equal([]);

    // Opening the thread shows the reply and clears the badges, here and at the hub (Alice's other tab hears 0).
    await openThread(el, `direct:${bob.agent.id}`);
    await waitUntil(() => texts(el).includes('On it!'), 'the reply is not shown');
    expect(chatRoot(el).querySelector(`.msg[data-id="${sent.data?.message.id}"] .author`)?.textContent).to.equal(bob.agent.name);
    expect(teamTab(el).getAttribute('aria-label')).to.equal('Team');
    expect(teamTab(el).querySelector('.badge')).to.equal(null);
    expect(entry(el, `direct:${bob.agent.id}`)?.querySelector('.badge')).to.equal(null);
    await waitUntil(() => aliceCounts.some((u) => u.threadKey === `direct:${bob.agent.id}` && u.count === 0), 'the hub did not count it read', {
      timeout: 4000,
    });
    bobSocket.disconnect();
    aliceOtherTab.disconnect();
  });

  it('keyboard: arrows move between threads, Back returns the focus to the thread (narrow layout)', async () => {
    const admin = await login();
    const me = await newAgent(admin, `Kim ${unique()}`);
    const el = await panel(me.token, 420);
    teamTab(el).click();
    await waitUntil(() => entry(el, 'self'), 'threads not listed', { timeout: 4000 });
    entry(el, 'team')?.focus();
    entry(el, 'team')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    expect(chatRoot(el).activeElement).to.equal(entry(el, 'self'));
    await openThread(el, 'self');
    expect(getComputedStyle(chatRoot(el).querySelector('.threads') as HTMLElement).display, 'one column: the list hides').to.equal('none');
    (chatRoot(el).querySelector('button.back') as HTMLButtonElement).click();
    await waitUntil(() => chatRoot(el).activeElement === entry(el, 'self'), 'focus did not return to the entry');
  });
});
