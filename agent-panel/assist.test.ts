// AI assist in the conversation view against the real hub (no AI provider: the built-in suggestions and summary).
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { io } from 'socket.io-client';
import type { ConversationDetail } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, login, newAgent, open, panel, root, sideRoot, testHub, unique, viewRoot, visitor } from './test-helpers.js';

const strip = (p: SwitchboardAgentPanel): ShadowRoot | null => viewRoot(p).querySelector('sb-assist-suggestions')?.shadowRoot ?? null;
const chips = (p: SwitchboardAgentPanel) => [...(strip(p)?.querySelectorAll<HTMLButtonElement>('button.suggestion') ?? [])];
const summary = (p: SwitchboardAgentPanel): ShadowRoot | null => sideRoot(p).querySelector('sb-assist-summary')?.shadowRoot ?? null;
const composer = (p: SwitchboardAgentPanel) => viewRoot(p).querySelector<HTMLTextAreaElement>('#reply') as HTMLTextAreaElement;

/** An agent's reply over a real agent socket (after taking the conversation over). */
async function agentReply(token: string, conversationId: string, text: string): Promise<void> {
  await api(token, 'POST', `/api/conversations/${conversationId}/claim`, {});
  const socket = io(`${testHub.url}/agent`, { auth: { token }, transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve) => socket.once('hello', () => resolve()));
  const ack = (await socket.emitWithAck('message:send', { conversationId, clientId: unique(), text })) as { error?: { message: string } };
  socket.disconnect();
  if (ack.error) throw new Error(ack.error.message);
}

const messageCount = async (token: string, id: string) => (await api<ConversationDetail>(token, 'GET', `/api/conversations/${id}`)).messages.length;

