/**
 * The one table of the Kafka APIs herd serves: API key → name, Apache 2.8.2's version range, the
 * first flexible version and the codec. Header versions and the ApiVersions response are derived
 * from it, so what is advertised cannot drift from what is decoded. Handlers (kafka/handlers/,
 * later) register against these entries.
 *
 * @module
 */
import type { ApiCodec } from "./codec.ts";
import { API_CODECS } from "./messages/apis.ts";
import type { ApiVersionsResponse } from "./messages/api_versions.ts";
import { APACHE_2_8_2_APIS } from "./versions.ts";

/** One API herd serves. */
export interface ApiEntry {
  /** The API key. */
  readonly apiKey: number;
  /** Kafka 2.8.2's name for it. */
  readonly name: string;
  /** Lowest version served. */
  readonly minVersion: number;
  /** Highest version served. */
  readonly maxVersion: number;
  /** First flexible version, or null. */
  readonly firstFlexibleVersion: number | null;
  /** Its request and response codecs. */
  readonly codec: ApiCodec<unknown, unknown>;
}

/** ApiVersions' key. */
export const API_VERSIONS_KEY = 18;
/** ControlledShutdown's key: its v0 requests are the only ones with request header v0. */
export const CONTROLLED_SHUTDOWN_KEY = 7;
/** Kafka's UNSUPPORTED_VERSION error code. */
export const UNSUPPORTED_VERSION = 35;

const codecs = API_CODECS as unknown as Record<number, ApiCodec<unknown, unknown>>;

function build(): readonly (ApiEntry | undefined)[] {
  const table: (ApiEntry | undefined)[] = [];
  for (const a of APACHE_2_8_2_APIS) {
    const codec = codecs[a.apiKey];
    if (!codec || codec.minVersion !== a.minVersion || codec.maxVersion !== a.maxVersion) {
      throw new Error(`api key ${a.apiKey}: codec does not serve ${a.minVersion}–${a.maxVersion}`);
    }
    if (table[a.apiKey]) throw new Error(`api key ${a.apiKey} registered twice`);
    table[a.apiKey] = { ...a, firstFlexibleVersion: codec.firstFlexibleVersion, codec };
  }
  return table;
}

const TABLE = build();

/** Every API herd serves, in key order. */
export const API_ENTRIES: readonly ApiEntry[] = TABLE.filter((e): e is ApiEntry => e !== undefined);

/** The entry of an API key, or undefined for a key herd (like Apache 2.8.2) does not serve. */
export function apiEntry(apiKey: number): ApiEntry | undefined {
  return TABLE[apiKey];
}

/** Whether a served API's version uses the flexible encoding (compact types, tagged fields). */
export function isFlexible(entry: ApiEntry, version: number): boolean {
  return entry.firstFlexibleVersion !== null && version >= entry.firstFlexibleVersion;
}

/**
 * The request header version of an API version: 2 when flexible, else 1, except ControlledShutdown
 * v0 (header v0, no client id). Versions past the served range are read as Kafka reads them (the
 * flexible rule continues), so an ApiVersions v4 header parses before it is refused.
 */
export function requestHeaderVersion(entry: ApiEntry, version: number): number {
  if (entry.apiKey === CONTROLLED_SHUTDOWN_KEY && version === 0) return 0;
  return isFlexible(entry, version) ? 2 : 1;
}

/**
 * The response header version: 1 when flexible, else 0, except ApiVersions, always 0 (KIP-511:
 * a client that does not yet know the broker's versions must be able to read the answer).
 */
export function responseHeaderVersion(entry: ApiEntry, version: number): number {
  if (entry.apiKey === API_VERSIONS_KEY) return 0;
  return isFlexible(entry, version) ? 1 : 0;
}

/** What an ApiVersions response carries besides the table. */
export interface ApiVersionsOptions {
  /** Throttle time to report (v1+); 0 unless quotas throttle. */
  readonly throttleTimeMs?: number;
  /**
   * The finalized features' epoch (v3+, tagged): the version of the `/feature` znode. Apache 2.8.2
   * on a fresh cluster writes `/feature` once and reports epoch 0 with no features
   * (fixtures/apache-2.8.2-probes.json); -1, the schema's default, would leave the tag out.
   */
  readonly finalizedFeaturesEpoch?: number;
}

/** The ApiVersions response content, derived from the table (no features in ZooKeeper mode). */
export function apiVersionsResponse(options: ApiVersionsOptions = {}): ApiVersionsResponse {
  return {
    errorCode: 0,
    apiKeys: API_ENTRIES.map((e) => ({
      apiKey: e.apiKey,
      minVersion: e.minVersion,
      maxVersion: e.maxVersion,
    })),
    throttleTimeMs: options.throttleTimeMs ?? 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: options.finalizedFeaturesEpoch ?? 0,
    finalizedFeatures: [],
  };
}

/**
 * What Apache 2.8.2 answers an ApiVersions request of a version it does not serve: error 35
 * (UNSUPPORTED_VERSION) and ApiVersions' own range only, encoded as version 0 whatever version was
 * asked, with response header v0 (fixtures/apache-2.8.2-probes.json: v4, v127 and v-1 all get the same 16 bytes).
 */
export function unsupportedApiVersionsResponse(): ApiVersionsResponse {
  const e = TABLE[API_VERSIONS_KEY]!;
  return {
    errorCode: UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: e.apiKey, minVersion: e.minVersion, maxVersion: e.maxVersion }],
  };
}

/** What to do with a request, from its header's key and version, as Apache 2.8.2 does. */
export type RequestDisposition =
  /** A served API and version: decode the body and handle it. */
  | { readonly kind: "serve"; readonly entry: ApiEntry }
  /** ApiVersions at a version not served: answer {@link unsupportedApiVersionsResponse} at v0. */
  | { readonly kind: "unsupported-api-versions"; readonly entry: ApiEntry }
  /**
   * Any other API key or version 2.8.2 does not serve: Apache 2.8.2 fails to parse the request
   * (InvalidRequestException "Unknown API key" / "Error getting request for apiKey") and closes
   * that connection without an answer (fixtures/README.md, "What 2.8.2 does with what it does
   * not serve").
   */
  | { readonly kind: "close"; readonly reason: string };

/** Classifies a request by API key and version. */
export function classifyRequest(apiKey: number, version: number): RequestDisposition {
  const entry = TABLE[apiKey];
  if (!entry) return { kind: "close", reason: `unknown or disabled API key ${apiKey}` };
  if (version >= entry.minVersion && version <= entry.maxVersion) return { kind: "serve", entry };
  if (apiKey === API_VERSIONS_KEY) return { kind: "unsupported-api-versions", entry };
  return {
    kind: "close",
    reason: `${entry.name} version ${version} is not supported ` +
      `(${entry.minVersion}–${entry.maxVersion})`,
  };
}
