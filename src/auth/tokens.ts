// Who is calling, from a Bearer token from the Authorization header, checked against the static API keys (in constant
// time) and, when configured, verified as a JWT with `jose`. Scopes decide what the caller may do (src/builder.ts).
import { createHash, timingSafeEqual } from "node:crypto";
import type { JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from "jose";
import type { ApiKeyConfig, AuthConfig, JwtConfig, Scope } from "../config.ts";
import { SCOPES } from "../config.ts";
import { ErrorCode, userError } from "../errors.ts";

export interface Principal {
  /** The API key's `sub` or the JWT's `sub` claim; recorded in the delete audit. */
  subject: string;
  scopes: ReadonlySet<Scope>;
}

export type Authenticate = (request: Request) => Promise<Principal | null>;

function unauthenticated(message: string) {
  return userError(ErrorCode.UNAUTHENTICATED, message);
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Compares digests, so every comparison takes the same time whatever the key's length and content, and checks
 * every key, so the time does not tell which one (or whether any) matched.
 */
function findApiKey(keys: readonly { digest: Buffer; config: ApiKeyConfig }[], token: string): ApiKeyConfig | null {
  const presented = digest(token);
  let match: ApiKeyConfig | null = null;
  for (const key of keys) {
    if (timingSafeEqual(key.digest, presented)) match = key.config;
  }
  return match;
}

/** OAuth 2 puts scopes in a space-separated `scope` claim; some providers use a `scopes` or `scp` array. */
function scopesOf(payload: JWTPayload): Set<Scope> {
  const claim = payload.scope ?? payload.scopes ?? payload.scp;
  const names = typeof claim === "string" ? claim.split(" ") : Array.isArray(claim) ? claim : [];
  return new Set(SCOPES.filter((scope) => names.includes(scope)));
}

/**
 * How far the issuer's clock may be ahead of ours, in seconds, for `exp`, `nbf` and `iat`. Small, because a token
 * issued "in the future" is either a badly wrong clock or one minted to outlive its stated lifetime.
 */
export const JWT_CLOCK_TOLERANCE_SECONDS = 30;

/** A token without `exp` would never expire, so every token must carry one. */
const claimRules = { requiredClaims: ["exp"], clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS } satisfies JWTVerifyOptions;

/**
 * jose checks `iat` only together with `maxTokenAge`, which would also make `iat` mandatory; an `iat` after now
 * (beyond the tolerance) is refused here instead, and a token without one still passes.
 */
function issuedInThePast(payload: JWTPayload): boolean {
  const now = Math.floor(Date.now() / 1000);
  return payload.iat === undefined || payload.iat <= now + JWT_CLOCK_TOLERANCE_SECONDS;
}

/** The audit records the subject as text: anything but a non-empty string is a malformed token, not a name. */
function subjectOf(payload: JWTPayload): string | null {
  const subject: unknown = payload.sub;
  return typeof subject === "string" && subject !== "" ? subject : null;
}

async function jwtVerifier(config: JwtConfig): Promise<(token: string) => Promise<JWTPayload>> {
  // Imported only with JWT configured: a start on API keys alone does not load jose's modules.
  const { createRemoteJWKSet, importSPKI, jwtVerify } = await import("jose");
  const options = { issuer: config.issuer, audience: config.audience, ...claimRules };
  if (config.secret !== undefined) {
    const secret = new TextEncoder().encode(config.secret);
    return async (token) => (await jwtVerify(token, secret, { ...options, algorithms: ["HS256"] })).payload;
  }
  if (config.publicKey !== undefined) {
    const key = await importSPKI(config.publicKey, config.algorithm);
    return async (token) => (await jwtVerify(token, key, { ...options, algorithms: [config.algorithm] })).payload;
  }
  if (config.jwksUrl === undefined) throw new Error("JWT configuration needs a secret, a public key or a JWKS URL");
  const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl));
  return async (token) => (await jwtVerify(token, jwks, options)).payload;
}

/**
 * The same principal for every ask about one request: Yoga's plugins (trusted documents) need the caller before the
 * context exists, and a JWT should be verified once, not once per asker.
 */
export function authenticateOncePerRequest(authenticate: Authenticate): Authenticate {
  const principals = new WeakMap<Request, Promise<Principal | null>>();
  return (request) => {
    let principal = principals.get(request);
    if (principal === undefined) {
      principal = authenticate(request);
      principals.set(request, principal);
    }
    return principal;
  };
}

/** No header: anonymous (null). A header that is not a valid Bearer token: UNAUTHENTICATED, never anonymous. */
export async function createAuthenticator(config: AuthConfig): Promise<Authenticate> {
  const keys = config.apiKeys.map((key) => ({ digest: digest(key.key), config: key }));
  const verifyJwt = config.jwt ? await jwtVerifier(config.jwt) : null;

  return async (request) => {
    const header = request.headers.get("authorization");
    if (header === null) return null;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token === undefined) throw unauthenticated("The Authorization header must be `Bearer <token>`");

    const apiKey = findApiKey(keys, token);
    if (apiKey) return { subject: apiKey.sub, scopes: new Set(apiKey.scopes) };
    if (verifyJwt) {
      // Why a token fails (jose's reason: expired, bad signature, wrong audience…, or ours) stays out of the
      // response: it helps an attacker more than a client.
      const payload = await verifyJwt(token).catch(() => null);
      const subject = payload && issuedInThePast(payload) ? subjectOf(payload) : null;
      if (payload && subject !== null) return { subject, scopes: scopesOf(payload) };
    }
    throw unauthenticated("The bearer token is not valid");
  };
}
