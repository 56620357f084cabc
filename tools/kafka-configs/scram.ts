/**
 * SCRAM credentials as ConfigCommand 2.8.2 makes them from `SCRAM-SHA-256=[iterations=8192,
 * password=secret]`: with `--zookeeper` the tool salts and hashes the password itself and stores
 * `salt=…,stored_key=…,server_key=…,iterations=…` (ScramFormatter, ScramCredentialUtils); with
 * `--bootstrap-server` the AdminClient sends the salt and salted password in an
 * AlterUserScramCredentials upsertion.
 *
 * @module
 */
import { pbkdf2Sync } from "node:crypto";
import { credentialString, MIN_ITERATIONS } from "../../kafka/config/scram_credentials.ts";
import { ConfigCommandError } from "./errors.ts";

/** ConfigCommand.DefaultScramIterations. */
const DEFAULT_ITERATIONS = 4096;
const HASH: Record<string, { name: string; bytes: number }> = {
  "SCRAM-SHA-256": { name: "sha256", bytes: 32 },
  "SCRAM-SHA-512": { name: "sha512", bytes: 64 },
};

/** The internal ScramMechanism enum's name (`SCRAM_SHA_256`), as some messages print it. */
const enumName = (mechanism: string) => mechanism.replaceAll("-", "_");

/**
 * ScramFormatter.secureRandomBytes: a random 130-bit BigInteger written in base 36, as bytes.
 */
function randomSalt(): Uint8Array {
  const bytes = crypto.getRandomValues(new Uint8Array(17));
  bytes[0] &= 0x03; // 130 bits
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return new TextEncoder().encode(n.toString(36));
}

/** ScramFormatter.hi: PBKDF2 with the mechanism's HMAC. */
function saltedPassword(mechanism: string, password: string, salt: Uint8Array, n: number) {
  const h = HASH[mechanism];
  return new Uint8Array(pbkdf2Sync(new TextEncoder().encode(password), salt, n, h.bytes, h.name));
}

/** `(?:iterations=(…),)?password=(.*)` over the whole value. */
function parseCredential(
  mechanism: string,
  value: string,
  iterationsPattern: string,
): { iterations: string | undefined; password: string } {
  const m = new RegExp(`^(?:iterations=(${iterationsPattern}),)?password=([\\s\\S]*)$`).exec(value);
  if (m === null) {
    throw new ConfigCommandError(
      `Invalid credential property ${enumName(mechanism)}=${value}`,
      "java.lang.IllegalArgumentException",
    );
  }
  return { iterations: m[1], password: m[2] };
}

/** Integer.parseInt or its NumberFormatException. */
function parseIterations(s: string): number {
  if (!/^[+-]?\d+$/.test(s) || Math.abs(Number(s)) > 2147483647) {
    throw new ConfigCommandError(
      `For input string: "${s}"`,
      "java.lang.NumberFormatException",
    );
  }
  return Number(s);
}

/** ConfigCommand.preProcessScramCredentials for one mechanism: the value stored in ZooKeeper. */
export function zkScramCredential(mechanism: string, value: string): string {
  const c = parseCredential(mechanism, value, "[0-9]*");
  const iterations = c.iterations === undefined
    ? DEFAULT_ITERATIONS
    : parseIterations(c.iterations);
  if (iterations < MIN_ITERATIONS) {
    throw new ConfigCommandError(
      `Iterations ${iterations} is less than the minimum ${MIN_ITERATIONS} required for ${
        enumName(mechanism)
      }`,
      "java.lang.IllegalArgumentException",
    );
  }
  const salt = randomSalt();
  return credentialString(
    mechanism,
    salt,
    saltedPassword(mechanism, c.password, salt, iterations),
    iterations,
  );
}

/** An AlterUserScramCredentials upsertion's credential part. */
export interface Upsertion {
  iterations: number;
  salt: Uint8Array;
  saltedPassword: Uint8Array;
}

/** ConfigCommand.alterUserScramCredentialConfigs' parse, then the AdminClient's salting. */
export function scramUpsertion(mechanism: string, value: string): Upsertion {
  const c = parseCredential(mechanism, value, "\\-?[0-9]*");
  const iterations = c.iterations === undefined || c.iterations === "-1"
    ? DEFAULT_ITERATIONS
    : parseIterations(c.iterations);
  if (iterations < MIN_ITERATIONS) {
    throw new ConfigCommandError(
      `Iterations ${iterations} is less than the minimum ${MIN_ITERATIONS} required for ${mechanism}`,
      "java.lang.IllegalArgumentException",
    );
  }
  const salt = randomSalt();
  return {
    iterations,
    salt,
    saltedPassword: saltedPassword(mechanism, c.password, salt, iterations),
  };
}
