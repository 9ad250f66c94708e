// The order of pack builds on the job queue: companies take turns rather than first come,
// first served. A build is queued with the priority minus the number of the company's builds
// already waiting or running, and the queue takes the highest priority first, the oldest among
// equals (pg-boss: `priority desc, created_on`). So every company's first waiting pack goes
// before anyone's second, its second before anyone's third, and a company that queues many
// packs cannot make another company's pack wait behind all of them, however many worker
// processes take from the queue. Each process renders one pack at a time (QUEUES["pack.build"]).

/** The job priority of a company's next build, given how many of its builds wait or run. */
export function fairPriority(waitingOfCompany: number): number {
  return -Math.max(0, Math.floor(waitingOfCompany));
}
