/** herd's command-line tools: zk-server (and zk-cli, zk-txnlog, zk-snapshot later). */
export {};
