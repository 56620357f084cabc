package herd.curator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * `mutex CONNECT BASE CLIENTS ROUNDS LABEL`: CLIENTS Curator clients (one ZooKeeper session each,
 * one thread each) take an InterProcessMutex on BASE/lock ROUNDS times each. Inside the lock every
 * holder checks mutual exclusion two ways, so several of these processes can contend at once:
 *
 * - it creates the ephemeral BASE/holder, which fails with NodeExists if anyone else holds the lock;
 * - it does an unversioned read-modify-write of the counter in BASE/counter, so an overlapping
 *   holder would lose an increment (the test checks the final count).
 *
 * Reports `{"step":"mutex","label":…,"acquired":N,"violations":[…]}`.
 */
final class MutexScenario {
  private MutexScenario() {}

  static void run(String connectString, String base, int clients, int rounds, String label)
      throws Exception {
    List<CuratorFramework> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        sessions.add(Clients.connect(connectString, 10_000));
      }
      try {
        sessions.get(0).create().creatingParentContainersIfNeeded()
            .forPath(base + "/counter", "0".getBytes(StandardCharsets.UTF_8));
      } catch (KeeperException.NodeExistsException alreadyThere) {
        // another contending process made it first
      }

      AtomicInteger acquired = new AtomicInteger();
      AtomicInteger insideHere = new AtomicInteger();
      List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        CuratorFramework client = sessions.get(i);
        String who = label + "-" + i;
        Thread t = new Thread(() -> {
          InterProcessMutex mutex = new InterProcessMutex(client, base + "/lock");
          try {
            for (int r = 0; r < rounds; r++) {
              if (!mutex.acquire(60, TimeUnit.SECONDS)) {
                violations.add(who + ": acquire timed out");
                return;
              }
              try {
                acquired.incrementAndGet();
                if (insideHere.incrementAndGet() != 1) {
                  violations.add(who + ": another thread of this process holds the lock");
                }
                try {
                  client.create().withMode(CreateMode.EPHEMERAL)
                      .forPath(base + "/holder", who.getBytes(StandardCharsets.UTF_8));
                } catch (KeeperException.NodeExistsException e) {
                  violations.add(who + ": " + base + "/holder exists while I hold the lock");
                }
                byte[] now = client.getData().forPath(base + "/counter");
                int next = Integer.parseInt(new String(now, StandardCharsets.UTF_8)) + 1;
                Thread.sleep(2);
                client.setData().forPath(base + "/counter",
                    Integer.toString(next).getBytes(StandardCharsets.UTF_8));
                client.delete().forPath(base + "/holder");
                insideHere.decrementAndGet();
              } finally {
                mutex.release();
              }
            }
          } catch (Exception e) {
            violations.add(who + ": " + e);
          }
        }, who);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      Json.emit("step", "mutex", "label", label, "acquired", acquired.get(),
          "violations", violations);
    } finally {
      for (CuratorFramework c : sessions) {
        c.close();
      }
    }
  }
}
