import org.apache.kafka.common.config.ConfigDef;
import java.util.*;
public class Dump {
  static String q(String s) { if (s == null) return "null"; StringBuilder b = new StringBuilder("\""); for (char c : s.toCharArray()) { if (c == '"' || c == '\\') b.append('\\').append(c); else if (c == '\n') b.append("\\n"); else if (c < 32) b.append(String.format("\\u%04x", (int) c)); else b.append(c);} return b.append('"').toString(); }
  public static void main(String[] a) throws Exception {
    ConfigDef def = kafka.server.KafkaConfig$.MODULE$.configDef();
    Map<String,String> modes = kafka.server.DynamicBrokerConfig$.MODULE$.dynamicConfigUpdateModes();
    StringBuilder out = new StringBuilder("[\n");
    boolean first = true;
    for (ConfigDef.ConfigKey k : def.configKeys().values()) {
      String dv; boolean has = k.hasDefault();
      dv = has ? ConfigDef.convertToString(k.defaultValue, k.type) : null;
      if (!first) out.append(",\n"); first = false;
      out.append("[").append(q(k.name)).append(",").append(q(k.type.toString())).append(",").append(has ? q(dv) : "\"<none>\"")
        .append(",").append(k.internalConfig).append(",").append(q(modes.get(k.name))).append(",").append(k.validator == null ? "null" : q(k.validator.getClass().getSimpleName() + " " + k.validator)).append("]");
    }
    out.append("\n]\n");
    System.out.print(out);
    System.err.println("modes=" + modes.size());
    for (String m : modes.keySet()) if (!def.configKeys().containsKey(m)) System.err.println("mode-only " + m);
    Object sec = kafka.server.DynamicBrokerConfig$.MODULE$.DynamicSecurityConfigs();
    System.err.println("security=" + sec);
    java.lang.reflect.Method m2 = kafka.server.DynamicBrokerConfig$.class.getDeclaredMethod("ListenerMechanismConfigs"); m2.setAccessible(true);
    System.err.println("mech=" + m2.invoke(kafka.server.DynamicBrokerConfig$.MODULE$));
    java.lang.reflect.Method m3 = kafka.server.DynamicBrokerConfig$.class.getDeclaredMethod("ClusterLevelListenerConfigs"); m3.setAccessible(true);
    System.err.println("clusterListener=" + m3.invoke(kafka.server.DynamicBrokerConfig$.MODULE$));
    System.err.println("regex=" + kafka.server.DynamicBrokerConfig$.MODULE$.ListenerConfigRegex());
  }
}
