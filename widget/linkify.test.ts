// Unit tests of the pure helpers (no hub needed): linkify and string formatting.
import { expect } from '@open-wc/testing';
import { linkify } from './linkify.js';
import { DEFAULT_STRINGS, format } from './strings.js';

describe('linkify', () => {
  it('keeps plain text as one part', () => {
    expect(linkify('hello there')).to.deep.equal(['hello there']);
    expect(linkify('')).to.deep.equal([]);
  });

  it('turns http and https URLs into links and keeps the text around them', () => {
    expect(linkify('see https://example.com/a?b=1 and http://x.org')).to.deep.equal([
      'see ',
      { href: 'https://example.com/a?b=1', text: 'https://example.com/a?b=1' },
      ' and ',
      { href: 'http://x.org/', text: 'http://x.org' },
    ]);
  });

  it('leaves trailing sentence punctuation out of the link', () => {
    expect(linkify('Go to https://example.com/docs.')).to.deep.equal(['Go to ', { href: 'https://example.com/docs', text: 'https://example.com/docs' }, '.']);
    expect(linkify('(https://example.com)')).to.deep.equal(['(', { href: 'https://example.com/', text: 'https://example.com' }, ')']);
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd', 'ftp://example.com']) {
      expect(
        linkify(text).every((part) => typeof part === 'string'),
        text,
      ).to.equal(true);
      expect(linkify(text).join('')).to.equal(text);
    }
  });

  it('stops a URL at markup characters so they stay text', () => {
    const parts = linkify('https://example.com/x?a=<img src=x onerror=alert(1)>');
    expect(parts[0]).to.deep.equal({ href: 'https://example.com/x?a=', text: 'https://example.com/x?a=' });
    expect(parts[1]).to.equal('<img src=x onerror=alert(1)>');
  });

  it('does not link a scheme hidden inside a word', () => {
    const parts = linkify('xhttps://evil.example');
    expect(parts.some((part) => typeof part !== 'string')).to.equal(false);
  });
});

describe('strings', () => {
  it('fills {placeholders} and leaves unknown ones empty', () => {
    expect(format(DEFAULT_STRINGS.agentTyping, { name: 'Mia' })).to.equal('Mia is typing…');
    expect(format(DEFAULT_STRINGS.unread, { count: 3 })).to.equal('3 unread messages');
    expect(format('{a}-{b}', { a: 1 })).to.equal('1-');
  });

  it('does not interpret markup in values', () => {
    expect(format(DEFAULT_STRINGS.agentJoined, { name: '<b>x</b>' })).to.equal('<b>x</b> joined');
  });
});
