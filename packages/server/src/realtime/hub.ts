import type { Bus, BusMessage } from './bus.js';

export interface Subscriber {
  onBus(topic: string, message: BusMessage): void;
}

/** This node's topic → local subscribers index; everything from the bus is routed through it. */
export class Hub {
  private readonly subs = new Map<string, Set<Subscriber>>();

  constructor(bus: Bus) {
    bus.onMessage((topic, message) => this.deliver(topic, message));
  }

  subscribe(topic: string, sub: Subscriber): void {
    let set = this.subs.get(topic);
    if (!set) this.subs.set(topic, (set = new Set()));
    set.add(sub);
  }

  unsubscribe(topic: string, sub: Subscriber): void {
    const set = this.subs.get(topic);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) this.subs.delete(topic);
  }

  subscribers(topic: string): ReadonlySet<Subscriber> {
    return this.subs.get(topic) ?? new Set();
  }

  private deliver(topic: string, message: BusMessage): void {
    const set = this.subs.get(topic);
    if (!set) return;
    for (const sub of [...set]) {
      try {
        sub.onBus(topic, message);
      } catch {
        // One broken socket must not stop delivery to the others.
      }
    }
  }
}
