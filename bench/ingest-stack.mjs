// The ingest bench's side of bench/ingest-worker.ts: its /__bench/ routes (counts, and the stores as the count
// check reads them), and waiting for the log Queue's consumer.

/**
 * @param {{ url: string, output?: () => string }} dev the local stack (startDev's answer)
 * @param {number} drainMs how long the consumer may take to drain before its messages count as lost
 */
export function stackClient(dev, drainMs) {
  const { url } = dev;

  /** GET or POST one of the bench Worker's /__bench/ routes (bench/ingest-worker.ts). */
  async function bench(path, body) {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${url}/__bench/${path}`, { ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }), signal: AbortSignal.timeout(120_000) }).catch((e) => {
        throw new Error(`/__bench/${path}: ${e.cause ?? e}; the stack logged:\n${dev?.output?.().slice(-4000)}`);
      });
      // Reads only, so retried: the local proxy answers 503 when its connection to the runtime was reset.
      if (res.status === 503 && attempt < 5) {
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 200 * attempt));
        continue;
      }
      if (!res.ok) throw new Error(`/__bench/${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
      return res.json();
    }
  }

  /** Polls until the D1 log holds all of `ids`; ms from `ackAt` (Date.now() of the answer) until it was seen. */
  async function pollLogged(ids, ackAt) {
    const deadline = Date.now() + drainMs;
    while (Date.now() < deadline) {
      if ((await bench('logged', ids)) === ids.length) return Date.now() - ackAt;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`a polled batch was not in the D1 log ${drainMs / 1000} s after its acknowledgement`);
  }

  /** Waits until the consumer acknowledged every message ingest sent. A consumer that only fails (retries, no
   * acknowledgement) for a minute will not drain: that is named at once, with what the Worker logged. */
  async function drain() {
    const deadline = Date.now() + drainMs;
    let progress = { acked: -1, at: Date.now() };
    for (;;) {
      const state = await bench('state');
      if (state.queue.acked >= state.queue.sent) return state;
      if (state.queue.acked !== progress.acked) progress = { acked: state.queue.acked, at: Date.now() };
      const failing = state.queue.retried > 0 && Date.now() - progress.at > 60_000;
      if (failing || Date.now() > deadline) {
        const logged = [...new Set((dev?.output?.() ?? '').split('\n').filter((l) => /log consumer failed|Error:|ERROR|QUEUE|TOOBIG/.test(l)).map((l) => l.slice(0, 300)))].slice(-8).join('\n');
        const consumer = `${state.running} invocation(s) running, waiting on: ${state.pending.join(', ') || 'nothing'}; ${state.invocations.length} done`;
        throw new Error(`the log consumer did not drain (${failing ? 'retrying without acknowledging for 60 s' : `${drainMs / 1000} s`}): ${JSON.stringify(state.queue)}; ${consumer}; the Worker logged:\n${logged}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { bench, pollLogged, drain };
}
