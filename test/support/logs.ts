// A pino logger that keeps every line in memory, for tests that check what the server logged and at which level.
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Logger } from "../../src/logger.ts";

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** pino's numeric level for `error`; lines at this level or above mean "the server failed". */
export const ERROR_LEVEL = 50;

export function captureLogs(): { logger: Logger; lines: LogLine[]; errors: () => LogLine[] } {
  const lines: LogLine[] = [];
  // Synchronous: the line is in `lines` before the request that logged it has answered.
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as LogLine);
        done();
      },
    }),
  );
  return { logger, lines, errors: () => lines.filter((line) => line.level >= ERROR_LEVEL) };
}
