// Contact fields and the tag catalogue: admin screens, the side panel's contact section and the contact-tag
// filter, against the real hub; plus the pure helpers (text contrast, field keys) and the identity badges.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Contact, ContactFieldDefinition, TagCatalogue } from '../protocol/contacts.js';
import type { ConversationDetail } from '../protocol/types.js';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { parseOptions, suggestKey } from './components/admin-contact-fields.js';
import type { ConversationSide } from './components/conversation-side.js';
import { NO_CONTACT_STATE } from './controllers/contact-context.js';
import { filterFromHash, filterToParams } from './filters.js';
import { luminance, readableTextColor, tagStyle } from './format.js';
import { api, listRoot, listedIds, login, newAgent, open, panel, root, sideRoot, unique, visitor } from './test-helpers.js';

const admin$ = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
const screen = (el: SwitchboardAgentPanel, tag: string) => admin$(el)?.querySelector(tag)?.shadowRoot as ShadowRoot;
const status = (el: SwitchboardAgentPanel) => admin$(el)?.querySelector('.status')?.textContent ?? '';
const card = (el: SwitchboardAgentPanel) => sideRoot(el)?.querySelector('sb-contact-card')?.shadowRoot as ShadowRoot;

function fill(form: HTMLFormElement, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) (form.querySelector(`[name="${name}"]`) as HTMLInputElement).value = value;
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

/** Adds definitions to the hub's (shared) list, keeping the others'. */
async function addFields(token: string, ...fields: ContactFieldDefinition[]): Promise<void> {
  const { items } = await api<{ items: ContactFieldDefinition[] }>(token, 'GET', '/api/contact-fields');
  await api(token, 'PUT', '/api/contact-fields', { items: [...items, ...fields] });
}

/** Adds a tag to the hub's (shared) catalogue. */
async function addCatalogueTag(token: string, name: string, color: string): Promise<void> {
  const catalogue = await api<TagCatalogue>(token, 'GET', '/api/tags');
  await api(token, 'PUT', '/api/tags', { ...catalogue, tags: [...catalogue.tags, { name, color }] });
}

const contactOf = async (token: string, conversationId: string): Promise<string> =>
  (await api<ConversationDetail>(token, 'GET', `/api/conversations/${conversationId}`)).conversation.contactId;

describe('contact helpers', () => {
  it('picks black or white text from the colour’s luminance', () => {
    expect(luminance('#ffffff')).to.be.closeTo(1, 1e-9);
    expect(luminance('#000000')).to.equal(0);
    expect(luminance('red')).to.equal(null);
    expect(readableTextColor('#ffffff')).to.equal('#000000');
    expect(readableTextColor('#fde272')).to.equal('#000000'); // light yellow
    expect(readableTextColor('#00ff00')).to.equal('#000000'); // bright green: luminance 0.72
    expect(readableTextColor('#000000')).to.equal('#ffffff');
    expect(readableTextColor('#1f5eff')).to.equal('#ffffff'); // the accent blue
    expect(readableTextColor('#B42318')).to.equal('#ffffff'); // upper case works too
    expect(readableTextColor('#777777')).to.equal('#000000'); // mid grey: black contrasts more (4.7 vs 4.5)
    expect(readableTextColor('not a colour')).to.equal('#000000');
    expect(tagStyle('#067647')).to.deep.equal({ background: '#067647', color: '#ffffff', 'border-color': '#067647' });
    expect(tagStyle('url(x)')).to.deep.equal({});
    expect(tagStyle(undefined)).to.deep.equal({});
  });

  it('suggests field keys, reads select options and keeps the contact tag in the hash', () => {
    expect(suggestKey('Order total (€)')).to.equal('order_total');
    expect(suggestKey('Éléphant  rose')).to.equal('elephant_rose');
    expect(suggestKey('2nd phone')).to.equal('field_2nd_phone');
    expect(suggestKey('x'.repeat(60))).to.have.length(40);
    expect(parseOptions('Gold, Silver ,Bronze,Gold')).to.deep.equal(['Gold', 'Silver', 'Bronze']);
    expect(parseOptions('A, B\nC\n\n')).to.deep.equal(['A, B', 'C']);
    expect(filterFromHash('#contactTag=vip&inbox=mine')).to.deep.equal({ inbox: 'mine', contactTag: 'vip' });
    expect(filterToParams({ inbox: 'all', contactTag: 'vip' }, true).toString()).to.equal('contactTag=vip');
  });

  it('marks each identity value Verified only when signed, and warns of a change after verification', async () => {
    const field = (value: string | null, verified: boolean, visitorValue: string | null = null) => ({ value, verified, visitorValue });
    const detail = {
      conversation: {
        id: 'c1',
        visitorId: 'v1',
        contactId: 'k1',
        contactTags: [],
        tags: [],
        assignees: [],
        visibleTo: [],
        ticketStatus: 'new',
        visitor: { name: 'Ann' },
      },
      visitor: { id: 'v1', verified: true, userData: { first_name: 'Ann', email: 'ann@x.test', user_id: 'u1' }, language: 'en', channel: 'webchat' },
      messages: [],
      notes: [],
    } as unknown as ConversationDetail;
    const contact = {
      id: 'k1',
      tags: [],
      fields: {},
      identity: { userId: field('u1', true), email: field('ann@x.test', true, 'mallory@evil.test'), name: field('Ann <b>x</b>', false) },
    } as unknown as Contact;
    const side = await fixture<ConversationSide>(
      html`<sb-conversation-side .me=${{ id: 'a', role: 'agent' }} .detail=${detail} .contacts=${{ ...NO_CONTACT_STATE, contactId: 'k1', contact }}></sb-conversation-side>`,
    );
    const r = side.shadowRoot as ShadowRoot;
    expect(r.querySelector('.identity.name')?.textContent).to.equal('provided by the visitor');
    expect(r.querySelector('.identity.email')?.textContent).to.equal('Verified');
    expect(r.querySelector('.identity.user-id')?.textContent).to.equal('Verified');
    expect(r.querySelector('.user-name')?.textContent).to.equal('Ann <b>x</b>');
    expect(r.querySelector('.user-name b')).to.equal(null);
    expect(r.querySelector('.identity-warning.email')?.textContent).to.equal('Changed by the visitor after verification: “mallory@evil.test”');
    expect(r.querySelector('.identity-warning.email bdi')?.textContent).to.equal('mallory@evil.test');
    expect(r.querySelector('.identity-warning.name')).to.equal(null);

    // Before the contact is loaded nothing but the session's signed user id is called verified.
    side.contacts = { ...NO_CONTACT_STATE, contactId: 'k1', loading: true };
    await side.updateComplete;
    expect(r.querySelector('.identity.name')?.textContent).to.equal('provided by the visitor');
    expect(r.querySelector('.identity.email')?.textContent).to.equal('provided by the visitor');
    expect(r.querySelector('.identity.user-id')?.textContent).to.equal('Verified');
  });
});

