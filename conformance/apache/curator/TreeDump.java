package herd.curator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Every znode under a root, one JSON object per node in depth-first, name-sorted order: path,
 * ephemeralOwner (hex), data (base64, or null for null data) and the Stat counters. The tests
 * compare these dumps between herd and Apache ZooKeeper.
 */
final class TreeDump {
  private TreeDump() {}

  /** `dump CONNECT [ROOT]`: prints the nodes, one line each. */
  static void run(String connectString, String root) throws Exception {
    try (org.apache.curator.framework.CuratorFramework client = Clients.connect(connectString, 30_000)) {
      ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
      for (String line : dump(zk, root)) {
        System.out.println(line);
      }
      System.out.flush();
    }
  }

  /** The dump as JSON lines; nodes that vanish while it runs are left out. */
  static List<String> dump(ZooKeeper zk, String root) throws Exception {
    List<String> out = new ArrayList<>();
    walk(zk, root, out);
    return out;
  }

  private static void walk(ZooKeeper zk, String path, List<String> out) throws Exception {
    Stat stat = new Stat();
    byte[] data;
    List<String> children;
    try {
      data = zk.getData(path, false, stat);
      children = new ArrayList<>(zk.getChildren(path, false));
    } catch (KeeperException.NoNodeException gone) {
      return;
    }
    Collections.sort(children);
    out.add(Json.obj(
        "path", path,
        "ephemeralOwner", String.format("0x%x", stat.getEphemeralOwner()),
        "data", Json.bytes(data),
        "dataLength", stat.getDataLength(),
        "version", stat.getVersion(),
        "cversion", stat.getCversion(),
        "aversion", stat.getAversion(),
        "numChildren", stat.getNumChildren()));
    for (String child : children) {
      walk(zk, path.equals("/") ? "/" + child : path + "/" + child, out);
    }
  }
}
