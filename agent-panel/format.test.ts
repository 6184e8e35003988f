// The list's and transcripts' times: formatted once per distinct time (a re-rendered list formats every row), and
// exactly as the locale formats them.
import { expect } from '@open-wc/testing';
import { formatFull, formatTime } from './format.js';

describe('formatTime', () => {
  it("shows today's times as the locale's hour and minute, older ones with their day, and nothing for no date", () => {
    const now = new Date();
    const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9, 5).toISOString();
    const older = new Date(now.getTime() - 3 * 86_400_000).toISOString();
    expect(formatTime(today)).to.equal(new Date(today).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
    expect(formatTime(older)).to.equal(new Date(older).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }));
    expect(formatTime(today), 'asked again').to.equal(formatTime(today));
    expect(formatTime('not a date')).to.equal('');
    expect(formatTime(null)).to.equal('');
  });
});

describe('formatFull', () => {
  it('names the month and the year and leaves out the seconds, as the lists do', () => {
    const at = new Date(2026, 10, 12, 14, 5, 37);
    const text = formatFull(at.toISOString());
    expect(text).to.equal(at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
    expect(text).to.contain(at.toLocaleString(undefined, { month: 'short' }));
    expect(text).to.contain('2026');
    expect(text).not.to.contain('37');
    expect(formatFull('not a date')).to.equal('');
    expect(formatFull(undefined)).to.equal('');
  });
});
