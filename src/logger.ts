import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout; comment text is never logged (it is hostile and personal). */
export function createLogger(level: string, name = 'decorum'): Logger {
  return pino({ name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
