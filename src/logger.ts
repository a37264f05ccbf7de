// Structured JSON logs (pino) for the server and for Yoga.
import { pino, type Logger } from "pino";
import type { LogLevel } from "./config.ts";

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: "things-api" } });
}
