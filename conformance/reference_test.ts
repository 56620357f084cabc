/**
 * The repository stands alone: the captures the tests compare with are inside it, and no code
 * reaches for the project's shared folder beside the checkout (a fresh clone has none, and its
 * `deno task test` failed when 71 tests read `../shared/reference/`).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { REFERENCE_DIR, referenceSection, referenceText } from "./reference.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const SELF = fileURLToPath(import.meta.url);

/** A path outside the repository that only the development machine has. */
const OUTSIDE = /\.\.\/shared\b|\bshared\/(?:reference|seed|spec|DECISIONS|STYLE)\b/;

/** Source text without comments: strings are kept (they are what a program reads). */
function codeOf(path: string, text: string): string {
  if (/\.(?:sh|py)$/.test(path) || !path.includes(".")) {
    return text.split("\n").map((l) => l.replace(/(^|\s)#.*$/, "$1")).join("\n");
  }
  return text.replace(
    /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
    (_, str: string | undefined) => str ?? "",
  );
}

/** The lines of code in `text` that name a path outside the repository. */
function outsideReads(path: string, text: string): string[] {
  return codeOf(path, text).split("\n").filter((l) => OUTSIDE.test(l)).map((l) => l.trim());
}

/** Every program file of the repository: TypeScript, JavaScript, shell and Python, and `.ci/`. */
async function* programFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}${e.name}`;
    if (e.isDirectory) {
      if ([".git", "node_modules", "dist", "data"].includes(e.name)) continue;
      yield* programFiles(`${path}/`);
    } else if (e.isFile && (/\.(?:[cm]?[jt]s|sh|py)$/.test(e.name) || dir.endsWith("/.ci/"))) {
      yield path;
    }
  }
}

Deno.test("the outside-path check sees code and ignores comments", () => {
  const up = "..";
  const ts = [
    `// read ${up}/shared/reference/ once, long ago`,
    `/* ${up}/shared/reference/zookeeper */ const a = 1;`,
    `const b = new URL("${up}/${up}/${up}/shared/reference/zookeeper", import.meta.url);`,
    `const c = \`\${root}/${up}/shared/seed/x.txt\`; // and a comment`,
    `const d = "http://example"; // ${up}/shared`,
  ].join("\n");
  assert.deepEqual(outsideReads("x.ts", ts), [
    `const b = new URL("${up}/${up}/${up}/shared/reference/zookeeper", import.meta.url);`,
    `const c = \`\${root}/${up}/shared/seed/x.txt\`;`,
  ]);
  const sh = `# see ${up}/shared/DECISIONS.md\ncat "$HERE/${up}/shared/reference/x"\n`;
  assert.deepEqual(outsideReads("run.sh", sh), [`cat "$HERE/${up}/shared/reference/x"`]);
});

Deno.test("no program in the repository reads the shared folder beside it", async () => {
  const hits: string[] = [];
  let files = 0;
  for await (const path of programFiles(REPO)) {
    if (path === SELF) continue; // its examples above are built to trip the check
    files++;
    for (const line of outsideReads(path, await Deno.readTextFile(path))) {
      hits.push(`${path.slice(REPO.length)}: ${line}`);
    }
  }
  assert.ok(files > 100, `only ${files} program files found under ${REPO}`);
  assert.deepEqual(hits, [], "copy the facts into the repository (conformance/reference/)");
});

Deno.test("the captures are read from inside the repository", async () => {
  if (Deno.env.get("HERD_REFERENCE_DIR") === undefined) {
    assert.equal(REFERENCE_DIR, `${REPO}conformance/reference/`);
  }
  assert.equal(await referenceSection("zookeeper/4lw.out", "ruok"), "imok\n");
  assert.match(await referenceText("kafka/zk-layout.md"), /^# Kafka 2\.8 \(ZooKeeper mode\)/);
  await assert.rejects(
    referenceSection("zookeeper/4lw.out", "nope"),
    /no section nope in zookeeper\/4lw\.out/,
  );
});
