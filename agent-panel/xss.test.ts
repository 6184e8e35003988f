// Script injection in everything a visitor or an agent can type must render as inert text.
import { expect, waitUntil } from '@open-wc/testing';
import { api, listRoot, listedIds, login, open, panel, root, sideRoot, viewRoot, visitor } from './test-helpers.js';

declare global {
  interface Window {
    __pwned?: number;
  }
}

const EVIL = '<img src=x onerror=window.__pwned=1>';

describe('<switchboard-agent-panel> XSS', () => {
  it('renders injection in names, messages, comments, tags and notes as text', async () => {
    delete window.__pwned;
    const admin = await login();
    const v = await visitor(`<script>window.__pwned=1</script>${EVIL}`, {
      first_name: EVIL,
      last_name: '<b>bold</b>',
      email: 'x@example.com',
      comments: '<svg onload=window.__pwned=1>',
    });
    const el = await panel(admin);
    await waitUntil(() => listedIds(el).includes(v.conversationId));
    await open(el, v.conversationId);
    await waitUntil(() => viewRoot(el).querySelector('.msg.visitor'));

    await api(admin, 'PUT', `/api/conversations/${v.conversationId}/tags`, { tags: ['<img src=x>'] });
    await api(admin, 'POST', `/api/conversations/${v.conversationId}/notes`, { text: `note ${EVIL}` });
    const reply = viewRoot(el).querySelector<HTMLTextAreaElement>('#reply') as HTMLTextAreaElement;
    reply.value = `agent ${EVIL}`;
    reply.form?.requestSubmit();
    await waitUntil(
      () => sideRoot(el).querySelector('.note') && viewRoot(el).querySelector('.msg.agent') && sideRoot(el).querySelector('.tags .chip'),
      'not all rendered',
    );

    const roots = [root(el), listRoot(el), viewRoot(el), sideRoot(el)];
    for (const r of roots) {
      expect(r.querySelector('img, script, svg')?.outerHTML ?? 'none').to.equal('none');
      expect([...r.querySelectorAll('b')].some((b) => b.textContent === 'bold')).to.equal(false);
    }
    expect(listRoot(el).querySelector(`[data-id="${v.conversationId}"] .name`)?.textContent).to.contain(EVIL);
    // Names are isolated from the text around them (a right-to-left name can't reorder the row).
    expect(listRoot(el).querySelector(`[data-id="${v.conversationId}"] .name`)?.tagName).to.equal('BDI');
    expect(viewRoot(el).querySelector('.visitor-name bdi')?.textContent).to.contain(EVIL);
    expect(sideRoot(el).querySelector('.user-name bdi')).to.not.equal(null);
    expect(viewRoot(el).querySelector('.msg.visitor .text')?.textContent).to.equal(`<script>window.__pwned=1</script>${EVIL}`);
    expect(viewRoot(el).querySelector('.visitor-name')?.textContent).to.contain(EVIL);
    expect(sideRoot(el).querySelector('.comments')?.textContent).to.equal('<svg onload=window.__pwned=1>');
    expect(sideRoot(el).querySelector('.note .text')?.textContent).to.equal(`note ${EVIL}`);
    expect(sideRoot(el).querySelector('.user-name')?.textContent).to.equal(`${EVIL} <b>bold</b>`);
    // Give any injected handler a chance to run: an image load error would fire within a frame or two.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    expect(window.__pwned).to.equal(undefined);
    v.socket.disconnect();
  });
});
