/**
 * SMTP session transcripts: every command and reply of a session (never the DATA bytes, AUTH
 * secrets masked by the SMTP side before they get here), kept by session id and looked up by the
 * ids of the messages the session produced. Bounded: a transcript lives as long as a message it
 * produced is stored (it goes with the store's `message.deleted` / `store.cleared` events); one that
 * produced none (refused attempts, probes) is kept among the newest `maxIdleSessions` (and until the
 * store is emptied: `store.cleared` forgets every closed session); all of them
 * together hold at most `maxChars` characters (the oldest closed ones go first); each keeps at most
 * `maxLinesPerSession` lines of at most `maxLineChars` characters.
 */
import type { Transcript, TranscriptDirection, TranscriptLine } from '../contract.js';
import type { EventBus } from './events.js';

/** Bounds of a {@link TranscriptLog}. */
export interface TranscriptLimits {
  /** Most closed transcripts kept that produced no stored message. */
  maxIdleSessions: number;
  /** Most characters kept over every transcript (each line also counts {@link LINE_OVERHEAD}). */
  maxChars: number;
  /** Most lines kept per session; later ones are only counted (`droppedLines`). */
  maxLinesPerSession: number;
  /** Longest line kept, in characters; the rest is cut and the cut noted on the line. */
  maxLineChars: number;
}

/** Defaults: about 1 KiB per typical session; 64 Mi characters at most. */
export const DEFAULT_TRANSCRIPT_LIMITS: TranscriptLimits = { maxIdleSessions: 5000, maxChars: 64 * 1024 * 1024, maxLinesPerSession: 2000, maxLineChars: 1000 };

/** Characters charged per line besides its text (time, direction, object). */
export const LINE_OVERHEAD = 32;

/** What is known when a session starts. */
export interface SessionStart {
  remoteAddress: string;
  remotePort: number;
  localPort: number;
  secure: boolean;
}

interface Entry extends SessionStart {
  id: string;
  startedMs: number;
  endedMs: number | null;
  lines: TranscriptLine[];
  droppedLines: number;
  messageIds: string[];
  /** Messages of this session still in the store. */
  live: number;
  chars: number;
}

/** Transcripts of one sink's SMTP sessions. */
export class TranscriptLog {
  readonly #entries = new Map<string, Entry>();
  /** Closed entries with no stored message, oldest first. */
  readonly #idle = new Map<string, Entry>();
  readonly #byMessage = new Map<string, Entry>();
  readonly #limits: TranscriptLimits;
  readonly #unsubscribe: () => void;
  #chars = 0;

  constructor(events: EventBus, limits: TranscriptLimits = DEFAULT_TRANSCRIPT_LIMITS) {
    this.#limits = limits;
    this.#unsubscribe = events.subscribe((event) => {
      if (event.type === 'message.deleted') this.#forgetMessages(event.ids);
      else if (event.type === 'store.cleared') this.#clearClosed();
    });
  }

  /** Transcripts held (open and closed). */
  get size(): number {
    return this.#entries.size;
  }

  /** Characters held, overhead included. */
  get chars(): number {
    return this.#chars;
  }

  /** Starts the transcript of session `id` (a second call for the same id does nothing). */
  open(id: string, start: SessionStart): void {
    if (this.#entries.has(id)) return;
    this.#entries.set(id, { ...start, id, startedMs: Date.now(), endedMs: null, lines: [], droppedLines: 0, messageIds: [], live: 0, chars: 0 });
  }

  /** Appends a line to an open transcript (ignored for an unknown or evicted session). */
  record(id: string, direction: TranscriptDirection, text: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    if (entry.lines.length >= this.#limits.maxLinesPerSession) {
      entry.droppedLines += 1;
      return;
    }
    const { maxLineChars } = this.#limits;
    const kept = text.length > maxLineChars ? `${text.slice(0, maxLineChars)}… (${text.length - maxLineChars} more characters not kept)` : text;
    entry.lines.push({ offsetMs: Date.now() - entry.startedMs, direction, text: kept });
    const cost = kept.length + LINE_OVERHEAD;
    entry.chars += cost;
    this.#chars += cost;
    if (this.#chars > this.#limits.maxChars) this.#trim();
  }

  /** Marks the session as TLS-protected from now on. */
  setSecure(id: string): void {
    const entry = this.#entries.get(id);
    if (entry) entry.secure = true;
  }

  /** Links a stored message to the session that produced it. */
  attachMessage(id: string, messageId: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.messageIds.push(messageId);
    entry.live += 1;
    this.#byMessage.set(messageId, entry);
    this.#idle.delete(id);
  }

  /** Ends a session; its transcript stays while a message of it is stored (or among the newest idle ones). */
  close(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry || entry.endedMs !== null) return;
    entry.endedMs = Date.now();
    if (entry.live === 0) this.#idle.set(id, entry);
    this.#trim();
  }

  /** The transcript of a session, or `undefined` when unknown or evicted. */
  get(id: string): Transcript | undefined {
    const entry = this.#entries.get(id);
    return entry && toTranscript(entry);
  }

  /** The transcript of the session that produced a message, or `undefined`. */
  forMessage(messageId: string): Transcript | undefined {
    const entry = this.#byMessage.get(messageId);
    return entry && toTranscript(entry);
  }

  /** Stops following the store's events. */
  stop(): void {
    this.#unsubscribe();
  }

  #forgetMessages(ids: readonly string[]): void {
    for (const messageId of ids) {
      const entry = this.#byMessage.get(messageId);
      if (!entry) continue;
      this.#byMessage.delete(messageId);
      entry.live -= 1;
      if (entry.live === 0 && entry.endedMs !== null) this.#drop(entry);
    }
  }

  /** Emptying the store forgets every closed session, with messages or without (open ones go on). */
  #clearClosed(): void {
    this.#byMessage.clear();
    for (const entry of this.#entries.values()) {
      entry.live = 0;
      if (entry.endedMs !== null) this.#drop(entry);
    }
  }

  #drop(entry: Entry): void {
    this.#entries.delete(entry.id);
    this.#idle.delete(entry.id);
    for (const messageId of entry.messageIds) if (this.#byMessage.get(messageId) === entry) this.#byMessage.delete(messageId);
    this.#chars -= entry.chars;
  }

  /** Evicts the oldest idle transcripts over the count, then the oldest closed ones while over the character budget. */
  #trim(): void {
    for (const entry of this.#idle.values()) {
      if (this.#idle.size <= this.#limits.maxIdleSessions && this.#chars <= this.#limits.maxChars) break;
      this.#drop(entry);
    }
    if (this.#chars <= this.#limits.maxChars) return;
    for (const entry of this.#entries.values()) {
      if (this.#chars <= this.#limits.maxChars) break;
      if (entry.endedMs !== null) this.#drop(entry);
    }
  }
}

function toTranscript(entry: Entry): Transcript {
  return {
    id: entry.id,
    startedAt: new Date(entry.startedMs).toISOString(),
    endedAt: entry.endedMs === null ? null : new Date(entry.endedMs).toISOString(),
    remoteAddress: entry.remoteAddress,
    remotePort: entry.remotePort,
    localPort: entry.localPort,
    secure: entry.secure,
    messageIds: [...entry.messageIds],
    lines: entry.lines.map((line) => ({ ...line })),
    droppedLines: entry.droppedLines,
  };
}
