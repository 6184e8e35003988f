// The admin screens on a phone (390 × 844): a table keeps columns wide enough to read, and scrolls sideways in its box
// when it needs more room than the screen has (it used to squeeze a FAQ's questions and answer to a letter a line).
import { expect, waitUntil } from '@open-wc/testing';
import type { SwitchboardAgentPanel } from './agent-panel.js';
import { api, login, onPhone, panel, root, unique } from './test-helpers.js';

const admin$ = (el: SwitchboardAgentPanel) => root(el).querySelector('sb-admin-view')?.shadowRoot as ShadowRoot;
const screen = (el: SwitchboardAgentPanel, tag: string) => admin$(el)?.querySelector(tag)?.shadowRoot as ShadowRoot;

/** The narrowest cell of the table's text columns (not the dates, not the buttons or fields), in px. */
function narrowestTextCell(table: HTMLTableElement): number {
  const cells = [...table.querySelectorAll<HTMLTableCellElement>('tbody td:not(.nowrap):not(.buttons)')].filter(
    (cell) => !cell.querySelector('input, select, button'),
  );
  expect(cells.length, 'no text cells').to.be.greaterThan(0);
  return Math.min(...cells.map((cell) => cell.getBoundingClientRect().width));
}

/** The words of `cell` that are laid out over more than one line. */
function brokenWords(cell: HTMLElement): string[] {
  const broken: string[] = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    for (const match of text.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) broken.push(match[0]);
    }
  }
  return broken;
}

describe('<switchboard-agent-panel> admin screens on a 390 × 844 phone', () => {
  onPhone();
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('keeps the FAQ and agent tables readable, scrolling sideways in their box', async () => {
    const word = `phone${unique()}`;
    const answer = `You can change the delivery address of an order from your account until it ships (${word}).`;
    await api(admin, 'POST', '/api/faqs', { type: 'general', questions: [`Can I change my ${word} address?`], answer });
    const el = await panel(admin, 390, 844);
    (root(el).querySelector('button.admin-tab') as HTMLButtonElement).click();
    await waitUntil(() => screen(el, 'sb-admin-faqs')?.querySelector('tr.faq'), 'FAQ screen not shown');

    const faqs = screen(el, 'sb-admin-faqs');
    const table = faqs.querySelector('table') as HTMLTableElement;
    const box = faqs.querySelector('.table') as HTMLElement;
    // At least eight characters a line in every text column (a letter a line before).
    expect(narrowestTextCell(table)).to.be.at.least(100);
    // What does not fit scrolls inside the box: nothing sticks out past the panel's edge to scroll the page sideways
    // (the visually hidden "Actions" header did, until the box contained it).
    expect(box.scrollWidth).to.be.greaterThan(box.clientWidth);
    expect(getComputedStyle(box).overflowX).to.equal('auto');
    expect(document.documentElement.scrollWidth).to.be.at.most(Math.ceil(el.getBoundingClientRect().right));
    const row = [...faqs.querySelectorAll<HTMLElement>('tr.faq')].find((tr) => tr.textContent?.includes(word)) as HTMLElement;
    expect(row.querySelector('td:nth-child(3)')?.textContent).to.equal(answer);

    admin$(el).querySelector<HTMLButtonElement>('.tab-agents')?.click();
    await waitUntil(() => screen(el, 'sb-admin-agents')?.querySelector('tbody tr'), 'agents not shown');
    const agents = screen(el, 'sb-admin-agents').querySelector('table') as HTMLTableElement;
    expect(narrowestTextCell(agents)).to.be.at.least(100); // name and email
    // Headers wrap between words, and no word is cut ("Escalation email" over its checkboxes was "Es / cal / ati / on…").
    for (const th of agents.querySelectorAll('th')) expect(brokenWords(th), `header "${th.textContent}"`).to.deep.equal([]);
  });
});
