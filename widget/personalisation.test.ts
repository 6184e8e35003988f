// A personalised bot answer in the widget: the visitor's first name comes back as text, whatever it holds.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Faq } from '../protocol/types.js';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import './webchat.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => Math.random().toString(36).slice(2, 10);
const XSS = '<img src=x onerror=alert(1)>';

async function mount(userData: Record<string, string>): Promise<SwitchboardWebchat> {
  const el = await fixture<SwitchboardWebchat>(
    html`<switchboard-webchat .hub=${testHub.url} site="demo" storage-key=${`p-${unique()}`} .userData=${userData}></switchboard-webchat>`,
  );
  await el.chat.ready;
  el.show();
  await el.updateComplete;
  return el;
}

const bubbles = (el: SwitchboardWebchat) => [...(el.shadowRoot?.querySelectorAll('.msg') ?? [])].map((m) => m.querySelector('.bubble')?.textContent ?? '');

describe('<switchboard-webchat> personalised answers', () => {
  let admin: string;
  let faq: Faq;
  const word = `zibble${unique()}`;

  before(async () => {
    admin = await login();
    faq = await api<Faq>(admin, 'POST', '/api/faqs', {
      type: 'general',
      questions: [`When does ${word} ship?`],
      answer: `Hello {first_name|there}, ${word} ships tomorrow. {order_id} stays as typed.`,
    });
  });
  after(async () => {
    await api(admin, 'DELETE', `/api/faqs/${faq.id}`);
  });

  it('shows the visitor’s first name as text, markup included, and never as HTML', async () => {
    const alerts: unknown[] = [];
    const alert = window.alert;
    window.alert = (message?: unknown) => void alerts.push(message);
    try {
      const el = await mount({ first_name: XSS, email: `${unique()}@example.com` });
      await el.chat.send(`When does ${word} ship?`);
      await waitUntil(() => el.chat.messages.some((m) => m.author === 'bot'), 'bot did not answer');
      await el.updateComplete;
      const expected = `Hello ${XSS}, ${word} ships tomorrow. {order_id} stays as typed.`;
      expect(el.chat.messages.find((m) => m.author === 'bot')?.text).to.equal(expected);
      expect(bubbles(el)).to.include(expected);
      const log = el.shadowRoot?.querySelector('.log') as HTMLElement;
      expect(log.querySelector('img')).to.equal(null);
      await new Promise((resolve) => requestAnimationFrame(resolve)); // an injected onerror would have run by now
      expect(alerts).to.deep.equal([]);
    } finally {
      window.alert = alert;
    }
  });

  it('uses the fallback when the visitor gave no first name', async () => {
    const el = await mount({});
    await el.chat.send(`When does ${word} ship?`);
    await waitUntil(() => el.chat.messages.some((m) => m.author === 'bot'), 'bot did not answer');
    await el.updateComplete;
    expect(bubbles(el)).to.include(`Hello there, ${word} ships tomorrow. {order_id} stays as typed.`);
  });
});
