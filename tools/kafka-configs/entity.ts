/**
 * The entity a `--zookeeper` command acts on, as ConfigCommand 2.8.2's ConfigEntity holds it: a
 * root (type and sanitized name, or none for "all of them") and, for `<user, client>` quotas, a
 * child; its znode path under `/config` and its text in the tool's messages (`topic 't'`,
 * `user-principal 'u'`, `default client-id`, `brokers '1'`).
 *
 * @module
 */
import { desanitize, sanitize } from "../../kafka/config/client_quotas.ts";
import { ConfigCommandError } from "./errors.ts";
import type { ConfigOptions } from "./options.ts";

/** ConfigEntityName.Default. */
export const DEFAULT = "<default>";

/** One level of an entity: its type and sanitized name (undefined: every entity of the type). */
export interface Entity {
  type: string;
  name?: string;
}

/** A root entity and an optional child (`users/<u>/clients/<c>`). */
export interface ConfigEntity {
  root: Entity;
  child?: Entity;
}

function entityText(e: Entity): string {
  const typeName = e.type === "users"
    ? "user-principal"
    : e.type === "clients"
    ? "client-id"
    : e.type === "topics"
    ? "topic"
    : e.type;
  if (e.name === undefined) return e.type;
  if (e.name === DEFAULT) return `default ${typeName}`;
  const shown = e.type === "users" || e.type === "clients" ? desanitize(e.name) : e.name;
  return `${typeName} '${shown}'`;
}

/** ConfigEntity.toString. */
export function configEntityText(e: ConfigEntity): string {
  return entityText(e.root) + (e.child ? `, ${entityText(e.child)}` : "");
}

/** Entity.entityPath: `type/name` or `type`. */
export function entityPath(e: Entity): string {
  return e.name === undefined ? e.type : `${e.type}/${e.name}`;
}

/** ConfigEntity.fullSanitizedName: `name` or `user/clients/client`. */
export function fullSanitizedName(e: ConfigEntity): string {
  return (e.root.name ?? "") + (e.child ? `/${entityPath(e.child)}` : "");
}

/** ConfigCommand.parseEntity. */
export function parseEntity(o: ConfigOptions): ConfigEntity {
  const types = o.entityTypes;
  const names = o.entityNames;
  if (types[0] !== "users" && types[0] !== "clients") {
    const name = names[0] === "" ? DEFAULT : names[0];
    return { root: { type: types[0], name } };
  }
  if (o.has("alter") && names.length !== types.length) {
    throw new ConfigCommandError(
      "--entity-name or --entity-default must be specified with each --entity-type for --alter",
      "java.lang.IllegalArgumentException",
    );
  }
  // `--entity-type clients … --entity-type users`: the user comes first in the path.
  const reverse = types.length === 2 && types[0] === "clients";
  const sortedTypes = reverse ? [...types].reverse() : types;
  const sortedNames = reverse && names.length === 2 ? [...names].reverse() : names;
  const entities: Entity[] = sortedTypes.map((type, i) => {
    const n = sortedNames[i];
    return { type, name: n === undefined ? undefined : n === "" ? DEFAULT : sanitize(n) };
  });
  return { root: entities[0], child: entities[1] };
}
