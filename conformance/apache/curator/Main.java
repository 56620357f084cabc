package herd.curator;

/**
 * Apache Curator scenarios run against a ZooKeeper server (herd's or Apache's) by
 * zk/interop/curator_test.ts. Each prints JSON lines on stdout and exits non-zero on an error.
 *
 * <pre>
 *   mutex     CONNECT BASE CLIENTS ROUNDS LABEL
 *   latch     CONNECT PATH ID SESSION_MS
 *   discovery CONNECT BASE
 *   cache     CONNECT BASE
 *   dump      CONNECT [ROOT]
 * </pre>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage();
      System.exit(2);
    }
    String connect = args[1];
    switch (args[0]) {
      case "mutex":
        MutexScenario.run(connect, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5]);
        break;
      case "latch":
        LatchParticipant.run(connect, args[2], args[3], Integer.parseInt(args[4]));
        break;
      case "discovery":
        DiscoveryScenario.run(connect, args[2]);
        break;
      case "cache":
        CacheScenario.run(connect, args[2]);
        break;
      case "dump":
        TreeDump.run(connect, args.length > 2 ? args[2] : "/");
        break;
      default:
        usage();
        System.exit(2);
    }
    // Curator leaves non-daemon threads behind on some paths; the scenario is over.
    System.exit(0);
  }

  private static void usage() {
    System.err.println("usage: herd.curator.Main mutex|latch|discovery|cache|dump CONNECT …");
  }
}
