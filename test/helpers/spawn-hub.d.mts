import type { ChildProcess } from 'node:child_process';

export declare const TEST_ADMIN: { email: string; password: string };
export declare const TEST_SITE_SECRET: string;

export interface SpawnedHub {
  url: string;
  dir: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
  cleanup(): void;
  /** Where the hub's inspector listens, when NODE_OPTIONS in `env` asked for `--inspect`. */
  inspectorUrl?: string;
}

/** Where a process started with `--inspect` listens, from what it printed on stderr. */
export declare function inspectorUrl(output: string): string | undefined;

/** `bundled`: run the build's dist/hub.js (what `npm start` and the Docker image run) instead of the sources. */
export declare function spawnHub(options?: { env?: Record<string, string>; dir?: string; port?: number; bundled?: boolean }): Promise<SpawnedHub>;
