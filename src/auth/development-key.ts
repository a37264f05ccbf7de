// The development API key and the start-up auth policy; `npm start` without any authentication configured still lets a developer delete from
// GraphiQL. Made once, kept in the data directory (git-ignored), never used in production.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ConfigError,
  DEFAULT_DATA_DIRECTORY,
  SCOPES,
  type ApiKeyConfig,
  type AuthConfig,
  type Config,
} from "../config.ts";
import type { Logger } from "../logger.ts";

export interface DevelopmentKey {
  apiKey: ApiKeyConfig;
  file: string;
  /** True when this start made the key (so it is printed); false when it was read back. */
  created: boolean;
}

export function developmentKey(dataDirectory: string): DevelopmentKey {
  const file = join(dataDirectory, "dev-api-key");
  let key: string;
  let created = false;
  try {
    key = readFileSync(file, "utf8").trim();
  } catch {
    key = `dev-${randomBytes(24).toString("base64url")}`;
    mkdirSync(dataDirectory, { recursive: true });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    created = true;
  }
  return { apiKey: { key, sub: "development", scopes: [...SCOPES] }, file, created };
}

export interface StartAuthentication {
  auth: AuthConfig;
  /** Pre-filled in GraphiQL when the development key is in use. */
  graphiqlHeaders?: Record<string, string>;
}

/**
 * The authentication the server starts with: the configured one, or, outside production, the development key.
 * Production without API_KEYS or JWT_* refuses to start: it would leave every mutation refused, or tempt an
 * operator to ship the development key.
 */
export function authenticationForStart(
  config: Config,
  logger: Logger,
  dataDirectory = DEFAULT_DATA_DIRECTORY,
): StartAuthentication {
  if (config.auth.apiKeys.length > 0 || config.auth.jwt) return { auth: config.auth };
  if (config.production) {
    throw new ConfigError(
      "NODE_ENV=production needs authentication: set API_KEYS and/or one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL",
    );
  }
  const dev = developmentKey(dataDirectory);
  if (dev.created) {
    logger.warn(
      { file: dev.file },
      `No API_KEYS or JWT_* set: created a development API key with every scope. Send "Authorization: Bearer ${dev.apiKey.key}" (GraphiQL already does).`,
    );
  } else {
    logger.info({ file: dev.file }, "No API_KEYS or JWT_* set: using the development API key");
  }
  return {
    auth: { ...config.auth, apiKeys: [dev.apiKey] },
    graphiqlHeaders: { authorization: `Bearer ${dev.apiKey.key}` },
  };
}
