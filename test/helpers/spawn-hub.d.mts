import type { ChildProcess } from 'node:child_process';

export declare const TEST_ADMIN: { email: string; password: string };
export declare const TEST_SITE_SECRET: string;

export interface SpawnedHub {
  url: string;
  dir: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
  cleanup(): void;
}

export declare function spawnHub(options?: { env?: Record<string, string>; dir?: string; port?: number }): Promise<SpawnedHub>;
