// The contacts screen on a phone (390 × 844): each contact is a card titled by its name, and a field the contact
// does not have is left out rather than shown as a dash, so that more contacts fit on the screen.
import { expect, waitUntil } from '@open-wc/testing';
import type { ConversationDetail } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, login, onPhone, panel, root, unique, visitor } from './test-helpers.js';

const list$ = (el: SwitchboardAgentPanel): ShadowRoot => root(el).querySelector('sb-contacts-list')?.shadowRoot as ShadowRoot;
const card = (el: SwitchboardAgentPanel, id: string): HTMLElement | null => list$(el)?.querySelector<HTMLElement>(`tr.contact[data-id="${id}"]`) ?? null;
/** The fields a card shows, by their labels (the name's has none). */
const shown = (row: HTMLElement): string[] =>
  [...row.querySelectorAll<HTMLElement>('td')].filter((td) => getComputedStyle(td).display !== 'none').map((td) => td.dataset['label'] ?? '');

describe('<switchboard-agent-panel> contacts on a 390 × 844 phone', () => {
  onPhone();

  it('shows each contact as a card titled by its name, leaving out the fields it does not have', async () => {
    const admin = await login();
    const u = unique();
    const plain = await visitor('hello from my phone', { first_name: `Plain${u}` });
    const tagged = await visitor('hello again', { first_name: `Tagged${u}`, email: `tagged-${u}@example.com` });
    const contactOf = async (conversationId: string) =>
      (await api<ConversationDetail>(admin, 'GET', `/api/conversations/${conversationId}`)).conversation.contactId;
    const [plainId, taggedId] = await Promise.all([contactOf(plain.conversationId), contactOf(tagged.conversationId)]);
    await api(admin, 'PATCH', `/api/contacts/${taggedId}`, { tags: [`vip${u}`] });

    const el = await panel(admin, 390, 844);
    (root(el).querySelector('button.contacts-tab') as HTMLButtonElement).click();
    await waitUntil(() => list$(el)?.querySelector('input[name="query"]'), 'contacts screen did not load');
    const input = list$(el).querySelector('input[name="query"]') as HTMLInputElement;
    input.value = u;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await waitUntil(() => card(el, plainId) && card(el, taggedId), 'both contacts not listed');

    const plainCard = card(el, plainId) as HTMLElement;
    const taggedCard = card(el, taggedId) as HTMLElement;
    expect(shown(plainCard)).to.deep.equal(['Name', 'Last seen', 'Conversations']);
    expect(shown(taggedCard)).to.deep.equal(['Name', 'Email', 'Last seen', 'Conversations', 'Tags']);
    // The name is the card's title: no "Name" label before it.
    const name = taggedCard.querySelector('td.name') as HTMLElement;
    expect(getComputedStyle(name, '::before').content).to.equal('none');
    expect(name.textContent).to.contain(`Tagged${u}`);
    for (const row of [plainCard, taggedCard]) expect(row.getBoundingClientRect().right, 'within the screen').to.be.at.most(390);
    plain.socket.disconnect();
    tagged.socket.disconnect();
  });
});