describe('<switchboard-agent-panel> contacts: fields, catalogue tags, contact-tag filter', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('an admin defines a contact field and a catalogue tag on the admin screens; the hub has them', async () => {
    const el = await panel(admin);
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await waitUntil(() => admin$(el)?.querySelector('.tab-contact-fields'), 'admin screens not shown');
    admin$(el).querySelector<HTMLButtonElement>('.tab-contact-fields')?.click();
    await waitUntil(() => screen(el, 'sb-admin-contact-fields')?.querySelector('form.new-field'), 'contact fields screen not shown');
    const fields = () => screen(el, 'sb-admin-contact-fields');

    // The key follows the label until the admin types one.
    const u = unique();
    const form = fields().querySelector('form.new-field') as HTMLFormElement;
    const label = form.querySelector('input[name="label"]') as HTMLInputElement;
    label.value = `Plan ${u}`;
    label.dispatchEvent(new Event('input'));
    expect((form.querySelector('input[name="key"]') as HTMLInputElement).value).to.equal(`plan_${u}`);
    choose(form.querySelector('select[name="type"]') as HTMLSelectElement, 'select');
    await waitUntil(() => !fields().querySelector('textarea[name="options"]')?.closest('label')?.hidden, 'options box not shown for a select');
    fill(form, { options: 'Free, Pro, Enterprise' });
    (form.querySelector('input[name="required"]') as HTMLInputElement).checked = true;
    form.requestSubmit();
    await waitUntil(() => fields().querySelector(`tr.contact-field[data-key="plan_${u}"]`), 'field not added to the list');
    expect(fields().querySelector('.unsaved')).to.exist;
    fields().querySelector<HTMLButtonElement>('button.save-fields')?.click();
    await waitUntil(() => status(el).includes('Contact fields saved'), `fields not saved: ${status(el)}`);
    const stored = (await api<{ items: ContactFieldDefinition[] }>(admin, 'GET', '/api/contact-fields')).items.find((f) => f.key === `plan_${u}`);
    expect(stored).to.deep.equal({ key: `plan_${u}`, label: `Plan ${u}`, type: 'select', options: ['Free', 'Pro', 'Enterprise'], required: true });

    // A saved field keeps its key.
    fields().querySelector<HTMLButtonElement>(`tr.contact-field[data-key="plan_${u}"] button.edit`)?.click();
    await waitUntil(() => fields().querySelector('form.edit-field'));
    expect((fields().querySelector('form.edit-field input[name="key"]') as HTMLInputElement).readOnly).to.equal(true);
    fields().querySelector<HTMLButtonElement>('form.edit-field button.cancel')?.click();

    admin$(el).querySelector<HTMLButtonElement>('.tab-tags')?.click();
    await waitUntil(() => screen(el, 'sb-admin-tags')?.querySelector('form.new-tag'), 'tags screen not shown');
    const tags = () => screen(el, 'sb-admin-tags');
    const name = `vip-${u}`;
    const tagForm = tags().querySelector('form.new-tag') as HTMLFormElement;
    fill(tagForm, { name, color: '#fde272' });
    tagForm.requestSubmit();
    await waitUntil(() => tags().querySelector(`tr.catalogue-tag[data-name="${name}"]`), 'tag not added to the list');
    // The chip shows the colour with readable (here black) text.
    const chip = tags().querySelector(`tr.catalogue-tag[data-name="${name}"] .chip`) as HTMLElement;
    expect(getComputedStyle(chip).backgroundColor).to.equal('rgb(253, 226, 114)');
    expect(getComputedStyle(chip).color).to.equal('rgb(0, 0, 0)');
    tags().querySelector<HTMLButtonElement>('button.save-tags')?.click();
    await waitUntil(() => status(el).includes('Tags saved'), `tags not saved: ${status(el)}`);
    const catalogue = await api<TagCatalogue>(admin, 'GET', '/api/tags');
    expect(catalogue.tags.find((t) => t.name === name)).to.deep.equal({ name, color: '#fde272' });

    // The hub's refusal (400) shows as the status line; nothing is saved.
    const tooLong = `x${'y'.repeat(60)}`;
    fill(tags().querySelector('form.new-tag') as HTMLFormElement, { name: tooLong });
    (tags().querySelector('form.new-tag') as HTMLFormElement).requestSubmit();
    await waitUntil(() => tags().querySelector('.unsaved'));
    tags().querySelector<HTMLButtonElement>('button.save-tags')?.click();
    await waitUntil(() => admin$(el).querySelector('.status.error'), 'refusal not shown');
    expect(status(el)).not.to.equal('');
    expect((await api<TagCatalogue>(admin, 'GET', '/api/tags')).tags.some((t) => t.name === tooLong)).to.equal(false);
  });

  it('an agent edits the visitor’s contact field in the side panel; the hub has the value', async () => {
    const u = unique();
    await addFields(
      admin,
      { key: `company_${u}`, label: `Company ${u}`, type: 'text', options: [], required: false },
      { key: `seats_${u}`, label: `Seats ${u}`, type: 'number', options: [], required: false },
      { key: `paying_${u}`, label: `Paying ${u}`, type: 'checkbox', options: [], required: false },
      { key: `ref_${u}`, label: `Ref ${u}`, type: 'text', options: [], required: true },
    );
    const { token } = await newAgent(admin, 'Cora');
    const v = await visitor('please note my company', { first_name: 'Cleo' });
    const contactId = await contactOf(admin, v.conversationId);
    const el = await panel(token);
    await open(el, v.conversationId);
    await waitUntil(() => card(el)?.querySelector(`form.contact-fields [data-key="company_${u}"]`), 'contact fields not shown');

    const form = card(el).querySelector('form.contact-fields') as HTMLFormElement;
    (form.querySelector(`[data-key="company_${u}"]`) as HTMLInputElement).value = `Acme ${u}`;
    (form.querySelector(`[data-key="seats_${u}"]`) as HTMLInputElement).value = '12';
    (form.querySelector(`[data-key="paying_${u}"]`) as HTMLInputElement).checked = true;
    (form.querySelector(`[data-key="ref_${u}"]`) as HTMLInputElement).value = 'R-1';
    expect(form.querySelector(`[data-key="ref_${u}"]`)?.closest('label')?.querySelector('.req')).to.exist;
    form.requestSubmit();
    await waitUntil(() => card(el).querySelector('.feedback.ok'), `no confirmation: ${card(el).querySelector('.feedback')?.textContent}`);
    const contact = await api<Contact>(token, 'GET', `/api/contacts/${contactId}`);
    expect(contact.fields[`company_${u}`]).to.equal(`Acme ${u}`);
    expect(contact.fields[`seats_${u}`]).to.equal(12);
    expect(contact.fields[`paying_${u}`]).to.equal(true);
    expect(contact.fields[`ref_${u}`]).to.equal('R-1');

    // Clearing a required field: the hub's refusal shows next to the form, and the value stays.
    (form.querySelector(`[data-key="ref_${u}"]`) as HTMLInputElement).value = '';
    form.requestSubmit();
    await waitUntil(() => card(el).querySelector('.feedback.error'), 'refusal not shown');
    expect(card(el).querySelector('.feedback.error')?.textContent).to.contain(`Ref ${u}`);
    expect((await api<Contact>(token, 'GET', `/api/contacts/${contactId}`)).fields[`ref_${u}`]).to.equal('R-1');
    expect(sideRoot(el).querySelector('.identity.name')?.textContent).to.equal('provided by the visitor');
    v.socket.disconnect();
  });

  it('applying a catalogue tag to the contact shows its coloured chip and the hub has it', async () => {
    const name = `gold-${unique()}`;
    await addCatalogueTag(admin, name, '#1f5eff');
    const v = await visitor('tag my contact');
    const contactId = await contactOf(admin, v.conversationId);
    const el = await panel(admin);
    await open(el, v.conversationId);
    await waitUntil(() => card(el)?.querySelector(`form.add-contact-tag select option[value="${name}"]`), 'catalogue tag not offered');

    const form = card(el).querySelector('form.add-contact-tag') as HTMLFormElement;
    (form.querySelector('select[name="tag"]') as HTMLSelectElement).value = name;
    form.requestSubmit();
    await waitUntil(() => card(el).querySelector(`.contact-tag[data-tag="${name}"]`), 'chip not shown');
    const chip = card(el).querySelector(`.contact-tag[data-tag="${name}"]`) as HTMLElement;
    expect(getComputedStyle(chip).backgroundColor).to.equal('rgb(31, 94, 255)');
    expect(getComputedStyle(chip).color).to.equal('rgb(255, 255, 255)');
    expect((await api<Contact>(admin, 'GET', `/api/contacts/${contactId}`)).tags).to.include(name);
    // The catalogue tag is no longer offered once applied; the conversation's own tag box offers it.
    expect(card(el).querySelector(`form.add-contact-tag option[value="${name}"]`)).to.equal(null);
    expect(sideRoot(el).querySelector(`datalist#catalogue-tags option[value="${name}"]`)).to.exist;

    // Without free tags the hub refuses a conversation tag outside the catalogue; the side panel says why.
    const catalogue = await api<TagCatalogue>(admin, 'GET', '/api/tags');
    await api(admin, 'PUT', '/api/tags', { ...catalogue, freeTags: false });
    try {
      const tagForm = sideRoot(el).querySelector('form.add-tag') as HTMLFormElement;
      (tagForm.querySelector('input') as HTMLInputElement).value = `free-${unique()}`;
      tagForm.requestSubmit();
      await waitUntil(() => sideRoot(el).querySelector('.feedback.error'), 'refusal not shown');
      expect(sideRoot(el).querySelector('.feedback.error')?.textContent).to.contain('catalogue');
      (tagForm.querySelector('input') as HTMLInputElement).value = name;
      tagForm.requestSubmit();
      await waitUntil(() => sideRoot(el).querySelector(`.conversation-tag[data-tag="${name}"]`), 'catalogue tag not applied to the conversation');
      expect(sideRoot(el).querySelector('.feedback.error')).to.equal(null);
    } finally {
      await api(admin, 'PUT', '/api/tags', { ...(await api<TagCatalogue>(admin, 'GET', '/api/tags')), freeTags: true });
    }
    v.socket.disconnect();
  });

  it('filtering the list by contact tag shows only the tagged contact’s conversation', async () => {
    const name = `vip-${unique()}`;
    await addCatalogueTag(admin, name, '#067647');
    const tagged = await visitor('I am a VIP');
    const other = await visitor('I am not');
    await api(admin, 'PATCH', `/api/contacts/${await contactOf(admin, tagged.conversationId)}`, { tags: [name] });
    const el = await panel(admin);
    await waitUntil(() => listedIds(el).includes(tagged.conversationId) && listedIds(el).includes(other.conversationId), 'conversations not listed');

    listRoot(el).querySelector<HTMLButtonElement>('button.toggle-filters')?.click();
    const select = () => listRoot(el).querySelector('select[name="contactTag"]') as HTMLSelectElement;
    await waitUntil(() => select()?.querySelector(`option[value="${name}"]`), 'contact tag not offered');
    choose(select(), name);
    await waitUntil(() => listedIds(el).join() === tagged.conversationId, `list not filtered: ${listedIds(el).join()}`);
    expect(el.getFilter().contactTag).to.equal(name);
    expect(listRoot(el).querySelector(`[data-id="${tagged.conversationId}"] .contact-tag[data-tag="${name}"]`)).to.exist;

    choose(select(), '');
    await waitUntil(() => listedIds(el).includes(other.conversationId), 'filter not cleared');
    tagged.socket.disconnect();
    other.socket.disconnect();
  });
});
