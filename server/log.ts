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

/** A logger that drops everything (the default for in-process sinks and tests). */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  scope: () => silentLogger,
};
