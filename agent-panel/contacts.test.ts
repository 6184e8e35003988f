// The contacts screen and the contact page, in headless Chromium against the real hub of the test run.
import { expect, waitUntil } from '@open-wc/testing';
import type { Contact, ContactFieldDefinition, NewChatResponse, TagCatalogue } from '../protocol/contacts.js';
import type { ConversationDetail } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import type { ContactPage } from './components/contact-page.js';
import type { ContactsList } from './components/contacts-list.js';
import { signIdentity } from '../test/helpers/browser-hub.js';
import { api, login, newAgent, panel, root, type TestVisitor, testHub, unique, view, viewRoot, visitor } from './test-helpers.js';

const contactsList = (el: SwitchboardAgentPanel): ContactsList | null => root(el).querySelector('sb-contacts-list');
const list$ = (el: SwitchboardAgentPanel): ShadowRoot => contactsList(el)?.shadowRoot as ShadowRoot;
const page = (el: SwitchboardAgentPanel): ContactPage | null => root(el).querySelector('sb-contact-page');
const page$ = (el: SwitchboardAgentPanel): ShadowRoot => page(el)?.shadowRoot as ShadowRoot;
const rows = (el: SwitchboardAgentPanel): HTMLElement[] => [...(list$(el)?.querySelectorAll<HTMLElement>('tr.contact') ?? [])];
const rowIds = (el: SwitchboardAgentPanel): string[] => rows(el).map((tr) => tr.dataset['id'] ?? '');
const listIdle = (el: SwitchboardAgentPanel): boolean => el.contacts.state.loaded && el.contacts.state.loading === null;

/** The contact of a visitor's conversation. */
async function contactOf(token: string, v: TestVisitor): Promise<string> {
  return (await api<ConversationDetail>(token, 'GET', `/api/conversations/${v.conversationId}`)).conversation.contactId;
}

/** Switches the panel to the contacts screen and waits for the first list. */
async function openContacts(el: SwitchboardAgentPanel): Promise<void> {
  (root(el).querySelector('button.contacts-tab') as HTMLButtonElement).click();
  await waitUntil(() => list$(el)?.querySelector('input[name="query"]') && listIdle(el), 'contacts screen did not load', { timeout: 8000 });
}

/** Types into the search box like an agent (the search runs after the debounce) and waits for the answer. */
async function search(el: SwitchboardAgentPanel, text: string): Promise<void> {
  const input = list$(el).querySelector('input[name="query"]') as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await waitUntil(() => el.contacts.state.query === text && listIdle(el), `search for ${text} did not finish`);
}

/** Finds the contact by `text` and opens its page from its row with the keyboard. */
async function openContact(el: SwitchboardAgentPanel, text: string, contactId: string): Promise<void> {
  await search(el, text);
  const row = rows(el).find((tr) => tr.dataset['id'] === contactId);
  if (!row) throw new Error(`contact ${contactId} not listed for ${text}`);
  row.focus();
  row.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
  await waitUntil(() => page(el)?.state.contact?.id === contactId && page$(el)?.querySelector('.columns'), 'contact page did not open');
}

const status = (el: SwitchboardAgentPanel): string => page$(el)?.querySelector('.status')?.textContent ?? '';

