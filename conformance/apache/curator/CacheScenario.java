package herd.curator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;

/**
 * `cache CONNECT BASE`: a CuratorCache over BASE (with a 3.6+ client it rides on one persistent
 * recursive watch, addWatch) while a second client changes the subtree one step at a time. After
 * each change the scenario waits for the cache's event before making the next, so every change
 * must be seen on its own. The last change is a session close that takes an ephemeral with it.
 * Reports `{"step":"cache","initial":[…],"events":[…]}` with each event as
 * `{"type","path","data","old"}` (data as UTF-8 text).
 */
final class CacheScenario {
  private CacheScenario() {}

  static void run(String connectString, String base) throws Exception {
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> initial = new LinkedBlockingQueue<>();
    java.util.concurrent.CountDownLatch initialized = new java.util.concurrent.CountDownLatch(1);
    try (CuratorFramework watcher = Clients.connect(connectString, 10_000)) {
      CuratorFramework writer = Clients.connect(connectString, 10_000);
      writer.create().creatingParentsIfNeeded().forPath(base, bytes("start"));
      writer.create().forPath(base + "/existing", bytes("e"));

      CuratorCache cache = CuratorCache.build(watcher, base);
      cache.listenable().addListener(CuratorCacheListener.builder()
          .forAll((type, old, data) -> {
            String line = Json.obj("type", type.name(),
                "path", (data != null ? data : old).getPath(),
                "data", data == null ? null : text(data),
                "old", old == null ? null : text(old));
            (initialized.getCount() > 0 ? initial : events).add(line);
          })
          .forInitialized(initialized::countDown)
          .build());
      cache.start();
      if (!initialized.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("cache never initialized");

      List<String> seen = new java.util.ArrayList<>();
      step(events, seen, () -> writer.create().forPath(base + "/a", bytes("1")));
      step(events, seen, () -> writer.create().forPath(base + "/a/b", bytes("2")));
      step(events, seen, () -> writer.setData().forPath(base + "/a", bytes("3")));
      step(events, seen, () -> writer.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
          .forPath(base + "/seq-", bytes("s")));
      step(events, seen, () -> writer.setData().forPath(base + "/a/b", bytes("2")));
      step(events, seen, () -> writer.delete().forPath(base + "/a/b"));
      step(events, seen, () -> writer.delete().forPath(base + "/a"));
      step(events, seen, () -> writer.setData().forPath(base, bytes("root")));
      step(events, seen, () -> writer.create().withMode(CreateMode.EPHEMERAL)
          .forPath(base + "/session", bytes("x")));
      step(events, seen, () -> {
        writer.close();
        return null;
      });

      Json.emit("step", "cache",
          "initial", new Json.Raw("[" + String.join(",", initial) + "]"),
          "events", new Json.Raw("[" + String.join(",", seen) + "]"),
          "size", cache.size());
      cache.close();
    }
  }

  /** A change by the writer. */
  interface Change {
    Object apply() throws Exception;
  }

  private static void step(LinkedBlockingQueue<String> events, List<String> seen, Change change)
      throws Exception {
    change.apply();
    String event = events.poll(20, TimeUnit.SECONDS);
    seen.add(event == null ? Json.obj("type", "TIMEOUT") : event);
    // A second event for the same change would be a duplicate; give it a moment to show up.
    String extra = events.poll(200, TimeUnit.MILLISECONDS);
    if (extra != null) seen.add(extra);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ChildData d) {
    return d.getData() == null ? null : new String(d.getData(), StandardCharsets.UTF_8);
  }
}
