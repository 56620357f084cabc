import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.*;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import java.nio.ByteBuffer;
String hex(ByteBuffer b) { StringBuilder s = new StringBuilder(); while (b.hasRemaining()) s.append(String.format("%02x", b.get())); return s.toString(); }
System.out.println("sub1 " + hex(ConsumerProtocol.serializeSubscription(new Subscription(List.of("t1")))));
System.out.println("sub2 " + hex(ConsumerProtocol.serializeSubscription(new Subscription(List.of("t1","t2"), null, List.of(new TopicPartition("t1", 0), new TopicPartition("t1", 2))))));
System.out.println("asg " + hex(ConsumerProtocol.serializeAssignment(new Assignment(List.of(new TopicPartition("t1", 0), new TopicPartition("t1", 2), new TopicPartition("t2", 1))))));
System.out.println("asg0 " + hex(ConsumerProtocol.serializeAssignment(new Assignment(List.of()))));
var ra = new RangeAssignor();
var subs = new HashMap<String, Subscription>();
subs.put("c-2", new Subscription(List.of("a","b")));
subs.put("c-1", new Subscription(List.of("a")));
subs.put("c-3", new Subscription(List.of("a","b")));
var parts = new HashMap<String,Integer>(); parts.put("a", 7); parts.put("b", 2);
System.out.println("range " + new TreeMap<>(ra.assign(parts, subs)));
/exit
