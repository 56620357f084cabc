/** Transactions: what the request stages produce and the data tree applies (org.apache.zookeeper.txn). */
import type { ACL } from "../jute/records.ts";
import type { OpCode } from "../jute/opcodes.ts";

type O = typeof OpCode;

export interface TxnHeader {
  clientId: bigint;
  cxid: number;
  zxid: number;
  time: number;
  type: number;
}

export interface CreateTxn {
  type: O["create"] | O["create2"];
  path: string;
  data: Uint8Array;
  acl: ACL[];
  ephemeral: boolean;
  parentCVersion: number;
}
export interface CreateContainerTxn {
  type: O["createContainer"];
  path: string;
  data: Uint8Array;
  acl: ACL[];
  parentCVersion: number;
}
export interface CreateTTLTxn {
  type: O["createTTL"];
  path: string;
  data: Uint8Array;
  acl: ACL[];
  parentCVersion: number;
  ttl: number;
}
export interface DeleteTxn {
  type: O["delete"] | O["deleteContainer"];
  path: string;
}
export interface SetDataTxn {
  type: O["setData"];
  path: string;
  data: Uint8Array;
  /** The node's new version. */
  version: number;
}
export interface SetACLTxn {
  type: O["setACL"];
  path: string;
  acl: ACL[];
  /** The node's new aversion. */
  version: number;
}
export interface CheckVersionTxn {
  type: O["check"];
  path: string;
  version: number;
}
export interface CreateSessionTxn {
  type: O["createSession"];
  timeOut: number;
}
export interface CloseSessionTxn {
  type: O["closeSession"];
  paths2Delete: string[];
}
export interface ErrorTxn {
  type: O["error"];
  err: number;
}
export interface MultiTxn {
  type: O["multi"];
  txns: Txn[];
}

export type Txn =
  | CreateTxn
  | CreateContainerTxn
  | CreateTTLTxn
  | DeleteTxn
  | SetDataTxn
  | SetACLTxn
  | CheckVersionTxn
  | CreateSessionTxn
  | CloseSessionTxn
  | ErrorTxn
  | MultiTxn;

/** The data-tree digest Apache logs after a txn: the tree's digest once the txn is applied. */
export interface TxnDigest {
  version: number;
  treeDigest: bigint;
}

/** A txn with its header: one entry of the txn log. */
export interface TxnEntry {
  hdr: TxnHeader;
  txn: Txn;
  /** Read from a log that carries one (Apache 3.6+); herd writes none. */
  digest?: TxnDigest;
}
