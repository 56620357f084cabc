// herd's interop scenarios for the Java kafka-clients 2.8.2, run against herd's broker and Apache
// 2.8.2's by kafka/interop/java_test.ts. Compiled by conformance/apache/fetch.sh.
//
//   java -cp <classes>:<kafka libs>/* Interop BOOTSTRAP SCENARIO
//
// SCENARIO is admin, idempotent, group or txn. Each prints facts that do not depend on which
// broker answered (no ids, ports or times), one per line, and exits 0; any failure is thrown and
// exits 1 with the stack on stderr. The test compares stdout line by line with what Apache's
// broker made it print, so every line is an assertion on both brokers.

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public final class Interop {
  private static String bootstrap;
  /** Fixed CreateTime timestamps, so lookups by time answer the same on both brokers. */
  private static final long TS0 = 1_700_000_000_000L;

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Interop BOOTSTRAP admin|idempotent|group|cooperative|txn");
      System.exit(2);
    }
    bootstrap = args[0];
    switch (args[1]) {
      case "admin":
        admin();
        break;
      case "idempotent":
        idempotent();
        break;
      case "group":
        group();
        break;
      case "txn":
        txn();
        break;
      case "cooperative":
        cooperative();
        break;
      default:
        System.err.println("unknown scenario " + args[1]);
        System.exit(2);
    }
    System.out.flush();
    // Client threads (metadata refreshers) must not keep the JVM alive after a failure elsewhere.
    System.exit(0);
  }

  private static void out(String line) {
    System.out.println(line);
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  private static void waitUntil(String what, BooleanSupplier cond, long ms) throws Exception {
    long until = System.currentTimeMillis() + ms;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > until) throw new AssertionError("timed out: " + what);
      Thread.sleep(50);
    }
  }

  private static Properties adminProps() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
    return p;
  }

  private static Properties producerProps() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return p;
  }

  private static Properties consumerProps(String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    if (group != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return p;
  }

  private static void createTopic(Admin admin, String name, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
  }

  private static String partitions(Collection<TopicPartition> tps) {
    return tps.stream().map(tp -> tp.topic() + "-" + tp.partition()).sorted()
        .collect(Collectors.joining(",", "[", "]"));
  }

  // ---------------------------------------------------------------------------------------------
  // AdminClient

  private static String describeTopic(Admin admin, String name) throws Exception {
    TopicDescription d = admin.describeTopics(List.of(name)).all().get().get(name);
    StringBuilder b = new StringBuilder();
    b.append("topic ").append(d.name()).append(" internal=").append(d.isInternal())
        .append(" partitions=").append(d.partitions().size());
    for (TopicPartitionInfo p : d.partitions()) {
      b.append(" ").append(p.partition()).append(":leader=").append(p.leader().id())
          .append(",replicas=").append(ids(p.replicas())).append(",isr=").append(ids(p.isr()));
    }
    check(d.topicId() != null, "a topic id");
    return b.toString();
  }

  private static String ids(List<Node> nodes) {
    return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining("/"));
  }

  /** The topic's configs that are not defaults, plus a few defaults, with sources. */
  private static void printTopicConfigs(Admin admin, ConfigResource topic, String label)
      throws Exception {
    Config c = admin.describeConfigs(List.of(topic)).all().get().get(topic);
    TreeMap<String, ConfigEntry> byName = new TreeMap<>();
    for (ConfigEntry e : c.entries()) byName.put(e.name(), e);
    out(label + " entries=" + byName.size());
    for (ConfigEntry e : byName.values()) {
      boolean interesting = e.source() != ConfigEntry.ConfigSource.DEFAULT_CONFIG
          || e.name().equals("segment.bytes") || e.name().equals("cleanup.policy")
          || e.name().equals("min.insync.replicas");
      if (interesting) {
        out(label + " " + e.name() + "=" + e.value() + " source=" + e.source() + " readOnly="
            + e.isReadOnly() + " sensitive=" + e.isSensitive());
      }
    }
  }

  private static void admin() throws Exception {
    String topic = "java-admin";
    try (Admin admin = Admin.create(adminProps())) {
      // describeCluster
      DescribeClusterResult cluster = admin.describeCluster();
      Collection<Node> nodes = cluster.nodes().get();
      Node controller = cluster.controller().get();
      String clusterId = cluster.clusterId().get();
      out("cluster nodes=" + nodes.size() + " ids=" + ids(new ArrayList<>(nodes)) + " controller="
          + controller.id() + " clusterIdLength=" + clusterId.length());

      // createTopics with configs
      Map<String, String> configs = new HashMap<>();
      configs.put("retention.ms", "3600000");
      configs.put("cleanup.policy", "delete");
      configs.put("max.message.bytes", "200000");
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(configs))).all().get();
      out("created " + topic);
      try {
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        out("second create succeeded");
      } catch (ExecutionException e) {
        out("second create: " + e.getCause().getClass().getSimpleName());
      }
      out(describeTopic(admin, topic));

      // describeConfigs, topic and broker
      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      printTopicConfigs(admin, res, "configs");
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
      Config bc = admin.describeConfigs(List.of(broker),
          new DescribeConfigsOptions().includeSynonyms(true)).all().get().get(broker);
      for (String name : List.of("num.partitions", "offsets.topic.replication.factor",
          "log.retention.hours", "message.max.bytes", "auto.create.topics.enable")) {
        ConfigEntry e = bc.get(name);
        out("broker " + name + "=" + e.value() + " source=" + e.source() + " synonyms="
            + e.synonyms().stream().map(s -> s.name() + ":" + s.source())
                .collect(Collectors.joining(",")));
      }

      // incrementalAlterConfigs: set, delete, append
      Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
      ops.put(res, List.of(
          new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET),
          new AlterConfigOp(new ConfigEntry("max.message.bytes", null),
              AlterConfigOp.OpType.DELETE),
          new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"),
              AlterConfigOp.OpType.APPEND)));
      admin.incrementalAlterConfigs(ops).all().get();
      printTopicConfigs(admin, res, "altered");
      try {
        Map<ConfigResource, Collection<AlterConfigOp>> bad = new HashMap<>();
        bad.put(res, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "soon"),
            AlterConfigOp.OpType.SET)));
        admin.incrementalAlterConfigs(bad).all().get();
        out("bad alter succeeded");
      } catch (ExecutionException e) {
        out("bad alter: " + e.getCause().getClass().getSimpleName());
      }

      // createPartitions
      admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
      out(describeTopic(admin, topic));
      try {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all().get();
        out("shrink succeeded");
      } catch (ExecutionException e) {
        out("shrink: " + e.getCause().getClass().getSimpleName());
      }

      // Records with fixed timestamps for listOffsets and deleteRecords.
      TopicPartition tp0 = new TopicPartition(topic, 0);
      try (KafkaProducer<String, String> p = new KafkaProducer<>(producerProps())) {
        for (int i = 0; i < 10; i++) {
          p.send(new ProducerRecord<>(topic, 0, TS0 + 10L * i, "k" + i, "v" + i)).get();
        }
      }
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      specs.put(tp0, OffsetSpec.earliest());
      out("earliest " + offsetInfo(admin.listOffsets(specs).all().get().get(tp0)));
      specs.put(tp0, OffsetSpec.latest());
      out("latest " + offsetInfo(admin.listOffsets(specs).all().get().get(tp0)));
      specs.put(tp0, OffsetSpec.forTimestamp(TS0 + 35));
      out("forTimestamp " + offsetInfo(admin.listOffsets(specs).all().get().get(tp0)));
      specs.put(tp0, OffsetSpec.forTimestamp(TS0 + 1000));
      out("forTimestamp after the last " + offsetInfo(admin.listOffsets(specs).all().get()
          .get(tp0)));

      // deleteRecords
      long low = admin.deleteRecords(Map.of(tp0, RecordsToDelete.beforeOffset(4))).lowWatermarks()
          .get(tp0).get().lowWatermark();
      out("deleteRecords lowWatermark=" + low);
      specs.put(tp0, OffsetSpec.earliest());
      out("earliest after delete " + offsetInfo(admin.listOffsets(specs).all().get().get(tp0)));
      try {
        admin.deleteRecords(Map.of(tp0, RecordsToDelete.beforeOffset(50))).all().get();
        out("delete past the end succeeded");
      } catch (ExecutionException e) {
        out("delete past the end: " + e.getCause().getClass().getSimpleName());
      }

      // listConsumerGroups / describeConsumerGroups with one live member
      String group = "java-admin-group";
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(group))) {
        c.subscribe(List.of(topic));
        int seen = 0;
        long until = System.currentTimeMillis() + 60000;
        while (seen < 6 || c.assignment().size() < 3) {
          check(System.currentTimeMillis() < until, "the admin group's consumer got its records");
          seen += c.poll(Duration.ofMillis(200)).count();
        }
        c.commitSync();
        out("consumed " + seen + " from offset 4");
        ConsumerGroupListing listing = admin.listConsumerGroups().all().get().stream()
            .filter(l -> l.groupId().equals(group)).findFirst().orElseThrow();
        out("listed " + listing.groupId() + " simple=" + listing.isSimpleConsumerGroup()
            + " state=" + listing.state().map(Object::toString).orElse("?"));
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get()
            .get(group);
        out("described " + d.groupId() + " simple=" + d.isSimpleConsumerGroup() + " state="
            + d.state() + " assignor=" + d.partitionAssignor() + " coordinator="
            + d.coordinator().id() + " members=" + d.members().size());
        for (MemberDescription m : d.members()) {
          out("member clientIdPrefix=" + m.clientId().replaceAll("-\\d+$", "") + " instance="
              + m.groupInstanceId().orElse("none") + " assignment="
              + partitions(m.assignment().topicPartitions()));
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get();
        out("group offsets " + new TreeMap<>(committed.entrySet().stream().collect(
            Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().offset()))));
      }
      ConsumerGroupDescription after = admin.describeConsumerGroups(List.of(group)).all().get()
          .get(group);
      out("after close state=" + after.state() + " members=" + after.members().size());
      admin.deleteConsumerGroups(List.of(group)).all().get();
      out("group deleted: listed=" + admin.listConsumerGroups().all().get().stream()
          .anyMatch(l -> l.groupId().equals(group)));

      // deleteTopics
      admin.deleteTopics(List.of(topic)).all().get();
      waitUntil("the topic to be gone", () -> {
        try {
          return !admin.listTopics().names().get().contains(topic);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }, 60000);
      try {
        admin.describeTopics(List.of(topic)).all().get();
        out("describe after delete succeeded");
      } catch (ExecutionException e) {
        out("describe after delete: " + e.getCause().getClass().getSimpleName());
      }
      try {
        admin.deleteTopics(List.of(topic)).all().get();
        out("second delete succeeded");
      } catch (ExecutionException e) {
        check(e.getCause() instanceof UnknownTopicOrPartitionException, "unknown topic: " + e);
        out("second delete: " + e.getCause().getClass().getSimpleName());
      }
    }
  }

  private static String offsetInfo(ListOffsetsResultInfo i) {
    return "offset=" + i.offset() + " timestamp=" + (i.timestamp() == -1 ? -1 : i.timestamp() - TS0)
        + " leaderEpoch=" + i.leaderEpoch().map(String::valueOf).orElse("none");
  }

  // ---------------------------------------------------------------------------------------------
  // Idempotent producer

  private static void idempotent() throws Exception {
    String topic = "java-idempotent";
    try (Admin admin = Admin.create(adminProps())) {
      createTopic(admin, topic, 2);
    }
    Properties pp = producerProps();
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    pp.put(ProducerConfig.BATCH_SIZE_CONFIG, "512");
    int n = 400;
    List<RecordMetadata> acked = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      // Two producer sessions: each gets its own producer id and starts at sequence 0 again.
      try (KafkaProducer<String, String> p = new KafkaProducer<>(pp)) {
        List<java.util.concurrent.Future<RecordMetadata>> fs = new ArrayList<>();
        for (int i = round * n / 2; i < (round + 1) * n / 2; i++) {
          fs.add(p.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i)));
        }
        p.flush();
        for (java.util.concurrent.Future<RecordMetadata> f : fs) acked.add(f.get());
      }
    }
    for (int part = 0; part < 2; part++) {
      final int pn = part;
      List<Long> offs = acked.stream().filter(m -> m.partition() == pn).map(RecordMetadata::offset)
          .collect(Collectors.toList());
      List<Long> want = new ArrayList<>();
      for (long o = 0; o < n / 2; o++) want.add(o);
      check(offs.equals(want), "partition " + part + " acked offsets in order: " + offs);
    }
    out("acked " + acked.size() + " records, offsets 0.." + (n / 2 - 1) + " on each partition");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(null))) {
      List<TopicPartition> tps = List.of(new TopicPartition(topic, 0),
          new TopicPartition(topic, 1));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<Integer, List<String>> got = new TreeMap<>();
      long until = System.currentTimeMillis() + 60000;
      int total = 0;
      while (total < n) {
        check(System.currentTimeMillis() < until, "read back " + total + " of " + n);
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          got.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.value());
          check(r.key().equals("k" + r.value().substring(1)), "key matches value");
          total++;
        }
      }
      for (Map.Entry<Integer, List<String>> e : got.entrySet()) {
        List<String> want = new ArrayList<>();
        for (int i = e.getKey(); i < n; i += 2) want.add("v" + i);
        check(e.getValue().equals(want), "partition " + e.getKey() + " in order, once each");
        out("partition " + e.getKey() + ": " + e.getValue().size() + " records, in order, once each");
      }
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      out("end offsets " + end.get(tps.get(0)) + " " + end.get(tps.get(1)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Consumer group of two

  /** One member of the group, polling on its own thread until told to stop. */
  private static final class Member implements Runnable {
    final String name;
    final KafkaConsumer<String, String> consumer;
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean stop = new AtomicBoolean();
    volatile Set<TopicPartition> assigned = Set.of();
    volatile int rebalances;
    volatile int maxRevoked;
    volatile Throwable failed;
    final Thread thread = new Thread(this);

    Member(String name, String group, String topic) {
      this(name, group, topic, new Properties());
    }

    Member(String name, String group, String topic, Properties extra) {
      this.name = name;
      Properties p = consumerProps(group);
      p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
      p.putAll(extra);
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "7");
      consumer = new KafkaConsumer<>(p);
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
          maxRevoked = Math.max(maxRevoked, parts.size());
          // What was read so far is committed before the partitions move (no record twice).
          consumer.commitSync();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
          assigned = new HashSet<>(consumer.assignment());
          rebalances++;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
          assigned = new HashSet<>(consumer.assignment());
        }
      });
    }

    @Override
    public void run() {
      try {
        while (!stop.get()) {
          ConsumerRecords<String, String> rs = consumer.poll(Duration.ofMillis(100));
          for (ConsumerRecord<String, String> r : rs) seen.add(r.value());
          if (rs.isEmpty()) continue;
          try {
            consumer.commitSync();
          } catch (RebalanceInProgressException | CommitFailedException e) {
            // A rebalance began after this poll: the revocation callback commits these offsets.
          }
        }
        consumer.close();
      } catch (Throwable t) {
        failed = t;
      }
    }

    void finish() throws Exception {
      stop.set(true);
      thread.join(60000);
      check(!thread.isAlive(), name + " stopped");
      if (failed != null) throw new AssertionError(name + " failed", failed);
    }
  }

  private static void produce(String topic, int from, int to) throws Exception {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(producerProps())) {
      for (int i = from; i < to; i++) {
        p.send(new ProducerRecord<>(topic, i % 4, "k" + i, "r" + i));
      }
      p.flush();
    }
  }

  private static void group() throws Exception {
    String topic = "java-group";
    String group = "java-group";
    try (Admin admin = Admin.create(adminProps())) {
      createTopic(admin, topic, 4);
    }
    produce(topic, 0, 40);
    Member a = new Member("member-a", group, topic);
    a.thread.start();
    waitUntil("member-a owns all 4 partitions", () -> a.assigned.size() == 4, 60000);
    Member b = new Member("member-b", group, topic);
    b.thread.start();
    waitUntil("the group to split 2 + 2",
        () -> a.assigned.size() == 2 && b.assigned.size() == 2, 60000);
    Set<TopicPartition> both = new HashSet<>(a.assigned);
    both.addAll(b.assigned);
    out("two members: 2 + 2 partitions, disjoint=" + (both.size() == 4));
    produce(topic, 40, 80);
    waitUntil("80 records read", () -> a.seen.size() + b.seen.size() >= 80, 60000);
    check(!b.seen.isEmpty(), "member-b read records");
    b.finish();
    out("member-b left after reading some records");
    waitUntil("member-a owns all 4 again", () -> a.assigned.size() == 4, 60000);
    out("member-a owns " + partitions(a.assigned) + " after the rebalance");
    produce(topic, 80, 100);
    waitUntil("100 records read", () -> a.seen.size() + b.seen.size() >= 100, 60000);
    a.finish();
    List<String> all = new ArrayList<>(a.seen);
    all.addAll(b.seen);
    out("read " + all.size() + " records, distinct=" + new HashSet<>(all).size());
    check(all.size() == 100 && new HashSet<>(all).size() == 100, "each record once");

    // A new member resumes from the committed offsets: it reads only what came after.
    try (Admin admin = Admin.create(adminProps())) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      out("committed " + new TreeMap<>(committed.entrySet().stream().collect(
          Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().offset()))));
    }
    produce(topic, 100, 112);
    Member c = new Member("member-c", group, topic);
    c.thread.start();
    waitUntil("member-c read the 12 new records", () -> c.seen.size() >= 12, 60000);
    Thread.sleep(300); // nothing more may come: anything older would be a re-read
    c.finish();
    List<String> fresh = new ArrayList<>(c.seen);
    Collections.sort(fresh);
    out("member-c resumed and read " + fresh);
  }

  /**
   * Incremental rebalancing (CooperativeStickyAssignor) and static membership
   * (group.instance.id): a static member that closes stays in the group until its session times
   * out, and one that comes back with the same instance id gets its partitions back.
   */
  private static void cooperative() throws Exception {
    String topic = "java-coop";
    String group = "java-coop";
    try (Admin admin = Admin.create(adminProps())) {
      createTopic(admin, topic, 4);
    }
    produce(topic, 0, 40);
    Properties coop = new Properties();
    coop.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    coop.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    coop.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
    Properties staticB = new Properties();
    staticB.putAll(coop);
    staticB.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b");
    // Long enough that the closed static member is still there when it is looked at, on a slow box.
    staticB.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "20000");
    Member a = new Member("coop-a", group, topic, coop);
    a.thread.start();
    waitUntil("coop-a owns all 4 partitions", () -> a.assigned.size() == 4, 60000);
    Member b = new Member("coop-b", group, topic, staticB);
    b.thread.start();
    waitUntil("the group to split 2 + 2",
        () -> a.assigned.size() == 2 && b.assigned.size() == 2, 60000);
    Set<TopicPartition> bOwned = new HashSet<>(b.assigned);
    // Eager rebalancing revokes all 4 first; cooperative gives up only the 2 that move.
    out("cooperative: 2 + 2 partitions, coop-a revoked at most " + a.maxRevoked + " at once");
    try (Admin admin = Admin.create(adminProps())) {
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get()
          .get(group);
      out("described state=" + d.state() + " assignor=" + d.partitionAssignor() + " members="
          + d.members().size() + " instances=" + d.members().stream()
              .map(m -> m.groupInstanceId().orElse("none")).sorted()
              .collect(Collectors.joining(",")));
      produce(topic, 40, 80);
      waitUntil("80 records read", () -> a.seen.size() + b.seen.size() >= 80, 60000);
      int before = a.rebalances;
      b.finish();
      // A static member's close sends no LeaveGroup: nothing moves until its session expires.
      Thread.sleep(1500);
      out("static member closed: coop-a still owns " + a.assigned.size() + ", rebalanced="
          + (a.rebalances != before));
      Member b2 = new Member("coop-b2", group, topic, staticB);
      b2.thread.start();
      waitUntil("instance-b to get its partitions back", () -> b2.assigned.size() == 2, 60000);
      out("instance-b came back with the same partitions: " + b2.assigned.equals(bOwned));
      produce(topic, 80, 100);
      waitUntil("100 records read",
          () -> a.seen.size() + b.seen.size() + b2.seen.size() >= 100, 60000);
      b2.finish();
      a.finish();
      List<String> all = new ArrayList<>(a.seen);
      all.addAll(b.seen);
      all.addAll(b2.seen);
      out("read " + all.size() + " records, distinct=" + new HashSet<>(all).size());
      // The static member left no LeaveGroup behind it: it is still a member until it expires.
      ConsumerGroupDescription after = admin.describeConsumerGroups(List.of(group)).all().get()
          .get(group);
      out("after both closed: members=" + after.members().size() + " instances="
          + after.members().stream().map(m -> m.groupInstanceId().orElse("none")).sorted()
              .collect(Collectors.joining(",")));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Transactions

  private static void txn() throws Exception {
    String in = "java-txn-in";
    String outTopic = "java-txn-out";
    String group = "java-txn-group";
    try (Admin admin = Admin.create(adminProps())) {
      createTopic(admin, in, 1);
      createTopic(admin, outTopic, 1);
    }
    produce1(in, 10);
    Properties pp = producerProps();
    pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "java-txn");
    Properties cp = consumerProps(group);
    cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5");
    TopicPartition inTp = new TopicPartition(in, 0);
    try (KafkaProducer<String, String> p = new KafkaProducer<>(pp);
        KafkaConsumer<String, String> c = new KafkaConsumer<>(cp)) {
      p.initTransactions();
      c.subscribe(List.of(in));
      for (int round = 0; round < 2; round++) {
        // Consume-transform-produce: five records in, five out, the offsets in the transaction.
        List<ConsumerRecord<String, String>> batch = new ArrayList<>();
        long until = System.currentTimeMillis() + 60000;
        while (batch.size() < 5) {
          check(System.currentTimeMillis() < until, "input records");
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) batch.add(r);
        }
        p.beginTransaction();
        for (ConsumerRecord<String, String> r : batch) {
          p.send(new ProducerRecord<>(outTopic, r.key(), r.value().toUpperCase()));
        }
        long next = batch.get(batch.size() - 1).offset() + 1;
        p.sendOffsetsToTransaction(Map.of(inTp, new OffsetAndMetadata(next)),
            c.groupMetadata());
        if (round == 0) {
          p.commitTransaction();
          out("committed transaction of " + batch.size() + " with offset " + next);
        } else {
          // Sent first, so the aborted records are in the log (an abort drops unsent batches).
          p.flush();
          p.abortTransaction();
          out("aborted transaction of " + batch.size() + " with offset " + next);
          c.seek(inTp, 5); // the aborted offsets do not count: go back as a real app would
        }
      }
      // One more committed transaction after the abort: the LSO moves past the abort marker.
      p.beginTransaction();
      p.send(new ProducerRecord<>(outTopic, "after", "AFTER-ABORT"));
      p.commitTransaction();
      out("committed a third transaction");
    }
    out("read_committed sees " + readAll(outTopic, "read_committed", 6));
    out("read_uncommitted sees " + readAll(outTopic, "read_uncommitted", 11));
    try (Admin admin = Admin.create(adminProps())) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get().get(inTp);
      out("group offset " + o.offset());
      TopicPartition outTp = new TopicPartition(outTopic, 0);
      ListOffsetsResultInfo end = admin.listOffsets(Map.of(outTp, OffsetSpec.latest())).all()
          .get().get(outTp);
      // 5 + 5 + 1 records and 3 markers.
      out("out end offset " + end.offset());
    }
  }

  private static void produce1(String topic, int n) throws Exception {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(producerProps())) {
      for (int i = 0; i < n; i++) p.send(new ProducerRecord<>(topic, 0, "k" + i, "in" + i));
      p.flush();
    }
  }

  private static List<String> readAll(String topic, String isolation, int want) throws Exception {
    Properties cp = consumerProps(null);
    cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    List<String> got = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long until = System.currentTimeMillis() + 30000;
      while (got.size() < want) {
        check(System.currentTimeMillis() < until, "read " + got + " of " + want);
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) got.add(r.value());
      }
      // Nothing more arrives: a read_committed reader must not see the aborted records late.
      for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) got.add(r.value());
      out(isolation + " position " + c.position(tp));
    }
    return got;
  }
}
