// The Java kafka-clients 2.8.2 side of kafka/server/txn_test.ts: an idempotent producer and a
// transactional one (commit 100, abort 50, commit 20 with a group's offsets, over 2 partitions),
// read back read_committed and read_uncommitted. Prints one line of key=value facts.
//
//   java -cp <kafka libs>:<classes> TxnScenario BOOTSTRAP
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.*;

public class TxnScenario {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    Properties common = new Properties();
    common.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(common)) {
      admin.createTopics(List.of(new NewTopic("jidem", 1, (short) 1), new NewTopic("jtxn", 2, (short) 1)))
          .all().get();
    }
    StringBuilder out = new StringBuilder();

    Properties ip = new Properties();
    ip.putAll(common);
    ip.put("enable.idempotence", "true");
    ip.put("acks", "all");
    try (KafkaProducer<String, String> p = new KafkaProducer<>(ip, new StringSerializer(), new StringSerializer())) {
      long last = -1;
      for (int i = 0; i < 30; i++) last = p.send(new ProducerRecord<>("jidem", 0, "k" + i, "v" + i)).get().offset();
      out.append("idempotent_last=").append(last);
    }

    Properties tp = new Properties();
    tp.putAll(common);
    tp.put("transactional.id", "herd-java-tx");
    KafkaProducer<String, String> tx = new KafkaProducer<>(tp, new StringSerializer(), new StringSerializer());
    tx.initTransactions();
    tx.beginTransaction();
    for (int i = 0; i < 100; i++) tx.send(new ProducerRecord<>("jtxn", i % 2, null, "one-" + i));
    tx.commitTransaction();
    tx.beginTransaction();
    for (int i = 0; i < 50; i++) tx.send(new ProducerRecord<>("jtxn", i % 2, null, "two-" + i));
    tx.flush();
    tx.abortTransaction();
    tx.beginTransaction();
    for (int i = 0; i < 20; i++) tx.send(new ProducerRecord<>("jtxn", i % 2, null, "three-" + i));
    tx.sendOffsetsToTransaction(Map.of(new TopicPartition("jidem", 0), new OffsetAndMetadata(10)),
        new ConsumerGroupMetadata("herd-java-group"));
    tx.commitTransaction();

    for (String iso : List.of("read_committed", "read_uncommitted")) {
      Properties cp = new Properties();
      cp.putAll(common);
      cp.put("isolation.level", iso);
      cp.put("enable.auto.commit", "false");
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
        List<TopicPartition> parts = List.of(new TopicPartition("jtxn", 0), new TopicPartition("jtxn", 1));
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> ends = c.endOffsets(parts);
        int count = 0;
        long deadline = System.currentTimeMillis() + 30000;
        while (System.currentTimeMillis() < deadline
            && (c.position(parts.get(0)) < ends.get(parts.get(0)) || c.position(parts.get(1)) < ends.get(parts.get(1)))) {
          count += c.poll(Duration.ofMillis(200)).count();
        }
        out.append(" ").append(iso).append("_count=").append(count)
            .append(" ").append(iso).append("_ends=").append(ends.get(parts.get(0))).append(",").append(ends.get(parts.get(1)));
      }
    }
    Properties gp = new Properties();
    gp.putAll(common);
    gp.put("group.id", "herd-java-group");
    try (KafkaConsumer<String, String> g = new KafkaConsumer<>(gp, new StringDeserializer(), new StringDeserializer())) {
      OffsetAndMetadata c = g.committed(Set.of(new TopicPartition("jidem", 0))).get(new TopicPartition("jidem", 0));
      out.append(" group_committed=").append(c == null ? -1 : c.offset());
    }

    KafkaProducer<String, String> tx2 = new KafkaProducer<>(tp, new StringSerializer(), new StringSerializer());
    tx2.initTransactions();
    try {
      tx.beginTransaction();
      tx.send(new ProducerRecord<>("jtxn", 0, null, "zombie")).get();
      tx.commitTransaction();
      out.append(" fenced=no");
    } catch (Exception e) {
      Throwable t = e;
      while (t.getCause() != null && !(t instanceof ProducerFencedException)) t = t.getCause();
      out.append(" fenced=").append(t.getClass().getSimpleName());
    }
    tx.close(Duration.ofSeconds(5));
    tx2.close(Duration.ofSeconds(5));
    System.out.println(out);
  }
}
