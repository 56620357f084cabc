/**
 * The same client scenarios against Apache Kafka 2.8.2's broker (see `_suite.ts`): proves the
 * fixtures in testdata/ are Apache's behaviour (`HERD_INTEROP_RECORD=1` rewrites them from here).
 */
import { clientSuite } from "./_suite.ts";

clientSuite("apache");
