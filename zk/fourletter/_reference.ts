/**
 * Test helper: Apache 3.8.0's four-letter word and AdminServer captures, read from the repository's
 * `conformance/reference/zookeeper` through the one module that locates the captures.
 */
import { referenceSection as section } from "../../conformance/reference.ts";

export { ZOOKEEPER_REFERENCE_DIR as REFERENCE_DIR } from "../../conformance/reference.ts";

/** The text of one `### <name>` section of a ZooKeeper capture file, up to the next `###` line. */
export function referenceSection(file: string, name: string): Promise<string> {
  return section(`zookeeper/${file}`, name);
}
