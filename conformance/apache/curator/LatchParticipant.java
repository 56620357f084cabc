package herd.curator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;

/**
 * `latch CONNECT PATH ID SESSION_MS`: one LeaderLatch participant with its own short ZooKeeper
 * session. Reports `{"event":"started"|"leader"|"notLeader"|"closed","id":ID}` as they happen, and
 * stays until stdin closes (then leaves the latch cleanly) or the process is killed (then the
 * session dies on the server after SESSION_MS and the next participant takes over).
 */
final class LatchParticipant {
  private LatchParticipant() {}

  static void run(String connectString, String path, String id, int sessionMs) throws Exception {
    CuratorFramework client = Clients.connect(connectString, sessionMs);
    LeaderLatch latch = new LeaderLatch(client, path, id);
    latch.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        Json.emit("event", "leader", "id", id);
      }

      @Override
      public void notLeader() {
        Json.emit("event", "notLeader", "id", id);
      }
    });
    latch.start();
    Json.emit("event", "started", "id", id);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.trim().equals("participants")) {
        Json.emit("event", "participants", "id", id, "leader", latch.getLeader().getId(),
            "count", latch.getParticipants().size());
      }
    }
    latch.close();
    client.close();
    Json.emit("event", "closed", "id", id);
  }
}
