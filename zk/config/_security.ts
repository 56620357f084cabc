// Settings that ask Apache ZooKeeper 3.8 for security (TLS, SASL, client certificates, enforced
// authentication, audit logs), which herd cannot honour yet. A server
// that dropped them would serve unauthenticated plaintext to clients whose operator asked for
// the opposite, so each is recorded here with its key and line, and the server refuses to start
// (assertSupported in unsupported.ts). Settings that only tune such a feature (ssl.* without
// a TLS port, SASL login names) ask for nothing on their own: Apache ignores them then, and herd
// warns and goes on.
import { formatLocation } from "./config_error.ts";
import type { PropertyLine } from "../../internal/properties.ts";
import type { SystemProperty } from "./_system_properties.ts";
import type { Unsupported } from "./unsupported.ts";

const AUTH = "org.apache.zookeeper.server.auth.";
/** The providers Apache registers without being asked (ProviderRegistry): naming them is a no-op. */
const BUILT_IN_PROVIDERS = new Set([
  `${AUTH}DigestAuthenticationProvider`,
  `${AUTH}IPAuthenticationProvider`,
]);

const NOT_YET = "herd cannot serve that yet, and starting without it would leave";

/** Boolean.getBoolean / parseBoolean: only `true`, in any case. */
const isTrue = (v: string | undefined) => v?.trim().toLowerCase() === "true";

function providerDetail(className: string): string {
  if (className === `${AUTH}SASLAuthenticationProvider`) {
    return `${className} asks for SASL (Kerberos/JAAS) authentication; ${NOT_YET} sasl ACLs unenforceable`;
  }
  if (className === `${AUTH}X509AuthenticationProvider`) {
    return `${className} asks for TLS client certificates; ${NOT_YET} x509 ACLs unenforceable`;
  }
  return `${className} is an authentication provider herd cannot load (herd runs no Java ` +
    "classes); starting without it would leave its ACLs unenforceable";
}

function fromZooCfg(
  entries: ReadonlyMap<string, PropertyLine>,
  file: string,
  out: Unsupported[],
): void {
  const line = (key: string) => entries.get(key);
  const flagged = (key: string, detail: string) => {
    const e = line(key);
    if (e && isTrue(e.value)) out.push({ at: { file, line: e.line }, key, detail });
  };
  const secure = line("secureClientPort");
  if (secure && Number(secure.value) > 0) {
    out.push({
      at: { file, line: secure.line },
      key: "secureClientPort",
      detail: `${secure.value} asks for TLS client connections; ${NOT_YET} its clients on ` +
        "plaintext. Remove it (and use clientPort) to run herd",
    });
  }
  flagged(
    "portUnification",
    `true asks for TLS on the client port; ${NOT_YET} its clients on plaintext`,
  );
  flagged(
    "sslQuorum",
    `true asks for TLS between ensemble members; ${NOT_YET} that traffic in plaintext`,
  );
  for (const key of ["enableSasl", "serverRequireSasl", "learnerRequireSasl"]) {
    flagged(
      `quorum.auth.${key}`,
      `true asks for SASL between ensemble members; ${NOT_YET} them unauthenticated`,
    );
  }
}

function fromProperties(
  props: ReadonlyMap<string, SystemProperty>,
  adminEnabled: boolean,
  out: Unsupported[],
  warnings: string[],
): void {
  const refuse = (p: SystemProperty, detail: string) => out.push({ at: p.at, key: p.key, detail });
  for (const [name, p] of props) {
    const v = p.value.trim();
    if (name.startsWith("zookeeper.authProvider.")) {
      if (!BUILT_IN_PROVIDERS.has(v)) refuse(p, providerDetail(v));
    } else if (name === "zookeeper.client.portUnification" && isTrue(v)) {
      refuse(p, `true asks for TLS on the client port; ${NOT_YET} its clients on plaintext`);
    } else if (name === "zookeeper.sessionRequireClientSASLAuth" && isTrue(v)) {
      refuse(p, `true asks that every session authenticate with SASL; ${NOT_YET} it open`);
    } else if (name === "zookeeper.enforce.auth.enabled" && isTrue(v)) {
      const schemes = props.get("zookeeper.enforce.auth.schemes")?.value ?? "";
      refuse(
        p,
        `true asks that every client authenticate${schemes ? ` (${schemes})` : ""}; herd ` +
          "cannot enforce that yet, and starting without it would let anyone in",
      );
    } else if (name === "zookeeper.DigestAuthenticationProvider.enabled" && !isTrue(v)) {
      // Apache reads it with Boolean.parseBoolean and a default of true: any other word disables.
      refuse(p, `${v} turns digest authentication off; herd always accepts it`);
    } else if (
      name === "zookeeper.DigestAuthenticationProvider.digestAlg" &&
      v.toUpperCase().replace("-", "") !== "SHA1"
    ) {
      refuse(p, `${v}: herd computes digest ids with SHA1 only`);
    } else if (name === "zookeeper.audit.enable" && isTrue(v)) {
      refuse(p, "true asks for an audit log of who changed what; herd writes none yet");
    } else if (
      (name === "zookeeper.admin.forceHttps" || name === "zookeeper.admin.portUnification") &&
      isTrue(v) && adminEnabled
    ) {
      refuse(p, `true asks for HTTPS on the AdminServer; ${NOT_YET} it on plain HTTP`);
    } else if (name.startsWith("zookeeper.ssl.")) {
      warnings.push(
        `${formatLocation(p.at)}: ${p.key}: a TLS setting, used only with secureClientPort, ` +
          "portUnification or sslQuorum, none of which is set; ignored, as Apache ignores it",
      );
    }
  }
}

/** True for the properties this module judges (they get no "not implemented" warning). */
export function isSecurityProperty(name: string): boolean {
  return name.startsWith("zookeeper.authProvider.") || name.startsWith("zookeeper.ssl.") || [
    "zookeeper.client.portUnification",
    "zookeeper.sessionRequireClientSASLAuth",
    "zookeeper.enforce.auth.enabled",
    "zookeeper.enforce.auth.schemes",
    "zookeeper.DigestAuthenticationProvider.enabled",
    "zookeeper.DigestAuthenticationProvider.digestAlg",
    "zookeeper.audit.enable",
    "zookeeper.admin.forceHttps",
    "zookeeper.admin.portUnification",
  ].includes(name);
}

/**
 * The settings in zoo.cfg (`entries`) and the system properties (`props`, from zoo.cfg and `-D`
 * flags) that herd cannot honour; warnings for the ones that are harmless without the rest.
 */
export function unsupportedSettings(
  entries: ReadonlyMap<string, PropertyLine>,
  props: ReadonlyMap<string, SystemProperty>,
  file: string,
  adminEnabled: boolean,
  warnings: string[],
): Unsupported[] {
  const out: Unsupported[] = [];
  fromZooCfg(entries, file, out);
  fromProperties(props, adminEnabled, out, warnings);
  return out;
}
