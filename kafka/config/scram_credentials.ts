/**
 * SCRAM credentials as Kafka 2.8.2 stores them (ZkAdminManager.describe/alterUserScramCredentials):
 * a key per mechanism (`SCRAM-SHA-256`, `SCRAM-SHA-512`) in `/config/users/<sanitized user>`,
 * valued `salt=<b64>,stored_key=<b64>,server_key=<b64>,iterations=<n>` where, from the salted
 * password the client sends, stored_key = H(HMAC(salted, "Client Key")) and server_key =
 * HMAC(salted, "Server Key") (ScramFormatter). herd has no SASL listener, so nothing
 * authenticates with them; they are stored and described as Apache does.
 *
 * @module
 */
import { createHash, createHmac } from "node:crypto";
import { Buffer } from "node:buffer";
import { desanitize, type EntityConfigStore, sanitize } from "./client_quotas.ts";

/** Mechanism type (wire) → name; 0 is UNKNOWN. */
export const SCRAM_MECHANISMS: ReadonlyMap<number, string> = new Map([
  [1, "SCRAM-SHA-256"],
  [2, "SCRAM-SHA-512"],
]);
/** ScramMechanism.minIterations (4096 for both) and ZkAdminManager's maximum. */
export const MIN_ITERATIONS = 4096;
/** The most iterations Apache accepts. */
export const MAX_ITERATIONS = 16384;

const HASH: Record<string, string> = { "SCRAM-SHA-256": "sha256", "SCRAM-SHA-512": "sha512" };

/** ScramCredentialUtils.credentialToString of the credential made from a salted password. */
export function credentialString(
  mechanism: string,
  salt: Uint8Array,
  saltedPassword: Uint8Array,
  iterations: number,
): string {
  const h = HASH[mechanism];
  const clientKey = createHmac(h, saltedPassword).update("Client Key").digest();
  const storedKey = createHash(h).update(clientKey).digest();
  const serverKey = createHmac(h, saltedPassword).update("Server Key").digest();
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
  return `salt=${b64(salt)},stored_key=${b64(storedKey)},server_key=${
    b64(serverKey)
  },iterations=${iterations}`;
}

/** The iteration count of a stored credential, or NaN when it does not parse. */
export function credentialIterations(stored: string): number {
  const m = /(?:^|,)iterations=(\d+)(?:,|$)/.exec(stored);
  return m ? Number(m[1]) : NaN;
}

/** One user's answer. */
export interface ScramResult {
  user: string;
  errorCode: number;
  errorMessage: string | null;
  credentialInfos?: { mechanism: number; iterations: number }[];
}

const RESOURCE_NOT_FOUND = 91;
const DUPLICATE_RESOURCE = 92;
const UNACCEPTABLE_CREDENTIAL = 93;
const UNSUPPORTED_SASL_MECHANISM = 33;

function infos(config: ReadonlyMap<string, string>): ScramResult["credentialInfos"] {
  const out: { mechanism: number; iterations: number }[] = [];
  for (const [type, name] of SCRAM_MECHANISMS) {
    const v = config.get(name);
    if (v !== undefined) out.push({ mechanism: type, iterations: credentialIterations(v) });
  }
  return out;
}

/**
 * DescribeUserScramCredentials: `users` null or empty describes every user with a credential
 * (sorted by name); otherwise each user asked, once, with Apache's errors for an empty name, a
 * name asked twice, and a user without credentials.
 */
export async function describeScram(
  store: EntityConfigStore,
  users: readonly string[] | null,
): Promise<ScramResult[]> {
  const ok = (user: string, c: Map<string, string>): ScramResult => ({
    user,
    errorCode: 0,
    errorMessage: "",
    credentialInfos: infos(c),
  });
  if (users === null || users.length === 0) {
    const out: ScramResult[] = [];
    for (const z of await store.entityNames("users")) {
      const c = await store.fetchEntityConfig("users", z);
      const user = desanitize(z);
      if ([...SCRAM_MECHANISMS.values()].some((m) => c.has(m))) out.push(ok(user, c));
    }
    return out.sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  }
  const out: ScramResult[] = [];
  for (const user of new Set(users)) {
    if (user === "") {
      out.push({ user, errorCode: RESOURCE_NOT_FOUND, errorMessage: "Username must not be empty" });
    } else if (users.filter((u) => u === user).length > 1) {
      out.push({
        user,
        errorCode: DUPLICATE_RESOURCE,
        errorMessage:
          `Cannot describe SCRAM credentials for the same user twice in a single request: ${user}`,
      });
    } else {
      const c = await store.fetchEntityConfig("users", sanitize(user));
      if ([...SCRAM_MECHANISMS.values()].some((m) => c.has(m))) out.push(ok(user, c));
      else {
        out.push({
          user,
          errorCode: RESOURCE_NOT_FOUND,
          errorMessage: `Attempt to describe a user credential that does not exist: ${user}`,
        });
      }
    }
  }
  return out;
}

