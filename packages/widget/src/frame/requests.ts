import type { ErrorCode } from '@loket/protocol';

/** Why a request failed: the server's code (and its message, for codes we have no text for), or no answer at all. */
export interface Failure {
  code: ErrorCode | 'network';
  message: string;
  retryable: boolean;
}

/** What a request ends with: null when the server answered `ok`. */
export type Outcome = Failure | null;

/** No answer: the socket dropped, or the server took too long. Safe to try again. */
export const NO_ANSWER: Failure = { code: 'network', message: '', retryable: true };

/**
 * Requests answered by `ok` or `error` with the same `rid`. Each settles exactly once: with the
 * answer, with NO_ANSWER when the socket drops (an answer sent to the old socket never arrives) or
 * after `timeoutMs`. A late answer to a settled request is ignored.
 */
export class Requests {
  private readonly open = new Map<string, { done(o: Outcome): void; timer: ReturnType<typeof setTimeout> }>();
  private n = 0;

  constructor(private readonly timeoutMs = 20_000) {}

  get size(): number {
    return this.open.size;
  }

  /** A fresh rid and the promise of its outcome. */
  add(): { rid: string; outcome: Promise<Outcome> } {
    const rid = `q${++this.n}`;
    const outcome = new Promise<Outcome>((done) => {
      this.open.set(rid, { done, timer: setTimeout(() => this.settle(rid, NO_ANSWER), this.timeoutMs) });
    });
    return { rid, outcome };
  }

  /** Settles `rid`; false when it is not one of ours or was settled already. */
  settle(rid: string | undefined, outcome: Outcome): boolean {
    const entry = rid === undefined ? undefined : this.open.get(rid);
    if (!entry || rid === undefined) return false;
    this.open.delete(rid);
    clearTimeout(entry.timer);
    entry.done(outcome);
    return true;
  }

  /** The socket is gone: none of the open requests will be answered. */
  failAll(): void {
    for (const rid of [...this.open.keys()]) this.settle(rid, NO_ANSWER);
  }
}
