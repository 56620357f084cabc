import assert from "node:assert/strict";
import { loadApiSchemas, loadMessage, SPEC_DIR } from "./schema.ts";
import { signature } from "./signature.ts";
import { APACHE_2_8_2_APIS } from "../versions.ts";

const FIXTURE = new URL("../fixtures/apache-2.8.2-schemas.txt", import.meta.url).pathname;

Deno.test("every message's wire layout at every 2.8.2 version is the one 2.8.2's classes report", () => {
  const schemas = loadApiSchemas();
  const lines = Deno.readTextFileSync(FIXTURE).trim().split("\n");
  const seen = new Set<string>();
  const wrong: string[] = [];
  for (const line of lines) {
    const p = line.split(" ");
    let ours: string;
    let theirs: string;
    if (p[0] === "header") {
      const m = loadMessage(`${SPEC_DIR}${p[1] === "request" ? "Request" : "Response"}Header.json`);
      ours = signature(m, Number(p[2]));
      theirs = p[3];
    } else {
      const s = schemas.get(Number(p[0]));
      assert.ok(s, `no schema for api key ${p[0]}`);
      ours = signature(p[2] === "request" ? s.request : s.response, Number(p[3]));
      theirs = p[5];
      seen.add(`${p[0]}/${p[3]}`);
    }
    if (ours !== theirs) {
      wrong.push(`${p.slice(0, 4).join(" ")}\n  2.8.2: ${theirs}\n  ours:  ${ours}`);
    }
  }
  assert.deepStrictEqual(wrong, []);
  // The fixture covers exactly the advertised APIs and versions.
  const want = APACHE_2_8_2_APIS.flatMap((a) =>
    Array.from(
      { length: a.maxVersion - a.minVersion + 1 },
      (_, i) => `${a.apiKey}/${a.minVersion + i}`,
    )
  );
  assert.deepStrictEqual([...seen].sort(), want.sort());
});

Deno.test("the layout check sees a changed schema (a field dropped from one version)", () => {
  const s = loadApiSchemas().get(0)!;
  const changed = {
    ...s.request,
    struct: { ...s.request.struct, fields: s.request.struct.fields.slice(1) },
  };
  assert.notEqual(signature(changed, 3), signature(s.request, 3));
  assert.equal(signature(changed, 2), signature(s.request, 2)); // TransactionalId is v3+
});
