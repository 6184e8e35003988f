import type pg from 'pg';

export function testPostgresUrl(): string | undefined;
export function withServer(base: string, work: (client: pg.Client) => Promise<void>): Promise<void>;
export function testDatabaseUrl(dir: string, base?: string, template?: string): Promise<string>;
export function dropTestDatabase(dir: string, base?: string): Promise<void>;
