/**
 * kafka-configs.sh `--bootstrap-server` for users, clients and ips (ConfigCommand 2.8.2's
 * describeQuotaConfigs, describeClientQuotaAndUserScramCredentialConfigs, alterQuotaConfigs and
 * alterUserScramCredentialConfigs): DescribeClientQuotas / AlterClientQuotas, and
 * DescribeUserScramCredentials / AlterUserScramCredentials for a user's SCRAM credentials, with
 * the tool's checks, messages and output order (the Java HashMaps the AdminClient fills).
 *
 * @module
 */
import type { KafkaClient } from "../../kafka/client/mod.ts";
import type { DescribeClientQuotasResponse } from "../../kafka/protocol/messages/describe_client_quotas.ts";
import type { AlterClientQuotasResponse } from "../../kafka/protocol/messages/alter_client_quotas.ts";
import type { DescribeUserScramCredentialsResponse } from "../../kafka/protocol/messages/describe_user_scram_credentials.ts";
import type { AlterUserScramCredentialsResponse } from "../../kafka/protocol/messages/alter_user_scram_credentials.ts";
import { IP_QUOTAS, javaDouble, USER_CLIENT_QUOTAS } from "../../kafka/config/client_quotas.ts";
import { javaHashOrder, javaStringHash } from "../../internal/java_hash.ts";
import { brokerError, kafkaException } from "./admin.ts";
import { scalaMapOrder } from "./admin_resources.ts";
import { ConfigCommandError } from "./errors.ts";
import { scramUpsertion } from "./scram.ts";

const DESCRIBE_CLIENT_QUOTAS = 48;
const ALTER_CLIENT_QUOTAS = 49;
const DESCRIBE_USER_SCRAM_CREDENTIALS = 50;
const ALTER_USER_SCRAM_CREDENTIALS = 51;
const MATCH_EXACT = 0, MATCH_DEFAULT = 1, MATCH_ANY = 2;
const SCRAM = ["SCRAM-SHA-256", "SCRAM-SHA-512"];
const MECHANISM_TYPE: Record<string, number> = { "SCRAM-SHA-256": 1, "SCRAM-SHA-512": 2 };
const MECHANISM_NAME = ["UNKNOWN", "SCRAM-SHA-256", "SCRAM-SHA-512"];
/** ConfigType → ClientQuotaEntity type. */
const QUOTA_TYPE: Record<string, string> = { users: "user", clients: "client-id", ips: "ip" };

const illegal = (message: string) =>
  new ConfigCommandError(message, "java.lang.IllegalArgumentException");

const isScram = (k: string) => SCRAM.includes(k);
/** QuotaConfigs.isClientOrUserQuotaConfig. */
const isQuota = (k: string) => USER_CLIENT_QUOTAS.has(k);

/** Java's `Map.hashCode` of a quota entity: the sum of `key.hashCode ^ value.hashCode`. */
function entityHash(entity: readonly { entityType: string; entityName: string | null }[]): number {
  let h = 0;
  for (const e of entity) {
    h = (h +
      (javaStringHash(e.entityType) ^
        (e.entityName === null ? 0 : javaStringHash(e.entityName)))) | 0;
  }
  return h;
}

/** HashMap(n)'s first table size: tableSizeFor(n), at least 1. */
const tableSize = (n: number) => n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));

/** One tool run's quota and SCRAM describes and alters. */
export class QuotaConfigs {
  constructor(private readonly client: KafkaClient, private readonly out: (t: string) => void) {}

