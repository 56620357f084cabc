package herd.curator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceProvider;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.curator.x.discovery.strategies.RoundRobinStrategy;

/**
 * `discovery CONNECT BASE`: the seed's service registry (服务注册, 服务发现, 下线处理) with
 * curator-x-discovery. Two applications, each with its own session, register instances under BASE;
 * a third client discovers them (queries, a round-robin ServiceProvider, a ServiceCache), sees an
 * explicit unregistration, and sees an application's instances vanish when its session closes.
 * Reports one `{"step":…}` line per stage, and a `tree` line with the registry's znodes while every
 * instance is registered.
 */
final class DiscoveryScenario {
  private DiscoveryScenario() {}

  /** The payload each instance carries (Jackson needs public fields and a default constructor). */
  public static final class Details {
    public String description;
    public int weight;

    public Details() {}

    Details(String description, int weight) {
      this.description = description;
      this.weight = weight;
    }
  }

  static void run(String connectString, String base) throws Exception {
    try (CuratorFramework appA = Clients.connect(connectString, 10_000);
        CuratorFramework appB = Clients.connect(connectString, 10_000);
        CuratorFramework watcher = Clients.connect(connectString, 10_000)) {
      ServiceInstance<Details> web1 = instance("web", "web-1", 8081, "web server one", 1);
      ServiceInstance<Details> web2 = instance("web", "web-2", 8082, "web server two", 2);
      ServiceInstance<Details> api1 = instance("api", "api-1", 9090, "api server", 1);

      // Application A registers itself through thisInstance; B registers two services by hand.
      ServiceDiscovery<Details> discoveryA = discovery(appA, base, web1);
      discoveryA.start();
      ServiceDiscovery<Details> discoveryB = discovery(appB, base, null);
      discoveryB.start();
      discoveryB.registerService(web2);
      discoveryB.registerService(api1);

      ServiceDiscovery<Details> client = discovery(watcher, base, null);
      client.start();
      AtomicInteger cacheChanges = new AtomicInteger();
      ServiceCache<Details> cache = client.serviceCacheBuilder().name("web").build();
      cache.addListener(new org.apache.curator.x.discovery.details.ServiceCacheListener() {
        @Override
        public void cacheChanged() {
          cacheChanges.incrementAndGet();
        }

        @Override
        public void stateChanged(CuratorFramework c, org.apache.curator.framework.state.ConnectionState s) {}
      });
      cache.start();
      ServiceProvider<Details> provider = client.serviceProviderBuilder()
          .serviceName("web").providerStrategy(new RoundRobinStrategy<>()).build();
      provider.start();

      Json.emit("step", "registered",
          "names", sorted(client.queryForNames()),
          "web", ids(client.queryForInstances("web")),
          "api", ids(client.queryForInstances("api")),
          "web-1", describe(client.queryForInstance("web", "web-1")),
          "cache", ids(cache.getInstances()));
      Json.emit("step", "tree", "nodes",
          new Json.Raw("[" + String.join(",", TreeDump.dump(watcher.getZookeeperClient().getZooKeeper(), base)) + "]"));

      List<String> picks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        picks.add(provider.getInstance().getId());
      }
      Collections.sort(picks);
      Json.emit("step", "provider", "picks", picks);

      discoveryA.unregisterService(web1);
      waitFor(() -> ids(cache.getInstances()).equals(List.of("web-2")), "cache to drop web-1");
      Json.emit("step", "unregistered",
          "web", ids(client.queryForInstances("web")),
          "cache", ids(cache.getInstances()),
          "provider", ids(provider.getAllInstances()));

      // 下线处理: application B goes away; its ephemeral registrations go with its session.
      discoveryB.close();
      appB.close();
      waitFor(() -> cache.getInstances().isEmpty(), "cache to drop web-2 after B's session closed");
      Json.emit("step", "offline",
          "web", ids(client.queryForInstances("web")),
          "api", ids(client.queryForInstances("api")),
          "cache", ids(cache.getInstances()),
          "cacheChanges", cacheChanges.get() >= 2);

      provider.close();
      cache.close();
      client.close();
      discoveryA.close();
    }
  }

  private static ServiceInstance<Details> instance(String name, String id, int port,
      String description, int weight) throws Exception {
    return ServiceInstance.<Details>builder()
        .name(name)
        .id(id)
        .address("127.0.0.1")
        .port(port)
        .payload(new Details(description, weight))
        .build();
  }

  private static ServiceDiscovery<Details> discovery(CuratorFramework c, String base,
      ServiceInstance<Details> self) {
    ServiceDiscoveryBuilder<Details> b = ServiceDiscoveryBuilder.builder(Details.class)
        .client(c)
        .basePath(base)
        .serializer(new JsonInstanceSerializer<>(Details.class));
    if (self != null) b = b.thisInstance(self);
    return b.build();
  }

  private static List<String> sorted(Collection<String> names) {
    List<String> out = new ArrayList<>(names);
    Collections.sort(out);
    return out;
  }

  private static List<String> ids(Collection<ServiceInstance<Details>> instances) {
    List<String> out = new ArrayList<>();
    for (ServiceInstance<Details> i : instances) out.add(i.getId());
    Collections.sort(out);
    return out;
  }

  private static String describe(ServiceInstance<Details> i) {
    return i == null ? null
        : i.getName() + " " + i.getId() + " " + i.getAddress() + ":" + i.getPort() + " "
            + i.getPayload().description + " weight=" + i.getPayload().weight;
  }

  private static void waitFor(Supplier<Boolean> condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.get()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }
}
