package herd.curator;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Curator clients as an application would build them, each with its own ZooKeeper session. */
final class Clients {
  private Clients() {}

  /** A started client, connected, or an exception after 30 s. */
  static CuratorFramework connect(String connectString, int sessionTimeoutMs) throws Exception {
    CuratorFramework client = CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .sessionTimeoutMs(sessionTimeoutMs)
        .connectionTimeoutMs(15_000)
        .retryPolicy(new ExponentialBackoffRetry(200, 10))
        // Curator's default payload for create() without data is this host's address; an
        // explicit empty default keeps the trees of two runs comparable.
        .defaultData(new byte[0])
        .build();
    client.start();
    if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
      client.close();
      throw new IllegalStateException("no connection to " + connectString + " within 30 s");
    }
    return client;
  }
}