  /** getAllClientQuotasConfigs: DescribeClientQuotas with only these components, strict. */
  private async quotas(types: readonly string[], names: readonly string[]) {
    if (names.length > types.length) throw illegal("More entity names specified than entity types");
    const components = types.map((t, i) => {
      const entityType = QUOTA_TYPE[t];
      if (entityType === undefined) throw illegal(`Unexpected entity type ${t}`);
      const n = names[i];
      return n === undefined
        ? { entityType, matchType: MATCH_ANY, match: null }
        : n === ""
        ? { entityType, matchType: MATCH_DEFAULT, match: null }
        : { entityType, matchType: MATCH_EXACT, match: n };
    });
    const c = await this.client.any();
    const res = await c.send<DescribeClientQuotasResponse>(DESCRIBE_CLIENT_QUOTAS, {
      components,
      strict: true,
    });
    if (res.errorCode !== 0) throw brokerError(res.errorCode, res.errorMessage);
    const entries = res.entries ?? [];
    // The AdminClient's result: a HashMap by entity (a HashMap's hashCode), each entry's values
    // a HashMap by key.
    const order = javaHashOrder(
      entries.map((_, i) => i),
      (i) => entityHash(entries[i].entity),
      tableSize(entries.length),
    );
    return order.map((i) => {
      const e = entries[i];
      const values = javaHashOrder(
        e.values.map((v) => v.key),
        javaStringHash,
        tableSize(e.values.length),
      );
      const byKey = new Map(e.values.map((v) => [v.key, v.value]));
      return {
        entity: new Map(e.entity.map((p) => [p.entityType, p.entityName])),
        values: values.map((k) => [k, byKey.get(k)!] as const),
      };
    });
  }

  /** describeQuotaConfigs. */
  async describeQuotas(types: readonly string[], names: readonly string[]): Promise<void> {
    for (const { entity, values } of await this.quotas(types, names)) {
      const parts: string[] = [];
      for (
        const [type, text] of [["user", "user-principal"], ["client-id", "client-id"], ["ip", "ip"]]
      ) {
        if (!entity.has(type)) continue;
        const name = entity.get(type);
        parts.push(name === null ? `the default ${text}` : `${text} '${name}'`);
      }
      const text = values.map(([k, v]) => `${k}=${javaDouble(v)}`).join(", ");
      this.out(`Quota configs for ${parts.join(", ")} are ${text}\n`);
    }
  }

  /** describeClientQuotaAndUserScramCredentialConfigs. */
  async describeUsersAndClients(types: readonly string[], names: readonly string[]): Promise<void> {
    await this.describeQuotas(types, names);
    if (types.includes("clients") || names.includes("")) return;
    const c = await this.client.any();
    const res = await c.send<DescribeUserScramCredentialsResponse>(
      DESCRIBE_USER_SCRAM_CREDENTIALS,
      {
        users: names.length === 0 ? null : names.map((name) => ({ name })),
      },
    );
    if (res.errorCode !== 0) throw brokerError(res.errorCode, res.errorMessage);
    const RESOURCE_NOT_FOUND = 91;
    for (const r of res.results.filter((r) => r.errorCode !== RESOURCE_NOT_FOUND)) {
      // description(user) finds the first result for the name.
      const first = res.results.find((x) => x.user === r.user)!;
      if (first.errorCode !== 0) {
        const [cls, msg] = kafkaException(first.errorCode, first.errorMessage);
        this.out(
          `Error retrieving SCRAM credential configs for user-principal '${r.user}': ExecutionException: org.apache.kafka.common.errors.${cls}: ${msg}\n`,
        );
        continue;
      }
      const infos = first.credentialInfos.map((i) =>
        `${MECHANISM_NAME[i.mechanism] ?? "UNKNOWN"}=iterations=${i.iterations}`
      );
      this.out(`SCRAM credential configs for user-principal '${r.user}' are ${infos.join(", ")}\n`);
    }
  }

