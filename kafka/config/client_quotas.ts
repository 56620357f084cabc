/**
 * Client quotas and SCRAM credentials kept in ZooKeeper as Kafka 2.8.2 keeps them (ZkAdminManager,
 * AdminZkClient): `/config/users/<user>`, `/config/clients/<client-id>`,
 * `/config/users/<user>/clients/<client-id>`, `/config/ips/<ip>`, each `{"version":1,"config":{…}}`
 * with a change notification; `<default>` names the default entity; user and client names are
 * sanitized (URL-encoded, `*` → `%2A`, space → `%20`) as Kafka's Sanitizer does. herd stores and
 * describes quotas but does not enforce them (no throttling).
 *
 * @module
 */

/** Where entity configs live: the part of ConfigRepository the quota and SCRAM APIs use. */
export interface EntityConfigStore {
  /** An entity's configs; empty when its znode does not exist. */
  fetchEntityConfig(entityType: string, entity: string): Promise<Map<string, string>>;
  /** Writes an entity's configs and the change notification. */
  changeEntityConfig(
    entityType: string,
    entity: string,
    config: ReadonlyMap<string, string>,
  ): Promise<void>;
  /** The children of `/config/<entityType>` (`users/u/clients` for a user's clients), or []. */
  entityNames(entityType: string): Promise<string[]>;
}

/** ConfigEntityName.Default. */
export const DEFAULT_ENTITY = "<default>";

/** Kafka's Sanitizer.sanitize: java.net.URLEncoder (UTF-8), then `*` → %2A and `+` → %20. */
export function sanitize(name: string): string {
  return encodeURIComponent(name).replace(
    /[!'()~*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Kafka's Sanitizer.desanitize (URLDecoder: `+` is a space). */
export function desanitize(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll("+", " "));
  } catch {
    return name;
  }
}

/** The quota entity types of the quota APIs. */
export const USER = "user";
/** The client-id entity type. */
export const CLIENT_ID = "client-id";
/** The ip entity type. */
export const IP = "ip";

/** A quota config's type, as DynamicConfig defines it. */
export type QuotaType = "LONG" | "DOUBLE" | "INT";

/** DynamicConfig.User / Client quota keys (2.8.2). */
export const USER_CLIENT_QUOTAS: ReadonlyMap<string, QuotaType> = new Map([
  ["producer_byte_rate", "LONG"],
  ["consumer_byte_rate", "LONG"],
  ["request_percentage", "DOUBLE"],
  ["controller_mutation_rate", "DOUBLE"],
]);
/** DynamicConfig.Ip quota keys. */
export const IP_QUOTAS: ReadonlyMap<string, QuotaType> = new Map([
  ["connection_creation_rate", "INT"],
]);

/** QuotaConfigs.isQuotaConfig. */
export function isQuotaConfig(key: string): boolean {
  return USER_CLIENT_QUOTAS.has(key) || IP_QUOTAS.has(key);
}

/**
 * java.lang.Double.toString for the values quotas take: `50.0`, `1.5`, `1.0E7`, `1.0E-4`.
 * (JavaScript's shortest form is Java's for these; only the layout differs.)
 */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  const a = Math.abs(v);
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [m, e] = v.toExponential().split("e");
  return `${m.includes(".") ? m : `${m}.0`}E${Number(e)}`;
}

/** An entity as the quota APIs carry it: type → name (null: the default entity). */
export type QuotaEntity = ReadonlyMap<string, string | null>;

/** The order Apache answers an entity's parts in (its Java HashMap's: client-id, user, ip). */
const RANK: Record<string, number> = { [CLIENT_ID]: 0, [USER]: 1, [IP]: 2 };

/** An entity's parts in Apache's order. */
export function entityParts(e: QuotaEntity): { entityType: string; entityName: string | null }[] {
  return [...e].sort((a, b) => (RANK[a[0]] ?? 3) - (RANK[b[0]] ?? 3))
    .map(([entityType, entityName]) => ({ entityType, entityName }));
}

/** A request that fails with INVALID_REQUEST (42) and this message. */
export class InvalidQuotaRequest extends Error {
  override name = "InvalidRequestException";
}

function isIpLiteral(s: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s)) {
    return s.split(".").every((x) => Number(x) <= 255);
  }
  return s.includes(":") && /^[0-9a-fA-F:.]+$/.test(s);
}

