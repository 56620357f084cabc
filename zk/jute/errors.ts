/** KeeperException.Code values, as sent in ReplyHeader.err. */
export const Err = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  UNKNOWNSESSION: -12,
  NEWCONFIGNOQUORUM: -13,
  RECONFIGINPROGRESS: -14,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
  EPHEMERALONLOCALSESSION: -120,
  NOWATCHER: -121,
  REQUESTTIMEOUT: -122,
  RECONFIGDISABLED: -123,
  SESSIONCLOSEDREQUIRESASLAUTH: -124,
  QUOTAEXCEEDED: -125,
  THROTTLEDOP: -127,
} as const;

export type ErrCode = typeof Err[keyof typeof Err];

const names: Record<number, string> = {};
for (const [k, v] of Object.entries(Err)) names[v] = k;

/** The code's name, e.g. "NONODE". */
export function errName(code: number): string {
  return names[code] ?? `UNKNOWN(${code})`;
}

/** A ZooKeeper error carried as a value: thrown only inside a stage, mapped to a reply code at the edge. */
export class ZkError extends Error {
  override name = "ZkError";
  constructor(readonly code: number, readonly path?: string) {
    super(path ? `${errName(code)} for ${path}` : errName(code));
  }
}