describe('<switchboard-agent-panel> contacts', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('searching the contacts screen by email or name finds the contact and hides the others', async () => {
    const u = unique();
    const alice = await visitor('hello from alice', { first_name: `Alice${u}`, email: `alice-${u}@example.com` });
    const bob = await visitor('hello from bob', { first_name: `Bob${u}`, email: `bob-${u}@example.com` });
    const [aliceId, bobId] = await Promise.all([contactOf(admin, alice), contactOf(admin, bob)]);
    const el = await panel(admin);
    await openContacts(el);
    expect(root(el).querySelector('button.contacts-tab')?.getAttribute('aria-current')).to.equal('page');

    await search(el, `alice-${u}@example.com`);
    expect(rowIds(el)).to.deep.equal([aliceId]);
    const row = rows(el)[0] as HTMLElement;
    expect(row.querySelector('td.name bdi')?.textContent).to.contain(`Alice${u}`);
    expect(row.querySelector('td.email')?.textContent).to.contain(`alice-${u}@example.com`);
    expect(row.querySelector('td.count')?.textContent?.trim()).to.equal('1');
    // Empty cells say so alike: no tags and no owner both show a dash.
    expect(row.querySelector('td[data-label="Tags"]')?.textContent?.trim()).to.equal('—');
    expect(row.querySelector('td.owner')?.textContent?.trim()).to.equal('—');
    expect(list$(el).querySelector('[role="status"]')?.textContent).to.contain('1 contact shown');

    await search(el, `Bob${u}`);
    expect(rowIds(el)).to.deep.equal([bobId]);

    // Both share the unique part; then nothing matches.
    await search(el, u);
    expect(rowIds(el)).to.have.members([aliceId, bobId]);
    await search(el, `nobody-${u}`);
    expect(rows(el)).to.have.length(0);
    expect(list$(el).querySelector('.empty')?.textContent).to.contain(`No contacts match “nobody-${u}”`);
    alice.socket.disconnect();
    bob.socket.disconnect();
  });

  it('the contact page shows identity labels for an unsigned visitor and their conversations, which open in the inbox', async () => {
    const u = unique();
    const v = await visitor('where is my parcel?', { first_name: `Carla${u}`, email: `carla-${u}@example.com`, phone_number: '+33 6 12 34 56 78' });
    const contactId = await contactOf(admin, v);
    const el = await panel(admin);
    await openContacts(el);
    await openContact(el, `carla-${u}@example.com`, contactId);

    const p = page$(el);
    expect(p.querySelector('h2')?.textContent).to.contain(`Carla${u}`);
    expect(p.activeElement, 'focus moves to the heading').to.equal(p.querySelector('h2'));
    const identity = (key: string) => p.querySelector(`.identity [data-identity="${key}"]`) as HTMLElement;
    expect(identity('email').querySelector('.value')?.textContent).to.equal(`carla-${u}@example.com`);
    expect(identity('email').textContent).to.contain('provided by the visitor');
    expect(identity('name').textContent).to.contain('provided by the visitor');
    expect(p.querySelector('.identity .chip.verified'), 'nothing is verified for an unsigned visitor').to.equal(null);
    expect(p.querySelector('.identity .changed')).to.equal(null);
    expect(p.querySelector('.user-data [data-user-data="first_name"]')?.textContent).to.equal(`Carla${u}`);
    expect(p.querySelector('.user-data [data-user-data="phone_number"]')?.textContent).to.equal('+33 6 12 34 56 78');
    expect(p.querySelector('.user-data input, .user-data textarea')).to.equal(null);

    const conversation = p.querySelector(`button.conversation[data-id="${v.conversationId}"]`) as HTMLButtonElement;
    expect(conversation, 'conversation listed').to.exist;
    expect(conversation.textContent).to.contain('Open');
    conversation.click();
    await waitUntil(() => view(el)?.detail.conversation.id === v.conversationId, 'conversation did not open in the inbox');
    expect(root(el).querySelector('button.inbox-tab')?.getAttribute('aria-current')).to.equal('page');
    expect(viewRoot(el).querySelector('.transcript')?.textContent).to.contain('where is my parcel?');
    v.socket.disconnect();
  });

  it('a custom field edited on the contact page is saved and survives reopening the contact', async () => {
    const key = `f_${unique()}`;
    const before = (await api<{ items: ContactFieldDefinition[] }>(admin, 'GET', '/api/contact-fields')).items;
    const defs: ContactFieldDefinition[] = [
      ...before,
      { key, label: `Plan ${key}`, type: 'select', options: ['Free', 'Pro'], required: false },
      { key: `${key}_n`, label: `Seats ${key}`, type: 'number', options: [], required: false },
      // Required but never filled in for this contact: it is marked, and does not stop the others from saving.
      { key: `${key}_r`, label: `Account ${key}`, type: 'text', options: [], required: true },
    ];
    await api(admin, 'PUT', '/api/contact-fields', { items: defs });
    try {
      const u = unique();
      const v = await visitor('fields please', { first_name: `Dora${u}`, email: `dora-${u}@example.com` });
      const contactId = await contactOf(admin, v);
      const el = await panel(admin);
      await openContacts(el);
      await openContact(el, `dora-${u}@example.com`, contactId);

      const form = () => page$(el).querySelector('form.fields-form') as HTMLFormElement;
      expect(form().querySelector(`label[for="field-${key}"]`)?.textContent).to.contain(`Plan ${key}`);
      expect(form().querySelector(`[name="${key}_r"]`)?.getAttribute('aria-required')).to.equal('true');
      expect(form().querySelector(`label[for="field-${key}_r"] .required`)).to.exist;
      (form().querySelector(`[name="${key}"]`) as HTMLSelectElement).value = 'Pro';
      (form().querySelector(`[name="${key}_n"]`) as HTMLInputElement).value = '12';
      (form().querySelector('button.save-fields') as HTMLButtonElement).click();
      await waitUntil(() => status(el).includes('Details saved'), `not saved: ${status(el)}`);
      const stored = await api<Contact>(admin, 'GET', `/api/contacts/${contactId}`);
      expect(stored.fields[key]).to.equal('Pro');
      expect(stored.fields[`${key}_n`]).to.equal(12);
      expect(stored.fields).not.to.have.property(`${key}_r`);

      // Back to the list (focus returns to the row), and the contact again: the values come from the hub.
      (page$(el).querySelector('button.back') as HTMLButtonElement).click();
      await waitUntil(() => page(el) === null && list$(el).activeElement?.getAttribute('data-id') === contactId, 'focus did not return to the row');
      await openContact(el, `dora-${u}@example.com`, contactId);
      expect((form().querySelector(`[name="${key}"]`) as HTMLSelectElement).value).to.equal('Pro');
      expect((form().querySelector(`[name="${key}_n"]`) as HTMLInputElement).value).to.equal('12');
      v.socket.disconnect();
    } finally {
      await api(admin, 'PUT', '/api/contact-fields', { items: before });
    }
  });

  it('a catalogue tag applied on the contact page shows as a coloured chip and the hub has it', async () => {
    const tag = `vip-${unique()}`;
    const before = await api<TagCatalogue>(admin, 'GET', '/api/tags');
    await api(admin, 'PUT', '/api/tags', { tags: [...before.tags, { name: tag, color: '#d92d20' }], freeTags: before.freeTags });
    try {
      const u = unique();
      const v = await visitor('tag me', { first_name: `Emil${u}`, email: `emil-${u}@example.com` });
      const contactId = await contactOf(admin, v);
      const el = await panel(admin);
      await openContacts(el);
      await openContact(el, `emil-${u}@example.com`, contactId);

      const form = page$(el).querySelector('form.add-tag') as HTMLFormElement;
      const select = form.querySelector('select[name="catalogueTag"]') as HTMLSelectElement;
      expect([...select.options].map((o) => o.value)).to.include(tag);
      select.value = tag;
      form.requestSubmit();
      const chip = () => page$(el).querySelector<HTMLElement>(`.tags-section .chip.tag[data-tag="${tag}"]`);
      await waitUntil(chip, `chip not shown: ${status(el)}`);
      expect(getComputedStyle(chip() as HTMLElement).backgroundColor).to.equal('rgb(217, 45, 32)');
      expect((await api<Contact>(admin, 'GET', `/api/contacts/${contactId}`)).tags).to.include(tag);

      // The list shows it too, and its tag filter finds the contact.
      (page$(el).querySelector('button.back') as HTMLButtonElement).click();
      await waitUntil(
        () =>
          rows(el)
            .find((tr) => tr.dataset['id'] === contactId)
            ?.querySelector(`.chip.tag[data-tag="${tag}"]`),
        'chip not in the list',
      );
      const filter = list$(el).querySelector('select[name="tag"]') as HTMLSelectElement;
      filter.value = tag;
      filter.dispatchEvent(new Event('change'));
      await waitUntil(() => el.contacts.state.tag === tag && listIdle(el), 'tag filter did not run');
      expect(rowIds(el)).to.include(contactId);
      v.socket.disconnect();
    } finally {
      await api(admin, 'PUT', '/api/tags', before);
    }
  });

  it('New chat starts an outgoing conversation with the first message and opens it in the conversation view', async () => {
    const u = unique();
    const v = await visitor('I may come back later', { first_name: `Farid${u}`, email: `farid-${u}@example.com` });
    v.socket.disconnect();
    const contactId = await contactOf(admin, v);
    const el = await panel(admin);
    await openContacts(el);
    await openContact(el, `farid-${u}@example.com`, contactId);

    // A person has one open conversation at a time: the dialog offers that one instead.
    const dialog = () => page$(el).querySelector('dialog.new-chat') as HTMLDialogElement;
    (page$(el).querySelector('button.new-chat-open') as HTMLButtonElement).click();
    await waitUntil(() => dialog().open && dialog().querySelector('.has-open'), 'dialog did not offer the open conversation');
    (dialog().querySelector('button:not(.open-existing)') as HTMLButtonElement).click();
    await api(admin, 'POST', `/api/conversations/${v.conversationId}/close`, {});
    (page$(el).querySelector('button.back') as HTMLButtonElement).click();
    await openContact(el, `farid-${u}@example.com`, contactId);

    (page$(el).querySelector('button.new-chat-open') as HTMLButtonElement).click();
    await waitUntil(() => dialog().open && dialog().querySelector('textarea[name="text"]'), 'dialog not open');
    const text = `Your order ${u} has shipped`;
    (dialog().querySelector('textarea[name="text"]') as HTMLTextAreaElement).value = text;
    // The hub's answer to the panel's POST, read through a wrapped fetch.
    const original = window.fetch;
    let answer: Promise<NewChatResponse> | null = null;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await original(input, init);
      if (init?.method === 'POST' && String(input).endsWith(`/api/contacts/${contactId}/conversations`)) answer = res.clone().json();
      return res;
    };
    try {
      (dialog().querySelector('form') as HTMLFormElement).requestSubmit();
      await waitUntil(() => answer, 'no New chat request');
    } finally {
      window.fetch = original;
    }
    const created = await (answer as unknown as Promise<NewChatResponse>);
    expect(created.conversation.outgoing).to.equal(true);
    expect(created.message).to.include({ author: 'agent', text, conversationId: created.conversation.id });

    await waitUntil(
      () => view(el) && view(el)?.detail.conversation.id !== v.conversationId && view(el)?.detail.conversation.contactId === contactId,
      'new chat did not open',
    );
    const opened = view(el)?.detail as ConversationDetail;
    expect(opened.conversation.id).to.equal(created.conversation.id);
    expect(opened.conversation.outgoing).to.equal(true);
    expect(root(el).querySelector('button.inbox-tab')?.getAttribute('aria-current')).to.equal('page');
    await waitUntil(() => viewRoot(el).querySelector('.transcript')?.textContent?.includes(text), 'first message not shown');

    const stored = await api<ConversationDetail>(admin, 'GET', `/api/conversations/${opened.conversation.id}`);
    expect(stored.conversation.contactId).to.equal(contactId);
    expect(stored.conversation.outgoing).to.equal(true);
    // The hub may note the takeover first (a system line); the first message from a person is the agent's.
    expect(stored.messages.find((m) => m.author !== 'system')).to.include({ author: 'agent', text });
    const contact = await api<Contact>(admin, 'GET', `/api/contacts/${contactId}`);
    expect(contact.conversations.map((c) => c.id)).to.include.members([opened.conversation.id, v.conversationId]);
  });

  it('an agent gets the Contacts screen without the admin buttons, sees the hub refuse an owner change, and both screens pass axe', async () => {
    const { token } = await newAgent(admin, `Rita ${unique()}`);
    const u = unique();
    const v = await visitor('just browsing', { first_name: `Gus${u}`, email: `gus-${u}@example.com` });
    const contactId = await contactOf(admin, v);
    const el = await panel(token);
    expect(root(el).querySelector('button.admin-tab')).to.equal(null);
    await openContacts(el);
    await search(el, `gus-${u}`);
    await expect(el).to.be.accessible();
    await openContact(el, `gus-${u}@example.com`, contactId);
    expect(page$(el).querySelector('button.new-chat-open')).to.exist;
    expect(page$(el).querySelector('button.export, button.merge-open, button.delete')).to.equal(null);
    await expect(el).to.be.accessible();

    const routing = page$(el).querySelector('form.routing') as HTMLFormElement;
    const owner = routing.querySelector('select[name="owner"]') as HTMLSelectElement;
    owner.value = (owner.options[1] as HTMLOptionElement).value;
    routing.requestSubmit();
    await waitUntil(() => page$(el).querySelector('.status.error[role="alert"]'), `refusal not shown: ${status(el)}`);
    expect((await api<Contact>(admin, 'GET', `/api/contacts/${contactId}`)).defaultAssigneeId).to.equal(null);
    v.socket.disconnect();
  });

  it('an admin exports a contact, merges a duplicate into it after confirming, then deletes it and is back on the list', async () => {
    const u = unique();
    const home = await visitor('first visit', { first_name: `Hana${u}`, email: `hana-${u}@home.example` });
    const work = await visitor('from the office', { first_name: `Hana${u}`, email: `hana-${u}@work.example` });
    const [keepId, otherId] = await Promise.all([contactOf(admin, home), contactOf(admin, work)]);
    expect(keepId).not.to.equal(otherId);
    const el = await panel(admin);
    await openContacts(el);
    await openContact(el, `hana-${u}@home.example`, keepId);

    (page$(el).querySelector('button.export') as HTMLButtonElement).click();
    await waitUntil(() => status(el).includes('Exported'), `export not reported: ${status(el)}`);

    (page$(el).querySelector('button.merge-open') as HTMLButtonElement).click();
    await waitUntil(() => page$(el).querySelector('input[name="mergeQuery"]'));
    const input = page$(el).querySelector('input[name="mergeQuery"]') as HTMLInputElement;
    input.value = `hana-${u}@work`;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    const pick = () => page$(el).querySelector<HTMLButtonElement>(`button.merge-pick[data-id="${otherId}"]`);
    await waitUntil(pick, 'duplicate not found');
    expect(page$(el).querySelector(`button.merge-pick[data-id="${keepId}"]`), 'never the open contact').to.equal(null);
    pick()?.click();
    await waitUntil(() => page$(el).querySelector('.merge-confirm'));
    expect(page$(el).querySelector('.merge-confirm p')?.textContent?.replace(/\s+/g, ' ')).to.equal(
      `Merge Hana${u} into Hana${u}? Conversations and messages move; Hana${u} is removed.`,
    );
    (page$(el).querySelector('button.merge-confirm-yes') as HTMLButtonElement).click();
    await waitUntil(() => status(el).includes('Contacts merged'), `merge not reported: ${status(el)}`);
    const conversations = () => [...page$(el).querySelectorAll<HTMLElement>('button.conversation')].map((b) => b.dataset['id']);
    expect(conversations()).to.include.members([home.conversationId, work.conversationId]);
    expect((await fetch(`${testHub.url}/api/contacts/${otherId}`, { headers: { authorization: `Bearer ${admin}` } })).status).to.equal(404);

    (page$(el).querySelector('button.delete') as HTMLButtonElement).click();
    await waitUntil(() => page$(el).querySelector('.delete-confirm'));
    (page$(el).querySelector('button.delete-confirm-yes') as HTMLButtonElement).click();
    await waitUntil(() => page(el) === null && !rowIds(el).includes(keepId), 'not back on the list');
    expect(list$(el).querySelector('.notice')?.textContent).to.contain('Contact deleted');
    expect((await fetch(`${testHub.url}/api/contacts/${keepId}`, { headers: { authorization: `Bearer ${admin}` } })).status).to.equal(404);
    home.socket.disconnect();
    work.socket.disconnect();
  });

  it('the contact page marks signed values Verified and warns when the visitor changed one after verification', async () => {
    const u = unique();
    const user_jwt = await signIdentity({ user_id: `user-${u}`, email: `${u}@signed.test` });
    const v = await visitor('signed hello', { user_jwt, first_name: `Ines${u}` });
    await v.socket.emitWithAck('user:update', { userData: { user_jwt, first_name: `Ines${u}`, email: `other-${u}@changed.test` } });
    const contactId = await contactOf(admin, v);
    const el = await panel(admin);
    await openContacts(el);
    await openContact(el, `${u}@signed.test`, contactId);

    const identity = (key: string) => page$(el).querySelector(`.identity [data-identity="${key}"]`) as HTMLElement;
    expect(identity('userId').querySelector('.chip.verified')?.textContent).to.equal('Verified');
    expect(identity('email').querySelector('.value')?.textContent).to.equal(`${u}@signed.test`);
    expect(identity('email').querySelector('.chip.verified')?.textContent).to.equal('Verified');
    expect(identity('email').querySelector('.changed')?.textContent).to.equal(`Changed by the visitor after verification: “other-${u}@changed.test”`);
    // The name was not in the token: the visitor's, not verified.
    expect(identity('name').querySelector('.chip.verified')).to.equal(null);
    expect(identity('name').textContent).to.contain('provided by the visitor');
    expect(page$(el).querySelector('header .chip.verified')).to.exist;
    v.socket.disconnect();
  });
});
