export function testPostgresUrl(): string | undefined;
export function testDatabaseUrl(dir: string, base?: string): Promise<string>;
export function dropTestDatabase(dir: string, base?: string): Promise<void>;
