/**
 * Real clients against herd's broker (see `_suite.ts`): Java kafka-clients 2.8.2, kafkajs,
 * confluent-kafka, kcat and Apache's admin tools, each compared with what Apache 2.8.2's broker
 * made it print.
 */
import { clientSuite } from "./_suite.ts";

clientSuite("herd");
