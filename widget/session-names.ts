/**
 * Where the visitor's session lives in IndexedDB (session-db.ts), apart from it so that the loader (loader.ts) can
 * read the token with the raw API without pulling idb in: the database, and its store of one entry per site.
 */
export const DB_NAME = 'switchboard-webchat';
export const SESSION_STORE = 'session';