/** Where an entity's quotas live: `[entityType, znode entity, allowed keys]`. */
export function quotaZnode(e: QuotaEntity): [string, string, ReadonlyMap<string, QuotaType>] {
  if (e.size === 0) throw new InvalidQuotaRequest("Invalid empty client quota entity");
  let user: string | undefined, client: string | undefined, ip: string | null | undefined;
  for (const [type, name] of entityParts(e).map((p) => [p.entityType, p.entityName] as const)) {
    const z = name === null ? DEFAULT_ENTITY : sanitize(name);
    if (type === USER) user = z;
    else if (type === CLIENT_ID) client = z;
    else if (type === IP) ip = name;
    else throw new InvalidQuotaRequest(`Unhandled client quota entity type: ${type}`);
    if (name === "") throw new InvalidQuotaRequest(`Empty ${type} not supported`);
  }
  if (ip !== undefined) {
    if (user !== undefined || client !== undefined) {
      throw new InvalidQuotaRequest(
        "Invalid quota entity combination, IP entity should not be used with user/client ID entity.",
      );
    }
    // herd checks literals only (loopback machine, no resolver): a host name is refused.
    if (ip !== null && !isIpLiteral(ip)) {
      throw new InvalidQuotaRequest(`${ip} is not a valid IP or resolvable host.`);
    }
    return ["ips", ip ?? DEFAULT_ENTITY, IP_QUOTAS];
  }
  if (user !== undefined && client !== undefined) {
    return ["users", `${user}/clients/${client}`, USER_CLIENT_QUOTAS];
  }
  if (user !== undefined) return ["users", user, USER_CLIENT_QUOTAS];
  return ["clients", client!, USER_CLIENT_QUOTAS];
}

/** One quota change: a value to set, or null to remove the key. */
export interface QuotaOp {
  readonly key: string;
  readonly value: number | null;
}

/**
 * ZkAdminManager.alterClientQuotas for one entity: validates, applies the ops over the stored
 * config and (unless `validateOnly`) writes it. Throws {@link InvalidQuotaRequest}.
 */
export async function alterEntityQuotas(
  store: EntityConfigStore,
  entity: QuotaEntity,
  ops: readonly QuotaOp[],
  validateOnly: boolean,
): Promise<void> {
  const [type, name, keys] = quotaZnode(entity);
  const config = await store.fetchEntityConfig(type, name);
  for (const op of ops) {
    if (op.value === null) {
      config.delete(op.key);
      continue;
    }
    const t = keys.get(op.key);
    if (t === undefined) throw new InvalidQuotaRequest(`Invalid configuration key ${op.key}`);
    if (t === "DOUBLE") {
      config.set(op.key, javaDouble(op.value));
      continue;
    }
    const epsilon = 1e-6;
    const whole = Math.trunc(op.value + epsilon);
    if (Math.abs(whole - op.value) > epsilon) {
      throw new InvalidQuotaRequest(`Configuration ${op.key} must be a ${t} value`);
    }
    config.set(op.key, String(whole));
  }
  if (!validateOnly) await store.changeEntityConfig(type, name, config);
}

/** One filter component of DescribeClientQuotas: EXACT (0) a name, DEFAULT (1), ANY (2). */
export interface QuotaFilterComponent {
  readonly entityType: string;
  readonly matchType: number;
  readonly match: string | null;
}

/** A filter the broker cannot answer: the error code and message to send. */
export class QuotaFilterError extends Error {
  constructor(readonly errorCode: number, message: string | null) {
    super(message ?? "");
  }
}

/** A described entity with its quota values. */
export interface DescribedQuota {
  readonly entity: QuotaEntity;
  readonly values: [string, number][];
}

/**
 * ZkAdminManager.describeClientQuotas: the entities matching the filter with their quota
 * values, users, clients, user-client pairs, then ips, each in ZooKeeper's child order.
 */
