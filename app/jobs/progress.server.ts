// A job's progress goes to its row in the database (any process serves the page that polls
// it), written at most every `intervalMs`: the latest value wins, writes never overlap, and a
// failed write is only logged (progress is a nicety; the job's outcome is what counts).

export interface ProgressWriter<P> {
  /** Records `progress` (written now or at the end of the current interval). */
  update(progress: P): void;
  /** Writes what is pending and waits for it. */
  flush(): Promise<void>;
}

export function progressWriter<P>(write: (progress: P) => Promise<unknown>, intervalMs = 300): ProgressWriter<P> {
  let pending: P | undefined;
  let lastWrite = 0;
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const writeNow = () => {
    timer = undefined;
    if (pending === undefined) return chain;
    const value = pending;
    pending = undefined;
    lastWrite = Date.now();
    chain = chain.then(() => write(value)).then(
      () => {},
      (error: Error) => console.error(`Job progress: ${error.message}`),
    );
    return chain;
  };

  return {
    update(progress) {
      pending = progress;
      if (timer) return;
      const wait = lastWrite + intervalMs - Date.now();
      if (wait <= 0) void writeNow();
      else timer = setTimeout(writeNow, wait);
    },
    flush() {
      if (timer) clearTimeout(timer);
      return writeNow();
    },
  };
}
