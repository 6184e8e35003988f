import { expect } from '@open-wc/testing';
import { LIMITS } from '../protocol/limits.js';
import { cleanUserData } from './user-data.js';

describe('cleanUserData (what the widget sends of SMARTLY_USER_DATA)', () => {
  it('keeps the known fields as strings and drops the rest', () => {
    expect(cleanUserData({ first_name: 'Ada', phone_number: 33123456789, tier: 'gold', email: null, comments: { html: true }, last_name: '' })).to.deep.equal({
      first_name: 'Ada',
      phone_number: '33123456789',
    });
  });

  it('cuts each field to the hub’s limit without splitting an emoji', () => {
    const cleaned = cleanUserData({ first_name: `${'a'.repeat(LIMITS.userDataField - 1)}👍🏽👍🏽`, comments: 'c'.repeat(100_000) });
    expect(cleaned?.first_name).to.equal(`${'a'.repeat(LIMITS.userDataField - 1)}`, 'the emoji that would not fit whole is left out');
    expect(cleanUserData({ first_name: `${'a'.repeat(LIMITS.userDataField - 2)}👍` })?.first_name?.length).to.equal(LIMITS.userDataField);
    expect(cleaned?.comments?.length).to.equal(LIMITS.userComments);
  });

  it('ignores anything that is not an object', () => {
    for (const raw of [undefined, null, 'ada', 42, true]) expect(cleanUserData(raw)).to.equal(undefined);
  });
});