/** One deletion or upsertion of AlterUserScramCredentials. */
export interface ScramChange {
  readonly name: string;
  readonly mechanism: number;
  /** Upsertions only. */
  readonly iterations?: number;
  readonly salt?: Uint8Array;
  readonly saltedPassword?: Uint8Array;
}

/**
 * AlterUserScramCredentials as ZkAdminManager runs it: refuse users with an invalid change
 * (empty name, unknown mechanism, too few or many iterations), users naming a mechanism twice,
 * users deleting a credential they do not have; write the rest (one config write and
 * notification per user). Answers in that order: invalid, duplicated, missing, then done.
 */
export async function alterScram(
  store: EntityConfigStore,
  deletions: readonly ScramChange[],
  upsertions: readonly ScramChange[],
): Promise<ScramResult[]> {
  const invalid = new Map<string, [number, string]>();
  for (const d of deletions) {
    if (d.name === "") invalid.set(d.name, [UNACCEPTABLE_CREDENTIAL, "Username must not be empty"]);
    else if (!SCRAM_MECHANISMS.has(d.mechanism)) {
      invalid.set(d.name, [UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"]);
    }
  }
  for (const u of upsertions) {
    if (u.name === "") invalid.set(u.name, [UNACCEPTABLE_CREDENTIAL, "Username must not be empty"]);
    else if (!SCRAM_MECHANISMS.has(u.mechanism)) {
      invalid.set(u.name, [UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"]);
    } else if ((u.iterations ?? 0) < MIN_ITERATIONS) {
      invalid.set(u.name, [UNACCEPTABLE_CREDENTIAL, "Too few iterations"]);
    } else if ((u.iterations ?? 0) > MAX_ITERATIONS) {
      invalid.set(u.name, [UNACCEPTABLE_CREDENTIAL, "Too many iterations"]);
    }
  }
  const out: ScramResult[] = [...invalid].map(([user, [errorCode, errorMessage]]) => ({
    user,
    errorCode,
    errorMessage,
  }));
  const valid = [...upsertions, ...deletions].filter((c) => !invalid.has(c.name));
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const c of valid) {
    const k = `${c.mechanism}/${c.name}`;
    if (seen.has(k)) duplicated.add(c.name);
    seen.add(k);
  }
  for (const user of duplicated) {
    out.push({
      user,
      errorCode: DUPLICATE_RESOURCE,
      errorMessage: "A user credential cannot be altered twice in the same request",
    });
  }
  const users = [...new Set(valid.map((c) => c.name))].filter((u) => !duplicated.has(u));
  const configs = new Map<string, Map<string, string>>();
  for (const u of users) configs.set(u, await store.fetchEntityConfig("users", sanitize(u)));
  const missing = new Set(
    deletions.filter((d) =>
      configs.has(d.name) &&
      !configs.get(d.name)!.has(SCRAM_MECHANISMS.get(d.mechanism)!)
    ).map((d) => d.name),
  );
  for (const user of missing) {
    out.push({
      user,
      errorCode: RESOURCE_NOT_FOUND,
      errorMessage: "Attempt to delete a user credential that does not exist",
    });
  }
  for (const user of users.filter((u) => !missing.has(u))) {
    const config = configs.get(user)!;
    for (const d of deletions) {
      if (d.name === user) config.delete(SCRAM_MECHANISMS.get(d.mechanism)!);
    }
    for (const u of upsertions) {
      if (u.name !== user) continue;
      const m = SCRAM_MECHANISMS.get(u.mechanism)!;
      config.set(m, credentialString(m, u.salt!, u.saltedPassword!, u.iterations!));
    }
    await store.changeEntityConfig("users", sanitize(user), config);
    out.push({ user, errorCode: 0, errorMessage: "" });
  }
  return out;
}
