import type { SinkEvent, SinkEventInput } from '../contract.js';

/** Receives every published event, in `seq` order. */
export type EventListener = (event: SinkEvent) => void;

/**
 * Ordered event stream of one sink: stamps each event with the next `seq` (1, 2, 3 …) and hands it
 * synchronously to every subscriber. A throwing subscriber does not stop the others.
 */
export class EventBus {
  #seq = 0;
  readonly #listeners = new Set<EventListener>();

  /** The `seq` of the last published event (0 before the first). */
  get seq(): number {
    return this.#seq;
  }

  /** Publishes an event and returns it with its `seq`. */
  publish(input: SinkEventInput): SinkEvent {
    const event = { ...input, seq: ++this.#seq } as SinkEvent;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A faulty subscriber must not break ingest or the other subscribers.
      }
    }
    return event;
  }

  /** Subscribes; returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