export async function describeClientQuotas(
  store: EntityConfigStore,
  components: readonly QuotaFilterComponent[],
  strict: boolean,
): Promise<DescribedQuota[]> {
  const byType = new Map<string, QuotaFilterComponent>();
  for (const c of components) {
    if (c.matchType === 0 && c.match === null) throw new QuotaFilterError(-1, null);
    if (c.matchType < 0 || c.matchType > 2) {
      throw new QuotaFilterError(42, `Unexpected match type: ${c.matchType}`);
    }
    const label = c.entityType === CLIENT_ID ? "client" : c.entityType;
    if (c.entityType === "") {
      throw new QuotaFilterError(42, "Unexpected empty filter component entity type");
    }
    if (![USER, CLIENT_ID, IP].includes(c.entityType)) {
      throw new QuotaFilterError(35, `Custom entity type '${c.entityType}' not supported`);
    }
    if (byType.has(c.entityType)) {
      throw new QuotaFilterError(42, `Duplicate ${label} filter component entity type`);
    }
    byType.set(c.entityType, c);
  }
  const userC = byType.get(USER), clientC = byType.get(CLIENT_ID), ipC = byType.get(IP);
  if ((userC || clientC) && ipC) {
    throw new QuotaFilterError(
      42,
      "Invalid entity filter component combination, IP filter component should not be used " +
        "with user or clientId filter component.",
    );
  }
  // The component's wanted name as stored: undefined for ANY, <default> for DEFAULT.
  const wanted = (c: QuotaFilterComponent | undefined) =>
    c === undefined || c.matchType === 2
      ? undefined
      : c.matchType === 1
      ? DEFAULT_ENTITY
      : c.match!;
  const matches = (c: QuotaFilterComponent | undefined, stored: string | undefined) => {
    if (c === undefined) return stored === undefined || !strict;
    const w = wanted(c);
    if (w === undefined) return stored !== undefined;
    if (w === DEFAULT_ENTITY) return stored === DEFAULT_ENTITY;
    return stored !== undefined && stored !== DEFAULT_ENTITY && desanitize(stored) === w;
  };
  const exact = (c: QuotaFilterComponent | undefined) => c !== undefined && c.matchType !== 2;
  const excluded = (c: QuotaFilterComponent | undefined) => strict && c === undefined;
  const zname = (w: string) => (w === DEFAULT_ENTITY ? w : sanitize(w));
  const found: { user?: string; client?: string; ip?: string; config: Map<string, string> }[] = [];
  if (!ipC) {
    if (exact(userC) && excluded(clientC)) {
      const u = zname(wanted(userC)!);
      found.push({ user: u, config: await store.fetchEntityConfig("users", u) });
    } else if (!excluded(userC) && !exact(clientC)) {
      for (const u of await store.entityNames("users")) {
        found.push({ user: u, config: await store.fetchEntityConfig("users", u) });
      }
    }
    if (excluded(userC) && exact(clientC)) {
      const c = zname(wanted(clientC)!);
      found.push({ client: c, config: await store.fetchEntityConfig("clients", c) });
    } else if (!excluded(clientC) && !exact(userC)) {
      for (const c of await store.entityNames("clients")) {
        found.push({ client: c, config: await store.fetchEntityConfig("clients", c) });
      }
    }
    if (exact(userC) && exact(clientC)) {
      const u = zname(wanted(userC)!), c = zname(wanted(clientC)!);
      found.push({
        user: u,
        client: c,
        config: await store.fetchEntityConfig("users", `${u}/clients/${c}`),
      });
    } else if (!excluded(userC) && !excluded(clientC)) {
      for (const u of await store.entityNames("users")) {
        for (const c of await store.entityNames(`users/${u}/clients`)) {
          found.push({
            user: u,
            client: c,
            config: await store.fetchEntityConfig("users", `${u}/clients/${c}`),
          });
        }
      }
    }
  }
  if (!userC && !clientC) {
    if (exact(ipC)) {
      const ip = wanted(ipC)!;
      found.push({ ip, config: await store.fetchEntityConfig("ips", ip) });
    } else if ((ipC && ipC.matchType === 2) || (!ipC && !strict)) {
      for (const ip of await store.entityNames("ips")) {
        found.push({ ip, config: await store.fetchEntityConfig("ips", ip) });
      }
    }
  }
  const out: DescribedQuota[] = [];
  for (const f of found) {
    const values = [...f.config].filter(([k]) => isQuotaConfig(k)).map(([k, v]) =>
      [k, Number(v)] as [string, number]
    );
    if (values.length === 0) continue;
    if (f.ip !== undefined) {
      if (!matches(ipC, f.ip)) continue;
      out.push({ entity: new Map([[IP, f.ip === DEFAULT_ENTITY ? null : f.ip]]), values });
      continue;
    }
    if (!matches(userC, f.user) || !matches(clientC, f.client)) continue;
    const entity = new Map<string, string | null>();
    const name = (z: string) => (z === DEFAULT_ENTITY ? null : desanitize(z));
    // User first: Apache's describe answer lists the parts so (measured), unlike its alter's.
    if (f.user !== undefined) entity.set(USER, name(f.user));
    if (f.client !== undefined) entity.set(CLIENT_ID, name(f.client));
    out.push({ entity, values });
  }
  return out;
}
