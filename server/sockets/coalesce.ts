/**
 * Runs one update at a time and, of the calls that arrive meanwhile, only the newest: every caller
 * gets the answer of the run that applied its value or a newer one. A flood of profile updates costs
 * two runs, not one per update.
 */
export function latestWins<A, T>(run: (arg: A) => Promise<T>): (arg: A) => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: { arg: A; promise: Promise<T> } | null = null;

  const start = (arg: A): Promise<T> => {
    const promise = run(arg).finally(() => {
      if (running === promise) running = null;
    });
    running = promise;
    return promise;
  };

  return (arg: A) => {
    if (!running) return start(arg);
    if (queued) {
      queued.arg = arg;
      return queued.promise;
    }
    const slot = { arg, promise: Promise.resolve() as unknown as Promise<T> };
    slot.promise = running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return start(slot.arg);
      });
    queued = slot;
    return slot.promise;
  };
}
