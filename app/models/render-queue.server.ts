// The pack-rendering queue: one render at a time (each is a worker thread busy on one core),
// taken in turn by company rather than first come, first served. The next render is the
// oldest waiting one of the company served least recently, so a company that queues many
// packs cannot make another company's pack wait behind all of them. In memory, per process;
// a later issue moves rendering onto a real job queue.

export class FairQueue {
  /** Waiting starts per company, oldest first; a company is here only while it has some. */
  private readonly waiting = new Map<string, (() => void)[]>();
  /** When each company was last served (a running count; one entry per company ever served). */
  private readonly lastServed = new Map<string, number>();
  private served = 0;
  private busy = false;

  /** Runs `task` when it is the company's turn; settles as the task does. */
  run<T>(companyId: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            this.busy = false;
            this.next();
          });
      };
      const queue = this.waiting.get(companyId);
      if (queue) queue.push(start);
      else this.waiting.set(companyId, [start]);
      this.next();
    });
  }

  private next(): void {
    if (this.busy) return;
    let chosen: string | undefined;
    let chosenServed = Infinity;
    // Map order is arrival order, so between companies never served the first to arrive wins.
    for (const companyId of this.waiting.keys()) {
      const served = this.lastServed.get(companyId) ?? -1;
      if (served < chosenServed) [chosen, chosenServed] = [companyId, served];
    }
    if (chosen === undefined) return;
    const queue = this.waiting.get(chosen)!;
    const start = queue.shift()!;
    if (queue.length === 0) this.waiting.delete(chosen);
    this.lastServed.set(chosen, ++this.served);
    this.busy = true;
    start();
  }
}