describe('<switchboard-agent-panel> AI assist', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });
  after(async () => {
    // The hub is shared by the run's test files: leave the switches as they were.
    await api(admin, 'PUT', '/api/assist/settings', { summary: true, suggestions: true, transcription: true });
  });

  it('shows suggestions with their source; choosing one (mouse or keyboard) fills the composer and sends nothing', async () => {
    const word = `zq${unique()}`;
    const { token: agentToken } = await newAgent(admin, 'Ria');
    await api(admin, 'POST', '/api/faqs', { type: 'general', questions: [`What is the ${word} warranty?`], answer: `The ${word} warranty lasts two years.` });
    // Earlier, the team answered a refund question about these orders.
    const earlier = await visitor(`Hello, I returned my ${word} order. When do I get the refund?`);
    await agentReply(agentToken, earlier.conversationId, `Refunds for ${word} orders take 5 days.`);

    const v = await visitor(`How long does a refund take for ${word} orders? And what is the ${word} warranty?`);
    await waitUntil(async () => (await messageCount(admin, v.conversationId)) >= 2, 'the bot did not answer');
    const p = await panel(agentToken);
    await open(p, v.conversationId);
    await waitUntil(() => chips(p).length >= 2, 'suggestions did not show', { timeout: 8000 });
    const shown = chips(p).map((b) => ({ text: b.querySelector('.text')?.textContent, source: b.querySelector('.source')?.textContent }));
    expect(shown).to.deep.include({ text: `Refunds for ${word} orders take 5 days.`, source: 'Past answer' });
    expect(shown).to.deep.include({ text: `The ${word} warranty lasts two years.`, source: 'FAQ' });
    expect(shown.length).to.be.at.most(3);
    // The summary waits for enough messages.
    await waitUntil(() => summary(p)?.textContent?.includes('A summary appears once the conversation has 5 messages'), 'summary placeholder not shown');

    const before = await messageCount(admin, v.conversationId);
    const received = v.received.length;
    const past = chips(p).find((b) => b.dataset['source'] === 'past_answer') as HTMLButtonElement;
    past.click();
    expect(composer(p).value).to.equal(`Refunds for ${word} orders take 5 days.`);
    expect(viewRoot(p).activeElement).to.equal(composer(p), 'focus moves to the composer');

    // Keyboard: the FAQ chip, focused and activated with Enter, replaces the suggestion (the agent had not edited it).
    const faq = chips(p).find((b) => b.dataset['source'] === 'faq') as HTMLButtonElement;
    faq.focus();
    await sendKeys({ press: 'Enter' });
    expect(composer(p).value).to.equal(`The ${word} warranty lasts two years.`);

    // Nothing was sent: no message stored, none pushed to the visitor; the conversation is still the bot's.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await messageCount(admin, v.conversationId)).to.equal(before);
    expect(v.received.length).to.equal(received);
    expect((await api<ConversationDetail>(admin, 'GET', `/api/conversations/${v.conversationId}`)).conversation.holderId).to.equal(null);

    // Refresh asks again and still offers suggestions.
    strip(p)?.querySelector<HTMLButtonElement>('button.refresh-suggestions')?.click();
    await waitUntil(() => chips(p).length >= 1 && !strip(p)?.querySelector('[aria-busy="true"]'), 'refresh failed');
    earlier.socket.disconnect();
    v.socket.disconnect();
  });

  it('shows the summary with its source; an admin turning suggestions off hides them', async () => {
    const v = await visitor('Hi there');
    await v.say('I ordered a lamp and it arrived broken. I would like a replacement lamp please.');
    await v.say('Is a replacement lamp in stock?');
    await waitUntil(async () => (await messageCount(admin, v.conversationId)) >= 6, 'the bot did not answer');
    const p = await panel(admin);
    await open(p, v.conversationId);
    await waitUntil(() => summary(p)?.querySelector('.summary-points'), 'summary did not show', { timeout: 8000 });
    const s = summary(p) as ShadowRoot;
    expect(s.querySelector('.summary-source')?.textContent).to.equal('Built from the messages');
    // The side panel keeps to its column: the summary's header wraps rather than pushing every section past the
    // panel's edge (Refresh and the ends of the lines were cut off).
    const side = viewRoot(p).querySelector('sb-conversation-side') as HTMLElement;
    expect(side.scrollWidth, 'the side panel overflows sideways').to.be.at.most(side.clientWidth);
    const asked = [...s.querySelectorAll('dt.kind-request, dt.kind-open_question')].map((dt) => dt.nextElementSibling?.textContent ?? '');
    expect(asked.join(' ')).to.contain('replacement lamp');
    expect(s.querySelector('dt.kind-status')?.textContent).to.equal('Status');

    // A new message: the summary says it is older, Refresh brings it up to date (its text shown as text, never markup).
    await v.say('Also, can you send the invoice <b>today</b>?');
    await waitUntil(() => summary(p)?.querySelector('.stale'), 'stale note not shown');
    s.querySelector<HTMLButtonElement>('button.refresh-summary')?.click();
    await waitUntil(
      () => !summary(p)?.querySelector('.stale') && summary(p)?.textContent?.includes('send the invoice <b>today</b>?'),
      'refresh did not update',
    );
    expect(s.querySelector('dd b')).to.equal(null);

    // Admin → Settings → AI assist: untick reply suggestions; back in the inbox the suggestions are gone.
    root(p).querySelector<HTMLButtonElement>('button.admin-tab')?.click();
    await waitUntil(() => root(p).querySelector('sb-admin-view')?.shadowRoot?.querySelector('button.tab-settings'));
    const adminView = root(p).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
    adminView.querySelector<HTMLButtonElement>('button.tab-settings')?.click();
    await waitUntil(() => adminView.querySelector('sb-admin-assist')?.shadowRoot?.querySelector('input.assist-suggestions'), 'assist switches not shown');
    const box = adminView.querySelector('sb-admin-assist')?.shadowRoot?.querySelector('input.assist-suggestions') as HTMLInputElement;
    expect(box.checked).to.equal(true);
    box.click();
    await waitUntil(() => adminView.querySelector('.status')?.textContent?.includes('Assist settings saved'), 'not saved');
    expect((await api<{ suggestions: boolean }>(admin, 'GET', '/api/assist/settings')).suggestions).to.equal(false);
    root(p).querySelector<HTMLButtonElement>('button.inbox-tab')?.click();
    await waitUntil(() => viewRoot(p)?.querySelector('sb-assist-suggestions'), 'conversation view not back');
    await waitUntil(() => !strip(p)?.querySelector('.strip'), 'suggestions still shown');
    expect(summary(p)?.querySelector('.summary-points')).to.not.equal(null, 'the summary stays');
    v.socket.disconnect();
  });
});
