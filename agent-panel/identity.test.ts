// Signed identity end to end: a visitor whose page prints a `user_jwt` (signed with the demo site's secret, as a
// site's backend would), seen in the panel with Verified only on the signed fields, and flagged once the page
// changes them without a new signature.
import { expect, waitUntil } from '@open-wc/testing';
import type { ConversationDetail } from '../protocol/types.js';
import { signIdentity } from '../test/helpers/browser-hub.js';
import { api, login, open, panel, sideRoot, unique, visitor } from './test-helpers.js';

describe('<switchboard-agent-panel> signed identity', () => {
  it('shows Verified only on the signed fields and flags a change made after verification', async () => {
    const admin = await login();
    const u = unique();
    const user_jwt = await signIdentity({ user_id: `user-${u}`, email: `${u}@signed.test`, name: `Signed ${u}` });
    const v = await visitor('hello, signed in', { user_jwt, phone_number: '+1 555 0100' });
    const el = await panel(admin);
    await open(el, v.conversationId);
    const side = () => sideRoot(el);
    await waitUntil(() => side().querySelector('.identity.email')?.textContent === 'Verified', 'signed email not marked Verified');
    expect(side().querySelector('.identity.name')?.textContent).to.equal('Verified');
    expect(side().querySelector('.identity.user-id')?.textContent).to.equal('Verified');
    expect(side().querySelector('.identity-warning')).to.equal(null);

    // The page now says another name and email, unsigned (the same token, which doesn't vouch for them).
    await v.socket.emitWithAck('user:update', { userData: { user_jwt, first_name: 'Mallory', email: `mallory-${u}@evil.test` } });
    const detail = await api<ConversationDetail>(admin, 'GET', `/api/conversations/${v.conversationId}`);
    expect(detail.conversation.visitor.name).to.equal(`Signed ${u}`);
    // Another agent's panel (or this one later) reads the contact again.
    const later = await panel(admin);
    await open(later, v.conversationId);
    await waitUntil(() => sideRoot(later).querySelector('.identity-warning.email'), 'no warning for the changed email');
    expect(sideRoot(later).querySelector('.identity-warning.email')?.textContent).to.contain(`mallory-${u}@evil.test`);
    expect(sideRoot(later).querySelector('.identity-warning.name')?.textContent).to.contain('Mallory');
    expect(sideRoot(later).querySelector('.identity.email')?.textContent).to.equal('Verified');
    v.socket.disconnect();
  });

  it('a forged signature verifies nothing', async () => {
    const admin = await login();
    const u = unique();
    const user_jwt = await signIdentity({ user_id: `user-${u}`, email: `${u}@forged.test`, name: 'Forged' }, 'guessed-secret');
    const v = await visitor('hello, forged', { user_jwt, first_name: 'Forged', email: `${u}@forged.test` });
    const el = await panel(admin);
    await open(el, v.conversationId);
    await waitUntil(() => sideRoot(el).querySelector('.identity.email')?.textContent === 'provided by the visitor', 'forged email shown as verified');
    expect(sideRoot(el).querySelector('.identity.name')?.textContent).to.equal('provided by the visitor');
    v.socket.disconnect();
  });
});