  /** The users/clients branch of alterConfig. */
  async alterUsersAndClients(
    types: readonly string[],
    names: readonly string[],
    added: ReadonlyMap<string, string>,
    deleted: readonly string[],
  ): Promise<void> {
    const addKeys = [...added.keys()];
    const quotaAdd = addKeys.some(isQuota), quotaDelete = deleted.some(isQuota);
    const scramAdd = addKeys.filter(isScram), scramDelete = deleted.filter(isScram);
    const unknownAdd = addKeys.filter((k) => !isScram(k) && !isQuota(k));
    const unknownDelete = deleted.filter((k) => !isScram(k) && !isQuota(k));
    // Scala's texts: a Map's keys are a Set, --delete-config's values an ArrayBuffer.
    const set = (ks: readonly string[]) => `Set(${ks.join(", ")})`;
    const buffer = (ks: readonly string[]) => `ArrayBuffer(${ks.join(", ")})`;
    if (types[0] === "clients" || types.length === 2) {
      if (unknownAdd.length > 0 || scramAdd.length > 0) {
        throw illegal(
          `Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config names: ${
            set([...unknownAdd, ...scramAdd])
          }`,
        );
      }
      if (unknownDelete.length > 0 || scramDelete.length > 0) {
        throw illegal(
          `Only quota configs can be deleted for 'clients' using --bootstrap-server. Unexpected config names: ${
            buffer([...unknownDelete, ...scramDelete])
          }`,
        );
      }
    } else {
      if (unknownAdd.length > 0) {
        throw illegal(
          `Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: ${
            set(unknownAdd)
          }`,
        );
      }
      if (unknownDelete.length > 0) {
        throw illegal(
          `Only quota and SCRAM credential configs can be deleted for 'users' using --bootstrap-server. Unexpected config names: ${
            buffer(unknownDelete)
          }`,
        );
      }
      if (scramAdd.length > 0 || scramDelete.length > 0) {
        if (names.some((n) => n === "")) {
          throw illegal(
            "The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.",
          );
        }
        if (quotaAdd || quotaDelete) {
          throw illegal(
            "Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.",
          );
        }
      }
    }
    if (quotaAdd || quotaDelete) await this.alterQuotas(types, names, added, deleted);
    else await this.alterScram(names[0], added, scramDelete);
  }

  /** alterQuotaConfigs (users, clients, ips). */
  async alterQuotas(
    types: readonly string[],
    names: readonly string[],
    added: ReadonlyMap<string, string>,
    deleted: readonly string[],
  ): Promise<void> {
    if (types.length !== names.length) {
      throw illegal("Exactly one entity name must be specified for every entity type");
    }
    const old = (await this.quotas(types, names))[0]?.values ?? [];
    const missing = deleted.filter((k) => !old.some(([o]) => o === k));
    if (missing.length > 0) {
      throw new ConfigCommandError(
        `Invalid config(s): ${missing.join(",")}`,
        "org.apache.kafka.common.errors.InvalidConfigurationException",
      );
    }
    const entity = types.map((t, i) => ({
      entityType: QUOTA_TYPE[t],
      entityName: names[i] === "" ? null : names[i],
    }));
    const ops = [
      ...scalaMapOrder([...added.keys()]).map((key) => {
        const v = added.get(key)!;
        const n = javaParseDouble(v);
        if (n === undefined) {
          throw illegal(`Cannot parse quota configuration value for ${key}: ${v}`);
        }
        return { key, value: n, remove: false };
      }),
      ...deleted.map((key) => ({ key, value: 0, remove: true })),
    ];
    const c = await this.client.any();
    const res = await c.send<AlterClientQuotasResponse>(ALTER_CLIENT_QUOTAS, {
      entries: [{ entity, ops }],
      validateOnly: false,
    });
    const r = res.entries[0];
    if (r.errorCode !== 0) throw brokerError(r.errorCode, r.errorMessage);
  }

  /** alterUserScramCredentialConfigs. */
  private async alterScram(
    user: string,
    added: ReadonlyMap<string, string>,
    deleted: readonly string[],
  ): Promise<void> {
    const upsertions = scalaMapOrder([...added.keys()]).map((m) => ({
      name: user,
      mechanism: MECHANISM_TYPE[m],
      ...scramUpsertion(m, added.get(m)!),
    }));
    const c = await this.client.any();
    const res = await c.send<AlterUserScramCredentialsResponse>(ALTER_USER_SCRAM_CREDENTIALS, {
      deletions: deleted.map((m) => ({ name: user, mechanism: MECHANISM_TYPE[m] })),
      upsertions,
    });
    const failed = res.results.find((r) => r.errorCode !== 0);
    if (failed) throw brokerError(failed.errorCode, failed.errorMessage);
  }
}

/** Java's Double.parseDouble (decimal forms, NaN, Infinity, a d/f suffix; spaces trimmed). */
function javaParseDouble(s: string): number | undefined {
  const t = s.trim();
  if (!/^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/.test(t)) return undefined;
  return Number(t.replace(/[fFdD]$/, ""));
}

/** The quota keys of ips (for the ips branch's check). */
export const IP_QUOTA_KEYS: readonly string[] = [...IP_QUOTAS.keys()];
