// The hostile-input corpus rendered where people read it: the widget (visitor's own messages, the bot's
// FAQ answer, the agent's replies) and the agent panel (list, conversation, user data, notes, tags).
// Nothing may run, no element may be injected, every link must be http(s), and the text must show as typed.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { io } from 'socket.io-client';
import type { ConversationDetail, Faq } from '../../protocol/types.js';
import { list, listedIds, open, panel, root, sideRoot, viewRoot } from '../../agent-panel/test-helpers.js';
import '../../widget/webchat.js';
import type { SwitchboardWebchat } from '../../widget/webchat.js';
import { UNICODE_CASES, XSS_PAYLOADS } from '../fixtures/hostile.js';
import { api, login, testHub } from '../helpers/browser-hub.js';

declare global {
  interface Window {
    __pwned?: number;
  }
}

const unique = () => Math.random().toString(36).slice(2, 10);

/** Every element under `node`, shadow roots included. */
function* deep(node: ParentNode): Generator<Element> {
  for (const el of node.querySelectorAll('*')) {
    yield el;
    if (el.shadowRoot) yield* deep(el.shadowRoot);
  }
}

/** What an injection would leave behind; the components themselves use none of it (one inline SVG icon aside). */
function injected(node: ParentNode): string[] {
  const found: string[] = [];
  for (const el of deep(node)) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'img', 'object', 'embed', 'math', 'details', 'body', 'style', 'mglyph'].includes(tag)) found.push(`<${tag}>`);
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(`<${tag} ${attr.name}>`);
      // Text in aria-label or title is harmless; only attributes a browser loads or runs matter.
      if (/^(href|src|srcdoc|style|action|formaction|xlink:href|data)$/i.test(attr.name) && attr.value.includes('__pwned')) {
        found.push(`<${tag} ${attr.name}="${attr.value.slice(0, 40)}">`);
      }
    }
    if (tag === 'a') {
      const href = (el as HTMLAnchorElement).href;
      if (href && !/^https?:/.test(href)) found.push(`<a href="${href}">`);
    }
    if (tag === 'svg' && el.querySelector('script, [onload]')) found.push('<svg> with script');
  }
  return found;
}

/** Lets an injected <img onerror> or <svg onload> fire if one slipped through. */
const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))));

describe('hostile input, rendered', () => {
  let admin: string;
  let widget: SwitchboardWebchat;
  let conversationId: string;
  const question = `zebra hostile question ${unique()}`;
  const botAnswer = XSS_PAYLOADS.join('\n');
  const agentReply = `${XSS_PAYLOADS.slice(0, 8).join(' ')} https://example.com/ok`;
  const userData = {
    first_name: XSS_PAYLOADS[1],
    last_name: UNICODE_CASES[1],
    email: `${unique()}@example.com`,
    comments: XSS_PAYLOADS[0],
    phone_number: 33123456789,
    tier: 'gold',
  };

  before(async () => {
    delete window.__pwned;
    admin = await login();
    await api<Faq>(admin, 'POST', '/api/faqs', { type: 'general', questions: [question], answer: botAnswer });
    // SMARTLY_USER_DATA as a careless site might write it: markup, a number and a field of its own.
    widget = await fixture<SwitchboardWebchat>(
      html`<switchboard-webchat .hub=${testHub.url} site="demo" storage-key=${unique()} .userData=${userData as never}></switchboard-webchat>`,
    );
    await widget.chat.ready;
    widget.show();
    for (const text of [...XSS_PAYLOADS, ...UNICODE_CASES.slice(0, 4)]) await widget.chat.send(text);
    await widget.chat.send(question);
    await waitUntil(() => widget.chat.messages.some((m) => m.author === 'bot' && m.text === botAnswer), 'the bot did not answer with the FAQ', {
      timeout: 8000,
    });
    conversationId = widget.chat.conversation?.id ?? '';
    const agent = io(`${testHub.url}/agent`, { auth: { token: admin }, transports: ['websocket'] });
    await new Promise((resolve) => agent.once('hello', resolve));
    await agent.emitWithAck('message:send', { conversationId, clientId: unique(), text: agentReply });
    agent.disconnect();
    await waitUntil(() => widget.chat.messages.some((m) => m.text === agentReply), 'agent reply not received');
    await widget.updateComplete;
  });

  it('the widget shows every payload as text, runs nothing and links only to http(s)', async () => {
    await settle();
    const shadow = widget.shadowRoot as ShadowRoot;
    const shown = [...shadow.querySelectorAll('.bubble')].map((b) => b.textContent ?? '');
    for (const text of [...XSS_PAYLOADS, ...UNICODE_CASES.slice(0, 4), botAnswer, agentReply]) expect(shown, text.slice(0, 40)).to.include(text);
    expect(injected(shadow)).to.deep.equal([]);
    const links = [...shadow.querySelectorAll<HTMLAnchorElement>('a')].map((a) => a.href);
    expect(links).to.include('https://example.com/ok');
    expect(window.__pwned).to.equal(undefined);
  });

  it('the hub received the careless user data cleaned: known fields, as strings', async () => {
    const detail = await api<ConversationDetail>(admin, 'GET', `/api/conversations/${conversationId}`);
    expect(detail.visitor.userData).to.deep.equal({
      first_name: userData.first_name,
      last_name: userData.last_name?.replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g, ''), // the hub strips bidi controls from names
      email: userData.email,
      comments: userData.comments,
      phone_number: '33123456789',
    });
  });

  it('the agent panel shows names, messages, user data, notes and tags as text and runs nothing', async () => {
    for (const text of XSS_PAYLOADS) await api(admin, 'POST', `/api/conversations/${conversationId}/notes`, { text });
    await api(admin, 'PUT', `/api/conversations/${conversationId}/tags`, { tags: XSS_PAYLOADS.filter((p) => p.length <= 40) });
    const el = await panel(admin);
    await waitUntil(() => listedIds(el).includes(conversationId), 'conversation not listed', { timeout: 8000 });
    await open(el, conversationId);
    await waitUntil(() => sideRoot(el).querySelectorAll('.note').length >= XSS_PAYLOADS.length, 'notes not shown', { timeout: 8000 });
    await settle();

    const view = viewRoot(el).textContent ?? '';
    for (const text of [XSS_PAYLOADS[5] ?? '', botAnswer.split('\n')[3] ?? '', agentReply.slice(0, 60)]) expect(view, text).to.include(text);
    const notes = [...sideRoot(el).querySelectorAll('.note')].map((n) => n.textContent ?? '');
    for (const text of XSS_PAYLOADS)
      expect(
        notes.some((n) => n.includes(text)),
        text,
      ).to.equal(true);
    expect(sideRoot(el).textContent).to.include(userData.comments);
    expect(list(el)?.shadowRoot?.textContent).to.include(userData.first_name);
    expect(injected(root(el))).to.deep.equal([]);
    expect(window.__pwned).to.equal(undefined);
  });
});
