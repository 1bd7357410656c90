/** A per-node periodic job (warnings, transfer deadlines); a run still going skips the next tick. */
export interface Sweeper {
  stop(): Promise<void>;
}

export function startSweeper(run: () => Promise<unknown>, everyMs: number, onError: (err: unknown) => void): Sweeper {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
