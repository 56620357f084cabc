/**
 * zk-snapshot: herd's zkSnapshotToolkit.sh. Prints a snapshot file exactly as Apache 3.8's
 * SnapshotFormatter does: `-d` adds each znode's data (base64), `-json` writes the ncdu export.
 *
 * Usage: `deno run --allow-read tools/zk-snapshot/main.ts [-d|-json] <snapshot file>`
 *
 * Unlike SnapshotFormatter, a snapshot whose checksum does not match is refused (it would not be
 * loaded by a server either) rather than printed.
 *
 * @module
 */
import "../task_cwd.ts";
import { basename, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { OutBuffer } from "../zk-txnlog/out_buffer.ts";
import { ReadWindow } from "../zk-txnlog/read_window.ts";
import { printSnapshot, printSnapshotJson, zxidFromName } from "./format.ts";
import { readSnapshotTree, type SnapTree } from "./snapshot_tree.ts";

const USAGE = `USAGE: zk-snapshot [-d|-json] snapshot_file
       -d dump the data for each znode
       -json dump znode info in json format
`;

const encoder = new TextEncoder();

function write(f: { writeSync(b: Uint8Array): number }, text: string): void {
  const b = encoder.encode(text);
  for (let off = 0; off < b.length;) off += f.writeSync(b.subarray(off));
}

/** ZKUtil.validateFileInput: why the file cannot be read, or null. */
function validateFile(path: string): string | null {
  const abs = resolve(path);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    return `File '${abs}' does not exist.`;
  }
  if (info.isDirectory) return `'${abs}' is a directory. it must be a file.`;
  return null;
}

/** Runs the tool; returns the exit code. */
export function main(args: string[]): number {
  if (args.includes("--help") || args.includes("-h")) {
    write(Deno.stdout, USAGE);
    return 0;
  }
  let dumpData = false;
  let dumpJson = false;
  let file: string | null = null;
  let i = 0;
  for (; i < args.length; i++) {
    if (args[i] === "-d") dumpData = true;
    else if (args[i] === "-json") dumpJson = true;
    else {
      file = args[i++];
      break;
    }
  }
  if (i !== args.length || file === null) {
    write(Deno.stderr, USAGE);
    return 2;
  }
  const invalid = validateFile(file);
  if (invalid !== null) {
    write(Deno.stderr, invalid + "\n");
    return 2;
  }
  if (dumpData && dumpJson) {
    write(Deno.stderr, "Cannot specify both data dump (-d) and json mode (-json) in same call\n");
    return 2;
  }
  if (file.endsWith(".snappy")) {
    write(Deno.stderr, `${file}: snappy-compressed snapshots are not supported by herd\n`);
    return 1;
  }
  const zxid = zxidFromName(basename(file));
  let tree: SnapTree;
  try {
    tree = readTree(file, dumpData);
  } catch (e) {
    write(Deno.stderr, `${file}: not a valid snapshot: ${(e as Error).message}\n`);
    return 1;
  }
  const out = new OutBuffer(Deno.stdout);
  if (dumpJson) printSnapshotJson(tree, Date.now(), out);
  else printSnapshot(tree, zxid, dumpData, out);
  out.flush();
  return 0;
}

/** The whole tree is read (and its checksum checked) before anything is printed. */
function readTree(file: string, keepData: boolean): SnapTree {
  // A gzipped snapshot is inflated in memory: snapshots are compressed to be small.
  if (file.endsWith(".gz")) {
    const bytes = new Uint8Array(gunzipSync(Deno.readFileSync(file)));
    return readSnapshotTree(ReadWindow.ofBytes(bytes), keepData);
  }
  using f = Deno.openSync(file);
  return readSnapshotTree(ReadWindow.ofFile(f), keepData);
}

if (import.meta.main) Deno.exit(main(Deno.args));
