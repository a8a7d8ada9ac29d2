/** Where log lines go: one line per call, already formatted. */
export type LogSink = (line: string) => void;

/** Scoped one-line logger. Never given message bodies or passwords. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger for a sub-scope (`smtp`, `http`, `ws`, `store`). */
  scope(name: string): Logger;
}

/** Makes a logger writing `time level [scope] message` lines to `sink`. */
export function createLogger(sink: LogSink, scope = 'mailsink'): Logger {
  const write = (level: string, message: string) => sink(`${new Date().toISOString()} ${level} [${scope}] ${message}`);
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
    scope: (name) => createLogger(sink, name),
  };
}

/**
 * A {@link LogSink} that gathers the lines of one event-loop turn and hands them to `write` as one
 * chunk at the end of the turn (and at once on process exit): under a burst of thousands of
 * messages a second, the per-message log line otherwise costs a system call each.
 *
 * @param write - Receives `\n`-terminated lines, e.g. `(chunk) => process.stderr.write(chunk)`.
 */
export function batchedLineSink(write: (chunk: string) => void): LogSink {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunk = `${pending.join('\n')}\n`;
    pending = [];
    write(chunk);
  };
  process.on('exit', flush);
  return (line) => {
    pending.push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/** A logger that drops everything (the default for in-process sinks and tests). */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  scope: () => silentLogger,
};
