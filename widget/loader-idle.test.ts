// The loader's default: with no interaction at all, the chat loads in idle time after the page's load event, so that
// live unread counts and the team's presence work. A first-time visitor: no token, so no question to the hub.
// Needs `npm run build`.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { testHub } from '../test/helpers/browser-hub.js';
import { DB_NAME } from './session-db.js';
import type { WebchatApi } from './loader.js';

describe('widget.js: idle loading (default)', () => {
  it('loads the chat by itself after the load event, connected and closed, with no open/close event', async () => {
    await new Promise((resolve) => {
      indexedDB.deleteDatabase(DB_NAME).onsuccess = resolve;
    });
    const script = document.createElement('script');
    script.src = `${testHub.url}/widget.js`;
    script.dataset['site'] = 'demo';
    const loaded = oneEvent(script, 'load');
    document.head.append(script);
    await loaded;
    const widget = window.SwitchboardWebchat as WebchatApi;
    const events: string[] = [];
    for (const event of ['open', 'close'] as const) widget.on(event, () => events.push(event));
    expect(document.readyState).to.equal('complete');
    const element = await widget.ready;
    expect(customElements.get('switchboard-webchat')).to.exist;
    expect(element.open).to.equal(false);
    await waitUntil(() => element.chat.connection === 'online', 'not connected', { timeout: 10000 });
    expect(events).to.deep.equal([]);
    // A first visit: the loader found no token and asked the hub nothing; the chat made the database.
    expect(performance.getEntriesByType('resource').some((entry) => entry.name.includes('/api/widget/unread'))).to.equal(false);
    const db = await new Promise<IDBDatabase>((resolve) => {
      indexedDB.open(DB_NAME).onsuccess = (event) => resolve((event.target as IDBOpenDBRequest).result);
    });
    expect([...db.objectStoreNames]).to.deep.equal(['outbox', 'session']);
    db.close();
  });
});
